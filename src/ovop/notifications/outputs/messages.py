"""What each notification says, by key: rendered in the language of whoever reads it.

A notification stores a message key and plain JSON parameters (names, counts, the deadline
as an ISO date-time); its title and body are written from them when someone reads the list,
in that person's active language, and when the e-mail is written, in the recipient's. The
stored title and body are only the fallback: rows from before keys, and a key this release
no longer knows.

Titles are lazy msgids (``makemessages`` finds them here); a plural title counts by the
parameter its ``ngettext_lazy`` names. Bodies are the e-mail templates, whose msgids
``makemessages`` finds in the templates.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from ovop.centres.enums import CertificateKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: django-stubs is a dev dependency

logger = logging.getLogger(__name__)


def _certificates(context: dict[str, Any]) -> dict[str, Any]:
    """The expiring certificates' dates as dates and kinds named in the reader's language."""
    context["certificates"] = [
        {
            **row,
            "expires_on": datetime.date.fromisoformat(row["expires_on"]),
            "kind_label": CertificateKind(row["kind"]).label,
        }
        for row in context.get("certificates", [])
    ]
    return context


@dataclass(frozen=True)
class MessageSpec:
    title: "StrOrPromise"  # lazy, formatted with the parameters
    body_template: str  # rendered with the parameters (and ``deadline`` formatted)
    # Turns the stored parameters into the body's context (dates, labels).
    prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None


MESSAGES: dict[str, MessageSpec] = {
    "proposal.submitted": MessageSpec(
        gettext_lazy("New proposal to verify: %(centre)s"),
        "notifications/email/submitted.txt",
    ),
    "proposal.returned": MessageSpec(
        gettext_lazy("Proposal returned for revision: %(centre)s"),
        "notifications/email/returned.txt",
    ),
    "proposal.verified": MessageSpec(
        gettext_lazy("Proposal verified: %(centre)s"), "notifications/email/verified.txt"
    ),
    "proposal.forwarded": MessageSpec(
        gettext_lazy("Proposal forwarded to the ministry: %(centre)s"),
        "notifications/email/forwarded.txt",
    ),
    "proposal.screened_eligible": MessageSpec(
        gettext_lazy("Screening result: %(centre)s is eligible"),
        "notifications/email/screened.txt",
    ),
    "proposal.screened_ineligible": MessageSpec(
        gettext_lazy("Screening result: %(centre)s is ineligible"),
        "notifications/email/screened.txt",
    ),
    "round.forwarded": MessageSpec(
        ngettext_lazy(
            "%(province)s forwarded %(count)s proposal to the ministry",
            "%(province)s forwarded %(count)s proposals to the ministry",
            "count",
        ),
        "notifications/email/round_forwarded.txt",
    ),
    "round.deadline": MessageSpec(
        gettext_lazy("Deadline reminder: %(round)s"), "notifications/email/deadline.txt"
    ),
    "cycle.decided": MessageSpec(
        gettext_lazy("OVOP results published: %(cycle)s"), "notifications/email/decided.txt"
    ),
    "certificates.expiring": MessageSpec(
        ngettext_lazy(
            "%(count)s certificate in %(regency)s expires within %(days)s days",
            "%(count)s certificates in %(regency)s expire within %(days)s days",
            "count",
        ),
        "coaching/email/certificate_expiry.txt",
        prepare=_certificates,
    ),
}


def format_deadline(value: datetime.datetime) -> str:
    """In Indonesian: "15 Desember 2026 pukul 23.59 WITA" (local time, zone named)."""
    local = timezone.localtime(value)
    return _("%(date)s at %(time)s %(zone)s") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
        "zone": local.tzname(),
    }


def deadline_param(value: datetime.datetime) -> str:
    """A deadline as stored in the parameters; written out in the reader's language."""
    return value.isoformat()


def _context(params: dict[str, Any]) -> dict[str, Any]:
    context = dict(params)
    if params.get("deadline_at"):
        deadline = datetime.datetime.fromisoformat(params["deadline_at"])
        context["deadline"] = format_deadline(deadline)
    return context


def render_title(key: str, params: dict[str, Any]) -> str:
    """The title of ``key`` in the active language; KeyError for an unknown key."""
    return str(MESSAGES[key].title % _context(params))


def render_body(key: str, params: dict[str, Any]) -> str:
    """The body of ``key`` in the active language; KeyError for an unknown key."""
    spec = MESSAGES[key]
    context = _context(params)
    if spec.prepare is not None:
        context = spec.prepare(context)
    return render_to_string(spec.body_template, context).strip()


def render(key: str, params: dict[str, Any], *, title: str, body: str) -> tuple[str, str]:
    """Title and body in the active language, or the stored ``title``/``body`` when the key
    is empty, unknown, or its parameters no longer fit (never an error on the list)."""
    if not key:
        return title, body
    try:
        return render_title(key, params), render_body(key, params)
    except (KeyError, TypeError, ValueError):
        logger.warning("Notification message %r could not be rendered; stored text shown", key)
        return title, body
