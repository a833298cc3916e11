"""bench/scale.py and bench/changes.py at a small scale: the series grows, times cold and
warm, names growth faster than the data, and leaves the data as it found it."""

import os

import pytest

from bench import scale
from bench.changes import Changes
from ovop.accounts.enums import Role
from ovop.centres.models import Centre
from ovop.evaluation.models import Assessment, ProposalResult
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    """The generator names the ministry admin ``admin``, as the demo does."""
    return UserFactory(username="admin", role=Role.ADMIN)


def test_series_puts_each_steps_time_factor_beside_its_size_factor():
    rows = [
        {"case": "ranking", "unit": "proposals", "size": 500, "p50_ms": 10.0},
        {"case": "ranking", "unit": "proposals", "size": 1500, "p50_ms": 28.0},
        {"case": "ranking", "unit": "proposals", "size": 5000, "p50_ms": 140.0},
    ]
    for row in rows:
        row.update(warm_p50_ms=1.0, queries=8)

    (found,) = scale.series(rows)

    assert found["sizes"]["1500"] == {"p50_ms": 28.0, "warm_p50_ms": 1.0, "queries": 8}
    assert found["steps"] == [
        {
            "from": 500,
            "to": 1500,
            "size_factor": 3.0,
            "time_factor": 2.8,
            "faster_than_linear": False,
        },
        {
            "from": 1500,
            "to": 5000,
            "size_factor": 3.33,
            "time_factor": 5.0,
            "faster_than_linear": True,
        },
    ]


def test_a_small_series_grows_once_times_cold_and_warm_and_plots(admin, tmp_path):
    first = scale.grow(centres=120, proposals=20, year=2041, log=lambda message: None)
    again = scale.grow(centres=120, proposals=20, year=2041, log=lambda message: None)
    assert again == first  # made once, then reused
    assert 0 < scale._scale_centres().count() <= 120 == Centre.objects.count()
    assert ProposalResult.objects.filter(cycle=first).count() == 20

    rows = scale.time_step(first, centres=120, proposals=20, rounds=2)

    assert {row["case"] for row in rows} == {
        *(case for case, _path in scale.RANKING_CASES),
        *(case for case, _path in scale.CENTRE_CASES),
    }
    assert all(row["p50_ms"] > 0 and row["warm_p50_ms"] > 0 for row in rows)
    picture = tmp_path / "scale.png"
    scale.plot(scale.series(rows), picture, "sqlite")
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_changes_alternate_and_restore_what_they_found(admin):
    cycle = scale.grow(centres=60, proposals=10, year=2042, log=lambda message: None)
    change = Changes(score_cycle=cycle, centres=scale._scale_centres())
    assessment, centre = change.assessment, change.centre
    levels, address = dict(assessment.levels), centre.address
    result = ProposalResult.objects.get(proposal=assessment.assignment.proposal)

    change()

    assessment.refresh_from_db()
    assert assessment.levels != levels
    assert Centre.objects.get(pk=centre.pk).address == address + " (bench)"
    changed = ProposalResult.objects.get(pk=result.pk)
    assert changed.updated_at > result.updated_at
    assert changed.levels != result.levels

    change.restore()

    assert Assessment.objects.get(pk=assessment.pk).levels == levels
    assert Centre.objects.get(pk=centre.pk).address == address
    assert ProposalResult.objects.get(pk=result.pk).levels == pytest.approx(result.levels)


def test_importing_the_scale_series_changes_no_setting_of_this_process():
    """Only ``python -m bench.scale`` points at its own database and the bench settings;
    imported (as here), it must leave the environment of the tests alone."""
    assert "bench-scale" not in os.environ.get("DATABASE_URL", "")
    assert "SECURE_SSL_REDIRECT" not in os.environ or os.environ["SECURE_SSL_REDIRECT"] != "0"
