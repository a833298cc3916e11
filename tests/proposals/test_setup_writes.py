"""Setting up cycles and rounds writes through ``save_cycle`` and ``save_round``, from the
screens and the API alike: same rows, same history, same messages."""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from ovop.centres.models import CommodityGroup
from ovop.evaluation.models import StarBand
from ovop.proposals.models import Cycle
from tests.factories import make_cycle, make_round


def _said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _in_indonesian(text: str, **values) -> list[str]:
    with translation.override("id"):
        return [translation.gettext(text) % values]


def _edit_post(cycle: Cycle, page, **fields) -> dict:
    """The cycle form as the page shows it, with ``fields`` changed; every checklist row kept."""
    formset = page.context["formset"]
    data = {
        "year": cycle.year,
        "name": cycle.name,
        "star_scale": cycle.star_scale,
        "checklist-TOTAL_FORMS": str(len(formset.forms)),
        "checklist-INITIAL_FORMS": str(formset.initial_form_count()),
        "checklist-MIN_NUM_FORMS": "0",
        "checklist-MAX_NUM_FORMS": "1000",
    }
    for form in formset.forms:
        item = form.instance
        if item.pk is None:  # an empty row: what the browser sends of its inputs' defaults
            data |= {f"{form.prefix}-required": "on", f"{form.prefix}-position": "0"}
            continue
        data |= {
            f"{form.prefix}-id": item.pk,
            f"{form.prefix}-code": item.code,
            f"{form.prefix}-label": item.label,
            f"{form.prefix}-position": item.position,
        }
        if item.required:
            data[f"{form.prefix}-required"] = "on"
        if item.food_only:
            data[f"{form.prefix}-food_only"] = "on"
    return data | fields


def test_editing_a_cycle_saves_its_fields_checklist_and_bands(client, admin_user):
    cycle = make_cycle()
    assert StarBand.objects.filter(cycle=cycle).count() == 5
    food = CommodityGroup.objects.get(code="makanan-minuman")
    client.force_login(admin_user)
    url = reverse("proposals:cycle_edit", kwargs={"pk": cycle.pk})
    page = client.get(url)
    forms = page.context["formset"].forms
    first, second = forms[0].prefix, forms[1].prefix
    new = f"checklist-{page.context['formset'].initial_form_count()}"
    data = _edit_post(
        cycle,
        page,
        name="OVOP 2026 (revisi)",
        star_scale="3",
        commodities=[food.pk],
        **{
            f"{first}-label": "SK bupati",
            f"{second}-DELETE": "on",
            f"{new}-code": "extra",
            f"{new}-label": "Dokumen tambahan",
            f"{new}-position": "9",
        },
    )

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:round_list")
    cycle.refresh_from_db()
    assert _said(response) == _in_indonesian("%(name)s saved.", name="OVOP 2026 (revisi)")
    assert (cycle.name, cycle.star_scale) == ("OVOP 2026 (revisi)", 3)
    assert list(cycle.commodities.all()) == [food]
    codes = dict(cycle.checklist.values_list("code", "label"))
    assert codes[forms[0].instance.code] == "SK bupati"
    assert forms[1].instance.code not in codes
    assert codes["extra"] == "Dokumen tambahan"
    assert StarBand.objects.filter(cycle=cycle).count() == 3
    latest = cycle.history.first()
    assert (latest.history_type, latest.history_user, latest.name) == (
        "~",
        admin_user,
        "OVOP 2026 (revisi)",
    )


def test_a_new_cycle_on_screen_gets_its_rubric_bands(client, admin_user):
    client.force_login(admin_user)
    data = {
        "year": "2028",
        "name": "OVOP 2028",
        "star_scale": "5",
        "checklist-TOTAL_FORMS": "0",
        "checklist-INITIAL_FORMS": "0",
        "checklist-MIN_NUM_FORMS": "0",
        "checklist-MAX_NUM_FORMS": "1000",
    }
    assert client.post(reverse("proposals:cycle_create"), data).status_code == 302
    cycle = Cycle.objects.get(year=2028)
    assert StarBand.objects.filter(cycle=cycle).count() == 5
    assert [(r.history_type, r.history_user) for r in cycle.history.all()] == [("+", admin_user)]


def test_a_new_star_scale_through_the_api_gets_its_bands(api_client, admin_user):
    cycle = make_cycle()
    api_client.force_authenticate(admin_user)
    response = api_client.patch(
        f"/api/v1/cycles/{cycle.pk}/", {"star_scale": 3, "name": "OVOP 2026 A"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["star_scale"], response.json()["name"]) == (3, "OVOP 2026 A")
    cycle.refresh_from_db()
    assert (cycle.star_scale, cycle.name) == (3, "OVOP 2026 A")
    assert StarBand.objects.filter(cycle=cycle).count() == 3


def test_the_verifier_changes_the_round_on_screen(client, verifier):
    round_ = make_round()
    client.force_login(verifier)
    url = reverse("proposals:round_edit", kwargs={"pk": round_.pk})
    data = {
        "opens_at": "2026-12-01T08:00",
        "deadline": "2026-12-31T23:59",
        "min_per_regency": "1",
        "max_per_regency": "4",
    }

    response = client.post(url, data)

    assert response["Location"] == reverse("proposals:compliance", kwargs={"pk": round_.pk})
    assert _said(response) == _in_indonesian("Changes saved.")
    round_.refresh_from_db()
    assert (round_.min_per_regency, round_.max_per_regency) == (1, 4)
    latest = round_.history.first()
    assert (latest.history_type, latest.history_user) == ("~", verifier)


def test_the_verifier_opens_a_round_on_screen(client, verifier):
    cycle = make_cycle()
    client.force_login(verifier)
    data = {"opens_at": "2026-12-01T08:00", "deadline": "2026-12-31T23:59", "min_per_regency": "2"}

    response = client.post(reverse("proposals:round_create", kwargs={"cycle_pk": cycle.pk}), data)

    round_ = cycle.rounds.get()
    assert response["Location"] == reverse("proposals:compliance", kwargs={"pk": round_.pk})
    assert _said(response) == _in_indonesian(
        "Round opened for %(province)s.", province=round_.province.name
    )
    assert [(r.history_type, r.history_user) for r in round_.history.all()] == [("+", verifier)]
