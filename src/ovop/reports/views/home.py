"""The signed-in user's home page: who they are, their region, and their open work.

It lives in reports, not accounts, because the work queue (``reports.selectors.queues``) reads
proposals, evaluation and coaching, which the layer contract keeps out of accounts.
"""

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.rules import is_admin
from ovop.accounts.scope import region_scope
from ovop.accounts.selectors import users_visible_to
from ovop.centres.selectors import centres_visible_to
from ovop.coaching.services.expiry import expiry_context  # the operator's certificate watch
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region
from ovop.reports.selectors.queues import tasks_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's dashboard: who they are, the region they work for, what's next."""
    user = cast(User, request.user)  # login_required lets only the signed in through
    context: dict[str, Any] = {
        "region": user.region,
        "centre_count": centres_visible_to(user).count(),
    }
    if user.region_id:
        context["province"] = Region.objects.get(code=user.province_code)
    scope = region_scope(user)
    context["scope"] = scope
    if scope.is_province and user.has_perm("accounts.add_user"):
        # Which kab/kota of the province already have an operator account (for its verifier,
        # who provisions them).
        context["regencies"] = (
            Region.objects.filter(parent_id=scope.code, level=RegionLevel.REGENCY)
            .annotate(operator_count=Count("users", filter=Q(users__role=Role.OPERATOR)))
            .order_by("code")
        )
    if scope.is_regency and user.has_perm("centres.add_centre"):
        # The operator records sentra in these districts.
        context["district_count"] = Region.objects.filter(parent_id=scope.code).count()
    if is_admin(user):
        context["role_counts"] = [
            (Role(row["role"]).label, row["total"])
            for row in users_visible_to(user)
            .values("role")
            .annotate(total=Count("pk"))
            .order_by("role")
        ]
    context.update(expiry_context(user))
    context["tasks"] = tasks_for(user, certificate_watch=context.get("certificate_watch"))
    return render(request, "reports/home.html", context)
