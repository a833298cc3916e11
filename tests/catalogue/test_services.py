"""Direct tests of ``ovop.catalogue.services``: entry_for and save_entry (beyond test_manage)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ovop.catalogue.models import CatalogueEntry
from ovop.catalogue.selectors.gate import public_centres
from ovop.catalogue.services import entry_for, save_entry
from tests.catalogue.public_builders import add_photo
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

REFUSED = ["operator_neighbour", "verifier", "verifier_other", "assessor", "viewer"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def banjar(personas):
    """A registered centre of Banjar (63.03) that is not public yet."""
    return CentreFactory(region_id="63.03.01", name="Sentra Banjar")


def test_entry_for_new_centre_is_unsaved(banjar):
    entry = entry_for(banjar)
    assert entry.pk is None
    assert entry.centre == banjar
    assert (entry.story, entry.order_links, entry.contact_public) == ("", [], False)
    assert not CatalogueEntry.objects.exists()


def test_entry_for_existing_entry_with_its_cover_in_one_query(
    banjar, media, django_assert_num_queries
):
    photo = add_photo(banjar)
    stored = CatalogueEntry.objects.create(centre=banjar, story="Cerita", cover_photo=photo)
    with django_assert_num_queries(1):
        entry = entry_for(banjar)
        assert entry.cover_photo.caption == "Produk"
    assert entry.pk == stored.pk


def test_save_entry_creates_the_row_and_its_history(personas, banjar):
    operator = personas["operator"]
    entry = save_entry(
        actor=operator,
        centre=banjar,
        data={
            "story": "  Kain sasirangan  ",
            "order_links": ["https://shopee.co.id/sasirangan"],
            "whatsapp": " 0812 5000 1234 ",
            "contact_public": True,
        },
        reason="entri pertama",
    )
    stored = CatalogueEntry.objects.get(centre=banjar)
    assert stored.pk == entry.pk
    assert (stored.story, stored.whatsapp, stored.contact_public) == (
        "Kain sasirangan",
        "0812 5000 1234",
        True,
    )
    assert stored.order_links == ["https://shopee.co.id/sasirangan"]
    assert stored.updated_by == operator
    [history] = stored.history.all()
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "+",
        operator,
        "entri pertama",
    )


def test_save_entry_for_a_centre_not_public_leaves_it_private(personas, banjar):
    save_entry(actor=personas["admin"], centre=banjar, data={"story": "Siap terbit"})
    assert CatalogueEntry.objects.filter(centre=banjar).exists()
    assert not public_centres().exists()


def test_save_entry_ignores_fields_outside_the_entry(personas, banjar):
    other = CentreFactory(region_id="63.03.01", name="Sentra Lain")
    entry = save_entry(
        actor=personas["operator"],
        centre=banjar,
        data={"centre": other, "updated_by": personas["admin"], "story": "Cerita", "pk": 999},
    )
    stored = CatalogueEntry.objects.get(pk=entry.pk)
    assert (stored.centre_id, stored.updated_by_id, stored.story) == (
        banjar.pk,
        personas["operator"].pk,
        "Cerita",
    )
    assert not CatalogueEntry.objects.filter(centre=other).exists()


def test_save_entry_accepts_a_cover_of_the_centre(personas, banjar, media):
    photo = add_photo(banjar)
    save_entry(actor=personas["admin"], centre=banjar, data={"cover_photo": photo})
    assert CatalogueEntry.objects.get(centre=banjar).cover_photo == photo


def test_save_entry_second_save_records_a_change(personas, banjar):
    save_entry(actor=personas["operator"], centre=banjar, data={"story": "Satu"})
    save_entry(actor=personas["admin"], centre=banjar, data={"contact_public": True}, reason="izin")
    stored = CatalogueEntry.objects.get(centre=banjar)
    assert (stored.story, stored.contact_public) == ("Satu", True)
    latest = stored.history.latest()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        personas["admin"],
        "izin",
    )
    assert stored.history.count() == 2


@pytest.mark.parametrize("name", REFUSED)
def test_save_entry_refused_persona_writes_nothing(personas, banjar, name):
    with pytest.raises(PermissionDenied):
        save_entry(actor=personas[name], centre=banjar, data={"story": "Bukan wewenang"})
    assert not CatalogueEntry.objects.exists()
    assert not CatalogueEntry.history.exists()


@pytest.mark.parametrize("name", REFUSED)
def test_save_entry_refused_persona_leaves_the_entry_unchanged(personas, banjar, name):
    entry = save_entry(actor=personas["operator"], centre=banjar, data={"story": "Asli"})
    with pytest.raises(PermissionDenied):
        save_entry(actor=personas[name], centre=banjar, data={"story": "Diubah"})
    entry.refresh_from_db()
    assert (entry.story, entry.updated_by) == ("Asli", personas["operator"])
    assert entry.history.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"whatsapp": "nomor saya"},
        {"email": "bukan-surel"},
        {"order_links": ["ftp://toko.test/"]},
    ],
)
def test_save_entry_invalid_leaves_the_entry_and_history_unchanged(personas, banjar, bad):
    entry = save_entry(actor=personas["operator"], centre=banjar, data={"story": "Asli"})
    with pytest.raises(ValidationError) as raised:
        save_entry(actor=personas["admin"], centre=banjar, data={"story": "Baru", **bad})
    assert list(raised.value.message_dict) == list(bad)
    entry.refresh_from_db()
    assert (entry.story, entry.updated_by) == ("Asli", personas["operator"])
    assert entry.history.count() == 1


def test_save_entry_cover_of_another_centre_leaves_the_entry_unchanged(personas, banjar, media):
    entry = save_entry(actor=personas["operator"], centre=banjar, data={"story": "Asli"})
    stranger = add_photo(CentreFactory(region_id="63.05.01"))
    with pytest.raises(ValidationError):
        save_entry(actor=personas["admin"], centre=banjar, data={"cover_photo": stranger})
    entry.refresh_from_db()
    assert entry.cover_photo is None
    assert entry.history.count() == 1
