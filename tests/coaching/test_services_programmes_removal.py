"""ovop.coaching.services.programmes_removal, called directly: only an empty programme goes,
and an activity goes with its evidence and, once committed, their files."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from ovop.centres.models import Centre
from ovop.coaching.models import Activity, Evidence, Programme
from ovop.coaching.services.programmes_removal import delete_activity, delete_programme
from ovop.common.refusals import Refused
from tests.coaching.programmes_builders import make_activity, make_evidence, make_programme
from tests.factories import CentreFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def banjar():
    return CentreFactory(region_id="63.03.01")


@pytest.fixture
def programme(operator, banjar) -> Programme:
    """Run by the operator's office (Banjar, 63.03) for one Banjar sentra."""
    return make_programme(actor=operator, centres=[banjar])


def stored_files(media) -> set[str]:
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def test_services_take_keyword_arguments_only():
    for function in (delete_programme, delete_activity):
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert kinds == {inspect.Parameter.KEYWORD_ONLY}, function.__name__


# --- delete_programme ----------------------------------------------------------------------


def test_delete_programme_removes_an_empty_programme_and_records_who(operator, programme, banjar):
    pk = programme.pk
    delete_programme(actor=operator, programme=programme)
    assert not Programme.objects.filter(pk=pk).exists()
    assert Centre.objects.filter(pk=banjar.pk).exists()  # its target sentra stay
    deleted = Programme.history.filter(id=pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", operator)


def test_delete_programme_by_the_admin(admin_user, programme):
    pk = programme.pk
    delete_programme(actor=admin_user, programme=programme)
    assert not Programme.objects.filter(pk=pk).exists()
    assert Programme.history.filter(id=pk, history_type="-").get().history_user == admin_user


def test_delete_programme_with_activities_is_refused_with_409(operator, programme):
    activity = make_activity(actor=operator, programme=programme)
    history = Programme.history.count()
    with pytest.raises(Refused) as caught:
        delete_programme(actor=operator, programme=programme)
    assert caught.value.status == 409
    assert "has activities" in caught.value.message
    assert Programme.objects.filter(pk=programme.pk).exists()
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert Programme.history.count() == history


@pytest.mark.parametrize("persona", ["verifier", "operator_neighbour", "viewer", "assessor"])
def test_delete_programme_refuses_who_may_not_change_it(personas, programme, persona):
    history = Programme.history.count()
    with pytest.raises(PermissionDenied):
        delete_programme(actor=personas[persona], programme=programme)
    assert Programme.objects.filter(pk=programme.pk).exists()
    assert Programme.history.count() == history


def test_delete_programme_permission_is_checked_before_its_activities(
    verifier, operator, programme
):
    make_activity(actor=operator, programme=programme)
    with pytest.raises(PermissionDenied):
        delete_programme(actor=verifier, programme=programme)
    assert Programme.objects.filter(pk=programme.pk).exists()


# --- delete_activity -----------------------------------------------------------------------


def test_delete_activity_removes_it_its_evidence_and_on_commit_their_files(
    operator, programme, media, django_capture_on_commit_callbacks
):
    activity = make_activity(actor=operator, programme=programme)
    kept = make_activity(actor=operator, programme=programme, title="Tetap")
    make_evidence(activity=activity, actor=operator)
    make_evidence(activity=activity, actor=operator, kind="report", title="Laporan")
    survivor = make_evidence(activity=kept, actor=operator)
    pk = activity.pk
    assert len(stored_files(media)) == 3
    with django_capture_on_commit_callbacks() as callbacks:
        delete_activity(actor=operator, activity=activity)
        assert len(stored_files(media)) == 3  # nothing removed before the commit
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert not Activity.objects.filter(pk=pk).exists()
    assert list(Evidence.objects.all()) == [survivor]
    assert stored_files(media) == {survivor.file.name}
    assert Programme.objects.filter(pk=programme.pk).exists()
    deleted = Activity.history.filter(id=pk).first()
    assert (deleted.history_type, deleted.history_user) == ("-", operator)


def test_delete_activity_then_its_empty_programme(operator, programme):
    activity = make_activity(actor=operator, programme=programme)
    delete_activity(actor=operator, activity=activity)
    delete_programme(actor=operator, programme=programme)
    assert not Programme.objects.exists()
    assert not Activity.objects.exists()


def test_delete_activity_rolled_back_keeps_rows_and_files(
    operator, programme, media, django_capture_on_commit_callbacks
):
    activity = make_activity(actor=operator, programme=programme)
    evidence = make_evidence(activity=activity, actor=operator)
    pk, name = activity.pk, evidence.file.name

    def delete_then_undo():
        with transaction.atomic():
            delete_activity(actor=operator, activity=activity)
            raise RuntimeError("undo")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        delete_then_undo()
    assert callbacks == []
    assert Activity.objects.filter(pk=pk).exists()
    assert Evidence.objects.filter(activity_id=pk).count() == 1
    assert stored_files(media) == {name}


@pytest.mark.parametrize("persona", ["verifier", "operator_neighbour", "viewer"])
def test_delete_activity_refuses_who_may_not_change_the_programme(
    personas, operator, programme, media, persona, django_capture_on_commit_callbacks
):
    activity = make_activity(actor=operator, programme=programme)
    evidence = make_evidence(activity=activity, actor=operator)
    history = Activity.history.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PermissionDenied),
    ):
        delete_activity(actor=personas[persona], activity=activity)
    assert callbacks == []  # no file was scheduled for removal
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert stored_files(media) == {evidence.file.name}
    assert Activity.history.count() == history
