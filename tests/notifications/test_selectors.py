"""Direct tests of ``ovop.notifications.selectors``: one's own notifications, and who is told."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from ovop.accounts.enums import Role
from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from ovop.notifications.selectors import (
    administrators,
    notifications_for,
    operators_of,
    unread_count,
    verifiers_of,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notify(user, *, title: str, minutes_ago: int = 0, read: bool = False) -> Notification:
    now = timezone.now()
    return Notification.objects.create(
        recipient=user,
        kind=NotificationKind.SUBMITTED,
        title=title,
        created_at=now - datetime.timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )


def _names(queryset) -> list[str]:
    return list(queryset.values_list("username", flat=True))


def test_notifications_for_own_rows_newest_first(personas):
    older = _notify(personas["operator"], title="Lama", minutes_ago=10)
    newer = _notify(personas["operator"], title="Baru", minutes_ago=1, read=True)
    _notify(personas["operator_neighbour"], title="Tetangga")
    _notify(personas["admin"], title="Kementerian")
    assert list(notifications_for(personas["operator"])) == [newer, older]


def test_notifications_for_same_time_newest_row_first(personas):
    moment = timezone.now()
    first = Notification.objects.create(
        recipient=personas["verifier"], kind="verified", title="Satu", created_at=moment
    )
    second = Notification.objects.create(
        recipient=personas["verifier"], kind="verified", title="Dua", created_at=moment
    )
    assert list(notifications_for(personas["verifier"])) == [second, first]


def test_notifications_for_admin_sees_only_their_own(personas):
    _notify(personas["operator"], title="Untuk operator")
    own = _notify(personas["admin"], title="Untuk admin")
    assert list(notifications_for(personas["admin"])) == [own]


def test_notifications_for_someone_without_any_is_empty(personas):
    _notify(personas["operator"], title="Untuk operator")
    assert not notifications_for(personas["viewer"]).exists()


def test_notifications_for_anonymous_is_empty(personas):
    _notify(personas["operator"], title="Untuk operator")
    assert not notifications_for(AnonymousUser()).exists()


def test_unread_count_counts_own_unread_only(personas, django_assert_num_queries):
    _notify(personas["operator"], title="Belum 1")
    _notify(personas["operator"], title="Belum 2")
    _notify(personas["operator"], title="Sudah", read=True)
    _notify(personas["operator_neighbour"], title="Tetangga")
    with django_assert_num_queries(1):
        assert unread_count(personas["operator"]) == 2
    assert unread_count(personas["viewer"]) == 0


def test_unread_count_anonymous_is_zero_without_a_query(personas, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert unread_count(AnonymousUser()) == 0


def test_operators_of_the_regencies_given(personas):
    found = _names(operators_of(regency_ids=["63.03", "63.04"]))
    assert found == ["persona-operator", "persona-operator_neighbour"]  # in pk order
    assert _names(operators_of(regency_ids=["63.03"])) == ["persona-operator"]


def test_operators_of_excludes_inactive_other_regions_and_other_roles(personas):
    UserFactory(username="op-nonaktif", role=Role.OPERATOR, region_id="63.03", is_active=False)
    UserFactory(username="op-tapin", role=Role.OPERATOR, region_id="63.05")
    UserFactory(username="viewer-banjar", role=Role.VIEWER, region_id="63.03")
    assert _names(operators_of(regency_ids=["63.03"])) == ["persona-operator"]


def test_operators_of_no_regency_is_nobody(personas):
    assert not operators_of(regency_ids=[]).exists()


def test_operators_of_accepts_any_iterable(personas):
    regencies = (code for code in ["63.04"])
    assert _names(operators_of(regency_ids=regencies)) == ["persona-operator_neighbour"]


def test_verifiers_of_the_province(personas):
    second = UserFactory(username="verifier-dua", role=Role.VERIFIER, region_id="63")
    assert list(verifiers_of(province_id="63")) == [personas["verifier"], second]
    assert list(verifiers_of(province_id="64")) == [personas["verifier_other"]]


def test_verifiers_of_excludes_inactive_other_provinces_and_other_roles(personas):
    UserFactory(username="v-nonaktif", role=Role.VERIFIER, region_id="63", is_active=False)
    UserFactory(username="viewer-63", role=Role.VIEWER, region_id="63")
    # persona-assessor has home province 63 but is not a verifier.
    assert _names(verifiers_of(province_id="63")) == ["persona-verifier"]
    assert not verifiers_of(province_id="65").exists()


def test_administrators_active_only(personas):
    UserFactory(username="admin-nonaktif", role=Role.ADMIN, is_active=False)
    second = UserFactory(username="admin-dua", role=Role.ADMIN)
    assert list(administrators()) == [personas["admin"], second]
