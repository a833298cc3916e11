"""Direct tests of ``ovop.coaching.selectors.history``: the readable change history of
programmes and activities, their plain fields and their sentra and units."""

import pytest

from ovop.coaching.enums import ActivityKind, Focus, OwnerLevel, Principle
from ovop.coaching.models import Activity, Programme
from ovop.coaching.selectors.history import change_log
from tests.coaching.programmes_builders import make_activity, make_programme
from tests.factories import CentreFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centres(db) -> dict:
    return {
        "banjar": CentreFactory(region_id="63.03.01", name="Sentra Banjar"),
        "anyaman": CentreFactory(region_id="63.03.02", name="Sentra Anyaman"),
    }


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _changes(entry) -> dict[str, tuple[object, object]]:
    return {change.field: (change.old, change.new) for change in entry.changes}


def _edit(obj, actor, *, reason: str = "", **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()
    return obj


def _programme(personas, centres, **fields) -> Programme:
    programme = Programme(
        name="Pembinaan Banjar",
        owner_level="regency",
        owner_region_id="63.03",
        year_start=2026,
        year_end=2026,
        created_by=personas["operator"],
        **fields,
    )
    programme._history_user = personas["operator"]
    programme.save()
    programme.centres.set(centres)
    return programme


# --- programmes ----------------------------------------------------------------------------


def test_change_log_programme_creation_then_its_centres(personas, centres):
    programme = _programme(personas, [centres["banjar"]])
    entries = change_log(programme)
    assert [entry.kind for entry in entries] == ["~", "+"]
    added, created = entries
    assert _changes(added) == {_label(Programme, "centres"): ("", "Sentra Banjar")}
    assert created.changes == []
    assert added.who == created.who == personas["operator"]


def test_change_log_programme_plain_field_old_and_new(personas, centres):
    programme = _programme(personas, [centres["banjar"]])
    _edit(programme, personas["verifier"], name="Pembinaan Sasirangan", reason="Nama resmi")
    newest = change_log(programme)[0]
    assert newest.kind == "~"
    assert newest.who == personas["verifier"]
    assert newest.reason == "Nama resmi"
    assert _changes(newest)[_label(Programme, "name")] == (
        "Pembinaan Banjar",
        "Pembinaan Sasirangan",
    )
    assert _label(Programme, "centres") not in _changes(newest)


def test_change_log_programme_choice_field_shows_labels(personas, centres):
    programme = _programme(personas, [centres["banjar"]])
    _edit(programme, personas["admin"], owner_level="province", owner_region_id="63")
    changes = _changes(change_log(programme)[0])
    assert changes[_label(Programme, "owner_level")] == (
        str(OwnerLevel.REGENCY.label),
        str(OwnerLevel.PROVINCE.label),
    )


def test_change_log_programme_focus_and_principles_show_their_labels(personas, centres):
    programme = _programme(personas, [centres["banjar"]], focus=["image"])
    _edit(
        programme,
        personas["operator"],
        focus=["image", "market_access"],
        principles=["self_reliance"],
    )
    changes = _changes(change_log(programme)[0])
    image, market = str(Focus.IMAGE.label), str(Focus.MARKET_ACCESS.label)
    assert changes[_label(Programme, "focus")] == (image, f"{image}, {market}")
    assert changes[_label(Programme, "principles")] == ("", str(Principle.SELF_RELIANCE.label))


def test_change_log_programme_centres_added_and_removed_by_name(personas, centres):
    programme = _programme(personas, [centres["banjar"]])
    programme.centres.add(centres["anyaman"])
    programme.centres.remove(centres["banjar"])
    removed, added = change_log(programme)[:2]
    field = _label(Programme, "centres")
    # Names are listed sorted, whatever order they were linked in.
    assert _changes(added) == {field: ("Sentra Banjar", "Sentra Anyaman, Sentra Banjar")}
    assert _changes(removed) == {field: ("Sentra Anyaman, Sentra Banjar", "Sentra Anyaman")}


def test_change_log_programme_names_a_centre_gone_since_by_its_number(personas, centres):
    gone = CentreFactory(region_id="63.03.03", name="Sentra Lama")
    programme = _programme(personas, [centres["banjar"], gone])
    gone_pk = gone.pk
    gone.delete()
    added = change_log(programme)[0]
    assert _changes(added) == {_label(Programme, "centres"): ("", f"#{gone_pk}, Sentra Banjar")}


def test_change_log_leaves_out_saves_that_changed_nothing(personas, centres):
    programme = _programme(personas, [centres["banjar"]])
    _edit(programme, personas["operator"])
    programme.centres.set([centres["banjar"]])
    assert programme.history.count() >= 3
    assert [entry.kind for entry in change_log(programme)] == ["~", "+"]


def test_change_log_keeps_a_reason_without_changes(personas, centres):
    programme = _programme(personas, [centres["banjar"]])
    _edit(programme, personas["operator"], reason="Diperiksa")
    newest = change_log(programme)[0]
    assert (newest.kind, newest.reason, newest.changes) == ("~", "Diperiksa", [])


def test_change_log_limit_keeps_the_newest_with_their_changes(personas, centres):
    programme = _programme(personas, [centres["banjar"]])
    for name in ("Dua", "Tiga", "Empat"):
        _edit(programme, personas["operator"], name=name)
    entries = change_log(programme, limit=2)
    assert len(entries) == 2
    field = _label(Programme, "name")
    assert [_changes(entry)[field] for entry in entries] == [("Tiga", "Empat"), ("Dua", "Tiga")]
    assert len(change_log(programme)) == 5


def test_change_log_of_an_object_without_history_is_empty(personas, django_assert_num_queries):
    programme = Programme.objects.bulk_create(
        [
            Programme(
                name="Tanpa riwayat",
                owner_level="ministry",
                year_start=2026,
                year_end=2026,
                created_by=personas["admin"],
            )
        ]
    )[0]
    with django_assert_num_queries(1):
        assert change_log(programme) == []


def test_change_log_programme_reads_a_long_log_in_three_queries(
    personas, centres, django_assert_max_num_queries
):
    programme = _programme(personas, [centres["banjar"]])
    for index in range(4):
        _edit(programme, personas["operator"], name=f"Pembinaan {index}")
        programme.centres.set([centres["anyaman"]] if index % 2 == 0 else [centres["banjar"]])
    # The records, then one query per many-to-many field for its members and one for names.
    with django_assert_max_num_queries(3):
        entries = change_log(programme)
        [(entry.who, entry.changes) for entry in entries]
    # Created, centres added, then per round: the rename, the old centre off, the new one on.
    assert len(entries) == 2 + 4 * 3


def test_change_log_deleted_programme_ends_with_its_deletion(personas, centres):
    programme = _programme(personas, [centres["banjar"]])
    pk = programme.pk
    programme._history_user = personas["admin"]
    programme.delete()
    programme.pk = pk  # Django clears it; the history is read by the row's number
    newest = change_log(programme)[0]
    assert (newest.kind, newest.who, newest.changes) == ("-", personas["admin"], [])


# --- activities ----------------------------------------------------------------------------


@pytest.fixture
def programme(personas, centres) -> Programme:
    return make_programme(
        actor=personas["operator"], centres=[centres["banjar"], centres["anyaman"]]
    )


def test_change_log_activity_centres_and_units_by_name(personas, centres, programme):
    unit = EnterpriseFactory(centre=centres["banjar"], name="UD Sasirangan Indah")
    other = EnterpriseFactory(centre=centres["banjar"], name="CV Anyaman Jaya")
    activity = make_activity(
        actor=personas["operator"], programme=programme, centres=[centres["banjar"]]
    )
    activity.centres.add(centres["anyaman"])
    activity.enterprises.set([unit, other])
    entries = change_log(activity)
    units, participants = entries[0], entries[1]
    assert _changes(units) == {
        _label(Activity, "enterprises"): ("", "CV Anyaman Jaya, UD Sasirangan Indah")
    }
    assert _changes(participants) == {
        _label(Activity, "centres"): ("Sentra Banjar", "Sentra Anyaman, Sentra Banjar")
    }
    assert entries[-1].kind == "+"


def test_change_log_activity_plain_fields_and_focus(personas, centres, programme):
    activity = make_activity(actor=personas["operator"], programme=programme)
    _edit(
        activity, personas["operator"], title="Klinik desain", kind="design_clinic", focus=["image"]
    )
    changes = _changes(change_log(activity)[0])
    assert changes[_label(Activity, "title")] == ("Bimtek pewarnaan", "Klinik desain")
    assert changes[_label(Activity, "kind")] == (
        str(ActivityKind.TRAINING.label),
        str(ActivityKind.DESIGN_CLINIC.label),
    )
    assert changes[_label(Activity, "focus")] == ("", str(Focus.IMAGE.label))
    assert _label(Activity, "centres") not in changes
    assert _label(Activity, "enterprises") not in changes


def test_change_log_activity_reads_in_five_queries(
    personas, centres, programme, django_assert_max_num_queries
):
    unit = EnterpriseFactory(centre=centres["banjar"], name="UD Sasirangan Indah")
    activity = make_activity(
        actor=personas["operator"], programme=programme, centres=[centres["banjar"]]
    )
    for index in range(3):
        _edit(activity, personas["operator"], title=f"Kegiatan {index}")
        activity.enterprises.set([unit] if index % 2 == 0 else [])
    # The records, then members and names for each of the two many-to-many fields.
    with django_assert_max_num_queries(5):
        entries = change_log(activity)
        [(entry.who, entry.changes) for entry in entries]
    # Created, centres added, then per round: the rename and the units' one change.
    assert len(entries) == 2 + 3 * 2
