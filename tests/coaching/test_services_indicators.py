"""ovop.coaching.services.indicators, called directly: the registry snapshot, the baseline
taken once per centre, a year's figures saved (a baseline only with a reason), and the
before/after comparison per centre and per programme."""

import datetime
import inspect
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ovop.coaching.models import Indicator
from ovop.coaching.outputs.notes import BASELINE_AT_PUBLICATION
from ovop.coaching.services.indicators import (
    INDICATOR_FIELDS,
    METRICS,
    Change,
    as_decimal,
    capture_baselines,
    changes_for,
    metric_value,
    registry_snapshot,
    rollup,
    save_indicator,
)
from tests.factories import CentreFactory, CertificateFactory, EnterpriseFactory

FIELDS = [field for field, _label, _how in METRICS]
INDONESIAN_NOTE = "Data dasar dari Pendataan sentra IKM saat penetapan OVOP 2026 diterbitkan."


pytestmark = pytest.mark.usefixtures("english")


def row(kind="actual", year=2025, **figures) -> Indicator:
    """An unsaved indicator: the comparison functions need no database."""
    return Indicator(kind=kind, year=year, **figures)


def test_services_take_keyword_arguments_only():
    for function in (capture_baselines, save_indicator):
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        assert kinds == {inspect.Parameter.KEYWORD_ONLY}, function.__name__
    on = inspect.signature(registry_snapshot).parameters["on"]
    assert on.kind == inspect.Parameter.KEYWORD_ONLY


# --- metric_value and as_decimal -----------------------------------------------------------


def test_metric_value_reads_each_metric_as_a_float():
    indicator = row(
        capacity_value=Decimal("1234.50"),
        production_value=1_000,
        workers_male=3,
        workers_female=4,
        market_reach="province",
        certificates_held=2,
        export_value=0,
    )
    values = [metric_value(indicator, field) for field in FIELDS]
    assert values == [1234.5, 1000.0, 7, 3, 2.0, 0.0]
    assert isinstance(values[0], float)


def test_metric_value_is_none_where_nothing_was_recorded():
    assert [metric_value(row(), field) for field in FIELDS] == [None] * len(FIELDS)


def test_metric_value_workers_count_one_side_recorded():
    assert metric_value(row(workers_female=9), "worker_count") == 9
    assert metric_value(row(workers_male=0), "worker_count") == 0


@pytest.mark.parametrize(
    ("reach", "level"),
    [("local", 1), ("regency", 2), ("province", 3), ("national", 4), ("export", 5)],
)
def test_metric_value_market_reach_is_a_level_from_local_to_export(reach, level):
    assert metric_value(row(market_reach=reach), "market_reach_level") == level


def test_as_decimal_keeps_the_written_digits():
    assert as_decimal(None) is None
    assert as_decimal(0.1) == Decimal("0.1")
    assert as_decimal(12) == Decimal("12")
    assert as_decimal("1234.50") == Decimal("1234.50")


# --- registry_snapshot ---------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_snapshot_takes_the_centres_figures_and_its_units():
    centre = CentreFactory(market_reach="province")
    EnterpriseFactory(
        centre=centre,
        export_destinations="Malaysia, Jepang,, ",
        sales_channels=["marketplace", "direct"],
    )
    EnterpriseFactory(centre=centre, export_destinations="Jepang,Brunei", sales_channels=["social"])
    EnterpriseFactory(export_destinations="Belanda", sales_channels=["exporter"])  # elsewhere
    snapshot = registry_snapshot(centre)
    assert snapshot == {
        "capacity_value": Decimal("1200"),
        "capacity_unit": "lembar",
        "production_value": 1_250_000_000,
        "workers_male": 10,
        "workers_female": 25,
        "market_reach": "province",
        "certificates_held": 0,
        "export_destinations": "Brunei, Jepang, Malaysia",
        "sales_channels": ["direct", "marketplace", "social"],
    }


