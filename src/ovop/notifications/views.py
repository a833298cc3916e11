from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ovop.notifications.selectors import notifications_for
from ovop.notifications.services import mark_all_read, mark_read


@login_required
def notification_list(request):
    """The signed-in person's own notifications, newest first, unread ones marked."""
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_mark_all_read(request):
    mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
def notification_open(request, pk: int):
    """Mark one notification read and go where it points; someone else's is not found."""
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    mark_read(notification=notification)
    # Links are written by our services, but a stored address is still only followed on-site.
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")
