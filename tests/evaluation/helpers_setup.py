"""Builders for the set-up tests: each kind of conflict, and a generated national cycle."""

import random

from django.utils import timezone

from ovop.centres.models import CommodityGroup
from ovop.evaluation.models import ConflictDeclaration
from ovop.regions.models import Region
from tests.evaluation.helpers import assign_directly, make_assessor
from tests.factories import CentreFactory, EnterpriseFactory, make_cycle, make_proposal, make_round

CONFLICT_KINDS = ["home_province", "centre_link", "enterprise_link", "recusal"]


def make_conflict(kind: str, world, proposal) -> tuple:
    """An assessor conflicted with ``proposal`` (a Banjar proposal) in one way.

    Answers the assessor and a fragment the refusal must contain to name the conflict.
    """
    if kind == "home_province":
        assessor = make_assessor("penilai-kalsel", home="63")
        return assessor, Region.objects.get(code="63").name
    assessor = make_assessor("penilai-terkait", home="64")
    if kind == "centre_link":
        ConflictDeclaration.objects.create(
            assessor=assessor,
            centre=world["centre_banjar"],
            note="Pembina sentra sejak 2023",
            declared_by=assessor,
        )
        return assessor, "Pembina sentra sejak 2023"
    if kind == "enterprise_link":
        ConflictDeclaration.objects.create(
            assessor=assessor,
            enterprise=world["enterprise_banjar"],
            note="Pemiliknya kakak saya",
            declared_by=assessor,
        )
        return assessor, world["enterprise_banjar"].name
    assignment = assign_directly(proposal, assessor, by=world["admin"])
    assignment.recused_at = timezone.now()
    assignment.recusal_reason = "Pernah menjadi konsultan sentra ini"
    assignment.save()
    return assessor, "Pernah menjadi konsultan sentra ini"


# Province codes of the generated cycle (plus 63 and 64 of the test regions).
NATIONAL_PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32"]


def district_of(province: str) -> str:
    """A district in ``province``, creating the province, a regency and the district if needed."""
    Region.objects.get_or_create(
        code=province, defaults={"name": f"Provinsi {province}", "level": "province"}
    )
    regency, _created = Region.objects.get_or_create(
        code=f"{province}.01",
        defaults={"name": f"Kabupaten {province}.01", "level": "regency", "parent_id": province},
    )
    district, _created = Region.objects.get_or_create(
        code=f"{province}.01.01",
        defaults={"name": f"Kecamatan {province}.01.01", "level": "district", "parent": regency},
    )
    return district.code


def national_cycle(*, per_province: int = 4, assessors: int = 30, seed: int = 5) -> dict:
    """Eligible proposals across many provinces and assessors from various home provinces,
    with declared links and varied expertise, all drawn from a fixed seed."""
    rng = random.Random(seed)
    cycle = make_cycle(year=2030, name="OVOP Nasional 2030")
    groups = list(CommodityGroup.objects.order_by("pk"))
    proposals, centres, enterprises = [], [], []
    for province in NATIONAL_PROVINCES:
        round_ = make_round(cycle=cycle, province=province)
        district = district_of(province)
        for number in range(per_province):
            centre = CentreFactory(
                region_id=district, commodity=rng.choice(groups), name=f"Sentra {province}-{number}"
            )
            enterprises.append(EnterpriseFactory(centre=centre))
            centres.append(centre)
            proposals.append(
                make_proposal(round_=round_, centre=centre, state="eligible", documents=False)
            )
    homes = [*NATIONAL_PROVINCES, "63", "64", None]
    people = []
    for number in range(assessors):
        expertise = rng.sample(groups, k=rng.randint(0, 2))
        person = make_assessor(f"penilai-{number:02d}", home=rng.choice(homes), expertise=expertise)
        people.append(person)
        if number % 3 == 0:
            link = (
                {"centre": rng.choice(centres)}
                if number % 2
                else {"enterprise": rng.choice(enterprises)}
            )
            ConflictDeclaration.objects.create(
                assessor=person, note="Terkait", declared_by=person, **link
            )
    return {"cycle": cycle, "proposals": proposals, "assessors": people}
