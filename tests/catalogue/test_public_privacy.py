"""Proof that nothing unpublished or private reaches the public: pages, search, API, sitemap.

One world holds, in the same regency as two rated and published centres, centres whose
proposals are in every other state — draft, submitted, returned, verified, forwarded,
ineligible, withdrawn, eligible without a decision, eligible with a pending decision (rated or
not), not rated on publication, and rated then revised to not rated — every centre with an
enterprise (owner, NIB), a certificate number, a photo, a catalogue entry with a story and
contacts, and officials' contacts on its proposal. Then every public URL is requested
anonymously and every body searched for each private value.
"""

import html
from urllib.parse import quote_plus

import pytest
from django.urls import reverse
from django.utils.text import slugify

from ovop.catalogue.models import CatalogueEntry
from ovop.centres.models import Certificate, CommodityGroup, Enterprise
from ovop.evaluation.models import Decision
from ovop.evaluation.services.decisions import fill_pending, publish_cycle, set_decision
from ovop.proposals.models import Proposal
from tests.catalogue import matrix_manage, matrix_public
from tests.catalogue.public_builders import add_photo
from tests.evaluation.helpers import levels
from tests.evaluation.ranking_builders import scored_proposal
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory, make_proposal

pytestmark = pytest.mark.django_db

PUBLIC_NAMES = ("Sentra Terbit Cahaya", "Sentra Terbuka Lestari")


def _build(world) -> dict:
    """Every kind of centre the public must not see, beside two it must."""
    admin, cycle = world["admin"], world["cycle"]
    centres = {}
    # Rated and published (public), one not rated on publication, one later revised.
    for key, name, level in (
        ("public", PUBLIC_NAMES[0], 5),
        ("public_contacts", PUBLIC_NAMES[1], 4),
        ("not_rated", "Sentra Rahasia Tidak Dinilai", 2),
        ("revised", "Sentra Rahasia Dicabut", 4),
    ):
        centres[key] = scored_proposal(world, levels(level), name=name).centre
    fill_pending(cycle=cycle, actor=admin)
    set_decision(
        proposal=_proposal(centres["not_rated"]),
        actor=admin,
        stars=None,
        reason="Belum memenuhi syarat",
    )
    publish_cycle(cycle=cycle, actor=admin)
    set_decision(
        proposal=_proposal(centres["revised"]),
        actor=admin,
        stars=None,
        reason="Dicabut setelah temuan lapangan",
    )
    # Decisions made after the publication stay pending (unpublished).
    centres["pending_rated"] = scored_proposal(
        world, levels(4), name="Sentra Rahasia Tertunda"
    ).centre
    centres["pending_not_rated"] = scored_proposal(
        world, levels(3), name="Sentra Rahasia Menunggu"
    ).centre
    fill_pending(cycle=cycle, actor=admin)
    set_decision(
        proposal=_proposal(centres["pending_not_rated"]), actor=admin, stars=None, reason="Ditunda"
    )
    centres["undecided"] = scored_proposal(
        world, levels(4), name="Sentra Rahasia Belum Diputus"
    ).centre
    food = CommodityGroup.objects.get(code="makanan-minuman")
    for state in (
        "draft",
        "submitted",
        "returned",
        "verified",
        "forwarded",
        "ineligible",
        "withdrawn",
    ):
        centre = CentreFactory(
            name=f"Sentra Rahasia {state.title()}", region_id="63.03.01", commodity=food
        )
        make_proposal(round_=world["round"], centre=centre, state=state, documents=False)
        centres[state] = centre
    centres["world_draft"] = world["centre_banjar"]  # its proposal is a draft
    centres["registry_only"] = world["centre_tapin"]  # never proposed
    _add_private_details(centres)
    return centres


def _proposal(centre) -> Proposal:
    return Proposal.objects.get(centre=centre)


def _add_private_details(centres: dict) -> None:
    """Owners, NIB, certificate numbers, contacts and stories that must stay private."""
    for number, (key, centre) in enumerate(sorted(centres.items()), start=1):
        enterprise = EnterpriseFactory(
            centre=centre,
            name=f"UD Rahasia Usaha {number:02d}",
            owner=f"Pemilik Rahasia Nomor {number:02d}",
            nib=f"91277{number:08d}",
        )
        CertificateFactory(enterprise=enterprise, kind="halal", number=f"SERT-RHS-{number:04d}")
        add_photo(centre, caption=f"Foto {key}")
        is_public = centre.name in PUBLIC_NAMES
        CatalogueEntry.objects.create(
            centre=centre,
            story=f"Cerita {centre.name}." if is_public else f"CERITA-RAHASIA-{number:02d}",
            story_en="" if is_public else f"SECRET-STORY-{number:02d}",
            order_links=[]
            if is_public
            else [f"https://www.tokopedia.com/toko-rahasia-{number:02d}"],
            whatsapp=f"0813 7{number:03d} 0001",
            phone=f"0511 66{number:02d} 002",
            email=f"pesan{number:02d}@rahasia.example.id",
            # The second public centre agreed to publish its contacts; nobody else did,
            # except the private ones, whose consent must not matter while they are private.
            contact_public=centre.name == PUBLIC_NAMES[1] or not is_public,
        )
        Proposal.objects.filter(centre=centre).update(
            contact_name=f"Pejabat Rahasia {number:02d}",
            contact_phone=f"0511-88{number:02d}-321",
            contact_email=f"pejabat{number:02d}@dinas.example.go.id",
        )


