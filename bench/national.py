"""The national dataset for ``make bench`` and the load test (PERFORMANCE.md's scale).

38 provinces and 514 kab/kota (the official regions), 20,000 centres spread over every
kab/kota, 200,000 IKM units (a fifth with a certificate), three cycles of 1,500 proposals
across all provinces, each proposal scored by 3 assessors over the 11 sub-criteria; the two
oldest cycles have published decisions (so the public catalogue has entries), the newest is
in assessment. A few coaching programmes and indicators complete the picture.

Everything is written with ``bulk_create`` in batches inside one transaction (no history rows,
no notifications: this is made-up data), on top of the demo data (accounts, commodities, the
Kalimantan Selatan story). The dataset is made once: a later call finds the newest national
cycle and reuses it.

Usage: python -m bench.national   (var/bench-national.sqlite3, or DATABASE_URL)
"""

import datetime
import random
import sys
import time
from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

CENTRES = 20_000
ENTERPRISES_PER_CENTRE = 10
ENTERPRISES = CENTRES * ENTERPRISES_PER_CENTRE
CERTIFIED_SHARE = 5  # one IKM unit in five holds a certificate
PROPOSALS_PER_CYCLE = 1_500
ASSESSORS_PER_PROPOSAL = 3
ASSESSOR_POOL = 60
CYCLE_YEARS = (2022, 2023, 2024)  # the two oldest are decided and published
CYCLE_PREFIX = "Nasional OVOP"
CENTRE_PREFIX = "Sentra Nasional"
BATCH = 5_000
SEED = 20_000
PUBLISHED_AT = datetime.datetime(2024, 10, 14, 10, 0, tzinfo=datetime.UTC)
COMMODITY_PRODUCTS = {
    "makanan-minuman": "Keripik dan kue kering",
    "kain-batik": "Kain tenun dan batik",
    "anyaman": "Anyaman rotan dan purun",
    "gerabah": "Gerabah dan keramik",
    "kayu": "Kerajinan kayu",
}


@dataclass(frozen=True)
class Dataset:
    cycles: list  # oldest first; the last one is in assessment
    assessors: list[str]  # usernames of the national assessor pool

    @property
    def newest(self):
        return self.cycles[-1]


def newest_cycle_name() -> str:
    return f"{CYCLE_PREFIX} {CYCLE_YEARS[-1]}"


def prepare_database() -> None:
    """Tables, the official regions and the demo story (each step skips what exists)."""
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_regions", verbosity=0)
    call_command("seed_demo", verbosity=0)


def ensure_dataset(*, log=print) -> Dataset:
    """The national dataset, generated on the first call and reused afterwards."""
    from ovop.proposals.models import Cycle

    prepare_database()
    if not Cycle.objects.filter(name=newest_cycle_name()).exists():
        start = time.perf_counter()
        log("Generating the national dataset (once; a few minutes)…")
        _generate(log=log)
        log(f"National dataset ready in {time.perf_counter() - start:.0f} s.")
    # Fresh bulk inserts leave PostgreSQL planning for empty tables (seconds-long pages).
    from ovop.common.backups import refresh_statistics

    refresh_statistics()
    cycles = [Cycle.objects.get(name=f"{CYCLE_PREFIX} {year}") for year in CYCLE_YEARS]
    return Dataset(cycles=cycles, assessors=[_assessor_name(n) for n in range(ASSESSOR_POOL)])


def _assessor_name(number: int) -> str:
    return f"nasional-penilai-{number + 1:02d}"


@transaction.atomic
def _generate(*, log) -> None:
    generator = random.Random(SEED)  # noqa: S311 — made-up bench data, not a secret
    _centres(generator, log)
    _enterprises(generator, log)
    assessors = _assessors()
    centre_ids = list(
        _national_centres().order_by("pk").values_list("pk", "regency_id", "province_id")
    )
    for index, year in enumerate(CYCLE_YEARS):
        decided = index < len(CYCLE_YEARS) - 1
        _cycle(generator, year, centre_ids, assessors, decided=decided, offset=index)
        log(
            f"  cycle {year}: {PROPOSALS_PER_CYCLE} proposals, {ASSESSORS_PER_PROPOSAL} "
            f"assessments each{', published' if decided else ''}"
        )
    _catalogue_and_coaching(generator)
    log("  catalogue entries, programmes and indicators")


