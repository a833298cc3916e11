"""Reasons the system writes in a history read in the reader's language, each word once."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ovop.centres.models import Centre
from ovop.common.history import change_log, describe, system_reason
from tests.centres.test_views import commodity_pk, form_data
from tests.factories import CentreFactory


def detail(client, centre, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("centres:detail", kwargs={"pk": centre.pk}))
    assert response.status_code == 200
    return response.text


def history_section(text: str) -> str:
    return text[text.index('id="history-title"') :]


def create_on_screen(client, operator, language: str):
    """The operator creates a centre through the form with the interface in ``language``."""
    client.force_login(operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("centres:create"), form_data(commodity=commodity_pk()))
    assert response.status_code == 302
    return Centre.objects.get()


def test_a_centre_created_in_indonesian_reads_once_in_each_language(client, operator):
    centre = create_on_screen(client, operator, "id")
    assert centre.history.get().history_change_reason == "dibuat melalui antarmuka aplikasi"
    indonesian = history_section(detail(client, centre, "id"))
    assert "Dibuat melalui antarmuka aplikasi" in indonesian
    assert "dibuat melalui" not in indonesian  # not "Dibuat dibuat melalui…"
    english = history_section(detail(client, centre, "en"))
    assert "Created on screen" in english
    assert "created on screen" not in english  # not "Created created on screen"
    assert "antarmuka" not in english


def test_a_change_made_in_english_reads_in_indonesian(client, operator):
    centre = create_on_screen(client, operator, "en")
    data = form_data(commodity=centre.commodity_id, name=centre.name, unit_count="30")
    client.post(reverse("centres:edit", kwargs={"pk": centre.pk}), data)
    assert centre.history.first().history_change_reason == "changed on screen"
    indonesian = history_section(detail(client, centre, "id"))
    assert "diubah melalui antarmuka aplikasi" in indonesian
    assert "changed on screen" not in indonesian
    english = history_section(detail(client, centre, "en"))
    assert "changed on screen" in english


@pytest.mark.django_db
def test_a_reason_with_a_parameter_is_translated_with_it():
    assert system_reason("Impor dari Excel (sentra 2026.xlsx)") == (
        "Excel import (%(file)s)",
        {"file": "sentra 2026.xlsx"},
    )
    with translation.override("en"):
        assert describe("~", "Impor dari Excel (sentra 2026.xlsx)") == (
            "",
            "Excel import (sentra 2026.xlsx)",
        )
    with translation.override("id"):
        assert describe("~", "Excel import (sentra 2026.xlsx)") == (
            "",
            "Impor dari Excel (sentra 2026.xlsx)",
        )
        assert describe("-", "deleted on screen") == ("Dihapus melalui antarmuka aplikasi", "")
        assert describe("+", "Excel import") == ("Dibuat", "Impor dari Excel")


@pytest.mark.django_db
def test_a_typed_reason_is_shown_as_typed():
    assert system_reason("Koreksi data dari Dinas") is None
    with translation.override("en"):
        assert describe("~", "Koreksi data dari Dinas") == ("", "Koreksi data dari Dinas")
        assert describe("+", "") == ("Created", "")


@pytest.mark.django_db
def test_the_log_entry_renders_in_the_language_active_when_read():
    centre = CentreFactory()
    centre._change_reason = "changed on screen"
    centre.unit_count = 30
    centre.save()
    with translation.override("en"):
        change, creation = change_log(centre)
        assert (change.label, change.shown_reason) == ("", "changed on screen")
        assert (creation.label, creation.shown_reason) == ("Created", "")
    with translation.override("id"):
        change, creation = change_log(centre)
        assert (change.label, change.shown_reason) == ("", "diubah melalui antarmuka aplikasi")
        assert creation.label == "Dibuat"