@pytest.mark.django_db
def test_registry_snapshot_counts_certificates_valid_on_the_day():
    day = datetime.date(2026, 6, 1)
    enterprise = EnterpriseFactory()
    CertificateFactory(enterprise=enterprise, expires_on=day)  # valid through that day
    CertificateFactory(enterprise=enterprise, expires_on=None)  # never expires
    CertificateFactory(enterprise=enterprise, expires_on=day + datetime.timedelta(days=400))
    CertificateFactory(enterprise=enterprise, expires_on=day - datetime.timedelta(days=1))
    CertificateFactory(expires_on=None)  # another centre's
    assert registry_snapshot(enterprise.centre, on=day)["certificates_held"] == 3
    later = day + datetime.timedelta(days=1)
    assert registry_snapshot(enterprise.centre, on=later)["certificates_held"] == 2


@pytest.mark.django_db
def test_registry_snapshot_of_a_centre_without_units():
    snapshot = registry_snapshot(CentreFactory())
    assert (snapshot["export_destinations"], snapshot["sales_channels"]) == ("", [])
    assert snapshot["certificates_held"] == 0


@pytest.mark.django_db
def test_registry_snapshot_cuts_the_destinations_to_the_column():
    centre = CentreFactory()
    for number in range(40):
        EnterpriseFactory(centre=centre, export_destinations=f"Negeri nomor {number:02d}")
    destinations = registry_snapshot(centre)["export_destinations"]
    assert len(destinations) == 300
    assert destinations.startswith("Negeri nomor 00, Negeri nomor 01")


# --- capture_baselines ---------------------------------------------------------------------


@pytest.mark.django_db
def test_capture_baselines_takes_the_registry_figures_and_counts_them():
    first, second = CentreFactory(), CentreFactory(production_value=7)
    assert capture_baselines(centre_ids=[first.pk, second.pk], year=2026, note="Dari registri") == 2
    rows = Indicator.objects.filter(kind="baseline").order_by("centre_id")
    assert [(r.centre_id, r.year, r.note) for r in rows] == [
        (first.pk, 2026, "Dari registri"),
        (second.pk, 2026, "Dari registri"),
    ]
    assert rows[1].production_value == 7
    assert (rows[0].workers_male, rows[0].workers_female) == (10, 25)
    assert all(r.history.get().history_type == "+" for r in rows)


@pytest.mark.django_db
def test_capture_baselines_keeps_the_first_baseline_of_a_centre():
    centre = CentreFactory()
    capture_baselines(centre_ids=[centre.pk], year=2024, note="Pertama")
    centre.production_value = 9
    centre.save()
    assert capture_baselines(centre_ids=[centre.pk], year=2026, note="Kedua") == 0
    only = Indicator.objects.get(centre=centre)
    assert (only.year, only.note, only.production_value) == (2024, "Pertama", 1_250_000_000)


@pytest.mark.django_db
def test_capture_baselines_only_for_the_centres_that_have_none():
    measured, fresh = CentreFactory(), CentreFactory()
    Indicator.objects.create(centre=fresh, year=2024, kind="actual", production_value=1)
    capture_baselines(centre_ids=[measured.pk], year=2024)
    assert capture_baselines(centre_ids=[measured.pk, fresh.pk, fresh.pk], year=2026) == 1
    assert Indicator.objects.get(centre=fresh, kind="baseline").year == 2026
    assert Indicator.objects.filter(centre=fresh).count() == 2  # the actual is untouched


@pytest.mark.django_db
def test_capture_baselines_ignores_unknown_centres_and_an_empty_list():
    assert capture_baselines(centre_ids=[], year=2026) == 0
    assert capture_baselines(centre_ids=[987_654_321], year=2026) == 0
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_capture_baselines_stores_a_keyed_note_in_the_default_language():
    centre = CentreFactory()
    with translation.override("en"):
        capture_baselines(
            centre_ids=[centre.pk],
            year=2026,
            note_key=BASELINE_AT_PUBLICATION,
            note_params={"cycle": "OVOP 2026"},
        )
    start = Indicator.objects.get(centre=centre)
    assert (start.note_key, start.note_params) == (BASELINE_AT_PUBLICATION, {"cycle": "OVOP 2026"})
    assert start.note == INDONESIAN_NOTE


