"""The assessor's screens: my assignments, the scoring screen and recusal."""

import io

import pytest
import python_calamine
from django.urls import reverse
from django.utils import timezone

from ovop.evaluation.models import Assessment, Rubric
from ovop.evaluation.services.scoring import save_assessment
from tests.evaluation.helpers import (
    assign_directly,
    assigned_world,
    levels,
    make_assessor,
    make_eligible,
    submit_directly,
)
from tests.factories import CentreFactory, make_cycle, make_proposal, make_round

# The Banjar centre's registry data implies K2.2 = 2 (one valid certificate kind),
# K3.1 = 4 (national market reach) and K4.2 = 3 (35 workers).
OVERRIDE_COMMENTS = {"K2.2": "Sertifikat lain sedang diurus", "K4.2": "Pelatihan rutin"}


@pytest.fixture
def english(client):
    client.cookies["ovop_language"] = "en"
    return client


@pytest.fixture
def setup(world):
    return assigned_world(world)


def score_url(assignment) -> str:
    return reverse("evaluation:score", kwargs={"pk": assignment.pk})


def form_data(chosen: dict[str, int], *, action: str = "draft", comments=None, **extra) -> dict:
    data = {f"level-{code}": str(level) for code, level in chosen.items()}
    data.update({f"comment-{code}": text for code, text in (comments or {}).items()})
    data["action"] = action
    data.update(extra)
    return data


def another_assignment(world, assessor, name: str, district: str = "63.05.01"):
    centre = CentreFactory(name=name, region_id=district)
    proposal = make_eligible(make_proposal(round_=world["round"], centre=centre))
    return assign_directly(proposal, assessor, by=world["admin"])


# --- My assignments -------------------------------------------------------------------------


def test_my_assignments_lists_status_total_and_links(client, world, setup):
    assessor = setup["assessor"]
    drafted = another_assignment(world, assessor, "Sentra Draf")
    save_assessment(assignment=drafted, actor=assessor, levels={"K1.1": 5, "K3.1": 4})
    submitted = another_assignment(world, assessor, "Sentra Kirim")
    submit_directly(submitted, levels(4))
    recused = another_assignment(world, assessor, "Sentra Mundur")
    recused.recused_at, recused.recusal_reason = timezone.now(), "Kerabat pemilik"
    recused.save()
    client.force_login(assessor)
    response = client.get(reverse("evaluation:my_assignments"))
    assert response.status_code == 200
    rows = {row.proposal.centre.name: row for row in response.context["rows"]}
    assert rows["Sentra Banjar"].status == "not_started"
    assert rows["Sentra Banjar"].total is None
    assert rows["Sentra Draf"].status == "draft"
    assert rows["Sentra Draf"].total == pytest.approx(10 * 5 / 5 + 15 * 4 / 5)
    assert rows["Sentra Kirim"].status == "submitted"
    assert rows["Sentra Kirim"].total == pytest.approx(80.0)
    assert rows["Sentra Mundur"].status == "recused"
    html = response.content.decode()
    assert score_url(setup["assignment"]) in html
    assert score_url(drafted) in html
    assert score_url(recused) not in html  # a recused assignment is no longer scored
    assert reverse("evaluation:sheet_export") in html
    assert reverse("evaluation:sheet_import") in html
    assert "style=" not in html


def test_my_assignments_newest_cycle_first(client, world, setup):
    newer_round = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    centre = CentreFactory(name="Sentra Baru", region_id="63.05.01")
    newer = make_eligible(make_proposal(round_=newer_round, centre=centre))
    assign_directly(newer, setup["assessor"], by=world["admin"])
    client.force_login(setup["assessor"])
    rows = client.get(reverse("evaluation:my_assignments")).context["rows"]
    assert [row.proposal.round.cycle.year for row in rows] == [2027, 2026]


def test_my_assignments_search_and_status_filter(client, world, setup):
    assessor = setup["assessor"]
    drafted = another_assignment(world, assessor, "Sentra Rotan")
    save_assessment(assignment=drafted, actor=assessor, levels={"K1.1": 3})
    client.force_login(assessor)
    url = reverse("evaluation:my_assignments")
    found = client.get(url, {"q": "rotan"}).context["rows"]
    assert [row.proposal.centre.name for row in found] == ["Sentra Rotan"]
    drafts = client.get(url, {"status": "draft"}).context["rows"]
    assert [row.assignment.pk for row in drafts] == [drafted.pk]
    not_started = client.get(url, {"status": "not_started"}).context["rows"]
    assert [row.assignment.pk for row in not_started] == [setup["assignment"].pk]


