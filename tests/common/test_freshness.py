"""Fingerprints (common.freshness): every save, delete and workflow move changes them."""

from datetime import timedelta

import pytest
from django.db.models import F

from ovop.centres.models import Centre
from ovop.common.freshness import cached, fingerprint
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_fingerprint_changes_on_create_save_update_and_delete():
    seen = {fingerprint(Centre.objects.all())}
    older = CentreFactory(name="Sentra Lama")
    seen.add(fingerprint(Centre.objects.all()))
    centre = CentreFactory(name="Sentra Satu")
    seen.add(fingerprint(Centre.objects.all()))
    centre.name = "Sentra Dua"
    centre.save()
    seen.add(fingerprint(Centre.objects.all()))
    # Bulk moves (the workflow's conditional UPDATE) set updated_at themselves.
    Centre.objects.filter(pk=centre.pk).update(updated_at=F("updated_at") + timedelta(days=1))
    seen.add(fingerprint(Centre.objects.all()))
    older.delete()  # not the newest change: the count tells
    seen.add(fingerprint(Centre.objects.all()))
    assert len(seen) == 6


def test_fingerprint_is_stable_and_one_query(django_assert_num_queries):
    CentreFactory(name="Sentra Satu")
    sources = (Centre.objects.all(), (Centre.objects.filter(name="x"), "updated_at"))
    with django_assert_num_queries(1):
        first = fingerprint(*sources)
    assert first == fingerprint(*sources)


def test_cached_computes_once_per_fingerprint():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached("k", "a", compute) == 1
    assert cached("k", "a", compute) == 1
    assert cached("k", "b", compute) == 2
    assert cached("other", "b", compute) == 3
