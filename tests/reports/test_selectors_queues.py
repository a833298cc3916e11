"""The work queue on each persona's home page: counts, links, deadlines, scope, language."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from ovop.centres.models import Certificate
from ovop.proposals.models import Proposal, Round
from ovop.reports.selectors.queues import tasks_for
from tests.factories import CentreFactory, make_cycle, make_proposal, make_round
from tests.reports.queues_builders import (
    RETURN_REASON,
    add_proposal,
    add_returned,
    expected,
    proposals,
    queue_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def queues(module_world):
    return queue_world(module_world)


# What each persona reads, in Indonesian and in English.
LABELS = {
    "operator": [
        ("Draf usulan untuk dilengkapi dan diajukan", "Draft proposals to finish and submit"),
        ("Usulan dikembalikan untuk perbaikan", "Proposals returned for revision"),
        ("0 dari 2 usulan diajukan", "0 of 2 proposals submitted"),
        (
            "Sertifikat kedaluwarsa atau berakhir dalam 90 hari",
            "Certificates expired or expiring within 90 days",
        ),
    ],
    "operator_neighbour": [("1 dari 2 usulan diajukan", "1 of 2 proposals submitted")],
    "verifier": [
        ("Usulan untuk diperiksa", "Proposals to check"),
        (
            "Usulan terverifikasi untuk diteruskan dengan surat pengantar",
            "Verified proposals to forward with a cover letter",
        ),
        (
            "Kabupaten/kota di bawah minimal 2 usulan",
            "Regencies/cities below the minimum of 2 proposals",
        ),
    ],
    "admin": [
        (
            "Usulan diteruskan yang menunggu seleksi administrasi",
            "Forwarded proposals awaiting screening",
        ),
        (
            "Penilaian yang ditugaskan tetapi belum dikirim",
            "Assessments assigned but not submitted",
        ),
        ("Penetapan tertunda untuk diterbitkan", "Pending decisions to publish"),
    ],
    "assessor": [
        ("Usulan yang ditugaskan dan belum dinilai", "Assigned proposals not scored yet"),
        ("Draf penilaian untuk dilengkapi dan dikirim", "Draft assessments to finish and submit"),
    ],
    "viewer": [
        ("Usulan antara pengajuan dan penetapan", "Proposals between submission and decision"),
        ("Sekilas", "At a glance"),
    ],
}


def shown_tasks(html: str) -> dict[str, str]:
    """task key → the HTML of its queue entry on the home page."""
    return dict(
        re.findall(r'<li data-task="([a-z_]+)">(.*?)(?=<li data-task=|</section>)', html, re.S)
    )


def shown_count(chunk: str) -> int:
    found = re.search(r'class="badge task-count">([\d.]+)<', chunk)
    assert found, chunk
    return int(found.group(1).replace(".", ""))


def home_page(persona_client, persona: str, language: str) -> str:
    client = persona_client(persona)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return response.content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("persona", sorted(LABELS))
def test_home_page_shows_the_personas_queue(queues, persona_client, persona, language):
    page = home_page(persona_client, persona, language)
    tasks = shown_tasks(page)
    assert set(tasks) == set(expected(queues)[persona])
    for key, (count, url) in expected(queues)[persona].items():
        assert shown_count(tasks[key]) == count, key
        assert f'href="{url}"' in tasks[key], key
    for indonesian, english in LABELS[persona]:
        assert (english if language == "en" else indonesian) in page
        assert (indonesian if language == "en" else english) not in page


@pytest.mark.parametrize("language", ["id", "en"])
def test_home_page_gives_the_round_deadline_with_the_quota(queues, persona_client, language):
    page = home_page(persona_client, "operator", language)
    deadline = timezone.localdate(queues["round"].deadline)
    with translation.override(language):
        date = formats.date_format(deadline, "DATE_FORMAT")
    word = "deadline" if language == "en" else "batas"
    assert f"{word} {date}" in shown_tasks(page)["quota"]


def test_returned_proposals_are_listed_with_the_reason(queues, persona_client):
    returned = shown_tasks(home_page(persona_client, "operator", "id"))["returned"]
    assert RETURN_REASON in returned
    assert queues["returned_neighbour"].centre.name not in returned


def test_queue_puts_the_nearest_deadline_first(queues):
    keys = [task.key for task in tasks_for(queues["operator"])]
    assert keys == ["certificates", "drafts", "returned", "quota"]


def test_operator_never_counts_another_regencys_proposals(queues):
    mine = {task.key: task for task in tasks_for(queues["operator"])}
    theirs = {task.key: task for task in tasks_for(queues["operator_neighbour"])}
    assert (mine["drafts"].count, theirs["drafts"].count) == (1, 2)
    assert [detail.text for detail in mine["returned"].details] != [
        detail.text for detail in theirs["returned"].details
    ]
    assert "certificates" not in theirs


def test_verifier_never_counts_another_provinces_proposals(queues):
    other = {task.key: task.count for task in tasks_for(queues["verifier_other"])}
    assert other["to_verify"] == 1  # their own province's one, not Kalimantan Selatan's
    assert "to_forward" not in other
    assert other["below_quota"] == 10  # all of Kalimantan Timur's regencies/cities


def test_a_verifier_with_two_rounds_to_forward_goes_to_the_filtered_list(queues):
    second = make_round(cycle=make_cycle(year=2027, name="OVOP 2027"))
    make_proposal(round_=second, centre=CentreFactory(region_id="63.05.01"), state="verified")
    forward = {task.key: task for task in tasks_for(queues["verifier"])}["to_forward"]
    assert (forward.count, forward.url) == (2, proposals(state="verified"))


def test_nothing_waiting_says_so(persona_client, queues):
    Proposal.objects.filter(regency_id="63.03").update(state="withdrawn")
    Round.objects.filter(pk=queues["round"].pk).update(min_per_regency=0)
    Certificate.objects.filter(number="BANJAR-SOON").delete()
    page = home_page(persona_client, "operator", "id")
    assert shown_tasks(page) == {}
    assert "Tidak ada pekerjaan yang menunggu Anda saat ini." in page


def _more_work(world) -> None:
    """Ten more of everything, so a query count that grows with rows shows."""
    for _ in range(10):
        add_proposal(world, "63.03.01", "draft")
        add_returned(world, "63.03.01")
        add_proposal(world, "63.05.01", "submitted")
        add_proposal(world, "63.05.01", "verified")
        add_proposal(world, "63.05.01", "forwarded")


@pytest.mark.parametrize("persona", sorted(LABELS))
def test_home_page_query_count_is_bounded(
    queues, persona_client, persona, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        home_page(persona_client, persona, "id")
    _more_work(queues)
    with django_assert_max_num_queries(16):
        home_page(persona_client, persona, "id")
