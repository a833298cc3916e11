"""A cycle's rubric and star bands: seeded, copied forward, edited, and locked."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ovop.common.refusals import Refused
from ovop.evaluation.enums import DecisionStatus
from ovop.evaluation.models import Criterion, Decision, Level, Rubric, StarBand, SubCriterion
from ovop.evaluation.services.defaults import DEFAULT_BANDS, DEFAULT_RUBRIC
from ovop.proposals.models import Cycle

TOTAL_WEIGHT = 100


def _previous_rubric(cycle: Cycle) -> Rubric | None:
    return (
        Rubric.objects.exclude(cycle=cycle)
        .filter(cycle__year__lte=cycle.year)
        .order_by("-cycle__year", "-cycle_id")
        .first()
    )


@transaction.atomic
def ensure_rubric(cycle: Cycle) -> Rubric:
    """The cycle's rubric; a new one copies the previous cycle's, else the default."""
    existing = Rubric.objects.filter(cycle=cycle).first()
    if existing is not None:
        return existing
    previous = _previous_rubric(cycle)
    if previous is not None:
        rubric = copy_rubric(source=previous, cycle=cycle)
    else:
        rubric = _default_rubric(cycle)
    if not StarBand.objects.filter(cycle=cycle).exists():
        reset_bands(cycle=cycle)
    return rubric


def _default_rubric(cycle: Cycle) -> Rubric:
    rubric = Rubric.objects.create(cycle=cycle)
    for position, (code, name, name_en, subs) in enumerate(DEFAULT_RUBRIC):
        criterion = Criterion.objects.create(
            rubric=rubric, code=code, name=name, name_en=name_en, position=position
        )
        for sub_position, (sub_code, sub_name, sub_en, weight, suggest, levels) in enumerate(subs):
            sub = SubCriterion.objects.create(
                criterion=criterion,
                code=sub_code,
                name=sub_name,
                name_en=sub_en,
                weight=weight,
                suggest_from=suggest,
                position=sub_position,
            )
            Level.objects.bulk_create(
                Level(subcriterion=sub, value=value, descriptor=text, descriptor_en=text_en)
                for value, (text, text_en) in enumerate(levels, start=1)
            )
    return rubric


def copy_rubric(*, source: Rubric, cycle: Cycle) -> Rubric:
    """An unlocked copy of ``source`` (criteria, weights, levels, settings) for ``cycle``."""
    rubric = Rubric.objects.create(
        cycle=cycle,
        aggregation=source.aggregation,
        disagreement_gap=source.disagreement_gap,
        assessors_per_proposal=source.assessors_per_proposal,
        top_n=source.top_n,
    )
    for criterion in source.criteria.prefetch_related("subcriteria__levels"):
        copy = Criterion.objects.create(
            rubric=rubric,
            code=criterion.code,
            name=criterion.name,
            name_en=criterion.name_en,
            position=criterion.position,
        )
        for sub in criterion.subcriteria.all():
            new_sub = SubCriterion.objects.create(
                criterion=copy,
                code=sub.code,
                name=sub.name,
                name_en=sub.name_en,
                weight=sub.weight,
                benefit=sub.benefit,
                suggest_from=sub.suggest_from,
                position=sub.position,
            )
            Level.objects.bulk_create(
                Level(
                    subcriterion=new_sub,
                    value=level.value,
                    descriptor=level.descriptor,
                    descriptor_en=level.descriptor_en,
                )
                for level in sub.levels.all()
            )
    source_bands = StarBand.objects.filter(cycle=source.cycle)
    if source.cycle.star_scale == cycle.star_scale and source_bands.exists():
        StarBand.objects.bulk_create(
            StarBand(cycle=cycle, stars=band.stars, min_score=band.min_score)
            for band in source_bands
        )
    return rubric


def subcriteria_of(rubric: Rubric) -> list[SubCriterion]:
    """The rubric's sub-criteria in order, with their criterion and levels (2 queries)."""
    return list(
        SubCriterion.objects.filter(criterion__rubric=rubric)
        .select_related("criterion")
        .prefetch_related("levels")
        .order_by("criterion__position", "criterion__code", "position", "code")
    )


def check_editable(rubric: Rubric) -> None:
    if rubric.locked_at is not None:
        raise Refused(
            _(
                "The rubric is locked: the first assessment was submitted on %(date)s, so "
                "weights and levels can no longer change for this cycle."
            )
            % {"date": formats.date_format(timezone.localtime(rubric.locked_at), "DATETIME_FORMAT")}
        )


