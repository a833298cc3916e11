"""Certificate expiry watch: what expires soon, for the dashboard and the kab/kota e-mail.

A certificate (SPP-IRT, halal, BPOM, SNI, merek…) that lapses can stop an IKM unit selling
in the markets a star was meant to open, so the offices hear of it while there is time to
renew. ``OVOP_CERTIFICATE_WATCH_DAYS`` (default 90) sets how far ahead to look.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from ovop.accounts.models import User
from ovop.accounts.rules import is_admin
from ovop.accounts.scope import region_scope
from ovop.centres.enums import CertificateKind
from ovop.centres.models import Certificate
from ovop.centres.selectors import certificates_visible_to
from ovop.notifications import selectors as recipients_of
from ovop.notifications.enums import NotificationKind
from ovop.notifications.models import Notification
from ovop.notifications.services import Message, deliver

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: django-stubs is a dev dependency

# The dashboard lists at most this many of each kind; the counts are always complete.
DASHBOARD_LIMIT = 50

_FIELDS = (
    "pk",
    "kind",
    "number",
    "expires_on",
    "enterprise_id",
    "enterprise__name",
    "enterprise__centre_id",
    "enterprise__centre__name",
    "enterprise__centre__regency_id",
    "enterprise__centre__regency__name",
)
# A row of _FIELDS: the fields of WatchedCertificate before days_left.
_WatchedRow = tuple[int, str, str, datetime.date, int, str, int, str, str, str]


@dataclass(frozen=True)
class WatchedCertificate:
    pk: int
    kind: str
    number: str
    expires_on: datetime.date
    enterprise_id: int
    enterprise_name: str
    centre_id: int
    centre_name: str
    regency_id: str
    regency_name: str
    days_left: int  # negative once expired

    @property
    def kind_label(self) -> "StrOrPromise":
        return CertificateKind(self.kind).label


@dataclass
class CertificateWatch:
    """Expiring (today … today + days, soonest first) and expired (latest lapse first)."""

    days: int
    today: datetime.date
    expiring: list[WatchedCertificate] = field(default_factory=list)
    expired: list[WatchedCertificate] = field(default_factory=list)
    expiring_count: int = 0
    expired_count: int = 0

    @property
    def total(self) -> int:
        return self.expiring_count + self.expired_count


def _rows(queryset: QuerySet[Certificate], today: datetime.date) -> list[WatchedCertificate]:
    # Every caller filters on an expiry date range, so expires_on is never None here.
    rows = cast(Iterable[_WatchedRow], queryset.values_list(*_FIELDS))
    return [WatchedCertificate(*values, days_left=(values[3] - today).days) for values in rows]


def _window(
    queryset: QuerySet[Certificate], *, days: int, today: datetime.date
) -> QuerySet[Certificate]:
    """Certificates that expire by today + days (those before today have expired)."""
    return queryset.filter(expires_on__lte=today + datetime.timedelta(days=days))


def expiring_certificates(
    user: User | AnonymousUser,
    *,
    days: int,
    today: datetime.date | None = None,
    limit: int | None = None,
) -> CertificateWatch:
    """The user's visible certificates expiring within ``days`` days, and those expired.

    Whole lists in one query; with ``limit``, the first ``limit`` of each in three.
    """
    today = today or timezone.localdate()
    watched = _window(certificates_visible_to(user), days=days, today=today)
    watch = CertificateWatch(days=days, today=today)
    if limit is None:
        rows = _rows(watched.order_by("expires_on", "pk"), today)
        watch.expiring = [row for row in rows if row.days_left >= 0]
        watch.expired = sorted(
            (row for row in rows if row.days_left < 0), key=lambda row: (-row.days_left, row.pk)
        )
        watch.expiring_count, watch.expired_count = len(watch.expiring), len(watch.expired)
        return watch
    watch.expiring_count, watch.expired_count = _counts(watched, today=today)
    if watch.expiring_count:
        expiring = watched.filter(expires_on__gte=today).order_by("expires_on", "pk")
        watch.expiring = _rows(expiring[:limit], today)
    if watch.expired_count:
        expired = watched.filter(expires_on__lt=today).order_by("-expires_on", "pk")
        watch.expired = _rows(expired[:limit], today)
    return watch


def _counts(watched: QuerySet[Certificate], *, today: datetime.date) -> tuple[int, int]:
    counted = watched.aggregate(
        expiring=Count("pk", filter=Q(expires_on__gte=today)),
        expired=Count("pk", filter=Q(expires_on__lt=today)),
    )
    return counted["expiring"], counted["expired"]


def expiry_context(user: User | AnonymousUser) -> dict[str, CertificateWatch | bool]:
    """For the dashboard: operators and verifiers get the lists for their area, the
    ministry's administrators only the national counts; everyone else nothing."""
    days = settings.OVOP_CERTIFICATE_WATCH_DAYS
    if not user.is_authenticated:
        return {}
    if is_admin(user):
        today = timezone.localdate()
        watch = CertificateWatch(days=days, today=today)
        watched = _window(certificates_visible_to(user), days=days, today=today)
        watch.expiring_count, watch.expired_count = _counts(watched, today=today)
        return {"certificate_watch": watch, "certificate_watch_counts_only": True}
    if user.has_perm("coaching.watch_certificates"):
        watch = expiring_certificates(user, days=days, limit=DASHBOARD_LIMIT)
        return {
            "certificate_watch": watch,
            "certificate_watch_counts_only": False,
            # One kab/kota's list needs no regency column.
            "certificate_watch_by_regency": not region_scope(user).is_regency,
        }
    return {}


