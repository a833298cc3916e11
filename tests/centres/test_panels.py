"""``centres.panels``: the sections the apps above centres add to a centre's page."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ovop.centres import panels
from ovop.centres.panels import AFTER_FACTS, BEFORE_HISTORY, Panel, panels_for, register_panel


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the apps' panels come back afterwards)."""
    monkeypatch.setattr(panels, "_registered", {})


def constant(template: str, **context):
    return lambda centre, user, request: Panel(template, context)


def test_panels_for_orders_each_slot_and_merges_their_context(registry):
    register_panel("late", 20, constant("late.html", late=2))
    register_panel("early", 10, constant("early.html", early=1))
    register_panel("top", 30, constant("top.html", top=3), slot=AFTER_FACTS)
    templates, context = panels_for(centre=None, user=None, request=None)
    assert templates == {AFTER_FACTS: ["top.html"], BEFORE_HISTORY: ["early.html", "late.html"]}
    assert context == {"early": 1, "late": 2, "top": 3}


def test_panels_for_leaves_out_a_panel_with_nothing_to_show(registry):
    register_panel("shown", 10, constant("shown.html", shown=True))
    register_panel("hidden", 20, lambda centre, user, request: None)
    templates, context = panels_for(centre=None, user=None, request=None)
    assert templates[BEFORE_HISTORY] == ["shown.html"]
    assert context == {"shown": True}


def test_panels_for_passes_the_centre_the_reader_and_the_request(registry):
    seen = []
    register_panel("spy", 10, lambda *args: seen.append(args))
    panels_for(centre="centre", user="user", request="request")
    assert seen == [("centre", "user", "request")]


def test_register_panel_again_replaces_it(registry):
    register_panel("one", 10, constant("old.html"))
    register_panel("one", 10, constant("new.html"))
    templates, _context = panels_for(centre=None, user=None, request=None)
    assert templates[BEFORE_HISTORY] == ["new.html"]


def test_register_panel_refuses_an_unknown_slot(registry):
    with pytest.raises(ImproperlyConfigured):
        register_panel("lost", 10, constant("lost.html"), slot="sidebar")


def test_panels_for_refuses_two_panels_giving_the_same_name(registry):
    register_panel("a", 10, constant("a.html", shared=1))
    register_panel("b", 20, constant("b.html", shared=2))
    with pytest.raises(ImproperlyConfigured, match="shared"):
        panels_for(centre=None, user=None, request=None)


def test_coaching_and_reports_register_their_panels_on_the_centre_page(client, world):
    client.force_login(world["operator"])
    response = client.get(reverse("centres:detail", kwargs={"pk": world["centre_banjar"].pk}))
    assert response.context["panels"] == {
        AFTER_FACTS: ["reports/_centre_story.html"],
        BEFORE_HISTORY: ["coaching/_centre_indicators.html", "coaching/_centre_activities.html"],
    }
    html = response.content.decode()
    # Story under the facts; indicators, then coaching, after the documents.
    positions = [
        html.index(marker)
        for marker in (
            'id="facts-title"',
            'id="ovop-story"',
            'id="documents-title"',
            'id="indicators"',
            'id="coaching-activities"',
        )
    ]
    assert positions == sorted(positions)
