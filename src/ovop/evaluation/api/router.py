"""Evaluation's own API routes, under the proposals' and cycles' URLs (API.md).

Proposals may not import evaluation, so its viewsets carry only their own moves; these
viewsets add evaluation's actions on the same objects, with the same scoping (404 for what
the caller may not see) and the same URL names (``proposal-assessors``, ``cycle-ranking``…):
``ovop.urls`` includes ``router.urls`` beside the main router.
"""

from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from ovop.evaluation.api.assign import AssignmentActions
from ovop.evaluation.api.decisions import CycleResultActions, DecisionActions
from ovop.evaluation.api.scoring import AssessmentActions
from ovop.proposals.api.proposals import (
    CycleSerializer,
    CycleViewSet,
    ProposalSerializer,
    ProposalViewSet,
    visible_proposals,
)
from ovop.proposals.models import Cycle


class ProposalEvaluationViewSet(
    AssignmentActions, AssessmentActions, DecisionActions, viewsets.GenericViewSet
):
    # A proposal's assessors, the caller's own assessment and the ministry's decision. The
    # docstring is what OPTIONS and the browsable API describe: the proposals' own.
    __doc__ = ProposalViewSet.__doc__

    serializer_class = ProposalSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]  # as the proposals'

    def get_queryset(self):
        return visible_proposals(self.request.user)


class CycleEvaluationViewSet(CycleResultActions, viewsets.GenericViewSet):
    # A cycle's ranking and the publication of its decisions; described as the cycles.
    __doc__ = CycleViewSet.__doc__

    serializer_class = CycleSerializer
    queryset = Cycle.objects.all()
    http_method_names = ["get", "post", "patch", "head", "options"]  # as the proposals'


# Only the actions' routes: these viewsets have no list or detail of their own.
router = SimpleRouter()
router.register("cycles", CycleEvaluationViewSet, basename="cycle")
router.register("proposals", ProposalEvaluationViewSet, basename="proposal")