def _national_centres():
    from ovop.centres.models import Centre

    return Centre.objects.filter(name__startswith=CENTRE_PREFIX)


def _centres(
    generator: random.Random,
    log,
    *,
    total: int | None = None,
    prefix: str | None = None,
    units: int | None = None,
) -> None:
    """``total`` centres in all (the demo's count too), round-robin over the 514 kab/kota."""
    from ovop.centres.models import Centre, CommodityGroup
    from ovop.regions.models import Region

    regencies = list(
        Region.objects.filter(level="regency").order_by("code").values_list("code", flat=True)
    )
    districts: dict[str, list[str]] = {}
    for code in Region.objects.filter(level="district").values_list("code", flat=True):
        districts.setdefault(code[:5], []).append(code)
    commodities = list(CommodityGroup.objects.order_by("position").values_list("pk", "code"))
    total = CENTRES if total is None else total
    prefix = prefix or CENTRE_PREFIX
    units = ENTERPRISES_PER_CENTRE if units is None else units
    existing = Centre.objects.count()
    missing = total - existing
    now = timezone.now()
    rows = []
    for number in range(missing):
        regency = regencies[number % len(regencies)]
        region = generator.choice(districts.get(regency) or [regency])
        commodity_id, commodity_code = commodities[number % len(commodities)]
        workers = generator.randint(5, 120)
        rows.append(
            Centre(
                name=f"{prefix} {regency} {existing + number + 1:06d}",
                commodity_id=commodity_id,
                main_product=COMMODITY_PRODUCTS.get(commodity_code, "Produk unggulan daerah"),
                kbli="10792",
                region_id=region,
                regency_id=regency,
                province_id=regency[:2],
                address="Jl. Sentra No. 1",
                unit_count=units,
                workers_male=workers // 2,
                workers_female=workers - workers // 2,
                capacity_value=generator.randint(100, 10_000),
                capacity_unit="kg",
                capacity_period="month",
                production_value=generator.randint(50, 5_000) * 10**6,
                investment_value=generator.randint(20, 900) * 10**6,
                raw_material="Bahan lokal",
                local_material_share=generator.randint(30, 100),
                market_reach=generator.choice(
                    ["local", "regency", "province", "national", "export"]
                ),
                created_at=now,
                updated_at=now,
            )
        )
    Centre.objects.bulk_create(rows, batch_size=BATCH)
    log(f"  {missing} centres")


def _enterprises(generator: random.Random, log) -> None:
    from ovop.centres.models import Certificate, Enterprise

    centre_ids = list(_national_centres().order_by("pk").values_list("pk", flat=True))
    # Exactly 200,000 with the demo's own: the first centres take the remainder.
    missing = ENTERPRISES - Enterprise.objects.count()
    per_centre, remainder = divmod(missing, len(centre_ids))
    count = 0
    batch: list = []
    for index, centre_id in enumerate(centre_ids):
        for unit in range(per_centre + (index < remainder)):
            count += 1
            workers = generator.randint(1, 30)
            batch.append(
                Enterprise(
                    centre_id=centre_id,
                    name=f"IKM {centre_id}-{unit + 1}",
                    owner=f"Pemilik {count}",
                    nib=f"{9_100_000_000_000 + count}",
                    kbli="10792",
                    founded_year=generator.randint(1980, 2023),
                    worker_count=workers,
                    investment_value=generator.randint(5, 500) * 10**6,
                    size_class="small" if workers <= 19 else "medium",
                    sales_channels=["direct"],
                )
            )
            if len(batch) == BATCH:
                Enterprise.objects.bulk_create(batch)
                batch = []
    Enterprise.objects.bulk_create(batch)
    enterprises = Enterprise.objects.filter(centre__name__startswith=CENTRE_PREFIX)
    certified = enterprises.order_by("pk").values_list("pk", flat=True)[::CERTIFIED_SHARE]
    kinds = ["spp_irt", "halal", "bpom_md", "sni", "brand"]
    Certificate.objects.bulk_create(
        (
            Certificate(
                enterprise_id=pk,
                kind=kinds[index % len(kinds)],
                number=f"N-{pk}",
                issued_on=datetime.date(2023, 1, 1),
                expires_on=datetime.date(2027, 1, 1) + datetime.timedelta(days=index % 700),
            )
            for index, pk in enumerate(certified)
        ),
        batch_size=BATCH,
    )
    log(f"  {count} IKM units, {len(certified)} certificates")


