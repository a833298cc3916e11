"""Office screens for catalogue entries, and the public QR codes for packaging."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ovop.catalogue.forms import CatalogueEntryForm
from ovop.catalogue.outputs import qr
from ovop.catalogue.selectors.gate import public_centres
from ovop.catalogue.services import entry_for, save_entry
from ovop.centres.models import Centre
from ovop.centres.selectors import centres_visible_to
from ovop.common.exports import export_response
from ovop.common.history import change_log
from ovop.common.permissions import require

# A printed code points at the same page for years; a day's caching costs nothing.
QR_MAX_AGE = 24 * 60 * 60
QR_KINDS = {
    "svg": "image/svg+xml",
    "png": "image/png",
}

NO_ENTRY = Q(catalogue_entry__isnull=True)
MISSING = {
    "story": (gettext_lazy("without a story"), NO_ENTRY | Q(catalogue_entry__story="")),
    "story_en": (
        gettext_lazy("without an English story"),
        NO_ENTRY | Q(catalogue_entry__story_en=""),
    ),
    "links": (gettext_lazy("without order links"), NO_ENTRY | Q(catalogue_entry__order_links=[])),
}


# QR codes (public, no sign-in) ------------------------------------------------------------


def _qr_response(request, lang: str, pk: int, kind: str) -> HttpResponse:
    if not qr.is_public_language(lang):
        raise Http404
    # Only what the public may see gets a code: the gate is public_centres, as for every page.
    centre = get_object_or_404(public_centres(), pk=pk)
    url = qr.public_url(request, centre, lang)
    etag = quote_etag(hashlib.sha256(f"{kind}:{centre.name}:{url}".encode()).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        code = qr.make_code(url)
        if kind == "svg":
            with translation.override(lang):  # the code's language, not the visitor's
                content = qr.svg_bytes(code, title=qr.code_title(centre))
        else:
            content = qr.png_bytes(code)
        response = HttpResponse(content, content_type=QR_KINDS[kind])
        disposition = "attachment" if request.GET.get("download") == "1" else "inline"
        response["Content-Disposition"] = (
            f'{disposition}; filename="qr-{qr.centre_slug(centre)}.{kind}"'
        )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


@require_safe
def qr_svg(request, lang: str, pk: int):
    return _qr_response(request, lang, pk, "svg")


@require_safe
def qr_png(request, lang: str, pk: int):
    return _qr_response(request, lang, pk, "png")


# The office's list of catalogue entries ---------------------------------------------------


def _filtered(request) -> tuple[QuerySet[Centre], dict]:
    """The public centres the user sees (entries of others' centres are read-only)."""
    get = request.GET
    filters = {
        "q": get.get("q", "").strip(),
        "regency": get.get("regency", "").strip(),
        "missing": get.get("missing", ""),
    }
    queryset = public_centres().filter(pk__in=centres_visible_to(request.user).values("pk"))
    if filters["q"]:
        text = filters["q"]
        queryset = queryset.filter(
            Q(name__icontains=text)
            | Q(main_product__icontains=text)
            | Q(regency__name__icontains=text)
        )
    if filters["regency"]:
        queryset = queryset.filter(regency_id=filters["regency"])
    if filters["missing"] in MISSING:
        queryset = queryset.filter(MISSING[filters["missing"]][1])
    else:
        filters["missing"] = ""
    queryset = queryset.select_related("catalogue_entry").order_by("regency_id", "name", "pk")
    return queryset, filters


def _entry(centre: Centre):
    # select_related caches a missing reverse one-to-one as "does not exist": no query.
    try:
        return centre.catalogue_entry
    except Centre.catalogue_entry.RelatedObjectDoesNotExist:
        return None


@login_required
def manage_list(request):
    queryset, filters = _filtered(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    user = request.user
    rows = [
        {
            "centre": centre,
            "entry": _entry(centre),
            "can_change": user.has_perm("catalogue.change_entry", centre),
            "public_url": qr.public_url(request, centre, "id"),
            "public_url_en": qr.public_url(request, centre, "en"),
        }
        for centre in page
    ]
    return render(
        request,
        "catalogue/manage_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "missing_choices": [(key, label) for key, (label, _q) in MISSING.items()],
        },
    )


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


@login_required
def manage_export(request):
    queryset, _filters = _filtered(request)

    def rows():
        for centre in queryset.iterator(chunk_size=500):
            entry = _entry(centre)
            yield (
                centre.pk,
                centre.name,
                centre.regency_id,
                centre.regency.name,
                str(centre.commodity),
                centre.stars,
                centre.rated_year,
                _yes_no(entry and entry.story),
                _yes_no(entry and entry.story_en),
                len(entry.order_links) if entry else 0,
                _yes_no(entry and entry.contact_public),
                qr.public_url(request, centre, "id"),
                qr.public_url(request, centre, "en"),
                request.build_absolute_uri(
                    reverse("catalogue:qr_png", kwargs={"lang": "id", "pk": centre.pk})
                ),
            )

    headers = [
        _("ID"),
        _("Sentra"),
        _("Regency/city code"),
        _("Regency/city"),
        _("Commodity group"),
        _("Stars"),
        _("Rated in"),
        _("Story (Indonesian)"),
        _("Story (English)"),
        _("Order links"),
        _("Order contacts shown publicly"),
        _("Public page (Indonesian)"),
        _("Public page (English)"),
        _("QR code (PNG)"),
    ]
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_response(
        file_format=file_format, base_name="katalog", headers=headers, rows=rows()
    )


# The entry editor --------------------------------------------------------------------------


@login_required
def entry_edit(request, centre_pk: int):
    centre = get_object_or_404(
        centres_visible_to(request.user).select_related("regency", "commodity"), pk=centre_pk
    )
    require(request.user, "catalogue.change_entry", centre)
    entry = entry_for(centre)
    form = CatalogueEntryForm(request.POST or None, instance=entry, centre=centre)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.Meta.fields}
        try:
            save_entry(actor=request.user, centre=centre, data=data, reason=_("changed on screen"))
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("Catalogue entry saved."))
            return redirect("catalogue:entry_edit", centre_pk=centre.pk)
    is_public = public_centres().filter(pk=centre.pk).exists()
    return render(
        request,
        "catalogue/entry_form.html",
        {
            "centre": centre,
            "form": form,
            "is_public": is_public,
            "public_url": qr.public_url(request, centre, "id") if is_public else "",
            "public_url_en": qr.public_url(request, centre, "en") if is_public else "",
            "history": change_log(entry) if entry.pk else [],
            "qr_languages": settings.LANGUAGES,
        },
    )
