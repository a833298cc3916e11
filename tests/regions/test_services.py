import pytest
from django.core.management import call_command

from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region
from ovop.regions.services import load_regions


@pytest.mark.django_db
def test_full_dataset_has_every_official_region():
    load_regions()
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    assert counts == {"province": 38, "regency": 514, "district": 7285, "village": 83762}
    village = Region.objects.get(code="63.03.01.2001")
    assert village.parent_id == "63.03.01"
    assert village.parent.parent_id == "63.03"


@pytest.mark.django_db
def test_loading_again_writes_nothing():
    result = load_regions(provinces=["63"])
    assert result.skipped
    assert result.written == 0


@pytest.mark.django_db
def test_force_reload_restores_a_changed_name():
    Region.objects.filter(code="63.03").update(name="Salah")
    load_regions(provinces=["63"], force=True)
    assert Region.objects.get(code="63.03").name == "Kabupaten Banjar"


@pytest.mark.django_db
def test_command_reports_up_to_date(capsys):
    call_command("load_regions", "--province", "63")
    assert "up to date" in capsys.readouterr().out


@pytest.mark.django_db
def test_city_codes_are_71_and_above():
    assert Region.objects.get(code="63.72").is_city
    assert not Region.objects.get(code="63.03").is_city
