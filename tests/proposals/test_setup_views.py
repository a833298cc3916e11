from django.urls import reverse

from ovop.proposals.models import Cycle, Round
from tests.factories import make_cycle


def checklist_management(total: int = 0) -> dict:
    return {
        "checklist-TOTAL_FORMS": str(total),
        "checklist-INITIAL_FORMS": "0",
        "checklist-MIN_NUM_FORMS": "0",
        "checklist-MAX_NUM_FORMS": "1000",
    }


def test_admin_sets_up_a_cycle_with_its_checklist(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("proposals:cycle_create"))
    assert page.context["formset"].forms[0].initial["code"] == "decree"
    data = {
        "year": "2027",
        "name": "Penilaian OVOP 2027",
        "star_scale": "3",
        "status": "setup",
        **checklist_management(1),
        "checklist-0-code": "decree",
        "checklist-0-label": "SK penetapan sentra",
        "checklist-0-required": "on",
        "checklist-0-position": "0",
    }
    assert client.post(reverse("proposals:cycle_create"), data).status_code == 302
    cycle = Cycle.objects.get(year=2027)
    assert (cycle.star_scale, list(cycle.checklist.values_list("code", flat=True))) == (
        3,
        ["decree"],
    )


def test_verifier_opens_the_round_and_deadline_must_follow_opening(client, verifier):
    cycle = make_cycle()
    client.force_login(verifier)
    url = reverse("proposals:round_create", kwargs={"cycle_pk": cycle.pk})
    bad = {"opens_at": "2026-12-10T08:00", "deadline": "2026-12-01T23:59", "min_per_regency": "2"}
    assert "deadline" in client.post(url, bad).context["form"].errors
    good = {**bad, "deadline": "2026-12-31T23:59"}
    assert client.post(url, good).status_code == 302
    round_ = Round.objects.get()
    assert round_.province_id == "63"
    assert round_.deadline.isoformat().startswith("2026-12-31T15:59")  # 23.59 WITA in UTC
