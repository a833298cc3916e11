"""The offices' catalogue screens: the list of rated centres, and the entry editor."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from ovop.catalogue.models import CatalogueEntry
from ovop.catalogue.services import save_entry
from tests.catalogue.matrix_manage import publish
from tests.factories import CentreFactory

MANAGE = reverse("catalogue:manage")
EXPORT = reverse("catalogue:manage_export")

GOOD = {
    "story": "Kain sasirangan dicelup dengan pewarna alami dari Martapura.",
    "story_en": "Sasirangan cloth dyed with natural colours from Martapura.",
    "order_links": "https://www.tokopedia.com/sasirangan\nshopee.co.id/sasirangan",
    "whatsapp": "+62 812 5000 1234",
    "phone": "0511 4772 100",
    "email": "order@sasirangan.test",
    "contact_public": "on",
    "cover_photo": "",
}


@pytest.fixture(autouse=True)
def english(client, settings):
    """Screens in English, so the assertions read the msgids whatever the catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def edit_url(centre) -> str:
    return reverse("catalogue:entry_edit", kwargs={"centre_pk": centre.pk})


def public_page(lang: str, centre) -> str:
    path = reverse(
        "catalogue:detail", kwargs={"lang": lang, "pk": centre.pk, "slug": "sentra-banjar"}
    )
    return f"http://testserver{path}"


def make_entry(centre, **values) -> CatalogueEntry:
    return CatalogueEntry.objects.create(centre=centre, **values)


# The list ----------------------------------------------------------------------------------


def test_manage_list_shows_public_centres_the_user_sees(client, world):
    publish(world["centre_banjar"], world=world)
    publish(world["centre_tapin"], world=world)
    client.force_login(world["operator"])
    response = client.get(MANAGE)
    assert response.status_code == 200
    names = [row["centre"].name for row in response.context["rows"]]
    assert names == ["Sentra Banjar"]  # Tapin is another regency's


def test_manage_list_for_the_admin_has_every_public_centre(client, world):
    publish(world["centre_banjar"], world=world)
    publish(world["centre_tapin"], world=world)
    CentreFactory(region_id="63.03.01", name="Sentra Belum Dinilai")  # never proposed
    client.force_login(world["admin"])
    names = [row["centre"].name for row in client.get(MANAGE).context["rows"]]
    assert names == ["Sentra Banjar", "Sentra Tapin"]


def test_manage_list_leaves_out_centres_not_yet_rated(client, world):
    client.force_login(world["operator"])
    response = client.get(MANAGE)
    assert response.context["rows"] == []
    assert "Sentra Banjar" not in response.content.decode()


def test_manage_list_is_empty_for_those_who_see_no_centre(client, world):
    publish(world["centre_banjar"], world=world)
    for persona in ("operator_neighbour", "verifier_other", "assessor"):
        client.force_login(world[persona])
        response = client.get(MANAGE)
        assert response.status_code == 200
        assert response.context["rows"] == [], persona


def test_manage_list_links_to_edit_only_where_allowed(client, world):
    publish(world["centre_banjar"], world=world)
    edit = edit_url(world["centre_banjar"])
    client.force_login(world["operator"])
    assert edit in client.get(MANAGE).content.decode()
    client.force_login(world["verifier"])
    response = client.get(MANAGE)
    assert [row["can_change"] for row in response.context["rows"]] == [False]
    assert edit not in response.content.decode()


def test_manage_list_links_public_pages_and_qr_downloads(client, world):
    centre = publish(world["centre_banjar"], world=world)
    client.force_login(world["operator"])
    content = client.get(MANAGE).content.decode()
    for lang in ("id", "en"):
        assert public_page(lang, centre) in content
        for kind in ("svg", "png"):
            qr = reverse(f"catalogue:qr_{kind}", kwargs={"lang": lang, "pk": centre.pk})
            assert f"{qr}?download=1" in content


