"""The coaching story: programmes at three levels for the centres rated in 2025, activities
with their evidence, a Bimtek for kab/kota officials, yearly indicators against the baseline
taken at publication, and a few certificates about to expire."""

import datetime
from decimal import Decimal
from typing import cast

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ovop.accounts.models import User
from ovop.centres.models import Certificate, Enterprise
from ovop.coaching.enums import ActivityKind, EvidenceKind, IndicatorKind, OwnerLevel
from ovop.coaching.models import (
    Activity,
    BimtekAttendance,
    BimtekEvent,
    Evidence,
    Indicator,
    Programme,
)
from ovop.coaching.services.indicators import save_indicator
from ovop.coaching.services.programmes import save_activity, save_programme
from ovop.demo.proposals import DEMO_PDF
from ovop.evaluation.models import Decision
from ovop.regions.models import Region

# kab/kota whose officials attended the province's Bimtek on proposing (63.11 and 63.09 did not).
BIMTEK_REGENCIES = ["63.01", "63.02", "63.03", "63.04", "63.06", "63.07", "63.08", "63.71", "63.72"]


@transaction.atomic
def seed_coaching() -> bool:
    if Programme.objects.exists():
        return False
    admin = User.objects.get(username="admin")
    verifier = User.objects.get(username="verifikator-63")
    rated = {
        d.proposal.centre: cast(int, d.stars)  # the query keeps rated decisions only
        for d in Decision.objects.filter(status="published", stars__isnull=False)
        .select_related("proposal__centre")
        .order_by("-stars", "proposal__centre__name")
    }
    top = [centre for centre, stars in rated.items() if stars >= 5]
    middle = [centre for centre, stars in rated.items() if 3 <= stars <= 4]
    export = _programme(
        admin,
        "Pendampingan Ekspor Sentra OVOP Bintang 5",
        OwnerLevel.MINISTRY,
        None,
        top,
        ["market_access", "image"],
        ["local_yet_global"],
        450_000_000,
    )
    clinic = _programme(
        verifier,
        "Klinik Desain dan Kemasan Sentra OVOP Kalimantan Selatan",
        OwnerLevel.PROVINCE,
        "63",
        middle,
        ["product_innovation", "image"],
        ["self_reliance", "local_yet_global"],
        175_000_000,
    )
    _activity(
        admin,
        export,
        ActivityKind.EXHIBITION,
        "Pameran dan temu bisnis INACRAFT 2026",
        datetime.date(2026, 4, 22),
        datetime.date(2026, 4, 26),
        "JCC Senayan, Jakarta",
        top[:2],
        cost=120_000_000,
        men=3,
        women=5,
        outcome="Tiga calon pembeli dari Malaysia dan Jepang meminta sampel.",
    )
    _activity(
        verifier,
        clinic,
        ActivityKind.DESIGN_CLINIC,
        "Klinik desain kemasan angkatan I",
        datetime.date(2026, 3, 12),
        datetime.date(2026, 3, 13),
        "Balai Diklat Industri, Banjarbaru",
        middle[:3],
        cost=48_500_000,
        men=6,
        women=11,
        outcome="Setiap sentra membawa pulang tiga rancangan label baru.",
    )
    _indicators(admin, rated)
    _bimtek(verifier)
    _expiring_certificates()
    return True


def _programme(actor, name, level, region, centres, focus, principles, budget) -> Programme:
    programme = Programme(
        name=name,
        owner_level=level,
        owner_region_id=region,
        year_start=2026,
        year_end=2027,
        budget=budget,
        focus=focus,
        principles=principles,
        description="Program pembinaan lanjutan bagi sentra hasil penilaian OVOP 2025.",
    )
    return save_programme(actor=actor, programme=programme, centres=centres)


