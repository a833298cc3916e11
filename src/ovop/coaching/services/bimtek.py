"""Bimtek for officials: the event and who attended from which kab/kota.

Views check that the actor may see the event (404) and change it (403) first; these
functions keep the data consistent whoever calls them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.rules import is_admin, is_verifier
from ovop.accounts.scope import region_scope
from ovop.coaching.models import BimtekAttendance, BimtekEvent
from ovop.coaching.rules import is_operator_of_regency
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region


@transaction.atomic
def save_bimtek(*, actor: User, event: BimtekEvent) -> BimtekEvent:
    """Validate and save an event (unsaved edits on ``event``).

    A verifier's events belong to their own province whatever was submitted; the ministry
    organises for one province or, with none, nationally.
    """
    if not is_admin(actor):
        province = region_scope(actor).code if is_verifier(actor) else None
        if province is None:
            raise ValidationError(_("Only the ministry and provincial verifiers organise Bimtek."))
        event.province_id = province
    elif event.province_id and len(event.province_id) != 2:
        raise ValidationError({"province": _("Choose a province, or none for a national event.")})
    if event.pk is not None and event.province_id:
        # Moving an event to another province would strand attendees from the old one.
        strangers = event.attendees.exclude(regency__parent_id=event.province_id)
        if strangers.exists():
            raise ValidationError(
                {"province": _("Some attendees come from another province; remove them first.")}
            )
    if event.pk is None:
        event.created_by = actor
    event.full_clean(exclude=["created_by"])
    event.save()
    return event


def regencies_for(event: BimtekEvent) -> QuerySet[Region]:
    """The kab/kota whose officials may attend: the province's, or all for a national event."""
    regencies = Region.objects.filter(level=RegionLevel.REGENCY)
    if event.province_id:
        regencies = regencies.filter(parent_id=event.province_id)
    return regencies.order_by("code")


def operators_for(event: BimtekEvent) -> QuerySet[User]:
    """The operator accounts an attendee may be linked to."""
    operators = User.objects.filter(role=Role.OPERATOR, is_active=True)
    if event.province_id:
        operators = operators.filter(region__parent_id=event.province_id)
    return operators.order_by("region_id", "username")


@transaction.atomic
def add_attendee(
    *,
    actor: User,
    event: BimtekEvent,
    name: str,
    regency: Region,
    position: str = "",
    user: User | None = None,
) -> BimtekAttendance:
    """Record one official who attended, from a kab/kota of the event's province."""
    if regency.level != RegionLevel.REGENCY or (
        event.province_id and regency.parent_id != event.province_id
    ):
        raise ValidationError({"regency": _("Choose a regency/city of the event's province.")})
    if user is not None and not is_operator_of_regency(user, regency):
        raise ValidationError(
            {
                "user": _("Link an operator account of %(regency)s, or none.")
                % {"regency": regency.name}
            }
        )
    attendance = BimtekAttendance(
        event=event,
        name=(name or "").strip(),
        position=(position or "").strip(),
        regency=regency,
        user=user,
    )
    attendance.full_clean()
    attendance.save()
    return attendance


def remove_attendee(*, actor: User, attendance: BimtekAttendance) -> None:
    attendance.delete()