def test_my_assignments_export_csv_and_xlsx(client, world, setup):
    assessor = setup["assessor"]
    save_assessment(assignment=setup["assignment"], actor=assessor, levels={"K1.1": 5})
    client.force_login(assessor)
    url = reverse("evaluation:my_assignments")
    response = client.get(url, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert "Sentra Banjar" in lines[1]
    assert ",10" in lines[1]
    response = client.get(url, {"format": "xlsx"})
    content = b"".join(response.streaming_content)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    grid = book.get_sheet_by_index(0).to_python()
    assert grid[1][0] == setup["assignment"].pk
    assert grid[1][3] == "Sentra Banjar"


def test_my_assignments_export_holds_only_own_rows(client, world, setup):
    other = make_assessor("penilai-lain")
    another_assignment(world, other, "Sentra Orang Lain")
    client.force_login(setup["assessor"])
    response = client.get(reverse("evaluation:my_assignments"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Sentra Orang Lain" not in text
    assert "Sentra Banjar" in text


def test_my_assignments_queries_do_not_grow_with_rows(
    client, world, setup, django_assert_max_num_queries
):
    assessor = setup["assessor"]
    client.force_login(assessor)
    url = reverse("evaluation:my_assignments")
    client.get(url)  # warm the session and the rubric
    with django_assert_max_num_queries(8):
        assert len(client.get(url).context["rows"]) == 1
    for number in range(12):
        assignment = another_assignment(world, assessor, f"Sentra {number}")
        save_assessment(assignment=assignment, actor=assessor, levels={"K1.1": 4})
    with django_assert_max_num_queries(8):
        assert len(client.get(url).context["rows"]) == 13


@pytest.mark.parametrize("persona", ["admin", "operator", "verifier", "viewer"])
def test_my_assignments_refused_to_non_assessors(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("evaluation:my_assignments")).status_code == 403


# --- The scoring screen ---------------------------------------------------------------------


def test_score_screen_shows_descriptors_and_suggested_levels(english, setup):
    english.force_login(setup["assessor"])
    response = english.get(score_url(setup["assignment"]))
    html = response.content.decode()
    assert response.status_code == 200
    # Every level's descriptor is on the page, in the reader's language.
    assert "Local raw material below 20%" in html
    assert "Local raw material 80% or more" in html
    groups = response.context["groups"]
    assert [group.code for group in groups] == ["K1", "K2", "K3", "K4"]
    rows = {row.sub.code: row for group in groups for row in group.rows}
    assert len(rows) == 11
    assert all(len(row.choices) == 5 for row in rows.values())
    market = rows["K3.1"]
    assert market.suggestion.level == 4
    assert market.suggestion.reason in html
    assert "National" in market.suggestion.reason
    assert "Suggested: level 4" in html
    # Nothing saved yet: each suggestion is preselected, nothing else is.
    assert [c.value for c in market.choices if c.checked] == [4]
    assert [c.value for c in rows["K2.2"].choices if c.checked] == [2]
    assert not any(c.checked for c in rows["K1.1"].choices)


def test_score_screen_shows_dossier(client, world, setup):
    client.force_login(setup["assessor"])
    html = client.get(score_url(setup["assignment"])).content.decode()
    centre = world["centre_banjar"]
    assert centre.main_product in html
    assert centre.kbli in html
    assert "Rp\xa01.250.000.000" in html  # production value in rupiah, Indonesian grouping
    assert centre.decree_number in html
    assert world["enterprise_banjar"].name in html
    certificate = world["enterprise_banjar"].certificates.get()
    assert certificate.number in html
    assert reverse("proposals:document_file", args=[world["proposal_document_banjar"].pk]) in html
    assert reverse("centres:document_file", args=[world["document_banjar"].pk]) in html
    assert reverse("centres:photo_thumbnail", args=[world["photo_banjar"].pk]) in html


def test_score_screen_assessor_can_open_dossier_files(client, world, setup):
    client.force_login(setup["assessor"])
    for url in (
        reverse("centres:photo_thumbnail", args=[world["photo_banjar"].pk]),
        reverse("centres:document_file", args=[world["document_banjar"].pk]),
        reverse("proposals:document_file", args=[world["proposal_document_banjar"].pk]),
    ):
        response = client.get(url)
        b"".join(response.streaming_content)
        assert response.status_code == 200, url


def test_score_screen_running_total_and_script_without_inline_code(client, setup):
    client.force_login(setup["assessor"])
    response = client.get(score_url(setup["assignment"]))
    html = response.content.decode()
    # Suggestions preselected: K2.2 = 2, K3.1 = 4, K4.2 = 3 → 10×2/5 + 15×4/5 + 5×3/5.
    assert response.context["total"] == pytest.approx(4 + 12 + 3)
    assert 'id="running-total"' in html
    assert "19,0" in html
    assert 'src="/static/evaluation/scoring.js" defer' in html
    assert 'data-weight="15"' in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "onclick" not in html


def test_score_save_draft_then_submit(english, setup):
    assignment, assessor = setup["assignment"], setup["assessor"]
    english.force_login(assessor)
    url = score_url(assignment)
    response = english.post(url, form_data({"K1.1": 5, "K3.1": 4}, general_comment="Awal"))
    assert response.status_code == 302
    assert response["Location"] == url
    draft = Assessment.objects.get(assignment=assignment)
    assert draft.levels == {"K1.1": 5, "K3.1": 4}
    assert draft.submitted_at is None
    assert draft.general_comment == "Awal"
    page = english.get(url)
    assert "Draft saved" in page.content.decode()
    rows = {row.sub.code: row for group in page.context["groups"] for row in group.rows}
    assert [c.value for c in rows["K1.1"].choices if c.checked] == [5]

    chosen = levels(4)
    response = english.post(
        url, form_data(chosen, action="submit", comments=OVERRIDE_COMMENTS, confirmed="1")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.submitted_at is not None
    assert draft.levels == chosen
    assert draft.comments == OVERRIDE_COMMENTS
    page = english.get(url)
    html = page.content.decode()
    assert page.context["read_only"] is True
    assert 'id="submitted-notice"' in html
    assert "can no longer change" in html
    assert "<fieldset disabled" in html
    assert 'value="submit"' not in html


def test_score_first_submission_locks_the_rubric(client, world, setup):
    rubric = Rubric.objects.get(cycle=world["cycle"])
    assert rubric.locked_at is None
    client.force_login(setup["assessor"])
    client.post(
        score_url(setup["assignment"]),
        form_data(levels(4), action="submit", comments=OVERRIDE_COMMENTS, confirmed="1"),
    )
    rubric.refresh_from_db()
    assert rubric.locked_at is not None


def test_score_submit_needs_the_confirmation_tick(english, setup):
    english.force_login(setup["assessor"])
    response = english.post(
        score_url(setup["assignment"]),
        form_data(levels(4), action="submit", comments=OVERRIDE_COMMENTS),
    )
    assert response.status_code == 200
    assert "I have checked every level" in response.context["refusal"].message
    assert not Assessment.objects.exists()


def test_score_override_without_comment_is_refused_and_nothing_saved(english, setup):
    assignment, assessor = setup["assignment"], setup["assessor"]
    save_assessment(assignment=assignment, actor=assessor, levels={"K1.1": 2})
    english.force_login(assessor)
    chosen = levels(4)  # K2.2 suggested 2 and K4.2 suggested 3: both overridden
    response = english.post(
        score_url(assignment),
        form_data(chosen, action="submit", comments={"K4.2": "Pelatihan"}, confirmed="1"),
    )
    assert response.status_code == 200
    assert set(response.context["refusal"].errors) == {"K2.2"}
    rows = {row.sub.code: row for group in response.context["groups"] for row in group.rows}
    assert "instead of the suggested 2" in rows["K2.2"].error
    assert rows["K2.2"].overrides_suggestion
    html = response.content.decode()
    assert 'id="sub-k22"' in html
    assert 'aria-invalid="true"' in html
    # The form keeps what was typed, and the database keeps the old draft.
    assert [c.value for c in rows["K1.1"].choices if c.checked] == [4]
    assessment = Assessment.objects.get(assignment=assignment)
    assert assessment.levels == {"K1.1": 2}
    assert assessment.submitted_at is None


def test_score_invalid_level_is_shown_beside_its_subcriterion(english, setup):
    english.force_login(setup["assessor"])
    response = english.post(score_url(setup["assignment"]), form_data({"K1.1": 9}))
    rows = {row.sub.code: row for group in response.context["groups"] for row in group.rows}
    assert "choose a level from 1 to 5" in rows["K1.1"].error
    assert not Assessment.objects.exists()


def test_submitted_assessment_cannot_be_changed_on_the_screen(english, setup):
    assignment = setup["assignment"]
    submitted = submit_directly(assignment, levels(3))
    english.force_login(setup["assessor"])
    response = english.post(score_url(assignment), form_data(levels(5), confirmed="1"))
    assert response.status_code == 200
    assert "can no longer change" in response.context["refusal"].message
    assert response.context["read_only"] is True
    submitted.refresh_from_db()
    assert submitted.levels == levels(3)


def test_score_closed_when_the_proposal_is_no_longer_eligible(english, setup):
    proposal = setup["proposal"]
    proposal.state = "rated"
    proposal.save(update_fields=["state"])
    english.force_login(setup["assessor"])
    page = english.get(score_url(setup["assignment"]))
    assert page.context["read_only"] is True
    assert 'id="closed-notice"' in page.content.decode()
    response = english.post(score_url(setup["assignment"]), form_data({"K1.1": 3}))
    assert "Scoring is closed" in response.context["refusal"].message
    assert not Assessment.objects.exists()


def test_score_another_assessors_assignment_is_404(client, world, setup):
    other = make_assessor("penilai-lain")
    client.force_login(other)
    url = score_url(setup["assignment"])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data({"K1.1": 3})).status_code == 404
    assert not Assessment.objects.exists()


def test_score_recused_assignment_is_403(client, setup):
    assignment = setup["assignment"]
    assignment.recused_at, assignment.recusal_reason = timezone.now(), "Kerabat"
    assignment.save()
    client.force_login(setup["assessor"])
    assert client.get(score_url(assignment)).status_code == 403
    assert client.post(score_url(assignment), form_data({"K1.1": 3})).status_code == 403
    assert not Assessment.objects.exists()


def test_score_admin_sees_but_may_not_score(client, world, setup):
    client.force_login(world["admin"])
    url = score_url(setup["assignment"])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data({"K1.1": 3})).status_code == 403


# --- Recusal --------------------------------------------------------------------------------


def test_recuse_needs_a_reason(english, setup):
    assignment = setup["assignment"]
    english.force_login(setup["assessor"])
    response = english.post(reverse("evaluation:recuse", args=[assignment.pk]), {"reason": " "})
    assert response.status_code == 302
    assert response["Location"] == score_url(assignment)
    assignment.refresh_from_db()
    assert assignment.recused_at is None


def test_recuse_records_the_reason_and_returns_to_the_list(english, setup):
    assignment = setup["assignment"]
    english.force_login(setup["assessor"])
    response = english.post(
        reverse("evaluation:recuse", args=[assignment.pk]), {"reason": "Saudara pemilik"}
    )
    assert response["Location"] == reverse("evaluation:my_assignments")
    assignment.refresh_from_db()
    assert assignment.recused_at is not None
    assert assignment.recusal_reason == "Saudara pemilik"
    page = english.get(response["Location"])
    assert "You recused from Sentra Banjar" in page.content.decode()


def test_recuse_scoping(client, world, setup):
    url = reverse("evaluation:recuse", args=[setup["assignment"].pk])
    client.force_login(make_assessor("penilai-lain"))
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(world["admin"])
    assert client.post(url, {"reason": "x"}).status_code == 403
    setup["assignment"].refresh_from_db()
    assert setup["assignment"].recused_at is None


def test_recuse_after_submission_is_refused(english, setup):
    assignment = setup["assignment"]
    submit_directly(assignment)
    english.force_login(setup["assessor"])
    english.post(reverse("evaluation:recuse", args=[assignment.pk]), {"reason": "Terlambat"})
    assignment.refresh_from_db()
    assert assignment.recused_at is None
