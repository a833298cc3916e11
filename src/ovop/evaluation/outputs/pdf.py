"""The decision record (Berita Acara Penilaian) of a cycle's published decisions, as PDF.

Made with the official-document machinery of ``ovop.proposals.outputs.pdf`` (WeasyPrint, imported
only when a PDF is made; Indonesian whatever the reader's language).
"""

from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Criterion, Decision
from ovop.evaluation.services.rubric import bands_of, ensure_rubric
from ovop.proposals.models import Cycle
from ovop.proposals.outputs.pdf import indonesian_date, render_document


@dataclass
class ProvinceGroup:
    """The rated proposals of one province, best first."""

    code: str
    name: str
    rows: list[tuple[int, Decision, str]] = field(default_factory=list)


def _published(cycle: Cycle):
    return Decision.objects.filter(proposal__round__cycle=cycle, status=DecisionStatus.PUBLISHED)


def _bands(cycle: Cycle) -> list[tuple[int, float, float | None, str]]:
    """(stars, lowest score, lowest score of the band above, glyphs), top band first."""
    bands = bands_of(cycle)
    above = [None, *(low for _stars, low in bands)]
    return [(stars, low, above[i], "★" * stars) for i, (stars, low) in enumerate(bands)]


def record_context(*, cycle: Cycle) -> dict:
    rubric = ensure_rubric(cycle)
    rated = (
        _published(cycle)
        .filter(stars__isnull=False)
        .select_related(
            "proposal__round__province", "proposal__regency", "proposal__centre__commodity"
        )
        .order_by("proposal__round__province_id", "-stars", "-score", "proposal__centre__name")
    )
    groups: list[ProvinceGroup] = []
    by_stars: dict[int, int] = {}
    for number, decision in enumerate(rated, start=1):
        province = decision.proposal.round.province
        if not groups or groups[-1].code != province.code:
            groups.append(ProvinceGroup(code=province.code, name=province.name))
        groups[-1].rows.append((number, decision, "★" * decision.stars))
        by_stars[decision.stars] = by_stars.get(decision.stars, 0) + 1
    last_published = _published(cycle).aggregate(last=Max("published_at"))["last"]
    criteria = Criterion.objects.filter(rubric=rubric).prefetch_related("subcriteria")
    return {
        "cycle": cycle,
        "rubric": rubric,
        "criteria": [
            (
                criterion,
                list(criterion.subcriteria.all()),
                sum(sub.weight for sub in criterion.subcriteria.all()),
            )
            for criterion in criteria
        ],
        "bands": _bands(cycle),
        "groups": groups,
        "rated_count": sum(len(group.rows) for group in groups),
        "by_stars": sorted(by_stars.items(), reverse=True),
        "not_rated_count": _published(cycle).filter(stars__isnull=True).count(),
        "date_text": indonesian_date(timezone.localtime(last_published).date()),
    }


def render_record(*, cycle: Cycle) -> bytes:
    """The Berita Acara Penilaian Sentra IKM OVOP of ``cycle``, as PDF bytes."""
    return render_document("evaluation/pdf/record.html", record_context(cycle=cycle))
