"""Evaluation registers its own API routes, under the URLs and names API.md gives."""

import pytest
from django.urls import resolve, reverse

from ovop.evaluation.api.router import CycleEvaluationViewSet, ProposalEvaluationViewSet
from ovop.proposals.api.proposals import CycleViewSet, ProposalViewSet


@pytest.mark.parametrize(
    ("name", "url", "viewset", "methods"),
    [
        (
            "proposal-assessors",
            "/api/v1/proposals/7/assessors/",
            ProposalEvaluationViewSet,
            {"get", "post"},
        ),
        (
            "proposal-assessment",
            "/api/v1/proposals/7/assessment/",
            ProposalEvaluationViewSet,
            {"get", "put"},
        ),
        ("proposal-decide", "/api/v1/proposals/7/decide/", ProposalEvaluationViewSet, {"post"}),
        ("cycle-ranking", "/api/v1/cycles/7/ranking/", CycleEvaluationViewSet, {"get"}),
        ("cycle-publish", "/api/v1/cycles/7/publish/", CycleEvaluationViewSet, {"post"}),
    ],
)
def test_evaluation_routes_keep_their_urls_and_names(name, url, viewset, methods):
    assert reverse(name, kwargs={"pk": 7}) == url
    match = resolve(url)
    assert match.func.cls is viewset
    # DRF adds HEAD beside GET once the route has answered a request.
    assert set(match.func.actions) - {"head"} == methods


def test_the_proposal_and_cycle_viewsets_carry_no_evaluation_action():
    for viewset, names in (
        (ProposalViewSet, ("assessors", "assessment", "decide")),
        (CycleViewSet, ("ranking", "publish")),
    ):
        assert not any(hasattr(viewset, name) for name in names)
