"""Direct tests of ``ovop.accounts.selectors``: who sees which accounts, and the search."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.selectors import search_users, users_visible_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SELF_ONLY = ["operator", "operator_neighbour", "assessor", "viewer"]


def _names(queryset) -> set[str]:
    return set(queryset.values_list("username", flat=True))


@pytest.fixture
def province_accounts(personas) -> dict:
    """Accounts around province 63 beyond the personas: who a verifier of 63 may see or not."""
    return {
        "viewer_63": UserFactory(username="viewer-63", role=Role.VIEWER, region_id="63"),
        "viewer_6305": UserFactory(username="viewer-6305", role=Role.VIEWER, region_id="63.05"),
        "verifier_63": UserFactory(username="verifier-63", role=Role.VERIFIER, region_id="63"),
        "operator_64": UserFactory(username="operator-64", role=Role.OPERATOR, region_id="64.01"),
        "viewer_64": UserFactory(username="viewer-64", role=Role.VIEWER, region_id="64"),
    }


def test_users_visible_to_admin_sees_everyone(personas, province_accounts):
    assert _names(users_visible_to(personas["admin"])) == _names(User.objects.all())


def test_users_visible_to_superuser_sees_everyone_whatever_the_role(personas, province_accounts):
    boss = UserFactory(role=Role.OPERATOR, region_id="63.03", is_superuser=True)
    assert _names(users_visible_to(boss)) == _names(User.objects.all())


def test_users_visible_to_verifier_sees_their_province(personas, province_accounts):
    visible = _names(users_visible_to(personas["verifier"]))
    assert visible == {
        "persona-verifier",
        "persona-operator",
        "persona-operator_neighbour",
        "viewer-63",
        "viewer-6305",
        "verifier-63",
    }


def test_users_visible_to_verifier_not_other_provinces_admins_or_assessors(
    personas, province_accounts
):
    visible = _names(users_visible_to(personas["verifier"]))
    hidden = {
        "persona-admin",
        "persona-verifier_other",
        "persona-assessor",  # an assessor of 63 is managed by the ministry
        "persona-viewer",  # a national viewer
        "operator-64",
        "viewer-64",
    }
    assert visible.isdisjoint(hidden)


def test_users_visible_to_other_province_verifier_sees_their_province_only(
    personas, province_accounts
):
    assert _names(users_visible_to(personas["verifier_other"])) == {
        "persona-verifier_other",
        "operator-64",
        "viewer-64",
    }


@pytest.mark.parametrize("name", SELF_ONLY)
def test_users_visible_to_other_roles_see_themselves_only(personas, province_accounts, name):
    assert list(users_visible_to(personas[name])) == [personas[name]]


def test_users_visible_to_anonymous_sees_none(personas):
    assert not users_visible_to(AnonymousUser()).exists()


def test_users_visible_to_reads_rows_and_regions_in_one_query(
    personas, province_accounts, django_assert_num_queries
):
    with django_assert_num_queries(1):
        regions = [
            user.region_id and user.region.name for user in users_visible_to(personas["verifier"])
        ]
    assert "Kabupaten Banjar" in regions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("persona-oper", {"persona-operator", "persona-operator_neighbour"}),
        ("  SITIQAH  ", {"cari-nama"}),  # first name, case and spaces ignored
        ("rahmawatiyo", {"cari-nama"}),  # last name
        ("kantor@dinas", {"cari-surel"}),  # e-mail
        ("perindustrian tapin", {"cari-dinas"}),  # organisation
    ],
)
def test_search_users_text_matches_each_field(personas, text, expected):
    # Names no Faker locale draws, so a persona's random name never matches too.
    UserFactory(username="cari-nama", first_name="Sitiqah", last_name="Rahmawatiyo")
    UserFactory(username="cari-surel", email="kantor@dinas.test")
    UserFactory(username="cari-dinas", organisation="Dinas Perindustrian Tapin")
    assert _names(search_users(queryset=User.objects.all(), text=text)) == expected


def test_search_users_text_not_matching_finds_nothing(personas):
    assert not search_users(queryset=User.objects.all(), text="tidak-ada-siapa-pun").exists()


def test_search_users_empty_filters_keep_the_queryset(personas):
    everyone = User.objects.all()
    assert _names(search_users(queryset=everyone)) == _names(everyone)


def test_search_users_by_role(personas):
    found = search_users(queryset=User.objects.all(), role=Role.OPERATOR)
    assert _names(found) == {"persona-operator", "persona-operator_neighbour"}


def test_search_users_by_region_includes_regions_below_it(personas, province_accounts):
    found = _names(search_users(queryset=User.objects.all(), region="63"))
    assert found == {
        "persona-operator",
        "persona-operator_neighbour",
        "persona-verifier",
        "persona-assessor",
        "viewer-63",
        "viewer-6305",
        "verifier-63",
    }
    assert _names(search_users(queryset=User.objects.all(), region="63.05")) == {"viewer-6305"}


def test_search_users_filters_combine_and_stay_within_the_queryset(personas, province_accounts):
    found = search_users(
        queryset=users_visible_to(personas["verifier_other"]), text="viewer", region="63"
    )
    assert not found.exists()
    found = search_users(
        queryset=users_visible_to(personas["verifier"]), role=Role.VIEWER, region="63.05"
    )
    assert _names(found) == {"viewer-6305"}


@pytest.mark.parametrize("name", ["admin", "verifier", "operator"])
def test_users_visible_to_a_deactivated_account_sees_no_one(personas, province_accounts, name):
    user = personas[name]
    assert users_visible_to(user).exists()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert list(users_visible_to(user)) == []
