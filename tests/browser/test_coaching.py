"""Coaching in the browser: an office records an activity for two sentra with its
attendance sheet, and the activity then shows on both sentra's pages."""

import re

import pytest
from playwright.sync_api import expect

from ovop.coaching.models import Activity, Evidence, Programme
from tests.browser.conftest import screenshot
from tests.browser.test_sign_in import sign_in
from tests.coaching.programmes_builders import make_programme
from tests.conftest import TINY_PDF, make_persona
from tests.factories import CentreFactory, EnterpriseFactory

pytestmark = pytest.mark.browser


def test_operator_records_an_activity_for_two_centres_with_an_attendance_pdf(
    page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    operator = make_persona("operator")
    martapura = CentreFactory(name="Sentra Sasirangan Martapura", region_id="63.03.01")
    kertak = CentreFactory(name="Sentra Sasirangan Kertak Hanyar", region_id="63.03.02")
    unit = EnterpriseFactory(centre=kertak, name="UD Kertak Hanyar")

    # From the first sentra's page, the operator sets up a programme for both sentra.
    sign_in(page, operator.username)
    page.goto(f"{page.base_url}/centres/{martapura.pk}/")
    page.locator("#new-programme-for-centre").click()
    expect(page).to_have_url(re.compile(rf"/coaching/new/\?centre={martapura.pk}$"))
    expect(page.locator(f"#centre-choice-{martapura.pk}")).to_be_checked()
    expect(page.locator("#id_owner_level")).to_be_disabled()
    page.locator("#id_name").fill("Pembinaan sasirangan Banjar 2026")
    page.locator("#id_budget").fill("25000000")
    page.locator("#id_focus input[value='image']").check()
    # The target list searches the kab/kota's sentra as one types (htmx).
    page.locator("input.centre-search").fill("Kertak")
    expect(page.locator(f"#centre-choice-{kertak.pk}")).to_be_visible()
    expect(page.locator(f"#centre-choice-{martapura.pk}")).to_be_checked()  # kept while searching
    page.locator(f"#centre-choice-{kertak.pk}").check()
    screenshot(page, "coaching-programme-form")
    page.locator("#save-programme").click()
    expect(page).to_have_url(re.compile(r"/coaching/\d+/$"))
    programme = Programme.objects.get()
    assert set(programme.centres.all()) == {martapura, kertak}
    assert (programme.owner_level, programme.owner_region_id) == ("regency", "63.03")

    # The activity: both sentra take part, with one IKM unit of the second.
    page.locator("#add-activity").click()
    page.locator("#id_kind").select_option("training")
    page.locator("#id_title").fill("Bimtek pewarnaan alami")
    page.locator("#id_starts_on").fill("2026-11-20")
    page.locator("#id_ends_on").fill("2026-11-21")
    page.locator("#id_place").fill("Martapura")
    page.locator(f"input[name=centres][value='{martapura.pk}']").check()
    page.locator(f"input[name=centres][value='{kertak.pk}']").check()
    page.locator(f"input[name=enterprises][value='{unit.pk}']").check()
    page.locator("#id_participants_male").fill("6")
    page.locator("#id_participants_female").fill("14")
    page.locator("#id_cost").fill("7500000")
    page.locator("#save-activity").click()
    expect(page).to_have_url(re.compile(r"/coaching/activities/\d+/$"))
    activity = Activity.objects.get()
    assert set(activity.centres.all()) == {martapura, kertak}

    # Its attendance sheet, checked by content on upload.
    page.locator("#id_kind").select_option("attendance")
    page.locator("#id_title").fill("Daftar hadir Bimtek")
    page.locator("#id_file").set_input_files(
        {"name": "daftar-hadir.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
    )
    page.locator("#upload-evidence").click()
    evidence_row = page.locator("tr[data-kind='attendance']")
    expect(evidence_row).to_have_count(1)
    screenshot(page, "coaching-activity")
    evidence = Evidence.objects.get()
    download = page.request.get(
        page.base_url + evidence_row.locator("a.evidence-link").get_attribute("href")
    )
    assert download.headers["content-type"] == "application/pdf"
    assert download.body() == TINY_PDF

    # Both sentra's pages now list the activity and the programme.
    for centre in (martapura, kertak):
        page.goto(f"{page.base_url}/centres/{centre.pk}/")
        section = page.locator("#coaching-activities")
        expect(section.locator(f"a[href='/coaching/activities/{activity.pk}/']")).to_be_visible()
        expect(
            section.locator(f"ul.centre-programmes a[href='/coaching/{programme.pk}/']")
        ).to_be_visible()
    screenshot(page, "coaching-centre-section")
    page.goto(f"{page.base_url}/coaching/{programme.pk}/")
    expect(page.locator(f"#activity-{activity.pk}")).to_contain_text("6 / 14")
    screenshot(page, "coaching-programme")
    assert evidence.kind == "attendance"


def test_programme_list_fits_a_phone(page):
    operator = make_persona("operator")
    centre = CentreFactory(region_id="63.03.01")
    make_programme(
        actor=operator, centres=[centre], name="Klinik kemasan sasirangan", budget=150_000_000
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, operator.username)
    page.goto(f"{page.base_url}/coaching/")
    expect(page.locator("table.programme-list")).to_contain_text("Klinik kemasan sasirangan")
    # The table scrolls inside its wrapper; the page itself does not scroll sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "coaching-programmes-phone")