@pytest.mark.django_db
def test_capture_baselines_a_given_note_wins_over_the_keys_wording():
    centre = CentreFactory()
    capture_baselines(
        centre_ids=[centre.pk],
        year=2026,
        note="Ditulis sendiri",
        note_key=BASELINE_AT_PUBLICATION,
        note_params={"cycle": "OVOP 2026"},
    )
    start = Indicator.objects.get(centre=centre)
    assert (start.note, start.note_key) == ("Ditulis sendiri", BASELINE_AT_PUBLICATION)


@pytest.mark.django_db
def test_capture_baselines_cuts_a_long_note_to_the_column():
    centre = CentreFactory()
    capture_baselines(centre_ids=[centre.pk], year=2026, note="n" * 500)
    assert Indicator.objects.get(centre=centre).note == "n" * 300


@pytest.mark.django_db
def test_capture_baselines_an_unknown_key_saves_nothing():
    centre = CentreFactory()
    with pytest.raises(KeyError):
        capture_baselines(centre_ids=[centre.pk], year=2026, note_key="gone.away")
    assert not Indicator.objects.exists()


# --- save_indicator ------------------------------------------------------------------------


@pytest.fixture
def centre(db):
    return CentreFactory(region_id="63.03.01")


def test_save_indicator_records_a_new_year(operator, centre):
    saved = save_indicator(
        actor=operator,
        centre=centre,
        year=2026,
        kind="actual",
        data={
            "production_value": 1_500_000_000,
            "workers_male": 12,
            "sales_channels": ["direct"],
            "note": "Data Dinas",
        },
    )
    stored = Indicator.objects.get(pk=saved.pk)
    assert (stored.centre, stored.year, stored.kind) == (centre, 2026, "actual")
    assert (stored.production_value, stored.workers_male, stored.workers_female) == (
        1_500_000_000,
        12,
        None,
    )
    assert (stored.sales_channels, stored.note) == (["direct"], "Data Dinas")
    [created] = stored.history.all()
    assert created.history_type == "+"
    assert not created.history_change_reason


def test_save_indicator_again_updates_the_same_row_and_keeps_other_figures(operator, centre):
    first = save_indicator(
        actor=operator,
        centre=centre,
        year=2026,
        kind="target",
        data={"production_value": 5, "export_value": 8},
    )
    again = save_indicator(
        actor=operator,
        centre=centre,
        year=2026,
        kind="target",
        data={"production_value": 6},
        reason="  Revisi  ",
    )
    assert again.pk == first.pk
    stored = Indicator.objects.get()
    assert (stored.production_value, stored.export_value) == (6, 8)
    latest = stored.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "Revisi")


def test_save_indicator_sets_only_the_figure_fields(operator, centre):
    other = CentreFactory()
    saved = save_indicator(
        actor=operator,
        centre=centre,
        year=2026,
        kind="actual",
        data={"year": 1999, "kind": "target", "centre": other, "note_key": "x", "pk": 5},
    )
    stored = Indicator.objects.get(pk=saved.pk)
    assert (stored.centre, stored.year, stored.kind, stored.note_key) == (
        centre,
        2026,
        "actual",
        "",
    )
    assert set(INDICATOR_FIELDS) >= {"note", "sales_channels", "export_destinations"}


def test_save_indicator_corrects_a_baseline_with_its_reason(verifier, centre):
    capture_baselines(centre_ids=[centre.pk], year=2024)
    start = Indicator.objects.get(centre=centre)
    save_indicator(
        actor=verifier,
        centre=centre,
        year=2024,
        kind="baseline",
        data={"production_value": 900_000_000},
        reason=" Salah ketik di registri ",
    )
    start.refresh_from_db()
    assert (start.kind, start.production_value, start.workers_male) == ("baseline", 900_000_000, 10)
    assert Indicator.objects.count() == 1
    latest = start.history.first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "Salah ketik di registri")