def _activity(
    actor, programme, kind, title, starts, ends, place, centres, *, cost, men, women, outcome
) -> Activity:
    activity = Activity(
        programme=programme,
        kind=kind,
        title=title,
        starts_on=starts,
        ends_on=ends,
        place=place,
        focus=programme.focus[:1],
        cost=cost,
        participants_male=men,
        participants_female=women,
        outcome=outcome,
    )
    enterprises = Enterprise.objects.filter(centre__in=centres)
    activity = save_activity(
        actor=actor, activity=activity, centres=centres, enterprises=enterprises
    )
    evidence = Evidence(
        activity=activity,
        kind=EvidenceKind.ATTENDANCE,
        title="Daftar hadir peserta",
        size=len(DEMO_PDF),
        uploaded_by=actor,
    )
    evidence.file.save("daftar-hadir.pdf", ContentFile(DEMO_PDF), save=False)
    evidence.save()
    return activity


def _indicators(actor, rated: dict) -> None:
    """2026 actuals after a year of coaching, and 2027 targets, for every rated centre."""
    for index, (centre, stars) in enumerate(rated.items()):
        baseline = Indicator.objects.filter(centre=centre, kind=IndicatorKind.BASELINE).first()
        if baseline is None:
            continue
        growth = Decimal("1.08") + Decimal(index % 4) * Decimal("0.05") + stars * Decimal("0.01")
        actual = {
            "capacity_value": ((baseline.capacity_value or 0) * growth).quantize(Decimal("0.01")),
            "capacity_unit": baseline.capacity_unit,
            "production_value": int((baseline.production_value or 0) * growth),
            "workers_male": (baseline.workers_male or 0) + index % 3,
            "workers_female": (baseline.workers_female or 0) + 2 + index % 4,
            "market_reach": baseline.market_reach,
            "certificates_held": (baseline.certificates_held or 0) + (1 if index % 2 else 0),
            "export_value": 85_000_000 * stars if stars >= 5 else None,
            "note": "Laporan Dinas kabupaten/kota, Desember 2026",
        }
        save_indicator(
            actor=actor, centre=centre, year=2026, kind=IndicatorKind.ACTUAL, data=actual
        )
        target = {
            **actual,
            "production_value": int(actual["production_value"] * 1.15),
            "note": "Target program pembinaan",
        }
        save_indicator(
            actor=actor, centre=centre, year=2027, kind=IndicatorKind.TARGET, data=target
        )


def _bimtek(verifier) -> None:
    event = BimtekEvent.objects.create(
        title="Bimtek Penyusunan Usulan Sentra OVOP 2026",
        province_id="63",
        held_on=datetime.date(2026, 2, 10),
        place="Aula Disperin Kalsel, Banjarmasin",
        topic="Kriteria OVOP, dokumen persyaratan, dan tata cara pengusulan melalui ovop.",
        created_by=verifier,
    )
    names = dict(Region.objects.filter(code__in=BIMTEK_REGENCIES).values_list("code", "name"))
    for code in BIMTEK_REGENCIES:
        operator = User.objects.filter(username=f"operator-{code.replace('.', '')}").first()
        BimtekAttendance.objects.create(
            event=event,
            regency_id=code,
            user=operator,
            name=operator.get_full_name() if operator else f"Pejabat {names[code]}",
            position="Kepala Seksi Industri Kecil dan Menengah",
        )


def _expiring_certificates() -> None:
    """A few certificates near expiry, so the watch has something to show (relative dates)."""
    today = timezone.localdate()
    banjar = Certificate.objects.filter(enterprise__centre__regency_id="63.03").order_by("pk")
    for certificate, days in zip(banjar[:2], (25, 70), strict=False):
        Certificate.objects.filter(pk=certificate.pk).update(
            expires_on=today + datetime.timedelta(days=days)
        )
    tapin = Certificate.objects.filter(enterprise__centre__regency_id="63.05").first()
    if tapin:
        Certificate.objects.filter(pk=tapin.pk).update(
            expires_on=today - datetime.timedelta(days=5)
        )