def test_manage_list_shows_what_the_entry_has(client, world):
    centre = publish(world["centre_banjar"], world=world)
    make_entry(
        centre,
        story="Cerita",
        order_links=["https://a.test/", "https://b.test/"],
        contact_public=True,
    )
    client.force_login(world["operator"])
    row = client.get(MANAGE).context["rows"][0]
    assert row["entry"].story == "Cerita"
    assert row["entry"].story_en == ""
    content = client.get(MANAGE).content.decode()
    assert "no English" in content
    assert "<td>2</td>" in content


def test_manage_list_searches_by_name(client, world):
    publish(world["centre_banjar"], world=world)
    publish(world["centre_tapin"], world=world)
    client.force_login(world["admin"])
    rows = client.get(MANAGE, {"q": "tapin"}).context["rows"]
    assert [row["centre"].name for row in rows] == ["Sentra Tapin"]


def test_manage_list_filters_by_regency(client, world):
    publish(world["centre_banjar"], world=world)
    publish(world["centre_tapin"], world=world)
    client.force_login(world["admin"])
    rows = client.get(MANAGE, {"regency": "63.05"}).context["rows"]
    assert [row["centre"].name for row in rows] == ["Sentra Tapin"]


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("story", ["Sentra Tapin"]),
        ("story_en", ["Sentra Banjar", "Sentra Tapin"]),
        ("links", ["Sentra Tapin"]),
        ("nonsense", ["Sentra Banjar", "Sentra Tapin"]),
    ],
)
def test_manage_list_filters_entries_missing_something(client, world, missing, expected):
    banjar = publish(world["centre_banjar"], world=world)
    publish(world["centre_tapin"], world=world)  # no entry at all
    make_entry(banjar, story="Cerita", order_links=["https://a.test/"])
    client.force_login(world["admin"])
    rows = client.get(MANAGE, {"missing": missing}).context["rows"]
    assert [row["centre"].name for row in rows] == expected


def test_manage_list_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    publish(world["centre_banjar"], world=world)
    client.force_login(world["admin"])
    with django_assert_max_num_queries(7):
        assert len(client.get(MANAGE).context["rows"]) == 1
    for number in range(30):
        centre = CentreFactory(region_id="63.03.01", name=f"Sentra Rated {number:02d}")
        publish(centre, world=world, stars=1 + number % 3)
        if number % 2:
            make_entry(centre, story="Cerita", order_links=["https://a.test/"])
    with django_assert_max_num_queries(7):
        assert len(client.get(MANAGE).context["rows"]) == 31