def _assessors() -> list:
    from ovop.accounts.models import User

    users = []
    for number in range(ASSESSOR_POOL):
        user, _created = User.objects.get_or_create(
            username=_assessor_name(number),
            defaults={
                "role": "assessor",
                "region_id": None,
                "organisation": "Asosiasi Nasional",
                "first_name": "Penilai",
                "last_name": f"Nasional {number + 1}",
            },
        )
        users.append(user)
    return users


def _cycle(
    generator,
    year,
    centres,
    assessors,
    *,
    decided: bool,
    offset: int,
    proposals: int | None = None,
    name: str | None = None,
):
    """One cycle: a round per province, 1,500 (``proposals``) scored proposals spread over
    the country."""
    from ovop.accounts.models import User
    from ovop.evaluation.models import Assessment, Assignment
    from ovop.evaluation.services.results import refresh_cycle_results
    from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
    from ovop.proposals.models import Proposal, Round
    from ovop.proposals.services.proposals import create_cycle
    from ovop.regions.models import Region

    proposals = proposals or PROPOSALS_PER_CYCLE
    cycle = create_cycle(year=year, name=name or f"{CYCLE_PREFIX} {year}")
    codes = [sub.code for sub in subcriteria_of(ensure_rubric(cycle))]
    opened = timezone.make_aware(datetime.datetime(year, 3, 1, 8, 0))
    rounds = {
        code: Round.objects.create(
            cycle=cycle,
            province_id=code,
            opens_at=opened,
            deadline=opened + datetime.timedelta(days=90),
        )
        for code in Region.objects.filter(level="province").values_list("code", flat=True)
    }
    # Every 13th centre from a different start each cycle: all provinces, no repeats.
    step = len(centres) // proposals
    chosen = centres[offset::step][:proposals]
    submitted = opened + datetime.timedelta(days=60)
    Proposal.objects.bulk_create(
        (
            Proposal(
                round=rounds[province],
                centre_id=pk,
                regency_id=regency,
                state="eligible",
                featured_products="Produk unggulan",
                contact_name="Operator",
                submitted_at=submitted + datetime.timedelta(minutes=index),
            )
            for index, (pk, regency, province) in enumerate(chosen)
        ),
        batch_size=BATCH,
    )
    proposal_ids = list(
        Proposal.objects.filter(round__cycle=cycle).order_by("pk").values_list("pk", flat=True)
    )
    admin = User.objects.get(username="admin")
    Assignment.objects.bulk_create(
        (
            Assignment(
                proposal_id=proposal_id,
                method="automatic",
                explanation="bench",
                assessor=assessors[(index * ASSESSORS_PER_PROPOSAL + k) % len(assessors)],
                assigned_by=admin,
            )
            for index, proposal_id in enumerate(proposal_ids)
            for k in range(ASSESSORS_PER_PROPOSAL)
        ),
        batch_size=BATCH,
    )
    quality = {pk: generator.uniform(1.5, 4.8) for pk in proposal_ids}
    assignments = Assignment.objects.filter(proposal__round__cycle=cycle).order_by("pk")
    Assessment.objects.bulk_create(
        (
            Assessment(
                assignment_id=pk,
                submitted_at=submitted + datetime.timedelta(days=90),
                levels={
                    code: min(5, max(1, round(quality[proposal_id] + generator.gauss(0, 0.7))))
                    for code in codes
                },
            )
            for pk, proposal_id in assignments.values_list("pk", "proposal_id")
        ),
        batch_size=BATCH,
    )
    refresh_cycle_results(cycle=cycle)  # bulk_create sends no signals
    if decided:
        _publish(cycle, admin)
    else:
        type(cycle).objects.filter(pk=cycle.pk).update(status="assessment")
    return cycle


