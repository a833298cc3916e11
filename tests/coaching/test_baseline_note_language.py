"""The note of a baseline taken at publication reads in the reader's language."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ovop.coaching.models import Indicator
from ovop.coaching.outputs.notes import BASELINE_AT_PUBLICATION
from ovop.coaching.services.indicators import capture_baselines, save_indicator
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

ENGLISH = "Baseline from the registry when the decisions of OVOP 2026 were published."
INDONESIAN = "Data dasar dari Pendataan sentra IKM saat penetapan OVOP 2026 diterbitkan."


def capture(centre) -> Indicator:
    created = capture_baselines(
        centre_ids=[centre.pk],
        year=2026,
        note_key=BASELINE_AT_PUBLICATION,
        note_params={"cycle": "OVOP 2026"},
    )
    assert created == 1
    return Indicator.objects.get(centre=centre, kind="baseline")


def section(client, user, centre, language: str) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("centres:detail", kwargs={"pk": centre.pk}))
    assert response.status_code == 200
    html = response.text
    start = html.index('id="indicators"')
    return html[start : html.index("</section>", start)]


def test_the_baseline_stores_a_key_and_the_indonesian_fallback():
    start = capture(CentreFactory())
    assert (start.note_key, start.note_params) == (BASELINE_AT_PUBLICATION, {"cycle": "OVOP 2026"})
    assert start.note == INDONESIAN


def test_the_centre_page_shows_the_note_in_each_readers_language(client, operator):
    centre = CentreFactory(region_id="63.03.01")
    capture(centre)
    assert ENGLISH in section(client, operator, centre, "en")
    assert INDONESIAN in section(client, operator, centre, "id")


def test_the_api_gives_the_note_in_the_callers_language(api_client, operator):
    centre = CentreFactory(region_id="63.03.01")
    capture(centre)
    api_client.force_authenticate(operator)
    url = reverse("centre-indicators", kwargs={"pk": centre.pk})
    english = api_client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]["note"]
    indonesian = api_client.get(url, HTTP_ACCEPT_LANGUAGE="id").json()["results"][0]["note"]
    assert (english, indonesian) == (ENGLISH, INDONESIAN)


def test_a_plain_note_still_works_and_is_shown_as_given():
    centre = CentreFactory()
    capture_baselines(centre_ids=[centre.pk], year=2026, note="Catatan lama")
    start = Indicator.objects.get(centre=centre)
    assert (start.note_key, start.note) == ("", "Catatan lama")
    with translation.override("en"):
        assert start.display_note == "Catatan lama"


def test_saving_the_note_as_shown_keeps_the_key_and_a_new_note_clears_it(operator):
    centre = CentreFactory()
    start = capture(centre)
    with translation.override("en"):  # the form showed the English wording; sent back as is
        save_indicator(
            actor=operator,
            centre=centre,
            year=2026,
            kind="baseline",
            data={"note": ENGLISH, "production_value": 5},
            reason="Salah ketik",
        )
    start.refresh_from_db()
    assert (start.note_key, start.note, start.production_value) == (
        BASELINE_AT_PUBLICATION,
        INDONESIAN,
        5,
    )
    save_indicator(
        actor=operator,
        centre=centre,
        year=2026,
        kind="baseline",
        data={"note": "Data Dinas 2026"},
        reason="Sumber baru",
    )
    start.refresh_from_db()
    assert (start.note_key, start.note_params, start.note) == ("", {}, "Data Dinas 2026")
    with translation.override("en"):
        assert start.display_note == "Data Dinas 2026"


def test_the_edit_form_offers_the_note_in_the_editors_language(client, verifier):
    centre = CentreFactory(region_id="63.03.01")
    start = capture(centre)
    client.force_login(verifier)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("coaching:indicator_edit", kwargs={"pk": start.pk}))
    assert response.context["form"].initial["note"] == ENGLISH


def test_an_unknown_key_shows_the_stored_note():
    start = capture(CentreFactory())
    Indicator.objects.filter(pk=start.pk).update(note_key="gone.away")
    start.refresh_from_db()
    with translation.override("en"):
        assert start.display_note == INDONESIAN