def check_weights(weights: dict[str, int]) -> None:
    """Refuse weights that do not sum to 100, naming the sum."""
    total = sum(weights.values())
    if total != TOTAL_WEIGHT:
        raise ValidationError(
            _("The sub-criterion weights sum to %(total)s; they must sum to exactly 100.")
            % {"total": total}
        )


@transaction.atomic
def save_rubric(
    *,
    rubric: Rubric,
    subcriteria: list[SubCriterion],
    criteria: Iterable[Criterion] = (),
    settings: dict[str, object] | None = None,
) -> Rubric:
    """Save edited (unsaved) sub-criteria and criteria objects; all or nothing.

    ``subcriteria`` is the full list after editing, so the weight check sees the whole rubric.
    """
    check_editable(rubric)
    check_weights({sub.code: sub.weight for sub in subcriteria})
    codes = [sub.code for sub in subcriteria]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValidationError(
            _("Sub-criterion codes must be unique: %(codes)s.") % {"codes": ", ".join(duplicates)}
        )
    for criterion in criteria:
        criterion.full_clean()
        criterion.save()
    for sub in subcriteria:
        sub.full_clean()
        sub.save()
    for field, value in (settings or {}).items():
        setattr(rubric, field, value)
    rubric.full_clean()
    rubric.save()
    return rubric


def lock_rubric(rubric: Rubric, *, at: datetime | None = None) -> None:
    """Called when the first assessment of the cycle is submitted."""
    if rubric.locked_at is None:
        Rubric.objects.filter(pk=rubric.pk, locked_at__isnull=True).update(
            locked_at=at or timezone.now()
        )
        rubric.refresh_from_db(fields=["locked_at"])


def bands_of(cycle: Cycle) -> list[tuple[int, float]]:
    """(stars, lowest score) from the top band down; the defaults if none are stored."""
    stored = list(StarBand.objects.filter(cycle=cycle).values_list("stars", "min_score"))
    if stored:
        return sorted(((stars, float(low)) for stars, low in stored), key=lambda b: -b[0])
    return [(stars, float(low)) for stars, low in DEFAULT_BANDS[cycle.star_scale]]


def _check_bands_editable(cycle: Cycle) -> None:
    if Decision.objects.filter(
        proposal__round__cycle=cycle, status=DecisionStatus.PUBLISHED
    ).exists():
        raise Refused(
            _("Decisions of this cycle are published; its star bands can no longer change.")
        )


@transaction.atomic
def reset_bands(*, cycle: Cycle) -> None:
    """The default bands for the cycle's star scale."""
    StarBand.objects.filter(cycle=cycle).delete()
    StarBand.objects.bulk_create(
        StarBand(cycle=cycle, stars=stars, min_score=Decimal(low))
        for stars, low in DEFAULT_BANDS[cycle.star_scale]
    )


@transaction.atomic
def save_bands(*, cycle: Cycle, cutoffs: Mapping[int, Decimal | int]) -> None:
    """Set the lowest score of each band above one star; they must rise with the stars."""
    _check_bands_editable(cycle)
    scale = cycle.star_scale
    expected = set(range(2, scale + 1))
    if set(cutoffs) != expected:
        raise ValidationError(
            _("Give the lowest score for each of ★2 to ★%(scale)s.") % {"scale": scale}
        )
    previous = Decimal(0)
    for stars in sorted(expected):
        low = Decimal(cutoffs[stars])
        if not Decimal(0) < low <= Decimal(100):
            raise ValidationError(
                _("★%(stars)s: the lowest score must be above 0 and at most 100.")
                % {"stars": stars}
            )
        if low <= previous:
            raise ValidationError(
                _(
                    "★%(stars)s must start above ★%(lower)s (%(previous)s); the bands must rise "
                    "with the stars."
                )
                % {"stars": stars, "lower": stars - 1, "previous": previous}
            )
        previous = low
    StarBand.objects.filter(cycle=cycle).delete()
    bands = [StarBand(cycle=cycle, stars=1, min_score=Decimal(0))]
    bands += [
        StarBand(cycle=cycle, stars=stars, min_score=Decimal(cutoffs[stars]))
        for stars in sorted(expected)
    ]
    StarBand.objects.bulk_create(bands)