def _secrets(centres: dict) -> list[str]:
    """Every private value in the database, in each form a page could print it."""
    values = [c.name for c in centres.values() if c.name not in PUBLIC_NAMES]
    values += list(Enterprise.objects.values_list("owner", flat=True))
    values += list(Enterprise.objects.values_list("nib", flat=True))
    values += list(Enterprise.objects.values_list("name", flat=True))
    values += list(Certificate.objects.values_list("number", flat=True))
    for proposal in Proposal.objects.all():
        values += [proposal.contact_name, proposal.contact_phone, proposal.contact_email]
    for entry in CatalogueEntry.objects.select_related("centre"):
        if entry.centre.name not in PUBLIC_NAMES:
            values += [entry.story, entry.story_en, *entry.order_links]
        if not (entry.contact_public and entry.centre.name in PUBLIC_NAMES):
            digits = "".join(ch for ch in entry.whatsapp if ch.isdigit())
            values += [entry.whatsapp, entry.phone, entry.email, digits, "62" + digits[1:]]
    return sorted({value for value in values if value})


def _private(centres: dict) -> list:
    return [c for c in centres.values() if c.name not in PUBLIC_NAMES]


def _list_requests(lang: str, secrets: list[str]):
    """The public list in one language: every page, filter and search for a secret."""
    list_url = reverse("catalogue:list", kwargs={"lang": lang})
    yield "catalogue:list", list_url, {}, 200
    yield "catalogue:list", list_url, {"page": "2"}, 200
    for code in CommodityGroup.objects.values_list("code", flat=True):
        yield "catalogue:list", list_url, {"commodity": code}, 200
    for name, values in (
        ("province", ["63", "64"]),
        ("regency", ["63.03", "63.05"]),
        ("stars", "12345"),
        ("min_stars", "12345"),
    ):
        for value in values:
            yield "catalogue:list", list_url, {name: value}, 200
    for secret in secrets:
        yield "catalogue:list", list_url, {"q": secret}, 200


def _centre_page_requests(lang: str, centres: dict):
    """Every centre's detail page (right and wrong slug) and QR codes in one language."""
    for centre in centres.values():
        public = centre.name in PUBLIC_NAMES
        for slug, status in ((slugify(centre.name), 200), ("nama-lain", 301)):
            kwargs = {"lang": lang, "pk": centre.pk, "slug": slug}
            yield (
                "catalogue:detail",
                reverse("catalogue:detail", kwargs=kwargs),
                {},
                (status if public else 404),
            )
        for name in ("catalogue:qr_svg", "catalogue:qr_png"):
            url = reverse(name, kwargs={"lang": lang, "pk": centre.pk})
            yield name, url, {}, 200 if public else 404


def _photo_and_api_detail_requests(centres: dict):
    """Every centre's photos (full and thumbnail) and its API detail."""
    for centre in centres.values():
        status = 200 if centre.name in PUBLIC_NAMES else 404
        for photo in centre.photos.all():
            for name in ("catalogue:photo", "catalogue:photo_thumbnail"):
                yield name, reverse(name, kwargs={"pk": photo.pk}), {}, status
        yield "catalogue-detail", reverse("catalogue-detail", kwargs={"pk": centre.pk}), {}, status


def _api_list_requests(secrets: list[str]):
    """The API list: unfiltered, every filter, and a search for each secret."""
    api = reverse("catalogue-list")
    yield "catalogue-list", api, {}, 200
    for params in (
        {"commodity": "makanan-minuman"},
        {"commodity": "kain-batik"},
        {"province": "63"},
        {"regency": "63.03"},
        {"stars": "4"},
        {"min_stars": "1"},
        {"page_size": "500"},
    ):
        yield "catalogue-list", api, params, 200
    for secret in secrets:
        yield "catalogue-list", api, {"search": secret}, 200


def _requests(centres: dict, secrets: list[str]):
    """(route name, url, params, expected status) for every public URL of the catalogue."""
    for lang in ("id", "en"):
        yield from _list_requests(lang, secrets)
        yield from _centre_page_requests(lang, centres)
    yield from _photo_and_api_detail_requests(centres)
    yield from _api_list_requests(secrets)
    yield "catalogue:root", reverse("catalogue:root"), {}, 302
    yield "sitemap", reverse("sitemap"), {}, 200
    yield "robots", reverse("robots"), {}, 200