def test_save_indicator_first_baseline_by_hand_needs_a_reason_too(admin_user, centre):
    saved = save_indicator(
        actor=admin_user,
        centre=centre,
        year=2024,
        kind="baseline",
        data={"production_value": 1},
        reason="Data lama Dinas",
    )
    assert saved.history.get().history_change_reason == "Data lama Dinas"


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_save_indicator_refuses_a_baseline_change_without_a_reason(verifier, centre, reason):
    capture_baselines(centre_ids=[centre.pk], year=2024)
    with pytest.raises(ValidationError) as caught:
        save_indicator(
            actor=verifier,
            centre=centre,
            year=2024,
            kind="baseline",
            data={"production_value": 1},
            reason=reason,
        )
    assert caught.value.message_dict == {"note": ["A baseline is changed only with a reason."]}
    start = Indicator.objects.get()
    assert start.production_value == 1_250_000_000
    assert start.history.count() == 1


def test_save_indicator_refuses_a_second_baseline_in_another_year(verifier, centre):
    capture_baselines(centre_ids=[centre.pk], year=2024)
    with pytest.raises(ValidationError) as caught:
        save_indicator(
            actor=verifier,
            centre=centre,
            year=2026,
            kind="baseline",
            data={"production_value": 1},
            reason="Baru",
        )
    assert list(caught.value.message_dict) == ["year"]
    assert caught.value.message_dict["year"][0].startswith("This sentra already has a baseline")
    assert list(Indicator.objects.values_list("year", "production_value")) == [
        (2024, 1_250_000_000)
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"market_reach": "galactic"}, "market_reach"),
        ({"sales_channels": "direct"}, "sales_channels"),
        ({"capacity_value": Decimal("-1")}, "capacity_value"),
        ({"note": "two\nlines"}, "note"),
    ],
)
def test_save_indicator_runs_the_model_validation(operator, centre, data, field):
    with pytest.raises(ValidationError) as caught:
        save_indicator(actor=operator, centre=centre, year=2026, kind="actual", data=data)
    assert field in caught.value.message_dict
    assert not Indicator.objects.exists()


def test_save_indicator_refuses_an_unknown_kind_or_year(operator, centre):
    for year, kind, field in ((2026, "forecast", "kind"), (1999, "actual", "year")):
        with pytest.raises(ValidationError) as caught:
            save_indicator(actor=operator, centre=centre, year=year, kind=kind, data={})
        assert field in caught.value.message_dict
    assert not Indicator.objects.exists()


def test_save_indicator_refused_edit_leaves_the_row_unchanged(operator, centre):
    saved = save_indicator(
        actor=operator, centre=centre, year=2026, kind="actual", data={"production_value": 5}
    )
    with pytest.raises(ValidationError):
        save_indicator(
            actor=operator,
            centre=centre,
            year=2026,
            kind="actual",
            data={"production_value": 6, "market_reach": "galactic"},
        )
    stored = Indicator.objects.get(pk=saved.pk)
    assert (stored.production_value, stored.market_reach) == (5, "")
    assert stored.history.count() == 1


def test_save_indicator_a_note_sent_back_as_stored_keeps_its_key(verifier, centre):
    capture_baselines(
        centre_ids=[centre.pk],
        year=2026,
        note_key=BASELINE_AT_PUBLICATION,
        note_params={"cycle": "OVOP 2026"},
    )
    save_indicator(
        actor=verifier,
        centre=centre,
        year=2026,
        kind="baseline",
        data={"note": INDONESIAN_NOTE, "export_value": 3},
        reason="Ekspor",
    )
    start = Indicator.objects.get()
    assert (start.note_key, start.note, start.export_value) == (
        BASELINE_AT_PUBLICATION,
        INDONESIAN_NOTE,
        3,
    )
    save_indicator(
        actor=verifier,
        centre=centre,
        year=2026,
        kind="baseline",
        data={"export_value": 4},  # no note given: the key stays
        reason="Ekspor lagi",
    )
    start.refresh_from_db()
    assert (start.note_key, start.export_value) == (BASELINE_AT_PUBLICATION, 4)


