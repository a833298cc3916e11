import pytest
from django.core import mail
from django.urls import reverse

from ovop.accounts.models import User
from tests.factories import UserFactory


def new_operator_data(**overrides) -> dict:
    data = {
        "username": "operator-tapin",
        "first_name": "Ahmad",
        "last_name": "Fauzi",
        "email": "tapin@ovop.test",
        "role": "operator",
        "region": "63.05",
        "organisation": "Dinas Perindustrian Kabupaten Tapin",
        "phone": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_verifier_creates_operator_of_their_province_and_invites_by_email(client, verifier):
    client.force_login(verifier)
    response = client.post(reverse("accounts:user_create"), new_operator_data())
    created = User.objects.get(username="operator-tapin")
    assert response.status_code == 302
    assert (created.role, created.region_id) == ("operator", "63.05")
    assert not created.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tapin@ovop.test"]
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_verifier_cannot_create_operator_outside_their_province(client, verifier):
    client.force_login(verifier)
    response = client.post(reverse("accounts:user_create"), new_operator_data(region="64.01"))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not User.objects.filter(username="operator-tapin").exists()


def test_verifier_cannot_create_an_admin(client, verifier):
    client.force_login(verifier)
    client.post(reverse("accounts:user_create"), new_operator_data(role="admin", region=""))
    assert not User.objects.filter(username="operator-tapin").exists()


def test_admin_gets_a_clear_message_for_a_region_of_the_wrong_level(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_create"), new_operator_data(region="63"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert any("kabupaten/kota" in e for e in response.context["form"].errors["region"])
    assert not User.objects.filter(username="operator-tapin").exists()


def test_duplicate_username_is_refused(client, admin_user, operator):
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:user_create"), new_operator_data(username=operator.username.upper())
    )
    assert "username" in response.context["form"].errors


def test_operator_may_not_edit_their_own_role(client, operator):
    client.force_login(operator)
    url = reverse("accounts:user_edit", kwargs={"pk": operator.pk})
    response = client.post(url, new_operator_data(role="admin", region=""))
    assert response.status_code == 403
    operator.refresh_from_db()
    assert operator.role == "operator"


def test_other_province_verifier_cannot_see_or_change_operator(client, verifier_other, operator):
    client.force_login(verifier_other)
    url = reverse("accounts:user_edit", kwargs={"pk": operator.pk})
    assert client.post(url, new_operator_data()).status_code == 404


def test_edit_is_recorded_in_the_history_with_old_and_new_values(client, verifier, operator):
    client.force_login(verifier)
    url = reverse("accounts:user_edit", kwargs={"pk": operator.pk})
    data = new_operator_data(username=operator.username, email=operator.email, region="63.04")
    assert client.post(url, data).status_code == 302
    detail = client.get(reverse("accounts:user_detail", kwargs={"pk": operator.pk}))
    first = detail.context["history"][0]
    assert first.who == verifier
    assert any(c.old == "63.03" and c.new == "63.04" for c in first.changes)


def test_deactivated_user_cannot_sign_in(client, admin_user, operator):
    client.force_login(admin_user)
    url = reverse("accounts:user_edit", kwargs={"pk": operator.pk})
    data = new_operator_data(username=operator.username, email=operator.email, region="63.03")
    data.pop("is_active")
    client.post(url, data)
    client.logout()
    assert not client.login(username=operator.username, password="ovop-demo-2026")


def test_user_list_searches_and_filters(client, verifier, operator, operator_neighbour):
    client.force_login(verifier)
    response = client.get(reverse("accounts:user_list"), {"region": "63.04"})
    assert list(response.context["page"]) == [operator_neighbour]
    response = client.get(reverse("accounts:user_list"), {"q": operator.last_name})
    assert operator in list(response.context["page"])


def test_verifier_list_holds_only_their_province(client, verifier, personas):
    client.force_login(verifier)
    listed = set(client.get(reverse("accounts:user_list")).context["page"])
    assert listed == {personas["verifier"], personas["operator"], personas["operator_neighbour"]}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_holds_exactly_what_the_list_shows(client, verifier, personas, file_format):
    client.force_login(verifier)
    response = client.get(reverse("accounts:user_export"), {"format": file_format})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if file_format == "csv":
        text = body.decode("utf-8-sig")
        assert "persona-operator_neighbour" in text
        assert "persona-verifier_other" not in text
        assert "persona-admin" not in text
    else:
        assert body[:2] == b"PK"


def test_user_list_query_count_is_constant(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    url = reverse("accounts:user_list")
    with django_assert_max_num_queries(8):
        client.get(url)
    UserFactory.create_batch(60, role="operator", region_id="63.03")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"]) == 50


def test_password_reset_sends_a_working_link(client, operator):
    response = client.post(reverse("accounts:password_reset"), {"email": operator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    new_password = "Banjar-baru-2026!"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    operator.refresh_from_db()
    assert operator.check_password(new_password)


def test_password_change(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "ovop-demo-2026",
            "new_password1": "Martapura-2026!",
            "new_password2": "Martapura-2026!",
        },
    )
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password("Martapura-2026!")


def test_logout_by_post(client, operator):
    client.force_login(operator)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_history_shows_role_labels_not_codes(client, admin_user, operator):
    client.force_login(admin_user)
    url = reverse("accounts:user_edit", kwargs={"pk": operator.pk})
    data = new_operator_data(username=operator.username, email=operator.email, role="viewer")
    client.post(url, data)
    detail = client.get(reverse("accounts:user_detail", kwargs={"pk": operator.pk}))
    role_change = next(c for c in detail.context["history"][0].changes if c.field == "peran")
    assert (str(role_change.old), str(role_change.new)) == (
        "Operator kabupaten/kota",
        "Pimpinan (pemantau)",
    )


def test_signing_in_does_not_clutter_the_history(client, operator):
    client.login(username=operator.username, password="ovop-demo-2026")
    detail = client.get(reverse("accounts:user_detail", kwargs={"pk": operator.pk}))
    assert [entry.kind for entry in detail.context["history"]] == ["+"]
