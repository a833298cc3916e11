from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ovop.centres.forms.centres import CertificateFormSet, EnterpriseForm
from ovop.centres.selectors import enterprises_visible_to
from ovop.centres.services.centres import (
    delete_enterprise,
    enterprise_deletion_refusal,
    save_enterprise,
)
from ovop.centres.views.common import changeable_centre, delete_refused, require
from ovop.common.refusals import Refused


def _changeable_enterprise(request, pk: int):
    enterprise = get_object_or_404(
        enterprises_visible_to(request.user).select_related("centre"), pk=pk
    )
    require(request.user, "centres.change_enterprise", enterprise)
    return enterprise


def _certificate_rows(formset) -> list[dict]:
    return [
        {
            key: form.cleaned_data.get(key)
            for key in ("id", "kind", "number", "issued_on", "expires_on")
        }
        for form in formset.forms
        if form.cleaned_data.get("filled")
    ]


def _handle(request, *, centre, enterprise=None):
    """Shared by create and edit: one form for the unit, one formset for its certificates."""
    form = EnterpriseForm(request.POST or None, instance=enterprise)
    initial = (
        [
            {
                "id": c.pk,
                "kind": c.kind,
                "number": c.number,
                "issued_on": c.issued_on,
                "expires_on": c.expires_on,
            }
            for c in enterprise.certificates.all()
        ]
        if enterprise
        else []
    )
    formset = CertificateFormSet(request.POST or None, initial=initial, prefix="certificates")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {field: form.cleaned_data[field] for field in form.Meta.fields}
        try:
            with transaction.atomic():
                saved = save_enterprise(
                    centre=centre,
                    data=data,
                    certificates=_certificate_rows(formset),
                    enterprise=enterprise,
                    reason=_("changed on screen") if enterprise else _("created on screen"),
                )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("IKM unit %(name)s saved.") % {"name": saved.name})
            return redirect("centres:detail", pk=centre.pk)
    return render(
        request,
        "centres/enterprise_form.html",
        {"form": form, "formset": formset, "centre": centre, "enterprise": enterprise},
    )


@login_required
def enterprise_create(request, centre_pk: int):
    centre = changeable_centre(request, centre_pk)
    return _handle(request, centre=centre)


@login_required
def enterprise_edit(request, pk: int):
    enterprise = _changeable_enterprise(request, pk)
    return _handle(request, centre=enterprise.centre, enterprise=enterprise)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_delete(request, pk: int):
    enterprise = _changeable_enterprise(request, pk)
    centre = enterprise.centre
    refusal = enterprise_deletion_refusal(enterprise)  # said before the question, not after
    if request.method == "POST" and refusal is None:
        try:
            delete_enterprise(enterprise=enterprise, reason=_("deleted on screen"))
        except Refused as refused:  # made a proposal's lead a moment ago
            refusal = refused
        else:
            messages.success(request, _("IKM unit %(name)s deleted.") % {"name": enterprise.name})
            return redirect("centres:detail", pk=centre.pk)
    if refusal is not None:
        return delete_refused(
            request,
            refusal,
            record=enterprise,
            edit_url=reverse("centres:enterprise_edit", kwargs={"pk": enterprise.pk}),
            back_url=reverse("centres:detail", kwargs={"pk": centre.pk}),
        )
    return render(
        request,
        "centres/confirm_delete.html",
        {"object": enterprise, "cancel_url": reverse("centres:detail", kwargs={"pk": centre.pk})},
    )
