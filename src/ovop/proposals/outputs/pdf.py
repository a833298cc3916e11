"""The official PDFs: the province's cover letter and a proposal's dossier summary.

WeasyPrint is imported only when a PDF is made: it needs Pango from the operating system,
and the rest of the application must keep working on a machine without it.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, cast

from django.db.models import Field, Prefetch
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format

from ovop.proposals.models import Proposal, ProposalDocument
from ovop.proposals.models.letters import CoverLetter, Letterhead

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: django-stubs is a dev dependency

PDF_CONTENT_TYPE = "application/pdf"
# Official documents are written in Indonesian, whatever language the person asking uses.
DOCUMENT_LANGUAGE = "id"


class PdfUnavailable(RuntimeError):  # noqa: N818  renaming ripples into 3 apps, tests
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def html_to_pdf(html: str) -> bytes:
    try:
        import weasyprint  # noqa: PLC0415  heavy and optional: loads only when a PDF is made
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            "PDF documents need WeasyPrint and the Pango library "
            "(Debian: apt install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; "
            f"pip install weasyprint). Loading it failed: {error}"
        ) from error
    # The templates never link anything; refusing every fetch means text typed by a user
    # can never make the server read a local file or call another host.
    try:
        from weasyprint.urls import URLFetcher  # noqa: PLC0415  heavy and optional, as above

        fetcher = URLFetcher(allowed_protocols=frozenset())
    except ImportError:  # WeasyPrint < 66 takes a plain function
        fetcher = _refuse_fetch
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"external resources are not allowed in official documents: {url}")


def indonesian_date(value: date) -> str:
    """21 Mei 2026."""
    with translation.override(DOCUMENT_LANGUAGE):
        return date_format(value, "DATE_FORMAT")


def render_document(template: str, context: dict) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return html_to_pdf(render_to_string(template, context))


@dataclass
class RegencyGroup:
    """The proposals of one kab/kota, for the cover letter's table."""

    name: str
    rows: list[tuple[int, Proposal]] = field(default_factory=list)


def cover_letter_context(*, letter: CoverLetter, letterhead: Letterhead) -> dict:
    proposals = letter.proposals.select_related(
        "regency", "centre__commodity", "lead_enterprise"
    ).order_by("regency_id", "centre__name", "pk")
    groups: list[RegencyGroup] = []
    for number, proposal in enumerate(proposals, start=1):
        if not groups or groups[-1].name != proposal.regency.name:
            groups.append(RegencyGroup(name=proposal.regency.name))
        groups[-1].rows.append((number, proposal))
    round_ = letter.round
    return {
        "letter": letter,
        "letterhead": letterhead,
        "province": round_.province,
        "cycle": round_.cycle,
        "groups": groups,
        "proposal_count": sum(len(group.rows) for group in groups),
        "date_text": indonesian_date(letter.date),
    }


def render_cover_letter(*, letter: CoverLetter, letterhead: Letterhead) -> bytes:
    """The Surat Pengantar Usulan Sentra IKM OVOP, as PDF bytes."""
    context = cover_letter_context(letter=letter, letterhead=letterhead)
    return render_document("proposals/pdf/cover_letter.html", context)


def _label(name: str) -> "StrOrPromise":
    """The verbose name of one of the proposal's own text fields."""
    # get_field() may also answer a reverse relation; these names are columns of Proposal.
    return cast(Field, Proposal._meta.get_field(name)).verbose_name


def dossier_context(*, proposal: Proposal) -> dict:
    proposal = (
        Proposal.objects.select_related(
            "round__cycle",
            "round__province",
            "regency",
            "centre__commodity",
            "centre__region",
            "lead_enterprise",
        )
        .prefetch_related(
            Prefetch("documents", queryset=ProposalDocument.objects.select_related("item")),
            "timeline__actor",
            "lead_enterprise__certificates",
        )
        .get(pk=proposal.pk)
    )
    documents = {document.item_id: document for document in proposal.documents.all()}
    food = proposal.centre.commodity.code == "makanan-minuman"
    checklist = [
        {"item": item, "document": documents.get(item.pk)}
        for item in proposal.round.cycle.checklist.all()
        if food or not item.food_only
    ]
    narrative = [
        (_label(name), getattr(proposal, name))
        for name in ("local_yet_global", "self_reliance", "human_resources")
    ]
    coaching = [
        (_label(name), getattr(proposal, name))
        for name in ("product_innovation", "market_access", "image")
    ]
    lead = proposal.lead_enterprise
    return {
        "proposal": proposal,
        "centre": proposal.centre,
        "lead": lead,
        "certificates": list(lead.certificates.all()) if lead else [],
        "narrative": narrative,
        "coaching": coaching,
        "checklist": checklist,
        "timeline": list(proposal.timeline.all()),
    }


def render_dossier(*, proposal: Proposal) -> bytes:
    """One proposal's dossier summary, as PDF bytes."""
    return render_document("proposals/pdf/dossier.html", dossier_context(proposal=proposal))


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    """A generated PDF, shown inline: it holds only our own escaped text, never script."""
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response