# --- changes_for ---------------------------------------------------------------------------


def change(changes: list[Change], field: str) -> Change:
    return next(c for c in changes if c.field == field)


def test_changes_for_compares_the_baseline_with_the_latest_actual_and_target():
    rows = [
        row("actual", 2026, production_value=1_300),
        row("baseline", 2024, production_value=1_000, workers_male=10),
        row("actual", 2025, production_value=1_100, workers_male=12),
        row("target", 2027, production_value=2_000),
        row("target", 2026, production_value=1_500, workers_male=20),
    ]
    changes = changes_for(rows)
    assert [c.field for c in changes] == FIELDS
    production = change(changes, "production_value")
    assert (production.baseline, production.latest, production.latest_year) == (1000, 1300, 2026)
    assert production.target == 2000
    assert production.delta == 300
    assert production.percent == pytest.approx(30.0)
    # The latest actual with a figure for the metric: 2026 has no workers.
    workers = change(changes, "worker_count")
    assert (workers.baseline, workers.latest, workers.latest_year, workers.target) == (
        10,
        12,
        2025,
        20,
    )
    assert workers.delta == 2
    assert change(changes, "production_value").label == "Production value (Rp/year)"


def test_changes_for_without_a_baseline_or_actual_has_no_delta():
    changes = changes_for([row("actual", 2025, production_value=5)])
    production = change(changes, "production_value")
    assert (production.baseline, production.latest, production.delta, production.percent) == (
        None,
        5,
        None,
        None,
    )
    nothing = change(changes, "export_value")
    assert (nothing.latest, nothing.latest_year, nothing.target) == (None, None, None)
    assert changes_for([]) == [
        Change(field, str(label), None, None, None, None) for field, label, _how in METRICS
    ]


def test_changes_for_a_zero_baseline_has_a_delta_but_no_percent():
    changes = changes_for(
        [row("baseline", 2024, export_value=0), row("actual", 2025, export_value=50)]
    )
    export = change(changes, "export_value")
    assert (export.delta, export.percent) == (50, None)


def test_changes_for_a_fall_is_a_negative_change():
    changes = changes_for(
        [row("baseline", 2024, market_reach="national"), row("actual", 2025, market_reach="local")]
    )
    reach = change(changes, "market_reach_level")
    assert (reach.baseline, reach.latest, reach.delta, reach.percent) == (4, 1, -3, -75.0)


# --- rollup --------------------------------------------------------------------------------


def test_rollup_sums_and_averages_only_centres_with_both_ends():
    by_centre = {
        1: changes_for(
            [
                row("baseline", 2024, production_value=100, market_reach="local"),
                row("actual", 2025, production_value=150, market_reach="province"),
            ]
        ),
        2: changes_for(
            [
                row("baseline", 2024, production_value=200, market_reach="regency"),
                row("actual", 2025, production_value=260, market_reach="export"),
            ]
        ),
        3: changes_for([row("baseline", 2024, production_value=10_000)]),  # no actual yet
    }
    rows = {r.field: r for r in rollup(by_centre)}
    assert list(rows) == FIELDS
    production = rows["production_value"]
    assert (production.how, production.centres) == ("sum", 2)
    assert (production.baseline, production.latest, production.delta) == (300, 410, 110)
    reach = rows["market_reach_level"]
    assert (reach.how, reach.centres) == ("mean", 2)
    assert (reach.baseline, reach.latest, reach.delta) == (1.5, 4.0, 2.5)
    exports = rows["export_value"]
    assert (exports.centres, exports.baseline, exports.latest, exports.delta) == (
        0,
        None,
        None,
        None,
    )


def test_rollup_of_no_centres_is_empty_per_metric():
    rows = rollup({})
    assert [(r.field, r.centres, r.delta) for r in rows] == [(f, 0, None) for f in FIELDS]
