"""Builders for the programme and activity tests (and the permission-matrix rows)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from ovop.coaching.models import Activity, Evidence, Programme
from ovop.coaching.services.programmes import save_activity, save_programme
from ovop.evaluation.models import Decision
from tests.conftest import TINY_PDF


def make_programme(
    *,
    actor,
    centres=(),
    name: str = "Pembinaan Sasirangan",
    level="regency",
    region="63.03",
    year_start=2026,
    year_end=2026,
    **fields,
) -> Programme:
    programme = Programme(
        name=name,
        owner_level=level,
        owner_region_id=region,
        year_start=year_start,
        year_end=year_end,
        **fields,
    )
    return save_programme(actor=actor, programme=programme, centres=list(centres))


def make_activity(
    *,
    actor,
    programme,
    centres=(),
    enterprises=(),
    title="Bimtek pewarnaan",
    kind="training",
    starts_on=datetime.date(2026, 3, 2),
    **fields,
) -> Activity:
    activity = Activity(
        programme=programme,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=fields.pop("ends_on", starts_on),
        **fields,
    )
    return save_activity(
        actor=actor, activity=activity, centres=list(centres), enterprises=list(enterprises)
    )


def make_evidence(*, activity, actor, kind="attendance", title="Daftar hadir") -> Evidence:
    evidence = Evidence(
        activity=activity, kind=kind, title=title, size=len(TINY_PDF), uploaded_by=actor
    )
    evidence.file.save("hadir.pdf", ContentFile(TINY_PDF))
    return evidence


def publish_stars(*, proposal, stars: int, by):
    """A published decision with ``stars`` for the proposal's centre."""
    return Decision.objects.create(
        proposal=proposal,
        stars=stars,
        computed_stars=stars,
        status="published",
        decided_by=by,
        published_at=timezone.now(),
    )


def banjar_programme(world) -> Programme:
    """Run by Banjar's office (63.03) for the Banjar sentra; one per world."""
    existing = Programme.objects.filter(name="Pembinaan Sasirangan Banjar").first()
    if existing is not None:
        return existing
    return make_programme(
        actor=world["operator"],
        centres=[world["centre_banjar"]],
        name="Pembinaan Sasirangan Banjar",
    )


def banjar_activity(world) -> Activity:
    return make_activity(
        actor=world["operator"], programme=banjar_programme(world), centres=[world["centre_banjar"]]
    )


def tapin_programme(world) -> Programme:
    """Run by Tapin's office (63.05) for the Tapin sentra, set up by the admin."""
    return make_programme(
        actor=world["admin"],
        centres=[world["centre_tapin"]],
        name="Pembinaan Tapin",
        level="regency",
        region="63.05",
    )
