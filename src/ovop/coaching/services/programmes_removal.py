"""Deleting programmes and activities."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ovop.accounts.models import User
from ovop.coaching.models import Activity, Programme
from ovop.coaching.services.programmes_evidence import delete_files_of
from ovop.common.refusals import Refused


@transaction.atomic
def delete_programme(*, actor: User, programme: Programme) -> None:
    """Only an empty programme goes: its activities are the record of coaching given."""
    if not actor.has_perm("coaching.change_programme", programme):
        raise PermissionDenied
    if programme.activities.exists():
        raise Refused(
            _("This programme has activities; delete them first if it really was a mistake."),
            status=409,
        )
    programme._history_user = actor
    programme.delete()


@transaction.atomic
def delete_activity(*, actor: User, activity: Activity) -> None:
    if not actor.has_perm("coaching.change_programme", activity.programme):
        raise PermissionDenied
    delete_files_of(activity)
    activity._history_user = actor
    activity.delete()
