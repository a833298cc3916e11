"""Direct tests of ``ovop.regions.selectors``: regions are reference data every user reads."""

import pytest

from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region
from ovop.regions.selectors import get_region, regions_visible_to, search_regions
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def _codes(queryset) -> list[str]:
    return list(queryset.values_list("code", flat=True))


@pytest.mark.parametrize("name", list(PERSONAS))
def test_regions_visible_to_every_persona_sees_every_region(personas, name):
    visible = regions_visible_to(personas[name])
    assert visible.count() == Region.objects.count()
    # Outside the persona's own scope too: another province, its regencies and villages.
    assert set(
        _codes(visible.filter(code__in=["63", "64", "63.03", "64.01", "63.03.01.2001"]))
    ) == {
        "63",
        "64",
        "63.03",
        "64.01",
        "63.03.01.2001",
    }


def test_search_regions_by_parent_gives_its_children_only(personas):
    found = _codes(search_regions(queryset=regions_visible_to(personas["operator"]), parent="63"))
    assert len(found) == 13
    assert "63.03" in found
    assert "63" not in found
    assert "64.01" not in found
    assert "63.03.01" not in found  # a grandchild


def test_search_regions_by_level(personas):
    found = search_regions(queryset=Region.objects.all(), level=RegionLevel.PROVINCE)
    assert found.count() == 38
    assert set(found.values_list("level", flat=True)) == {"province"}


def test_search_regions_text_matches_name_case_insensitively(personas):
    found = _codes(
        search_regions(queryset=Region.objects.all(), text="  banjar ", level=RegionLevel.REGENCY)
    )
    # Kota Banjar (West Java), Banjarnegara (Central Java), Banjar, Banjarmasin, Banjarbaru.
    assert found == ["32.79", "33.04", "63.03", "63.71", "63.72"]
    in_63 = search_regions(queryset=Region.objects.all(), text="BANJAR", parent="63")
    assert _codes(in_63) == ["63.03", "63.71", "63.72"]


def test_search_regions_text_matches_code_prefix_only(personas):
    found = _codes(search_regions(queryset=Region.objects.all(), text="63.0", parent="63"))
    assert found == [f"63.{n:02d}" for n in range(1, 10)]
    # A code in the middle does not match: "3.03" is not the start of "63.03".
    assert "63.03" not in _codes(search_regions(queryset=Region.objects.all(), text="3.03"))


def test_search_regions_not_matching_finds_nothing(personas):
    assert not search_regions(queryset=Region.objects.all(), text="Atlantis").exists()
    assert not search_regions(
        queryset=Region.objects.all(), parent="63", level=RegionLevel.PROVINCE
    ).exists()


def test_search_regions_without_filters_keeps_the_queryset(personas):
    queryset = Region.objects.filter(parent_id="64")
    assert _codes(search_regions(queryset=queryset)) == _codes(queryset)
    assert _codes(search_regions(queryset=queryset, parent="", level="", text="")) == _codes(
        queryset
    )


def test_search_regions_is_ordered_by_code(personas):
    found = _codes(search_regions(queryset=Region.objects.all(), parent="63"))
    assert found == sorted(found)


def test_get_region_known_code(personas):
    region = get_region("63.03")
    assert (region.name, region.level, region.parent_id) == ("Kabupaten Banjar", "regency", "63")


def test_get_region_unknown_or_partial_code_is_none(personas):
    assert get_region("99") is None
    assert get_region("63.0") is None
    assert get_region("") is None


def test_get_region_is_one_query(personas, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert get_region("64").name == "Kalimantan Timur"
