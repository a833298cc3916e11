from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ovop.proposals.models import Proposal
from tests.conftest import TINY_PDF
from tests.factories import CentreFactory, make_proposal, make_round


def test_operator_drafts_a_proposal_on_screen(client, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_round()
    centre = CentreFactory()
    client.force_login(operator)
    response = client.post(
        reverse("proposals:create"), {"centre": centre.pk, "featured_products": "Sasirangan"}
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("proposals:detail", kwargs={"pk": proposal.pk})
    assert proposal.state == "draft"


def test_upload_accepts_pdf_and_refuses_anything_else(client, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(documents=False)
    item = proposal.round.cycle.checklist.get(code="decree")
    client.force_login(operator)
    url = reverse("proposals:document_upload", kwargs={"pk": proposal.pk})
    fake = SimpleUploadedFile("sk.pdf", b"not a pdf at all", content_type="application/pdf")
    client.post(url, {"item": item.pk, "file": fake})
    assert not proposal.documents.exists()
    real = SimpleUploadedFile("sk.pdf", TINY_PDF, content_type="application/pdf")
    client.post(url, {"item": item.pk, "file": real})
    assert proposal.documents.get().item == item


def test_workflow_on_screen_with_a_refusal_message(client, operator, verifier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal()
    proposal.documents.filter(item__code="photos").delete()
    client.force_login(operator)
    move = reverse("proposals:move", kwargs={"pk": proposal.pk, "action": "submit"})
    page = client.post(move, follow=True)
    assert "Foto produk" in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "draft"


def test_verifier_checks_documents_then_verifies(client, verifier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="submitted")
    client.force_login(verifier)
    for document in proposal.documents.all():
        client.post(
            reverse("proposals:document_check", kwargs={"pk": document.pk}),
            {"check_result": "ok", "note": ""},
        )
    client.post(reverse("proposals:move", kwargs={"pk": proposal.pk, "action": "verify"}))
    proposal.refresh_from_db()
    assert proposal.state == "verified"


def test_operator_cannot_check_documents(client, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="submitted")
    client.force_login(operator)
    document = proposal.documents.first()
    url = reverse("proposals:document_check", kwargs={"pk": document.pk})
    assert client.post(url, {"check_result": "ok"}).status_code == 403


def test_returned_proposal_shows_the_reason_to_the_operator(
    client, operator, verifier, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    proposal = make_proposal(state="submitted")
    client.force_login(verifier)
    client.post(
        reverse("proposals:move", kwargs={"pk": proposal.pk, "action": "return"}),
        {"reason": "Foto produk kurang jelas"},
    )
    client.force_login(operator)
    page = client.get(reverse("proposals:detail", kwargs={"pk": proposal.pk})).content.decode()
    assert "Foto produk kurang jelas" in page


def test_list_query_count_is_constant(
    client, admin_user, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    round_ = make_round()
    make_proposal(round_=round_)
    client.force_login(admin_user)
    with django_assert_max_num_queries(8):
        client.get(reverse("proposals:list"))
    for _ in range(20):
        make_proposal(round_=round_)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("proposals:list")).context["page"].paginator.count == 21


def test_compliance_page_and_export(client, verifier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = make_round()
    make_proposal(round_=round_, state="submitted")
    client.force_login(verifier)
    url = reverse("proposals:compliance", kwargs={"pk": round_.pk})
    assert len(client.get(url).context["rows"]) == 13
    export = client.get(url, {"format": "xlsx"})
    assert b"".join(export.streaming_content)[:2] == b"PK"


def test_national_compliance_lists_every_regency_in_constant_queries(
    client, admin_user, django_assert_max_num_queries
):
    round_ = make_round()
    client.force_login(admin_user)
    url = reverse("proposals:national_compliance", kwargs={"pk": round_.cycle_id})
    with django_assert_max_num_queries(8):
        rows = client.get(url).context["rows"]
    assert len(rows) == 514
    banjar = next(row for row in rows if row.regency == "63.03")
    assert (banjar.required, banjar.compliant) == (2, False)
    assert next(row for row in rows if row.regency == "11.01").compliant is None
