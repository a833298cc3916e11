import datetime
from decimal import Decimal

import factory
from django.conf import settings
from django.utils import timezone

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.proposals.models import Proposal, ProposalDocument, Round
from ovop.proposals.services.proposals import create_cycle


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@ovop.test")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    role = Role.VIEWER
    region = None
    password = factory.PostGenerationMethodCall("set_password", settings.OVOP_DEMO_PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        # factory_boy passes the built user as ``self``: save it again after set_password.
        if create:
            self.save()


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "centres.Centre"

    name = factory.Sequence(lambda n: f"Sentra Sasirangan {n}")
    commodity = factory.LazyFunction(
        lambda: __import__(
            "ovop.centres.models", fromlist=["CommodityGroup"]
        ).CommodityGroup.objects.get(code="kain-batik")
    )
    main_product = "Kain sasirangan"
    kbli = "13134"
    region_id = "63.03.01"
    address = "Jl. Sasirangan No. 1"
    latitude = Decimal("-3.4300")
    longitude = Decimal("114.8500")
    decree_number = "188.45/123/KUM/2023"
    decree_date = datetime.date(2023, 5, 21)
    decree_signer = "Bupati Banjar"
    unit_count = 12
    workers_male = 10
    workers_female = 25
    capacity_value = Decimal("1200")
    capacity_unit = "lembar"
    capacity_period = "month"
    production_value = 1_250_000_000
    investment_value = 350_000_000
    market_reach = "national"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "centres.Enterprise"

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"UD Sasirangan Berkah {n}")
    owner = factory.Faker("name", locale="id_ID")
    nib = factory.Sequence(lambda n: f"{9120000000000 + n}")
    kbli = "13134"
    founded_year = 2015
    worker_count = 8
    investment_value = 150_000_000
    size_class = "small"


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "centres.Certificate"

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "halal"
    number = factory.Sequence(lambda n: f"ID63110000{n:05d}")
    issued_on = datetime.date(2024, 1, 10)
    expires_on = datetime.date(2028, 1, 10)


def make_cycle(**overrides):
    return create_cycle(
        year=overrides.pop("year", 2026), name=overrides.pop("name", "OVOP 2026"), **overrides
    )


def make_round(*, cycle=None, province="63", **overrides):
    return Round.objects.create(
        cycle=cycle or make_cycle(),
        province_id=province,
        opens_at=overrides.pop("opens_at", timezone.now() - datetime.timedelta(days=10)),
        deadline=overrides.pop("deadline", timezone.now() + datetime.timedelta(days=20)),
        **overrides,
    )


def make_proposal(*, round_=None, centre=None, state="draft", documents=True, checked=False):
    """A proposal with every checklist document recorded (and optionally checked OK).

    The document rows name a file without writing one: the workflow only needs the rows.
    """
    round_ = round_ or make_round()
    centre = centre or CentreFactory()
    proposal = Proposal.objects.create(
        round=round_, centre=centre, regency_id=centre.regency_id, state=state
    )
    if documents:
        ProposalDocument.objects.bulk_create(
            ProposalDocument(
                proposal=proposal,
                item=item,
                file=f"proposals/{item.code}.pdf",
                check_result="ok" if checked else "pending",
            )
            for item in round_.cycle.checklist.all()
        )
    return proposal