@dataclass
class ExpirySummary:
    certificates: int = 0  # expiring within the window, nationally
    regencies: int = 0  # kab/kota that have any
    sent: int = 0  # messages sent (or, in a dry run, that would be sent), one per operator
    skipped: int = 0  # operators already told today

    def line(self, *, days: int, dry_run: bool) -> str:
        verb = "would be sent" if dry_run else "sent"
        return (
            f"Certificate expiry watch{' (dry run)' if dry_run else ''}: "
            f"{self.certificates} certificate(s) expiring within {days} day(s) in "
            f"{self.regencies} regency/city(ies), {self.sent} message(s) {verb}, "
            f"{self.skipped} already told today."
        )


def send_certificate_expiry(
    *, days: int, now: datetime.datetime | None = None, dry_run: bool = False
) -> ExpirySummary:
    """Tell each kab/kota's active operators, in one message, which of their certificates
    expire within ``days`` days; an operator told on this local day is not told again."""
    now = now or timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    today = midnight.date()
    watched = Certificate.objects.filter(
        expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=days)
    ).order_by("enterprise__centre__regency_id", "expires_on", "pk")
    by_regency: dict[str, list[WatchedCertificate]] = defaultdict(list)
    for row in _rows(watched, today):
        by_regency[row.regency_id].append(row)
    summary = ExpirySummary(
        certificates=sum(map(len, by_regency.values())), regencies=len(by_regency)
    )
    operators: dict[str | None, list[User]] = defaultdict(list)  # by region_id
    for user in recipients_of.operators_of(regency_ids=set(by_regency)):
        operators[user.region_id].append(user)
    already = set(
        Notification.objects.filter(
            kind=NotificationKind.CERTIFICATE_EXPIRY,
            created_at__gte=midnight,
            created_at__lt=midnight + datetime.timedelta(days=1),
        ).values_list("recipient_id", flat=True)
    )
    for regency_id, rows in by_regency.items():
        recipients = [user for user in operators[regency_id] if user.pk not in already]
        summary.skipped += len(operators[regency_id]) - len(recipients)
        summary.sent += len(recipients)
        if dry_run or not recipients:
            continue
        deliver(message=_message(rows=rows, days=days), recipients=recipients, now=now)
    return summary


def _message(*, rows: list[WatchedCertificate], days: int) -> Message:
    """Said by key (notifications.messages), so each reader sees it in their language."""
    certificates = [
        {
            "kind": row.kind,
            "number": row.number,
            "expires_on": row.expires_on.isoformat(),
            "days_left": row.days_left,
            "enterprise_name": row.enterprise_name,
            "centre_name": row.centre_name,
        }
        for row in rows
    ]
    params = {
        "certificates": certificates,
        "count": len(rows),
        "regency": rows[0].regency_name,
        "days": days,
    }
    return Message.from_key(
        kind=NotificationKind.CERTIFICATE_EXPIRY,
        key="certificates.expiring",
        params=params,
        url=reverse("home"),
    )
