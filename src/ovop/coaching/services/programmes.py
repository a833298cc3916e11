"""Programmes and their activities, with the checks an office would expect."""

from collections.abc import Collection, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.accounts.rules import is_admin
from ovop.centres.models import Centre, Enterprise
from ovop.centres.selectors import centres_visible_to
from ovop.coaching.enums import OWNER_BY_STARS, Focus, OwnerLevel, Principle
from ovop.coaching.models import Activity, Programme
from ovop.coaching.rules import owns_programme, runs_an_office
from ovop.evaluation.models import Decision

LEVEL_OF_REGION: dict[str, int] = {OwnerLevel.PROVINCE: 2, OwnerLevel.REGENCY: 5}


def default_owner_level(centres: Iterable[Centre]) -> str:
    """From the best published stars among the centres (domain brief); the kab/kota else."""
    stars = (
        Decision.objects.filter(proposal__centre__in=centres, status="published")
        .exclude(stars=None)
        .order_by("-stars")
        .values_list("stars", flat=True)
        .first()
    )
    if stars is None:
        return OwnerLevel.REGENCY
    return OWNER_BY_STARS.get(stars, OwnerLevel.REGENCY)


def _check_owner(actor: User, programme: Programme) -> None:
    level, region = programme.owner_level, programme.owner_region_id
    if level not in OwnerLevel.values:
        raise ValidationError(
            {"owner_level": _("Choose who runs it: the ministry, a province or a kab/kota.")}
        )
    if level == OwnerLevel.MINISTRY:
        if region:
            raise ValidationError({"owner_region": _("A ministry programme has no region.")})
        if not is_admin(actor):
            raise ValidationError({"owner_level": _("Only the ministry runs ministry programmes.")})
        return
    if not region or len(region) != LEVEL_OF_REGION[level]:
        raise ValidationError(
            {
                "owner_region": _("Choose the %(level)s that runs it.")
                % {"level": OwnerLevel(level).label}
            }
        )
    if runs_an_office(actor) and not owns_programme(actor, programme):
        raise ValidationError(
            {"owner_region": _("You can run programmes for your own office only.")}
        )


def _check_choices(values: Iterable[str], allowed: Collection[str], field: str) -> None:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError(
            {field: _("Unknown choice: %(values)s.") % {"values": ", ".join(map(str, unknown))}}
        )


@transaction.atomic
def save_programme(*, actor: User, programme: Programme, centres: Iterable[Centre]) -> Programme:
    """Validate and save a programme (unsaved edits on ``programme``) and its centres."""
    if (
        programme.year_end is not None
        and programme.year_start is not None
        and (programme.year_end < programme.year_start)
    ):
        raise ValidationError({"year_end": _("The last year cannot come before the first.")})
    _check_choices(programme.focus, Focus.values, "focus")
    _check_choices(programme.principles, Principle.values, "principles")
    _check_owner(actor, programme)
    centres = list(centres)
    visible = set(
        centres_visible_to(actor)
        .filter(pk__in=[c.pk for c in centres])
        .values_list("pk", flat=True)
    )
    outside = [c.name for c in centres if c.pk not in visible]
    if outside:
        raise ValidationError(
            {"centres": _("Not in your area: %(names)s.") % {"names": ", ".join(outside)}}
        )
    if programme.owner_region_id:
        foreign = [
            c.name
            for c in centres
            if programme.owner_region_id not in (c.regency_id, c.province_id)
        ]
        if foreign:
            raise ValidationError(
                {
                    "centres": _("Outside the office's region: %(names)s.")
                    % {"names": ", ".join(foreign)}
                }
            )
    if programme.pk is None:
        programme.created_by = actor
    programme.full_clean(exclude=["created_by"])
    programme.save()
    programme.centres.set(centres)
    return programme


@transaction.atomic
def save_activity(
    *,
    actor: User,
    activity: Activity,
    centres: Iterable[Centre],
    enterprises: Iterable[Enterprise],
) -> Activity:
    """An activity's participants must be among its programme's centres and their units."""
    if activity.ends_on and activity.starts_on and activity.ends_on < activity.starts_on:
        raise ValidationError({"ends_on": _("The activity cannot end before it starts.")})
    _check_choices(activity.focus, Focus.values, "focus")
    centres, enterprises = list(centres), list(enterprises)
    targets = set(activity.programme.centres.values_list("pk", flat=True))
    strangers = [c.name for c in centres if c.pk not in targets]
    if strangers:
        raise ValidationError(
            {
                "centres": _("Not a target sentra of this programme: %(names)s.")
                % {"names": ", ".join(strangers)}
            }
        )
    chosen = {c.pk for c in centres}
    loose = [e.name for e in enterprises if e.centre_id not in chosen]
    if loose:
        raise ValidationError(
            {
                "enterprises": _(
                    "These IKM units belong to a sentra that is not taking part: %(names)s."
                )
                % {"names": ", ".join(loose)}
            }
        )
    if activity.pk is None:
        activity.created_by = actor
    activity.full_clean(exclude=["created_by"])
    activity.save()
    activity.centres.set(centres)
    activity.enterprises.set(enterprises)
    return activity
