"""Assessor screens: the list, a profile with declared conflicts, an assessor's own links."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from ovop.centres.models import CommodityGroup
from ovop.evaluation.models import ConflictDeclaration
from ovop.evaluation.services.assignment import save_profile
from tests.evaluation.helpers import assign_directly, assigned_world, make_assessor, make_eligible
from tests.factories import CentreFactory, EnterpriseFactory, make_cycle, make_proposal


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["ovop_language"] = "en"
    with translation.override("en"):
        yield


def signed_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def group(code: str) -> CommodityGroup:
    return CommodityGroup.objects.get(code=code)


def declare(assessor, **link) -> ConflictDeclaration:
    return ConflictDeclaration.objects.create(
        assessor=assessor, note="Terkait", declared_by=assessor, **link
    )


# --- the list ---------------------------------------------------------------------------


def test_assessor_list_shows_organisation_expertise_load_and_conflicts(client, world):
    setup = assigned_world(world)  # penilai-luar: one active assignment in the cycle
    outsider = setup["assessor"]
    outsider.organisation = "Asosiasi Tenun Nusantara"
    outsider.save()

    save_profile(
        user=outsider,
        organisation=outsider.organisation,
        expertise=[group("kain-tenun"), group("anyaman")],
    )
    declare(outsider, centre=world["centre_tapin"])
    declare(outsider, enterprise=world["enterprise_tapin"])
    response = signed_in(client, world["admin"]).get(reverse("evaluation:assessor_list"))
    rows = {row["user"].username: row for row in response.context["rows"]}
    assert set(rows) == {outsider.username, world["assessor"].username}
    row = rows[outsider.username]
    assert (row["user"].load, row["user"].conflict_count) == (1, 2)
    assert row["user"].organisation == "Asosiasi Tenun Nusantara"
    assert sorted(row["expertise"]) == ["Plaited crafts (anyaman)", "Woven fabric (tenun)"]
    assert rows[world["assessor"].username]["user"].load == 0
    html = response.content.decode()
    assert reverse("evaluation:assessor_edit", args=[outsider.pk]) in html


def test_assessor_list_load_counts_only_the_latest_cycle_and_active_assignments(client, world):
    setup = assigned_world(world)
    newer = make_cycle(year=2027, name="OVOP 2027")
    response = signed_in(client, world["admin"]).get(reverse("evaluation:assessor_list"))
    assert response.context["cycle"] == newer
    loads = {row["user"].pk: row["user"].load for row in response.context["rows"]}
    assert loads[setup["assessor"].pk] == 0


def test_assessor_list_searches_and_filters_by_expertise(client, world):
    make_assessor("penilai-tenun", expertise=[group("kain-tenun")])
    make_assessor("penilai-gerabah", expertise=[group("gerabah")])
    signed_in(client, world["admin"])
    url = reverse("evaluation:assessor_list")
    by_group = client.get(url, {"expertise": group("gerabah").pk}).context["rows"]
    assert [row["user"].username for row in by_group] == ["penilai-gerabah"]
    by_text = client.get(url, {"q": "tenun"}).context["rows"]
    assert [row["user"].username for row in by_text] == ["penilai-tenun"]


def test_assessor_list_exports_csv_and_xlsx(client, world):
    make_assessor("penilai-tenun", expertise=[group("kain-tenun")])
    signed_in(client, world["admin"])
    url = reverse("evaluation:assessor_list")
    csv_body = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    assert "penilai-tenun" in csv_body
    assert "Woven fabric (tenun)" in csv_body
    xlsx = client.get(url, {"format": "xlsx", "q": "tenun"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = sheet.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Username"
    assert [row[0] for row in rows[1:]] == ["penilai-tenun"]


def test_assessor_list_is_for_the_admin_only(client, world):
    url = reverse("evaluation:assessor_list")
    for persona in ("viewer", "assessor", "operator", "verifier"):
        assert signed_in(client, world[persona]).get(url).status_code == 403


@pytest.mark.parametrize("assessors", [1, 20])
def test_assessor_list_queries_do_not_grow_with_rows(
    client, world, django_assert_max_num_queries, assessors
):
    setup = assigned_world(world)
    for number in range(assessors - 1):
        person = make_assessor(f"penilai-{number:02d}", expertise=[group("anyaman")])
        assign_directly(setup["proposal"], person)
        declare(person, centre=world["centre_tapin"])
    signed_in(client, world["admin"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("evaluation:assessor_list"))
    assert len(response.context["rows"]) == assessors + 1  # and the persona


# --- one assessor's profile -------------------------------------------------------------


def test_assessor_profile_saves_organisation_and_expertise(client, world):
    person = make_assessor("penilai-profil")
    url = reverse("evaluation:assessor_edit", args=[person.pk])
    response = signed_in(client, world["admin"]).post(
        url, {"organisation": "Dekranasda", "expertise": [group("gerabah").pk]}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.organisation == "Dekranasda"
    assert list(person.assessor_profile.expertise.values_list("code", flat=True)) == ["gerabah"]


def test_assessor_profile_lists_declarations_and_assignments_with_status(client, world):
    setup = assigned_world(world)
    declare(setup["assessor"], centre=world["centre_tapin"])
    tapin = make_proposal(round_=world["round"], centre=world["centre_tapin"], state="eligible")
    recused = assign_directly(tapin, setup["assessor"])
    recused.recused_at, recused.recusal_reason = recused.created_at, "Kenal pengurus"
    recused.save()
    response = signed_in(client, world["admin"]).get(
        reverse("evaluation:assessor_edit", args=[setup["assessor"].pk])
    )
    assert [d.centre for d in response.context["declarations"]] == [world["centre_tapin"]]
    statuses = sorted(row["status"] for row in response.context["assignments"])
    assert statuses == ["not started", "recused: Kenal pengurus"]
    html = response.content.decode()
    assert (
        reverse("evaluation:conflict_delete", args=[response.context["declarations"][0].pk]) in html
    )


def test_assessor_profile_searches_centres_and_enterprises_by_name(client, world):
    person = make_assessor("penilai-cari")
    for number in range(25):
        CentreFactory(region_id="63.03.01", name=f"Sentra Purun {number:02d}")
    EnterpriseFactory(centre=world["centre_tapin"], name="CV Purun Jaya")
    signed_in(client, world["admin"])
    url = reverse("evaluation:assessor_edit", args=[person.pk])
    found = client.get(url, {"q": "purun"}).context
    assert len(found["centres"]) == 20
    assert [e.name for e in found["enterprises"]] == ["CV Purun Jaya"]
    too_short = client.get(url, {"q": "pu"}).context
    assert too_short["centres"] == []
    assert too_short["enterprises"] == []
    assert "at least 3 letters" in client.get(url, {"q": "pu"}).content.decode()


def test_admin_declares_a_centre_link_and_an_enterprise_link_for_an_assessor(client, world):
    person = make_assessor("penilai-deklarasi")
    url = reverse("evaluation:conflict_add", args=[person.pk])
    signed_in(client, world["admin"])
    response = client.post(
        url, {"centre": world["centre_banjar"].pk, "note": "Pembina", "q": "banjar"}
    )
    assert response["Location"].endswith("?q=banjar")
    client.post(url, {"enterprise": world["enterprise_banjar"].pk, "note": "Keluarga pemilik"})
    declared = ConflictDeclaration.objects.filter(assessor=person).order_by("pk")
    assert [(d.centre, d.enterprise, d.note, d.declared_by) for d in declared] == [
        (world["centre_banjar"], None, "Pembina", world["admin"]),
        (None, world["enterprise_banjar"], "Keluarga pemilik", world["admin"]),
    ]
    # Now a hard conflict: assigning this assessor to the Banjar proposal is refused.
    proposal = make_eligible(world["proposal_banjar"])
    refused = client.post(
        reverse("evaluation:assign", args=[proposal.pk]), {"assessor": person.username}, follow=True
    )
    assert "Declared link to the sentra: Pembina" in messages_of(refused)[-1]


@pytest.mark.parametrize(
    "data",
    [
        {"note": "Tanpa pilihan"},
        {"centre": "CENTRE", "enterprise": "ENTERPRISE", "note": "Dua-duanya"},
        {"centre": "CENTRE", "note": ""},
    ],
)
def test_conflict_add_refuses_incomplete_declarations(client, world, data):
    person = make_assessor("penilai-deklarasi")
    replace = {"CENTRE": world["centre_banjar"].pk, "ENTERPRISE": world["enterprise_banjar"].pk}
    data = {key: replace.get(value, value) for key, value in data.items()}
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:conflict_add", args=[person.pk]), data, follow=True
    )
    assert messages_of(response)
    assert not ConflictDeclaration.objects.exists()


def test_admin_removes_a_declared_link(client, world):
    person = make_assessor("penilai-hapus")
    declaration = declare(person, centre=world["centre_banjar"])
    response = signed_in(client, world["admin"]).post(
        reverse("evaluation:conflict_delete", args=[declaration.pk])
    )
    assert response["Location"] == reverse("evaluation:assessor_edit", args=[person.pk])
    assert not ConflictDeclaration.objects.exists()


def test_assessor_profile_screens_scoping(client, world):
    person = make_assessor("penilai-lingkup")
    declaration = declare(world["assessor"], centre=world["centre_banjar"])
    link = {"centre": world["centre_banjar"].pk, "note": "x"}
    edit = reverse("evaluation:assessor_edit", args=[person.pk])
    add = reverse("evaluation:conflict_add", args=[person.pk])
    delete = reverse("evaluation:conflict_delete", args=[declaration.pk])
    for persona in ("viewer", "operator", "verifier"):
        signed_in(client, world[persona])
        assert client.get(edit).status_code == 403
        assert client.post(add, link).status_code == 403
        assert client.post(delete).status_code == 403
    # An assessor cannot remove their own declaration, nor edit their profile here.
    signed_in(client, world["assessor"])
    assert client.post(delete).status_code == 403
    assert (
        client.get(reverse("evaluation:assessor_edit", args=[world["assessor"].pk])).status_code
        == 403
    )
    # The admin: a user who is not an assessor, or no such declaration → 404.
    signed_in(client, world["admin"])
    not_assessor = world["operator"].pk
    assert client.get(reverse("evaluation:assessor_edit", args=[not_assessor])).status_code == 404
    assert (
        client.post(reverse("evaluation:conflict_add", args=[not_assessor]), link).status_code
        == 404
    )
    missing = reverse("evaluation:conflict_delete", args=[declaration.pk + 99])
    assert client.post(missing).status_code == 404
    assert ConflictDeclaration.objects.count() == 1


# --- an assessor's own declarations -----------------------------------------------------


def test_assessor_declares_their_own_link_and_cannot_remove_it(client, world):
    me = world["assessor"]
    signed_in(client, me)
    url = reverse("evaluation:my_conflicts")
    search = client.get(url, {"q": world["enterprise_tapin"].name})
    assert [e.pk for e in search.context["enterprises"]] == [world["enterprise_tapin"].pk]
    response = client.post(
        url,
        {"enterprise": world["enterprise_tapin"].pk, "note": "Pemiliknya sepupu saya"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.assessor, declaration.declared_by, declaration.enterprise) == (
        me,
        me,
        world["enterprise_tapin"],
    )
    html = response.content.decode()
    assert "Pemiliknya sepupu saya" in html
    assert reverse("evaluation:conflict_delete", args=[declaration.pk]) not in html


def test_my_conflicts_shows_only_ones_own_declarations(client, world):
    other = make_assessor("penilai-lain")
    declare(other, centre=world["centre_banjar"])
    response = signed_in(client, world["assessor"]).get(reverse("evaluation:my_conflicts"))
    assert list(response.context["declarations"]) == []


def test_my_conflicts_is_for_assessors(client, world):
    url = reverse("evaluation:my_conflicts")
    for persona in ("admin", "viewer", "operator"):
        signed_in(client, world[persona])
        assert client.get(url).status_code == 403
        assert (
            client.post(url, {"centre": world["centre_banjar"].pk, "note": "x"}).status_code == 403
        )
    assert not ConflictDeclaration.objects.exists()