BINARY = ("image/png", "image/jpeg", "image/webp")


def _without_echo(body: str, secret: str) -> str:
    """A search page repeats the query (search box, canonical and switch links): not a leak."""
    for form in (f'value="{html.escape(secret)}"', f"q={quote_plus(secret)}"):
        body = body.replace(form, "")
    return body


EXPECTED_STATES = {
    "public": "rated",
    "public_contacts": "rated",
    "not_rated": "not_rated",
    "revised": "not_rated",
    "pending_rated": "eligible",
    "pending_not_rated": "eligible",
    "undecided": "eligible",
    "draft": "draft",
    "submitted": "submitted",
    "returned": "returned",
    "verified": "verified",
    "forwarded": "forwarded",
    "ineligible": "ineligible",
    "withdrawn": "withdrawn",
    "world_draft": "draft",
}


@pytest.fixture
def private_world(world):
    centres = _build(world)
    states = dict(Proposal.objects.values_list("centre_id", "state"))
    assert {key: states.get(c.pk) for key, c in centres.items() if key != "registry_only"} == (
        EXPECTED_STATES
    )
    revised = Decision.objects.get(proposal__centre=centres["revised"])
    assert (revised.status, revised.stars) == ("published", None)
    pending = Decision.objects.filter(status="pending").values_list("proposal__centre_id", "stars")
    assert dict(pending) == {centres["pending_rated"].pk: 4, centres["pending_not_rated"].pk: None}
    return {"centres": centres, "secrets": _secrets(centres)}


def test_no_private_value_reaches_any_public_response(client, private_world):
    centres, secrets = private_world["centres"], private_world["secrets"]
    assert len(secrets) > 100  # the sweep looks for something real
    checked = 0
    for name, url, params, status in _requests(centres, secrets):
        # The API answers in the language asked for; try English there, Indonesian elsewhere.
        language = "en" if url.startswith("/api/") else "id"
        response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == status, (name, url, params)
        if response.streaming:
            b"".join(response.streaming_content)  # a photo: its status is what matters
            continue
        if response.get("Content-Type", "").startswith(BINARY):
            continue
        body = response.content.decode()
        query = params.get("q") or params.get("search")
        for secret in secrets:
            visible = _without_echo(body, secret) if secret == query else body
            assert secret not in visible, f"{secret!r} leaked by {url}?{params}"
        if query and name == "catalogue-list":
            assert response.json()["count"] == 0, f"search {query!r} found something"
        elif query:
            assert response.context["rows"] == [], f"search {query!r} found something"
        checked += 1
    assert checked > 300


def test_public_centres_are_the_only_ones_listed_and_their_allowed_contacts_show(
    client, private_world
):
    listed = client.get(reverse("catalogue:list", kwargs={"lang": "id"}))
    api = client.get(reverse("catalogue-list")).json()
    sitemap = client.get(reverse("sitemap")).content.decode()

    assert sorted(row["name"] for row in listed.context["rows"]) == sorted(PUBLIC_NAMES)
    assert sorted(item["name"] for item in api["results"]) == sorted(PUBLIC_NAMES)
    assert sitemap.count("<url>") == 2 + 2 * len(PUBLIC_NAMES)
    # The positive control: the centre that agreed shows its contacts; the other does not.
    contacts = {item["name"]: item["contact"] for item in api["results"]}
    assert contacts[PUBLIC_NAMES[0]] is None
    assert contacts[PUBLIC_NAMES[1]]["email"].endswith("@rahasia.example.id")


def test_private_details_photos_and_qr_codes_are_not_found(client, private_world):
    for centre in _private(private_world["centres"]):
        for lang in ("id", "en"):
            kwargs = {"lang": lang, "pk": centre.pk, "slug": slugify(centre.name)}
            page = reverse("catalogue:detail", kwargs=kwargs)
            assert client.get(page).status_code == 404, centre.name
        assert client.get(reverse("catalogue-detail", kwargs={"pk": centre.pk})).status_code == 404
        for photo in centre.photos.all():
            response = client.get(reverse("catalogue:photo", kwargs={"pk": photo.pk}))
            assert response.status_code == 404, centre.name


def test_the_sweep_covers_every_public_catalogue_route(private_world):
    """A new public route must be added to the sweep above (anonymous 200 in the matrix)."""
    public_routes = {
        name
        for rows in (matrix_public.ROWS, matrix_manage.ROWS)
        for name, (_kwargs, expected) in rows.items()
        if expected["anonymous"] not in (302, 401)
    } | {"catalogue:root"}
    swept = {name for name, *_rest in _requests(private_world["centres"], [])}

    assert public_routes - swept == set()
