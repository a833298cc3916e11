"""``region_scope``: the one place a person's regional scope comes from (issue 16)."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser

from ovop.accounts.enums import Role
from ovop.accounts.scope import NATIONAL, NOWHERE, RegionScope, ScopeLevel, region_scope
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("role", "region", "level", "code"),
    [
        (Role.ADMIN, None, ScopeLevel.NATIONAL, None),
        (Role.OPERATOR, "63.03", ScopeLevel.REGENCY, "63.03"),
        (Role.VERIFIER, "63", ScopeLevel.PROVINCE, "63"),
        (Role.VIEWER, None, ScopeLevel.NATIONAL, None),
        (Role.VIEWER, "63", ScopeLevel.PROVINCE, "63"),
        (Role.VIEWER, "63.03", ScopeLevel.REGENCY, "63.03"),
        # An assessor sees what is assigned to them; their home province is for conflicts.
        (Role.ASSESSOR, "63", ScopeLevel.NONE, None),
        (Role.ASSESSOR, None, ScopeLevel.NONE, None),
    ],
)
def test_region_scope_of_each_role(db, role, region, level, code):
    scope = region_scope(UserFactory(role=role, region_id=region))
    assert (scope.level, scope.code) == (level, code)


def test_region_scope_of_a_regency_names_its_province(db):
    scope = region_scope(UserFactory(role=Role.OPERATOR, region_id="63.03"))
    assert scope.is_regency
    assert scope.is_regional
    assert (scope.province_code, scope.regency_code) == ("63", "63.03")


def test_region_scope_of_a_province_has_no_regency(db):
    scope = region_scope(UserFactory(role=Role.VERIFIER, region_id="64"))
    assert scope.is_province
    assert (scope.province_code, scope.regency_code) == ("64", None)


def test_region_scope_of_a_superuser_is_national_whatever_the_role(db):
    user = UserFactory(role=Role.OPERATOR, region_id="63.03", is_superuser=True)
    assert region_scope(user) == NATIONAL


def test_region_scope_is_none_signed_out_or_inactive(db):
    assert region_scope(AnonymousUser()) == NOWHERE
    assert region_scope(UserFactory(role=Role.ADMIN, is_active=False)) == NOWHERE


def test_region_scope_is_none_for_a_scoped_role_without_its_region(db):
    # Never valid (User.clean refuses it), but the scope must not widen to national.
    for role in (Role.OPERATOR, Role.VERIFIER):
        user = UserFactory.build(role=role, region=None)
        user.is_active = True
        assert region_scope(user) == NOWHERE


def test_region_scope_reads_no_region_row(db, django_assert_num_queries):
    user = UserFactory(role=Role.VIEWER, region_id="63.03")
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(0):
        assert region_scope(fresh).is_regency


def test_region_scope_is_frozen():
    scope = RegionScope(ScopeLevel.PROVINCE, "63")
    with pytest.raises(dataclasses.FrozenInstanceError):
        scope.code = "64"  # type: ignore[misc]
    assert not scope.is_national
    assert not scope.is_none
    assert NATIONAL.is_national
    assert NOWHERE.is_none
    assert not NOWHERE.is_regional
