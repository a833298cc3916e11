from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ovop.accounts.enums import Role
from ovop.accounts.forms import UserForm
from ovop.accounts.selectors import search_users, users_visible_to
from ovop.accounts.services import save_user, send_invitation
from ovop.common.exports import export_response
from ovop.common.history import change_log
from ovop.common.permissions import require


def _filtered_users(request):
    """The accounts the user may see, narrowed by the list's search and filters."""
    role = request.GET.get("role", "")
    filters = {
        "q": request.GET.get("q", "").strip(),
        "role": role if role in Role.values else "",
        "region": request.GET.get("region", "").strip(),
    }
    queryset = search_users(
        queryset=users_visible_to(request.user),
        text=filters["q"],
        role=filters["role"],
        region=filters["region"],
    )
    return queryset, filters


@login_required
def user_list(request):
    require(request.user, "accounts.list_users")
    queryset, filters = _filtered_users(request)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "filters": filters, "roles": Role.choices},
    )


@login_required
def user_export(request):
    require(request.user, "accounts.export_users")
    queryset, _filters = _filtered_users(request)
    rows = (
        (
            user.username,
            user.get_full_name(),
            user.email,
            str(Role(user.role).label),
            user.region_id or "",
            user.region.name if user.region_id else "",
            user.organisation,
            _("yes") if user.is_active else _("no"),
        )
        for user in queryset.iterator(chunk_size=1000)
    )
    headers = [
        _("Username"),
        _("Name"),
        _("E-mail"),
        _("Role"),
        _("Region code"),
        _("Region"),
        _("Organisation"),
        _("Active"),
    ]
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_response(
        file_format=file_format, base_name="pengguna", headers=headers, rows=rows
    )


@login_required
def user_detail(request, pk: int):
    account = get_object_or_404(users_visible_to(request.user), pk=pk)
    history = change_log(account)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "history": history,
            "can_change": request.user.has_perm("accounts.change_user", account),
        },
    )


@login_required
def user_create(request):
    require(request.user, "accounts.add_user")
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        account = _save(form, actor=request.user, reason=_("created on screen"))
        send_invitation(user=account, base_url=request.build_absolute_uri("/"))
        messages.success(
            request,
            _("Account %(username)s created; a link to set the password was sent to %(email)s.")
            % {"username": account.username, "email": account.email},
        )
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


@login_required
def user_edit(request, pk: int):
    account = get_object_or_404(users_visible_to(request.user), pk=pk)
    require(request.user, "accounts.change_user", account)
    form = UserForm(request.POST or None, actor=request.user, instance=account)
    if request.method == "POST" and form.is_valid():
        _save(form, actor=request.user, reason=_("changed on screen"))
        messages.success(request, _("Changes saved."))
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


def _save(form: UserForm, *, actor, reason: str):
    data = form.cleaned_data
    username = form.instance.username if form.instance else data["username"]
    account, _created = save_user(
        username=username,
        role=data["role"],
        region_code=data.get("region") or None,
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        organisation=data["organisation"],
        phone=data["phone"],
        is_active=data["is_active"] if form.instance else True,
        reason=reason,
    )
    return account
