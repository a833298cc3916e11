"""The registry's named predicates (issue 16)."""

from ovop.centres.rules import region_in_users_regency
from ovop.regions.models import Region


def test_region_in_users_regency_is_the_operators_own_kab_kota(personas):
    district = Region.objects.get(code="63.03.01")
    inside = {name for name, user in personas.items() if region_in_users_regency(user, district)}
    assert inside == {"operator"}
    assert not region_in_users_regency(personas["operator"], None)
