"""An assessor's levels for a proposal: suggestions from the registry, drafts, submission."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.centres.enums import CertificateKind, MarketReach
from ovop.centres.models import Centre, Certificate
from ovop.common.refusals import Refused
from ovop.evaluation.enums import SuggestFrom
from ovop.evaluation.models import Assessment, Assignment, SubCriterion
from ovop.evaluation.services.defaults import MARKET_REACH_LEVEL, WORKER_LEVEL_FLOORS
from ovop.evaluation.services.rubric import ensure_rubric, lock_rubric, subcriteria_of
from ovop.proposals.enums import ProposalState


@dataclass(frozen=True)
class Suggestion:
    level: int
    reason: str


def _certificate_kinds(centre: Centre) -> list[str]:
    today = timezone.localdate()
    kinds = (
        Certificate.objects.filter(enterprise__centre=centre)
        .exclude(expires_on__lt=today)
        .values_list("kind", flat=True)
        .distinct()
    )
    return sorted(set(kinds))


def suggestions_for(*, centre: Centre, subcriteria: list[SubCriterion]) -> dict[str, Suggestion]:
    """Levels the registry implies, keyed by sub-criterion code, each with its reason."""
    found: dict[str, Suggestion] = {}
    for sub in subcriteria:
        if sub.suggest_from == SuggestFrom.MARKET_REACH and centre.market_reach:
            found[sub.code] = Suggestion(
                MARKET_REACH_LEVEL[centre.market_reach],
                _("The registry records the market reach as “%(reach)s”.")
                % {"reach": MarketReach(centre.market_reach).label},
            )
        elif sub.suggest_from == SuggestFrom.CERTIFICATES:
            kinds = _certificate_kinds(centre)
            labels = ", ".join(str(CertificateKind(kind).label) for kind in kinds)
            found[sub.code] = Suggestion(
                min(len(kinds) + 1, 5),
                _("Valid permits and certificates of its IKM units: %(kinds)s.")
                % {"kinds": labels or _("none")},
            )
        elif sub.suggest_from == SuggestFrom.WORKERS:
            workers = centre.worker_count
            level = next(level for floor, level in WORKER_LEVEL_FLOORS if workers >= floor)
            found[sub.code] = Suggestion(
                level, _("The registry records %(count)s workers.") % {"count": workers}
            )
    return found


def weighted_total(levels: dict[str, int], subcriteria: list[SubCriterion]) -> float:
    """Σ weight × level / 5 over the levels given (a running total while drafting)."""
    return sum(sub.weight * levels[sub.code] / 5 for sub in subcriteria if sub.code in levels)


def _clean_levels(
    levels: Mapping[str, object] | None, subcriteria: list[SubCriterion]
) -> tuple[dict[str, int], dict[str, str]]:
    known = {sub.code for sub in subcriteria}
    cleaned: dict[str, int] = {}
    errors: dict[str, str] = {}
    for code, value in (levels or {}).items():
        if code not in known:
            errors[code] = _("%(code)s is not a sub-criterion of this cycle's rubric.") % {
                "code": code
            }
            continue
        if value in (None, ""):
            continue
        if isinstance(value, bool) or str(value).strip() not in {"1", "2", "3", "4", "5"}:
            errors[code] = _("%(code)s: choose a level from 1 to 5, not “%(value)s”.") % {
                "code": code,
                "value": value,
            }
            continue
        cleaned[code] = int(str(value).strip())
    return cleaned, errors


def _check_submission(
    errors: dict[str, str],
    *,
    centre: Centre,
    subcriteria: list[SubCriterion],
    cleaned: dict[str, int],
    comments: Mapping[str, object],
) -> None:
    """Add to ``errors`` what stops a submission: a level missing, or a suggested level
    overridden without a comment saying why."""
    for sub in subcriteria:
        if sub.code not in cleaned and sub.code not in errors:
            errors[sub.code] = _("%(code)s: choose a level before submitting.") % {"code": sub.code}
    suggested = suggestions_for(centre=centre, subcriteria=subcriteria)
    for code, suggestion in suggested.items():
        overridden = code in cleaned and cleaned[code] != suggestion.level
        if overridden and not comments.get(code):
            errors[code] = _(
                "%(code)s: you chose level %(level)s instead of the suggested "
                "%(suggested)s; say why in the comment."
            ) % {
                "code": code,
                "level": cleaned[code],
                "suggested": suggestion.level,
            }


@transaction.atomic
def save_assessment(
    *,
    assignment: Assignment,
    actor: User,
    levels: Mapping[str, object],
    comments: Mapping[str, object] | None = None,
    general_comment: str = "",
    submit: bool = False,
) -> Assessment:
    """Save the caller's levels as a draft or submit them; a submitted assessment is final.

    Raises ``Refused`` (400 with ``errors`` per sub-criterion, or 409) and writes nothing.
    """
    if not actor.has_perm("evaluation.score", assignment):
        raise Refused(_("Only the assigned assessor may score this proposal."), status=403)
    # Lock the assignment, which always exists: the first save of an assessment has no row
    # of its own to lock, and two saves at once (two tabs) must not both create one.
    Assignment.objects.select_for_update(no_key=True).values_list("pk", flat=True).get(
        pk=assignment.pk
    )
    assessment = Assessment.objects.filter(assignment=assignment).first()
    if assessment is not None and assessment.submitted_at is not None:
        raise Refused(
            _("Your assessment was submitted on %(date)s and can no longer change.")
            % {"date": timezone.localtime(assessment.submitted_at).strftime("%d/%m/%Y %H.%M")}
        )
    if assignment.proposal.state != ProposalState.ELIGIBLE:
        raise Refused(
            _("Scoring is closed: the proposal is “%(state)s”.")
            % {"state": ProposalState(assignment.proposal.state).label}
        )
    rubric = ensure_rubric(assignment.proposal.round.cycle)
    subcriteria = subcriteria_of(rubric)
    cleaned, errors = _clean_levels(levels, subcriteria)
    comments = {
        code: str(text).strip()
        for code, text in (comments or {}).items()
        if str(text or "").strip()
    }
    if submit:
        _check_submission(
            errors,
            centre=assignment.proposal.centre,
            subcriteria=subcriteria,
            cleaned=cleaned,
            comments=comments,
        )
    if errors:
        raise Refused(
            _("Nothing was saved; correct the marked sub-criteria."), status=400, errors=errors
        )
    assessment = assessment or Assessment(assignment=assignment)
    assessment.levels = cleaned
    assessment.comments = comments
    assessment.general_comment = (general_comment or "").strip()
    now = timezone.now()
    if submit:
        assessment.submitted_at = now
        lock_rubric(rubric, at=now)
    assessment.save()
    return assessment
