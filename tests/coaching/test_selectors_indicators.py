"""Direct tests of ``ovop.coaching.selectors.indicators``: a centre's rows, changes of many
centres, the centres a user may record figures for, the export rows and a row's history."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models.query import QuerySet

from ovop.accounts.enums import Role
from ovop.centres.enums import SalesChannel
from ovop.centres.models import Centre
from ovop.coaching.models import Indicator
from ovop.coaching.selectors.indicators import (
    centre_indicators,
    centres_changeable_by,
    changes_by_centre,
    indicator_history,
    indicators_for_export,
)
from ovop.coaching.services.indicators import METRICS, save_indicator
from tests.evaluation.helpers import assign_directly, make_assessor
from tests.factories import CentreFactory, UserFactory, make_proposal

pytestmark = pytest.mark.django_db


def _row(centre, year, kind, **figures) -> Indicator:
    return Indicator.objects.create(centre=centre, year=year, kind=kind, **figures)


@pytest.fixture
def centres(personas) -> dict:
    return {
        "banjar": CentreFactory(region_id="63.03.01", name="Sentra Banjar"),
        "banjar_b": CentreFactory(region_id="63.03.02", name="Sentra Anyaman Banjar"),
        "batola": CentreFactory(region_id="63.04.01", name="Sentra Batola"),
        "tapin": CentreFactory(region_id="63.05.01", name="Sentra Tapin"),
        "kaltim": CentreFactory(region_id="64.01.01", name="Sentra Kaltim"),
    }


def _keys(rows) -> list[tuple[int, str]]:
    return [(row.year, row.kind) for row in rows]


# --- centre_indicators ---------------------------------------------------------------------


def test_centre_indicators_ordered_by_year_then_baseline_actual_target(personas, centres):
    banjar = centres["banjar"]
    # Made out of order, so neither the pk nor the model's ordering (kind A→Z) gives it.
    _row(banjar, 2026, "target")
    _row(banjar, 2025, "target")
    _row(banjar, 2026, "actual")
    _row(banjar, 2025, "actual")
    _row(banjar, 2025, "baseline")
    _row(centres["tapin"], 2025, "actual")
    rows = centre_indicators(user=personas["operator"], centre=banjar)
    assert _keys(rows) == [
        (2025, "baseline"),
        (2025, "actual"),
        (2025, "target"),
        (2026, "actual"),
        (2026, "target"),
    ]
    assert {row.centre_id for row in rows} == {banjar.pk}


def test_centre_indicators_is_one_query(personas, centres, django_assert_num_queries):
    for year in (2024, 2025, 2026):
        _row(centres["banjar"], year, "actual")
    with django_assert_num_queries(1):
        rows = centre_indicators(user=personas["verifier"], centre=centres["banjar"])
    assert len(rows) == 3


@pytest.mark.parametrize("name", ["operator_neighbour", "verifier_other", "assessor"])
def test_centre_indicators_empty_for_a_centre_outside_scope(personas, centres, name):
    _row(centres["banjar"], 2025, "baseline")
    assert centre_indicators(user=personas[name], centre=centres["banjar"]) == []
    assert centre_indicators(user=AnonymousUser(), centre=centres["banjar"]) == []


def test_centre_indicators_empty_for_a_centre_without_figures(personas, centres):
    assert centre_indicators(user=personas["admin"], centre=centres["banjar"]) == []


# --- changes_by_centre ---------------------------------------------------------------------


def _change(changes, field):
    return next(change for change in changes if change.field == field)


def test_changes_by_centre_baseline_to_latest_actual_and_target(personas, centres):
    banjar = centres["banjar"]
    _row(banjar, 2024, "baseline", production_value=100, workers_male=2, workers_female=3)
    _row(banjar, 2025, "actual", production_value=150)
    _row(banjar, 2026, "actual", production_value=200, workers_male=4, workers_female=4)
    _row(banjar, 2027, "target", production_value=300)
    result = changes_by_centre(user=personas["operator"], centres=[banjar.pk])
    assert list(result) == [banjar.pk]
    changes = result[banjar.pk]
    assert [change.field for change in changes] == [field for field, _label, _how in METRICS]
    production = _change(changes, "production_value")
    assert (production.baseline, production.latest, production.latest_year) == (100, 200, 2026)
    assert production.target == 300
    assert production.delta == 100
    assert production.percent == 100
    workers = _change(changes, "worker_count")
    assert (workers.baseline, workers.latest, workers.latest_year) == (5, 8, 2026)
    assert workers.target is None
    export = _change(changes, "export_value")
    assert (export.baseline, export.latest, export.delta) == (None, None, None)


def test_changes_by_centre_leaves_out_centres_without_figures(personas, centres):
    _row(centres["banjar"], 2025, "baseline", production_value=10)
    result = changes_by_centre(
        user=personas["admin"], centres=[centres["banjar"].pk, centres["tapin"].pk]
    )
    assert list(result) == [centres["banjar"].pk]


def test_changes_by_centre_leaves_out_centres_outside_scope(personas, centres):
    for key in ("banjar", "tapin", "kaltim"):
        _row(centres[key], 2025, "baseline", production_value=10)
    ids = [centres[key].pk for key in ("banjar", "tapin", "kaltim")]
    assert set(changes_by_centre(user=personas["operator"], centres=ids)) == {centres["banjar"].pk}
    assert set(changes_by_centre(user=personas["verifier"], centres=ids)) == {
        centres["banjar"].pk,
        centres["tapin"].pk,
    }
    assert changes_by_centre(user=personas["assessor"], centres=ids) == {}
    assert changes_by_centre(user=AnonymousUser(), centres=ids) == {}


def test_changes_by_centre_takes_a_queryset_in_one_query(
    personas, centres, django_assert_num_queries
):
    for key in ("banjar", "banjar_b", "tapin"):
        _row(centres[key], 2024, "baseline", production_value=10)
        _row(centres[key], 2025, "actual", production_value=20)
    wanted = Centre.objects.filter(province_id="63")
    assert isinstance(wanted, QuerySet)
    with django_assert_num_queries(1):
        result = changes_by_centre(user=personas["verifier"], centres=wanted)
    assert set(result) == {centres[key].pk for key in ("banjar", "banjar_b", "tapin")}
    assert all(_change(changes, "production_value").delta == 10 for changes in result.values())


def test_changes_by_centre_of_no_centres_is_empty(personas, centres, django_assert_max_num_queries):
    _row(centres["banjar"], 2025, "baseline", production_value=10)
    with django_assert_max_num_queries(1):
        assert changes_by_centre(user=personas["admin"], centres=[]) == {}
    assert changes_by_centre(user=personas["admin"], centres=Centre.objects.none()) == {}


# --- centres_changeable_by -----------------------------------------------------------------


def _centre_keys(queryset, centres) -> set[str]:
    by_pk = {centre.pk: key for key, centre in centres.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True) if pk in by_pk}


def test_centres_changeable_by_admin_is_every_centre(personas, centres):
    assert _centre_keys(centres_changeable_by(personas["admin"]), centres) == set(centres)
    assert centres_changeable_by(personas["admin"]).count() == Centre.objects.count()


def test_centres_changeable_by_superuser_is_every_centre(personas, centres):
    root = UserFactory(username="root", role=Role.VIEWER, region_id=None, is_superuser=True)
    assert _centre_keys(centres_changeable_by(root), centres) == set(centres)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("verifier", {"banjar", "banjar_b", "batola", "tapin"}),
        ("verifier_other", {"kaltim"}),
        ("operator", {"banjar", "banjar_b"}),
        ("operator_neighbour", {"batola"}),
    ],
)
def test_centres_changeable_by_an_office_is_its_own_region(personas, centres, name, expected):
    assert _centre_keys(centres_changeable_by(personas[name]), centres) == expected


@pytest.mark.parametrize("name", ["viewer", "assessor"])
def test_centres_changeable_by_viewers_and_assessors_is_none(personas, centres, name):
    assert not centres_changeable_by(personas[name]).exists()


def test_centres_changeable_by_regional_viewer_is_none(personas, centres):
    viewer = UserFactory(username="pemantau-banjar", role=Role.VIEWER, region_id="63.03")
    assert not centres_changeable_by(viewer).exists()


def test_centres_changeable_by_assigned_assessor_is_none(personas, centres):
    assessor = make_assessor("penilai-ubah")
    assign_directly(make_proposal(centre=centres["banjar"]), assessor)
    assert not centres_changeable_by(assessor).exists()


def test_centres_changeable_by_regionless_inactive_or_anonymous_is_none(personas, centres):
    regionless = UserFactory(username="operator-tanpa-wilayah", role=Role.OPERATOR, region_id=None)
    operator = personas["operator"]
    operator.is_active = False
    operator.save(update_fields=["is_active"])
    assert not centres_changeable_by(regionless).exists()
    assert not centres_changeable_by(operator).exists()
    assert not centres_changeable_by(AnonymousUser()).exists()


# --- indicators_for_export -----------------------------------------------------------------


@pytest.fixture
def export_rows(centres) -> dict:
    rows = {}
    for key in ("tapin", "banjar", "banjar_b", "kaltim"):
        rows[key, 2026, "target"] = _row(centres[key], 2026, "target")
        rows[key, 2025, "actual"] = _row(centres[key], 2025, "actual")
        rows[key, 2025, "baseline"] = _row(centres[key], 2025, "baseline")
    return rows


def _export_keys(queryset, centres) -> list[tuple[str, int, str]]:
    by_pk = {centre.pk: key for key, centre in centres.items()}
    return [(by_pk[row.centre_id], row.year, row.kind) for row in queryset]


def test_indicators_for_export_in_workbook_order(personas, centres, export_rows):
    # Regency 63.03 before 63.05; inside Banjar by centre name ("Anyaman" before "Banjar").
    keys = _export_keys(indicators_for_export(user=personas["verifier"]), centres)
    assert keys == [
        ("banjar_b", 2025, "baseline"),
        ("banjar_b", 2025, "actual"),
        ("banjar_b", 2026, "target"),
        ("banjar", 2025, "baseline"),
        ("banjar", 2025, "actual"),
        ("banjar", 2026, "target"),
        ("tapin", 2025, "baseline"),
        ("tapin", 2025, "actual"),
        ("tapin", 2026, "target"),
    ]


def test_indicators_for_export_national_includes_every_province(personas, centres, export_rows):
    keys = _export_keys(indicators_for_export(user=personas["admin"]), centres)
    assert len(keys) == 12
    assert keys[-3:] == [
        ("kaltim", 2025, "baseline"),
        ("kaltim", 2025, "actual"),
        ("kaltim", 2026, "target"),
    ]


def test_indicators_for_export_filters_by_year(personas, centres, export_rows):
    keys = _export_keys(indicators_for_export(user=personas["operator"], year=2026), centres)
    assert keys == [("banjar_b", 2026, "target"), ("banjar", 2026, "target")]


def test_indicators_for_export_filters_by_regency(personas, centres, export_rows):
    keys = _export_keys(indicators_for_export(user=personas["admin"], regency="63.05"), centres)
    assert keys == [
        ("tapin", 2025, "baseline"),
        ("tapin", 2025, "actual"),
        ("tapin", 2026, "target"),
    ]


def test_indicators_for_export_filters_by_centre_and_year_together(personas, centres, export_rows):
    rows = indicators_for_export(user=personas["admin"], year=2025, centre=centres["banjar"].pk)
    assert list(rows) == [
        export_rows["banjar", 2025, "baseline"],
        export_rows["banjar", 2025, "actual"],
    ]


def test_indicators_for_export_filters_never_widen_the_scope(personas, centres, export_rows):
    operator = personas["operator"]
    assert not indicators_for_export(user=operator, regency="63.05").exists()
    assert not indicators_for_export(user=operator, centre=centres["kaltim"].pk).exists()
    assert not indicators_for_export(user=personas["operator_neighbour"]).exists()
    assert not indicators_for_export(user=personas["assessor"]).exists()
    assert not indicators_for_export(user=AnonymousUser()).exists()


def test_indicators_for_export_year_without_rows_is_empty(personas, centres, export_rows):
    assert not indicators_for_export(user=personas["admin"], year=2030).exists()


def test_indicators_for_export_reads_centre_and_regency_in_one_query(
    personas, centres, export_rows, django_assert_num_queries
):
    with django_assert_num_queries(1):
        names = [
            (row.centre.name, row.centre.regency.code)
            for row in indicators_for_export(user=personas["verifier"])
        ]
    assert names[0] == ("Sentra Anyaman Banjar", "63.03")
    assert names[-1] == ("Sentra Tapin", "63.05")


# --- indicator_history ---------------------------------------------------------------------


def _field_label(name: str) -> str:
    return str(Indicator._meta.get_field(name).verbose_name)


def test_indicator_history_newest_first_with_old_and_new_values(personas, centres):
    banjar, operator = centres["banjar"], personas["operator"]
    data = {"production_value": 100, "sales_channels": ["direct"]}
    indicator = save_indicator(actor=operator, centre=banjar, year=2025, kind="actual", data=data)
    changed = {"production_value": 150, "sales_channels": ["direct", "marketplace"]}
    save_indicator(
        actor=operator, centre=banjar, year=2025, kind="actual", data=changed, reason="Koreksi"
    )
    entries = indicator_history(indicator)
    assert [entry.kind for entry in entries] == ["~", "+"]
    newest = entries[0]
    assert newest.reason == "Koreksi"
    by_field = {change.field: (change.old, change.new) for change in newest.changes}
    assert by_field[_field_label("production_value")] == (100, 150)
    direct, marketplace = str(SalesChannel.DIRECT.label), str(SalesChannel.MARKETPLACE.label)
    assert by_field[_field_label("sales_channels")] == (direct, f"{direct}, {marketplace}")
    assert entries[1].changes == []
    assert entries[0].when >= entries[1].when


def test_indicator_history_leaves_out_saves_that_changed_nothing(personas, centres):
    banjar, operator = centres["banjar"], personas["operator"]
    data = {"production_value": 100}
    indicator = save_indicator(actor=operator, centre=banjar, year=2025, kind="actual", data=data)
    save_indicator(actor=operator, centre=banjar, year=2025, kind="actual", data=data)
    assert indicator.history.count() == 2
    assert [entry.kind for entry in indicator_history(indicator)] == ["+"]


def test_indicator_history_keeps_a_reason_without_changes(personas, centres):
    banjar, admin = centres["banjar"], personas["admin"]
    data = {"production_value": 100}
    baseline = save_indicator(
        actor=admin, centre=banjar, year=2025, kind="baseline", data=data, reason="Awal"
    )
    save_indicator(
        actor=admin, centre=banjar, year=2025, kind="baseline", data=data, reason="Dicek ulang"
    )
    entries = indicator_history(baseline)
    assert [(entry.kind, entry.reason, entry.changes) for entry in entries] == [
        ("~", "Dicek ulang", []),
        ("+", "Awal", []),
    ]


def test_indicator_history_limit_keeps_the_newest_with_its_changes(personas, centres):
    banjar, operator = centres["banjar"], personas["operator"]
    indicator = None
    for value in (100, 200, 300):
        indicator = save_indicator(
            actor=operator,
            centre=banjar,
            year=2025,
            kind="actual",
            data={"production_value": value},
        )
    entries = indicator_history(indicator, limit=1)
    assert len(entries) == 1
    assert [
        (c.old, c.new) for c in entries[0].changes if c.field == _field_label("production_value")
    ] == [(200, 300)]
    assert len(indicator_history(indicator)) == 3


def test_indicator_history_of_a_row_without_history_is_empty(centres):
    indicator = Indicator.objects.bulk_create(
        [Indicator(centre=centres["banjar"], year=2025, kind="actual")]
    )[0]
    assert indicator_history(indicator) == []


def test_indicator_history_is_one_query(personas, centres, django_assert_num_queries):
    banjar, operator = centres["banjar"], personas["operator"]
    indicator = None
    for value in range(1, 6):
        indicator = save_indicator(
            actor=operator,
            centre=banjar,
            year=2025,
            kind="actual",
            data={"production_value": value},
        )
    with django_assert_num_queries(1):
        entries = indicator_history(indicator)
        [entry.who for entry in entries]
    assert len(entries) == 5