def test_manage_list_needs_sign_in(client, world):
    response = client.get(MANAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# The export --------------------------------------------------------------------------------


def test_manage_export_csv_has_the_rows_in_scope(client, world):
    banjar = publish(world["centre_banjar"], world=world)
    publish(world["centre_tapin"], world=world)
    make_entry(
        banjar,
        story="Cerita",
        story_en="Story",
        order_links=["https://a.test/"],
        contact_public=True,
    )
    client.force_login(world["operator"])
    response = client.get(EXPORT, {"format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert "Sentra Banjar" in lines[1]
    assert "Sentra Tapin" not in text
    assert f"/catalogue/id/{banjar.pk}/qr.png" in lines[1]


def test_manage_export_xlsx_opens_with_one_row_per_centre(client, world):
    publish(world["centre_banjar"], world=world)
    publish(world["centre_tapin"], world=world)
    client.force_login(world["admin"])
    response = client.get(EXPORT, {"format": "xlsx", "q": "sentra"})
    assert response.status_code == 200
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert [row[1] for row in rows[1:]] == ["Sentra Banjar", "Sentra Tapin"]
    assert rows[1][5] == 3  # stars


def test_manage_export_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    publish(world["centre_banjar"], world=world)
    client.force_login(world["admin"])
    for number in range(20):
        publish(CentreFactory(region_id="63.03.01", name=f"Sentra Rated {number:02d}"), world=world)
    with django_assert_max_num_queries(6):
        response = client.get(EXPORT, {"format": "csv"})
        assert len(b"".join(response.streaming_content).splitlines()) == 22


# The editor --------------------------------------------------------------------------------


def test_entry_edit_creates_the_entry_with_history(client, world):
    centre = world["centre_banjar"]
    client.force_login(world["operator"])
    response = client.post(edit_url(centre), {**GOOD, "cover_photo": world["photo_banjar"].pk})
    assert response.status_code == 302
    assert response["Location"] == edit_url(centre)
    entry = CatalogueEntry.objects.get(centre=centre)
    assert entry.story == GOOD["story"]
    assert entry.order_links == [
        "https://www.tokopedia.com/sasirangan",
        "https://shopee.co.id/sasirangan",
    ]
    assert entry.contact_public is True
    assert entry.cover_photo == world["photo_banjar"]
    assert entry.updated_by == world["operator"]
    record = entry.history.latest()
    assert record.history_user == world["operator"]
    assert record.history_type == "+"


def test_entry_edit_change_is_recorded_and_shown(client, world):
    centre = world["centre_banjar"]
    make_entry(centre, story="Lama")
    client.force_login(world["admin"])
    client.post(edit_url(centre), {**GOOD, "story": "Baru"})
    entry = CatalogueEntry.objects.get(centre=centre)
    record = entry.history.latest()
    assert (record.history_user, record.history_type, record.story) == (world["admin"], "~", "Baru")
    content = client.get(edit_url(centre)).content.decode()
    # The change history section shows both versions.
    assert "Lama" in content
    assert "Baru" in content


def test_entry_edit_shows_the_saved_values(client, world):
    centre = world["centre_banjar"]
    make_entry(centre, story="Cerita", order_links=["https://a.test/x", "https://b.test/y"])
    client.force_login(world["operator"])
    form = client.get(edit_url(centre)).context["form"]
    assert form.initial["order_links"] == "https://a.test/x\nhttps://b.test/y"


def test_entry_edit_new_entry_has_empty_links_box(client, world):
    client.force_login(world["operator"])
    response = client.get(edit_url(world["centre_banjar"]))
    assert response.context["form"].initial["order_links"] == ""
    assert "[]" not in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("order_links", "https://www.tokopedia.com/ok\nbukan alamat web", "Line 2 is not a web"),
        ("order_links", "\n".join(f"https://toko{n}.test/" for n in range(6)), "at most five"),
        ("order_links", "ftp://files.test/katalog", "is not a web address"),
        ("whatsapp", "0812-ABC", "digits only"),
        ("phone", "12", "digits only"),
        ("email", "bukan-email", "valid email address"),
    ],
)
def test_entry_edit_invalid_input_shows_errors_and_saves_nothing(
    client, world, field, value, message
):
    centre = world["centre_banjar"]
    client.force_login(world["operator"])
    response = client.post(edit_url(centre), {**GOOD, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    content = response.content.decode()
    assert message in content
    assert "Nothing was saved" in content
    assert not CatalogueEntry.objects.filter(centre=centre).exists()


def test_entry_edit_invalid_input_leaves_an_existing_entry_unchanged(client, world):
    centre = world["centre_banjar"]
    entry = make_entry(centre, story="Tetap", phone="0511 100 200")
    client.force_login(world["operator"])
    response = client.post(edit_url(centre), {**GOOD, "story": "Berubah", "phone": "x"})
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.story, entry.phone) == ("Tetap", "0511 100 200")
    assert entry.history.count() == 1


def test_entry_edit_offers_only_the_centres_own_photos(client, world):
    centre = world["centre_banjar"]
    client.force_login(world["operator"])
    form = client.get(edit_url(centre)).context["form"]
    assert list(form.fields["cover_photo"].queryset) == [world["photo_banjar"]]
    response = client.post(edit_url(centre), {**GOOD, "cover_photo": world["photo_tapin"].pk})
    assert response.context["form"].errors["cover_photo"]
    assert not CatalogueEntry.objects.filter(centre=centre).exists()


def test_entry_edit_of_a_centre_not_yet_public_says_so(client, world):
    client.force_login(world["operator"])
    response = client.get(edit_url(world["centre_banjar"]))
    assert response.status_code == 200
    assert response.context["is_public"] is False
    content = response.content.decode()
    assert "not in the public catalogue yet" in content
    assert "qr.png" not in content


def test_entry_edit_of_a_public_centre_links_preview_and_qr(client, world):
    centre = publish(world["centre_banjar"], world=world)
    client.force_login(world["operator"])
    response = client.get(edit_url(centre))
    content = response.content.decode()
    assert response.context["is_public"] is True
    assert public_page("en", centre) in content
    assert reverse("catalogue:qr_png", kwargs={"lang": "en", "pk": centre.pk}) in content
    assert "not in the public catalogue yet" not in content


@pytest.mark.parametrize("persona", ["operator_neighbour", "verifier_other", "assessor"])
def test_entry_edit_of_a_centre_not_visible_is_404(client, world, persona):
    client.force_login(world[persona])
    url = edit_url(world["centre_banjar"])
    assert client.get(url).status_code == 404
    assert client.post(url, GOOD).status_code == 404
    assert not CatalogueEntry.objects.exists()


@pytest.mark.parametrize("persona", ["verifier", "viewer"])
def test_entry_edit_visible_but_not_changeable_is_403(client, world, persona):
    publish(world["centre_banjar"], world=world)
    client.force_login(world[persona])
    url = edit_url(world["centre_banjar"])
    assert client.get(url).status_code == 403
    assert client.post(url, GOOD).status_code == 403
    assert not CatalogueEntry.objects.exists()


def test_entry_edit_unknown_centre_is_404(client, world):
    client.force_login(world["admin"])
    assert (
        client.get(reverse("catalogue:entry_edit", kwargs={"centre_pk": 999999})).status_code == 404
    )


# The service -------------------------------------------------------------------------------


def test_save_entry_refuses_who_may_not_change_the_centre(world):
    with pytest.raises(PermissionDenied):
        save_entry(
            actor=world["operator_neighbour"],
            centre=world["centre_banjar"],
            data={"story": "Bukan milik saya"},
        )
    assert not CatalogueEntry.objects.exists()


def test_save_entry_refuses_a_photo_of_another_centre(world):
    with pytest.raises(ValidationError) as raised:
        save_entry(
            actor=world["admin"],
            centre=world["centre_banjar"],
            data={"cover_photo": world["photo_tapin"]},
        )
    assert "cover_photo" in raised.value.message_dict
    assert not CatalogueEntry.objects.exists()


def test_save_entry_validates_links_like_the_model(world):
    with pytest.raises(ValidationError) as raised:
        save_entry(
            actor=world["admin"],
            centre=world["centre_banjar"],
            data={"order_links": [f"https://t{n}.test/" for n in range(6)]},
        )
    assert "order_links" in raised.value.message_dict


def test_save_entry_updates_in_place_and_strips_text(world):
    first = save_entry(
        actor=world["operator"],
        centre=world["centre_banjar"],
        data={"story": "  Cerita  ", "email": "a@b.test"},
    )
    second = save_entry(
        actor=world["admin"],
        centre=world["centre_banjar"],
        data={"story_en": "Story"},
        reason="terjemahan",
    )
    assert first.pk == second.pk
    second.refresh_from_db()
    assert (second.story, second.story_en, second.email) == ("Cerita", "Story", "a@b.test")
    assert second.updated_by == world["admin"]
    assert second.history.latest().history_change_reason == "terjemahan"


def test_entry_edit_cover_photo_can_be_cleared(client, world):
    centre = world["centre_banjar"]
    make_entry(centre, cover_photo=world["photo_banjar"])
    client.force_login(world["operator"])
    content = client.get(edit_url(centre)).content.decode()
    assert 'name="cover_photo" value=""' in content  # the "none chosen" radio
    client.post(edit_url(centre), {**GOOD, "cover_photo": ""})
    assert CatalogueEntry.objects.get(centre=centre).cover_photo is None
