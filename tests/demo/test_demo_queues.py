"""The demo gives every persona work on their home page, as issue 15 describes it."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from ovop.accounts.models import User

# username → task key → count, in the seeded demo (see ovop/demo/proposals.py PATHS).
DEMO_QUEUES = {
    # Banjar: a draft, a proposal returned with its reason, 0 of 2 submitted, 2 certificates.
    "operator-6303": {"drafts": 1, "returned": 1, "quota": 2, "certificates": 2},
    # Kalimantan Selatan: 6 submitted, 3 verified not forwarded, 5 kab/kota below 2.
    "verifikator-63": {"to_verify": 6, "to_forward": 3, "below_quota": 5},
    # 4 forwarded to screen; 6 of the 2026 cycle's 9 assessments not submitted; 3 pending
    # decisions (publishing them is refused until the gaps are dealt with).
    "admin": {"to_screen": 4, "assessments_outstanding": 6, "decisions_to_publish": 3},
    "penilai-3": {"to_score": 2, "drafts_to_submit": 1},
    "pimpinan": {"proposals_in_progress": 17, "rated": 9},
}
LABELS = {
    "id": ["Usulan dikembalikan untuk perbaikan", "Usulan untuk diperiksa", "0 dari 2 usulan"],
    "en": ["Proposals returned for revision", "Proposals to check", "0 of 2 proposals"],
}


def queue_on_home(username: str, language: str) -> tuple[dict[str, int], str]:
    client = Client()
    client.force_login(User.objects.get(username=username))
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    found = re.findall(
        r'<li data-task="([a-z_]+)">\s*<span class="badge task-count">([\d.]+)<', html
    )
    return {key: int(count.replace(".", "")) for key, count in found}, html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_demo_persona_has_the_queue_the_issue_describes(settings, tmp_path, language):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    pages = ""
    for username, expected in DEMO_QUEUES.items():
        shown, html = queue_on_home(username, language)
        assert {key: shown[key] for key in expected} == expected, username
        pages += html
    for label in LABELS[language]:
        assert label in pages
