"""Races: two requests at the same instant, each on its own database connection.

Threads with their own connections are real concurrency on PostgreSQL: each request runs in
its own transaction, row locks block the other thread and constraints fire, exactly as with
several gunicorn workers. SQLite ignores ``select_for_update`` and serialises every write,
so these tests only mean something on PostgreSQL and are skipped elsewhere.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.test import Client

from tests.conftest import ensure_regions

# Each race is run this many times; the loser must be refused cleanly every time.
RUNS = 20

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    if ON_POSTGRESQL:
        return
    skip = pytest.mark.skip(
        reason="races need PostgreSQL (SQLite ignores row locks and serialises every write): "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/ovop make test"
    )
    for item in items:
        if item.path.parent.name == "races":
            item.add_marker(skip)


@pytest.fixture
def race_db(transactional_db):
    """Committed rows that both threads see; transactional tests start from flushed tables."""
    ensure_regions()


@pytest.fixture(scope="module", autouse=True)
def _regions_back(django_db_blocker):
    """Leave the regions the session loaded for the tests this worker runs next."""
    yield
    if ON_POSTGRESQL:
        with django_db_blocker.unblock():
            ensure_regions()


def signed_in(user) -> Client:
    """A client for ``user`` that answers a crash as a 500 instead of raising it."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@dataclass
class Outcome:
    statuses: list[int]
    responses: list[HttpResponse]

    def count(self, status: int) -> int:
        return self.statuses.count(status)


def race(*requests: Callable[[], HttpResponse]) -> Outcome:
    """Run the requests at the same instant, one thread and one connection each."""
    barrier = threading.Barrier(len(requests))
    responses: list[HttpResponse | None] = [None] * len(requests)
    failures: list[BaseException] = []

    def run(index: int, request: Callable[[], HttpResponse]) -> None:
        try:
            barrier.wait(timeout=10)
            responses[index] = request()
        except BaseException as error:  # reported in the main thread below
            failures.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not failures, failures
    assert all(response is not None for response in responses), "a request did not finish"
    answered = [response for response in responses if response is not None]
    return Outcome(statuses=[response.status_code for response in answered], responses=answered)
