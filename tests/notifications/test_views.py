"""The in-app list: one's own notifications only, opening marks read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from ovop.notifications.selectors import unread_count


def notify(user, *, title="Usulan diverifikasi", url="/proposals/1/", read=False):
    return Notification.objects.create(
        recipient=user,
        kind=NotificationKind.VERIFIED,
        title=title,
        body="Isi pesan",
        url=url,
        read_at=timezone.now() if read else None,
    )


def test_list_shows_only_ones_own_notifications(client, operator, operator_neighbour):
    notify(operator, title="Untuk operator Banjar")
    notify(operator_neighbour, title="Untuk operator Barito Kuala")
    client.force_login(operator)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert "Untuk operator Banjar" in response.text
    assert "Untuk operator Barito Kuala" not in response.text


def test_list_marks_unread_ones(client, operator):
    unread = notify(operator, title="Belum dibaca")
    read = notify(operator, title="Sudah dibaca", read=True)
    client.force_login(operator)
    page = list(client.get(reverse("notifications:list")).context["page"])
    assert page == [read, unread]  # newest first
    text = client.get(reverse("notifications:list")).text
    assert text.count('class="unread"') == 1


def test_list_needs_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_list_is_paginated_by_fifty(client, operator):
    Notification.objects.bulk_create(
        Notification(recipient=operator, kind=NotificationKind.DEADLINE, title=f"Pengingat {n}")
        for n in range(51)
    )
    client.force_login(operator)
    page = client.get(reverse("notifications:list")).context["page"]
    assert (len(page), page.paginator.num_pages) == (50, 2)


@pytest.mark.parametrize("count", [1, 60])
def test_list_query_count_is_constant(client, operator, django_assert_max_num_queries, count):
    Notification.objects.bulk_create(
        Notification(recipient=operator, kind=NotificationKind.DEADLINE, title=f"Pengingat {n}")
        for n in range(count)
    )
    client.force_login(operator)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200


def test_open_marks_read_and_follows_the_link(client, operator):
    notification = notify(operator, url="/proposals/7/")
    client.force_login(operator)
    response = client.get(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert (response.status_code, response["Location"]) == (302, "/proposals/7/")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(operator) == 0


def test_open_someone_elses_notification_is_not_found(client, operator, operator_neighbour):
    notification = notify(operator)
    client.force_login(operator_neighbour)
    response = client.get(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_never_leaves_the_site(client, operator):
    notification = notify(operator, url="https://example.com/phish")
    client.force_login(operator)
    response = client.get(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_touches_only_ones_own(client, operator, operator_neighbour):
    notify(operator)
    notify(operator)
    theirs = notify(operator_neighbour)
    client.force_login(operator)
    response = client.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert unread_count(operator) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_is_post_only(client, operator):
    notify(operator)
    client.force_login(operator)
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    assert unread_count(operator) == 1


def test_unread_count_for_anonymous_is_zero(db):
    assert unread_count(AnonymousUser()) == 0
