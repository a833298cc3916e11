"""The configurable list of commodity groups (ministry administrators only)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ovop.centres.models import CommodityGroup
from ovop.centres.services.centres import save_commodity_group
from ovop.centres.views.common import require


class CommodityGroupForm(forms.ModelForm):
    class Meta:
        model = CommodityGroup
        fields = ["code", "name", "name_en", "position", "is_active"]
        help_texts = {
            "code": gettext_lazy(
                "Lowercase letters, digits and dashes; used in Excel files, "
                "e.g. makanan-minuman. Keep it stable once in use."
            ),
            "is_active": gettext_lazy(
                "Inactive groups stay on existing sentra but cannot be chosen for new ones."
            ),
        }


@login_required
def commodity_list(request):
    require(request.user, "centres.manage_commodities")
    return render(request, "centres/commodity_list.html", {"groups": CommodityGroup.objects.all()})


def _edit(request, group: CommodityGroup | None):
    form = CommodityGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        saved = save_commodity_group(group=form.instance)  # the form has set its fields
        messages.success(request, _("%(name)s saved.") % {"name": saved.name})
        return redirect("centres:commodity_list")
    return render(request, "centres/commodity_form.html", {"form": form, "group": group})


@login_required
def commodity_create(request):
    require(request.user, "centres.manage_commodities")
    return _edit(request, None)


@login_required
def commodity_edit(request, pk: int):
    require(request.user, "centres.manage_commodities")
    return _edit(request, get_object_or_404(CommodityGroup, pk=pk))
