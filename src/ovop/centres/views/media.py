"""A centre's photos and documents: upload, serve, delete.

Media files are never served as static files: every byte goes through a view that first
looks the object up through the visibility selector, so a file of a centre the user may not
see answers 404 exactly like a file that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ovop.centres.forms.media import DocumentForm, PhotoForm
from ovop.centres.selectors import documents_visible_to, photos_visible_to
from ovop.centres.services.uploads import (
    PHOTO_CONTENT_TYPES,
    add_document,
    add_photo,
    delete_document,
    delete_photo,
    document_download_name,
)
from ovop.centres.views.common import changeable_centre, require


def _visible_photo(request, pk: int):
    return get_object_or_404(photos_visible_to(request.user).select_related("centre"), pk=pk)


def _visible_document(request, pk: int):
    return get_object_or_404(documents_visible_to(request.user).select_related("centre"), pk=pk)


def _file_response(field, *, content_type: str, **options) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        # The row outlived its file (restored database, lost disk): nothing to serve.
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type, **options)
    response["X-Content-Type-Options"] = "nosniff"
    # Behind a login: browsers may keep a copy, shared proxies may not. Stored names are
    # random and never reused, so a cached copy cannot go stale.
    patch_cache_control(response, private=True, max_age=3600)
    return response


def _photo_response(field) -> FileResponse:
    extension = field.name.rsplit(".", 1)[-1].lower()
    content_type = PHOTO_CONTENT_TYPES.get(extension, "application/octet-stream")
    return _file_response(field, content_type=content_type)


@login_required
@require_http_methods(["GET", "POST"])
def photo_upload(request, centre_pk: int):
    centre = changeable_centre(request, centre_pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        add_photo(
            centre=centre,
            upload=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
            actor=request.user,
        )
        messages.success(request, _("Photo added."))
        return redirect("centres:detail", pk=centre.pk)
    return render(request, "centres/photo_form.html", {"form": form, "centre": centre})


@login_required
@require_http_methods(["GET", "HEAD"])
def photo_file(request, pk: int):
    return _photo_response(_visible_photo(request, pk).image)


@login_required
@require_http_methods(["GET", "HEAD"])
def photo_thumbnail(request, pk: int):
    return _photo_response(_visible_photo(request, pk).thumbnail)


@login_required
@require_http_methods(["GET", "POST"])
def photo_delete(request, pk: int):
    photo = _visible_photo(request, pk)
    require(request.user, "centres.change_centre", photo.centre)
    if request.method == "POST":
        delete_photo(photo=photo, actor=request.user)
        messages.success(request, _("Photo deleted."))
        return redirect("centres:detail", pk=photo.centre_id)
    return render(
        request,
        "centres/confirm_delete.html",
        {
            "object": photo.caption or _("this photo"),
            "preview_url": reverse("centres:photo_thumbnail", kwargs={"pk": photo.pk}),
            "warning": _removal_warning(photo.centre),
            "cancel_url": reverse("centres:detail", kwargs={"pk": photo.centre_id}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request, centre_pk: int):
    centre = changeable_centre(request, centre_pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        add_document(
            centre=centre,
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            actor=request.user,
        )
        messages.success(request, _("Document added."))
        return redirect("centres:detail", pk=centre.pk)
    return render(request, "centres/document_form.html", {"form": form, "centre": centre})


@login_required
@require_http_methods(["GET", "HEAD"])
def document_file(request, pk: int):
    document = _visible_document(request, pk)
    # Always a download: a PDF opened inside our origin could run script in some viewers.
    return _file_response(
        document.file,
        content_type="application/pdf",
        as_attachment=True,
        filename=document_download_name(document),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request, pk: int):
    document = _visible_document(request, pk)
    require(request.user, "centres.change_centre", document.centre)
    if request.method == "POST":
        delete_document(document=document, actor=request.user)
        messages.success(request, _("Document deleted."))
        return redirect("centres:detail", pk=document.centre_id)
    return render(
        request,
        "centres/confirm_delete.html",
        {
            "object": document.title,
            "warning": _removal_warning(document.centre),
            "cancel_url": reverse("centres:detail", kwargs={"pk": document.centre_id}),
        },
    )


def _removal_warning(centre) -> str:
    return _(
        "The file is removed from sentra %(name)s for good. The change history keeps a "
        "record of who deleted it."
    ) % {"name": centre.name}
