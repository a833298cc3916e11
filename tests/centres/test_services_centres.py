import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ovop.centres.models import Centre, CommodityGroup, size_class_for
from ovop.centres.services.centres import save_centre, save_enterprise
from ovop.regions.models import Region
from tests.factories import CentreFactory, EnterpriseFactory


def centre_data(**overrides) -> dict:
    data = {
        "name": "Sentra Kue Tradisional Martapura",
        "commodity": CommodityGroup.objects.get(code="makanan-minuman"),
        "main_product": "Kue bingka",
        "kbli": "10792",
        "region": Region.objects.get(code="63.03.01"),
        "unit_count": 7,
        "workers_male": 4,
        "workers_female": 18,
        "market_reach": "province",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("workers", "investment", "expected"),
    [
        (19, 999_999_999, "small"),
        (20, 100_000_000, "medium"),
        (5, 1_000_000_000, "medium"),
        (50, 15_000_000_000, "medium"),
        (50, 15_000_000_001, None),
        (3, None, "small"),
    ],
)
def test_size_class_follows_permenperin_64_2016(workers, investment, expected):
    assert size_class_for(worker_count=workers, investment_value=investment) == expected


def test_operator_saves_a_centre_in_their_regency(operator):
    centre = save_centre(actor=operator, data=centre_data())
    assert (centre.regency_id, centre.province_id) == ("63.03", "63")
    assert centre.worker_count == 22
    assert centre.history.count() == 1


@pytest.mark.parametrize(
    ("region_code", "message"),
    [("63.05.01", "Kabupaten Banjar"), ("63.03", "district or village")],
)
def test_operator_cannot_place_a_centre_outside_their_regency(operator, region_code, message):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        save_centre(actor=operator, data=centre_data(region=Region.objects.get(code=region_code)))
    assert message in str(error.value)
    assert not Centre.objects.exists()


def test_fewer_than_five_units_is_not_a_sentra(operator):
    with pytest.raises(ValidationError) as error:
        save_centre(actor=operator, data=centre_data(unit_count=4))
    assert "unit_count" in error.value.message_dict


def test_same_name_in_same_regency_is_refused_whatever_the_case(operator):
    save_centre(actor=operator, data=centre_data())
    with pytest.raises(ValidationError) as error:
        save_centre(actor=operator, data=centre_data(name="SENTRA KUE TRADISIONAL MARTAPURA"))
    assert "name" in error.value.message_dict


def test_enterprise_size_class_is_derived_and_certificates_replaced(operator):
    centre = CentreFactory()
    enterprise = save_enterprise(
        centre=centre,
        data={
            "name": "UD Bingka",
            "owner": "Hj. Aminah",
            "nib": "1234567890123",
            "worker_count": 25,
            "investment_value": 200_000_000,
        },
        certificates=[{"kind": "halal", "number": "ID001"}, {"kind": "spp_irt", "number": "P-1"}],
    )
    assert enterprise.size_class == "medium"
    assert sorted(enterprise.certificates.values_list("kind", flat=True)) == ["halal", "spp_irt"]
    save_enterprise(
        centre=centre,
        data={},
        certificates=[{"kind": "sni", "number": "S-9"}],
        enterprise=enterprise,
    )
    assert list(enterprise.certificates.values_list("kind", flat=True)) == ["sni"]


def test_large_industry_is_refused(operator):
    with pytest.raises(ValidationError) as error:
        save_enterprise(
            centre=CentreFactory(),
            data={
                "name": "PT Besar",
                "owner": "X",
                "worker_count": 300,
                "investment_value": 20_000_000_000,
            },
        )
    assert "investment_value" in error.value.message_dict


def test_nib_must_be_13_digits_and_unique(operator):
    existing = EnterpriseFactory()
    with pytest.raises(ValidationError) as bad_length:
        save_enterprise(centre=existing.centre, data={"name": "A", "owner": "B", "nib": "123"})
    assert "nib" in bad_length.value.message_dict
    with pytest.raises(ValidationError) as duplicate:
        save_enterprise(
            centre=existing.centre, data={"name": "A", "owner": "B", "nib": existing.nib}
        )
    assert "nib" in duplicate.value.message_dict


def test_certificate_expiring_before_issue_is_refused(operator):
    with pytest.raises(ValidationError):
        save_enterprise(
            centre=CentreFactory(),
            data={"name": "A", "owner": "B"},
            certificates=[
                {
                    "kind": "halal",
                    "number": "H1",
                    "issued_on": datetime.date(2025, 1, 1),
                    "expires_on": datetime.date(2024, 1, 1),
                }
            ],
        )
