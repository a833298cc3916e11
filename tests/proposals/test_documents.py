"""A proposal's documents: uploaded by its operator, checked by the province's verifier,
both through ``ovop.proposals.services.proposals`` (``upload_document``, ``check_document``)."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ovop.common.refusals import Refused
from ovop.proposals.services.proposals import upload_document
from tests.conftest import TINY_PDF
from tests.factories import make_proposal


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("sk.pdf", TINY_PDF, content_type="application/pdf")


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _said(text: str) -> list[str]:
    """``text`` as the screens say it (in Indonesian, the users' language)."""
    with translation.override("id"):
        return [translation.gettext(text)]


def test_a_new_upload_replaces_the_file_and_waits_for_the_check_again(
    client, operator, verifier, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="returned", checked=True)
    document = proposal.documents.get(item__code="decree")
    document.note = "Stempel kurang jelas"
    document.checked_by = verifier
    document.save()
    client.force_login(operator)
    url = reverse("proposals:document_upload", kwargs={"pk": proposal.pk})

    response = client.post(url, {"item": document.item_id, "file": _pdf()})

    assert response["Location"] == reverse("proposals:detail", kwargs={"pk": proposal.pk})
    assert _messages(response) == _said("Document uploaded.")
    document.refresh_from_db()
    assert document.file.name != "proposals/decree.pdf"
    assert (document.check_result, document.note, document.checked_by) == ("pending", "", None)
    assert proposal.documents.count() == proposal.round.cycle.checklist.count()
    latest = document.history.first()
    assert (latest.history_type, latest.history_user) == ("~", operator)


def test_a_first_upload_is_recorded_with_its_uploader(client, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(documents=False)
    item = proposal.round.cycle.checklist.get(code="nib")
    client.force_login(operator)

    client.post(
        reverse("proposals:document_upload", kwargs={"pk": proposal.pk}),
        {"item": item.pk, "file": _pdf()},
    )

    document = proposal.documents.get()
    assert (document.item, document.check_result) == (item, "pending")
    # Created with its file, then saved with its check reset: two entries, both the operator's.
    assert [(r.history_type, r.history_user) for r in document.history.all()] == [
        ("~", operator),
        ("+", operator),
    ]


def test_a_submitted_proposal_takes_no_new_document(client, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="submitted")
    item = proposal.round.cycle.checklist.get(code="decree")
    client.force_login(operator)

    response = client.post(
        reverse("proposals:document_upload", kwargs={"pk": proposal.pk}),
        {"item": item.pk, "file": _pdf()},
    )

    assert response["Location"] == reverse("proposals:detail", kwargs={"pk": proposal.pk})
    assert _messages(response) == _said("Only drafts and returned proposals take new documents.")
    assert proposal.documents.get(item=item).file.name == "proposals/decree.pdf"


def test_the_upload_service_refuses_a_proposal_no_longer_editable(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="verified")
    item = proposal.round.cycle.checklist.get(code="decree")
    with translation.override("en"), pytest.raises(Refused, match="Only drafts and returned"):
        upload_document(proposal=proposal, item=item, file=_pdf())
    assert proposal.documents.get(item=item).file.name == "proposals/decree.pdf"


def test_a_check_records_its_verifier_in_the_document_and_its_history(
    client, verifier, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="submitted")
    document = proposal.documents.first()
    client.force_login(verifier)

    response = client.post(
        reverse("proposals:document_check", kwargs={"pk": document.pk}),
        {"check_result": "not_ok", "note": "Tanda tangan belum ada"},
    )

    assert response["Location"] == reverse("proposals:detail", kwargs={"pk": proposal.pk})
    assert _messages(response) == _said("Check saved.")
    document.refresh_from_db()
    assert (document.check_result, document.note, document.checked_by) == (
        "not_ok",
        "Tanda tangan belum ada",
        verifier,
    )
    assert document.history.first().history_user == verifier