def _publish(cycle, admin) -> None:
    """Decisions from the official ranking, published, and the cycle closed."""
    from ovop.evaluation.models import Decision
    from ovop.proposals.models import Proposal

    results = cycle_rows(cycle)
    Decision.objects.bulk_create(
        (
            Decision(
                proposal_id=row.proposal_id,
                score=round(row.score, 2),
                computed_stars=row.stars,
                stars=row.stars or None,
                status="published",
                decided_by=admin,
                published_at=PUBLISHED_AT.replace(year=cycle.year),
            )
            for row in results
        ),
        batch_size=BATCH,
    )
    rated = [row.proposal_id for row in results if row.stars]
    Proposal.objects.filter(round__cycle=cycle).update(state="not_rated")
    Proposal.objects.filter(pk__in=rated).update(state="rated")
    type(cycle).objects.filter(pk=cycle.pk).update(status="closed")


def cycle_rows(cycle) -> list:
    from ovop.evaluation.selectors.results import cycle_results

    return cycle_results(cycle=cycle, with_sensitivity=False).rows


def _catalogue_and_coaching(generator: random.Random) -> None:
    from ovop.accounts.models import User
    from ovop.catalogue.models import CatalogueEntry
    from ovop.catalogue.selectors.gate import public_centres
    from ovop.coaching.models import Indicator, Programme

    rated = list(
        public_centres()
        .filter(name__startswith=CENTRE_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    CatalogueEntry.objects.bulk_create(
        (
            CatalogueEntry(
                centre_id=pk,
                story="Produk unggulan dari bahan baku lokal.",
                story_en="A flagship product made from local materials.",
                order_links=["https://www.tokopedia.com/sentra"],
                whatsapp="+62 812 5000 1234",
                contact_public=pk % 2 == 0,
            )
            for pk in rated
        ),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    admin = User.objects.get(username="admin")
    for number, level in enumerate(["ministry", "province", "regency", "province", "ministry"]):
        centres = rated[number * 40 : (number + 1) * 40]
        programme = Programme.objects.create(
            name=f"Program Pembinaan Nasional {number + 1}",
            owner_level=level,
            owner_region_id={"ministry": None, "province": "63", "regency": "63.03"}[level],
            year_start=2024,
            year_end=2026,
            budget=250_000_000,
            focus=["market_access"],
            principles=["local_yet_global"],
            created_by=admin,
        )
        programme.centres.set(centres)
    Indicator.objects.bulk_create(
        (
            Indicator(
                centre_id=pk,
                year=year,
                kind=kind,
                production_value=generator.randint(100, 900) * 10**6,
                workers_male=generator.randint(3, 40),
                workers_female=generator.randint(3, 40),
                market_reach="province",
                certificates_held=generator.randint(0, 5),
            )
            for pk in rated[:2_000]
            for year, kind in ((2024, "baseline"), (2025, "actual"), (2026, "target"))
        ),
        batch_size=BATCH,
    )


def main() -> int:
    import bench.settings_env  # noqa: F401 — the bench database before django.setup()

    dataset = ensure_dataset()
    from ovop.centres.models import Centre, Enterprise
    from ovop.proposals.models import Proposal

    print(
        f"{Centre.objects.count()} centres, {Enterprise.objects.count()} IKM units, "
        f"{Proposal.objects.filter(round__cycle__in=dataset.cycles).count()} national "
        "proposals"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
