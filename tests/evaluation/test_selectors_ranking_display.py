"""Direct tests of ``ovop.evaluation.selectors.ranking_display``: cell values and row HTML."""

import dataclasses

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeData

from ovop.evaluation.selectors.ranking_display import (
    FRAGILE_BELOW,
    _words,
    decimal_text,
    display_rows,
    percent_text,
    proposal_url_pattern,
    row_html,
    stability_cell,
    stars_text,
)
from ovop.evaluation.selectors.results import Row, cycle_results
from tests.evaluation.helpers import levels
from tests.evaluation.ranking_builders import scored_proposal
from tests.factories import make_round


def row(**overrides) -> Row:
    """A ranked row as ``cycle_results`` makes it, with a name that needs escaping."""
    values = {
        "proposal_id": 7,
        "centre_id": 3,
        "centre_name": "Sentra <Tenun> & Co",
        "regency": "63.03",
        "regency_name": "Kabupaten Banjar",
        "province": "63",
        "province_name": "Kalimantan Selatan",
        "commodity": "Kain batik",
        "levels": [],
        "score": 82.4,
        "stars": 4,
        "method_score": 0.612345,
        "criterion_scores": {},
        "assessor_totals": {"penilai-1": 80.0, "penilai-2": 84.8},
        "disagreement": False,
        "rank": 1,
        "keeps_band": 0.95,
        "keeps_top": 0.5,
    }
    values.update(overrides)
    return Row(**values)


# --- single values -------------------------------------------------------------------------------


def test_proposal_url_pattern_fills_in_to_the_detail_url():
    pattern = proposal_url_pattern()
    assert "{}" in pattern
    assert pattern.format(42) == reverse("proposals:detail", args=[42])
    assert pattern.format(7) == reverse("proposals:detail", args=[7])


def test_decimal_text_in_indonesian_uses_a_decimal_comma():
    with translation.override("id"):
        assert decimal_text(82.4) == "82,40"
        assert decimal_text(0.612345, 4) == "0,6123"
        assert decimal_text(1234.5) == "1234,50"  # no thousands separator on screen


def test_decimal_text_in_english_uses_a_decimal_point():
    with translation.override("en"):
        assert decimal_text(82.4) == "82.40"
        assert decimal_text(0.612345, 4) == "0.6123"
        assert decimal_text(1234.5) == "1234.50"


def test_decimal_text_rounds_to_the_decimals_asked():
    with translation.override("en"):
        assert decimal_text(99.999) == "100.00"
        assert decimal_text(70) == "70.00"
        assert decimal_text(12.3456, 1) == "12.3"


def test_decimal_text_of_none_is_a_dash_in_both_languages():
    for language in ("id", "en"):
        with translation.override(language):
            assert decimal_text(None) == "–"
            assert decimal_text(None, 4) == "–"


def test_percent_text_is_whole_percents_the_same_in_both_languages():
    for language in ("id", "en"):
        with translation.override(language):
            assert percent_text(0.795) == "80%"
            assert percent_text(1.0) == "100%"
            assert percent_text(0.0) == "0%"
            assert percent_text(0.333) == "33%"


def test_percent_text_of_none_is_a_dash():
    assert percent_text(None) == "–"


def test_stars_text_in_indonesian():
    with translation.override("id"):
        assert stars_text(4) == "★★★★ (4)"
        assert stars_text(1) == "★ (1)"
        assert stars_text(None) == "tidak ditetapkan"


def test_stars_text_in_english():
    with translation.override("en"):
        assert stars_text(5) == "★★★★★ (5)"
        assert stars_text(None) == "not rated"


def test_stability_cell_below_the_threshold_is_fragile():
    assert FRAGILE_BELOW == 0.8
    assert stability_cell(0.79) == {"text": "79%", "fragile": True}
    assert stability_cell(0.0) == {"text": "0%", "fragile": True}


def test_stability_cell_at_or_above_the_threshold_is_not_fragile():
    assert stability_cell(0.8) == {"text": "80%", "fragile": False}
    assert stability_cell(1.0) == {"text": "100%", "fragile": False}


def test_stability_cell_without_a_share_is_a_dash_and_not_fragile():
    assert stability_cell(None) == {"text": "–", "fragile": False}


# --- display rows --------------------------------------------------------------------------------


def test_display_rows_values_in_indonesian():
    with translation.override("id"):
        (item,) = display_rows([row()], method="saw", scale=5, moderation=False)
    assert item["rank"] == 1
    assert item["proposal_id"] == 7
    assert item["url"] == reverse("proposals:detail", args=[7])
    assert item["score"] == "82,40"
    assert item["closeness"] == ""  # SAW shows no closeness
    assert item["assessors"] == 2
    assert item["gap"] == "4,80"
    assert item["keeps_band"] == {"text": "95%", "fragile": False}
    assert item["keeps_top"] == {"text": "50%", "fragile": True}
    assert "★★★★☆" in item["stars"]
    assert "4 dari 5 bintang" in item["stars"]
    assert item["decision"] == "–"  # nothing decided yet
    assert "assessor_totals" not in item


def test_display_rows_values_in_english():
    with translation.override("en"):
        (item,) = display_rows([row()], method="saw", scale=5, moderation=False)
    assert item["score"] == "82.40"
    assert item["gap"] == "4.80"
    assert "4 of 5 stars" in item["stars"]


def test_display_rows_topsis_shows_the_closeness_to_four_decimals():
    with translation.override("en"):
        (item,) = display_rows([row()], method="topsis", scale=5, moderation=False)
    assert item["closeness"] == "0.6123"
    assert "<td>0.6123</td>" in item["html"]


def test_display_rows_moderation_lists_each_assessors_total():
    with translation.override("id"):
        (item,) = display_rows([row()], method="saw", scale=5, moderation=True)
    assert item["assessor_totals"] == [("penilai-1", "80,00"), ("penilai-2", "84,80")]
    assert "penilai-1: 80,00<br>penilai-2: 84,80" in item["html"]


def test_display_rows_without_assessor_totals_have_no_gap():
    with translation.override("en"):
        (item,) = display_rows([row(assessor_totals={})], method="saw", scale=5, moderation=False)
    assert item["assessors"] == 0
    assert item["gap"] == "0.00"


def test_display_rows_labels_pending_and_published_decisions():
    rows = [
        row(proposal_id=1, decision_status="pending", decision_stars=3),
        row(proposal_id=2, decision_status="published", decision_stars=None),
    ]
    with translation.override("en"):
        pending, published = display_rows(rows, method="saw", scale=3, moderation=False)
    assert '<span class="badge badge">Pending</span>' in pending["decision"]
    assert "★★★" in pending["decision"]
    assert "3 of 3 stars" in pending["decision"]
    assert '<span class="badge badge-ok">Published</span>' in published["decision"]
    assert "not rated" in published["decision"]


def test_display_rows_on_a_three_star_scale_pads_with_empty_stars():
    with translation.override("en"):
        (item,) = display_rows([row(stars=1)], method="saw", scale=3, moderation=False)
    assert "★☆☆" in item["stars"]
    assert "1 of 3 star<" in item["stars"]  # singular


def test_display_rows_from_real_cycle_results(db):
    round_ = make_round()
    proposal = scored_proposal(None, levels(4), levels(5), name="Sentra Nyata", round_=round_)
    results = cycle_results(cycle=round_.cycle, with_sensitivity=False)
    with translation.override("id"):
        (item,) = display_rows(results.rows, method="saw", scale=5, moderation=True)
    assert item["proposal_id"] == proposal.pk
    assert item["centre_name"] == "Sentra Nyata"
    assert item["score"] == "90,00"
    assert item["assessors"] == 2
    assert item["gap"] == "20,00"
    assert sorted(total for _name, total in item["assessor_totals"]) == ["100,00", "80,00"]
    assert f'<a href="/proposals/{proposal.pk}/">Sentra Nyata</a>' in item["html"]


# --- row HTML ------------------------------------------------------------------------------------


def _item(**overrides) -> dict:
    with translation.override("en"):
        (item,) = display_rows([row(**overrides)], method="saw", scale=5, moderation=False)
    return item


def test_row_html_escapes_every_plain_value():
    item = _item(regency_name="Banjar <b>", commodity='"Kain"')
    html = row_html(item, topsis=False, moderation=False, words=_words())
    assert isinstance(html, SafeData)
    assert html.startswith("<tr>")
    assert html.endswith("</tr>")
    assert "Sentra &lt;Tenun&gt; &amp; Co</a>" in html
    assert "<td>Banjar &lt;b&gt;</td>" in html
    assert "<td>&quot;Kain&quot;</td>" in html
    assert "<Tenun>" not in html


def test_row_html_keeps_the_safe_star_and_decision_labels():
    item = _item(decision_status="pending", decision_stars=4)
    html = row_html(item, topsis=False, moderation=False, words=_words())
    assert '<span class="stars" aria-hidden="true">★★★★☆</span>' in html
    assert '<span class="badge badge">Pending</span>' in html


def test_row_html_marks_fragile_shares():
    item = _item(keeps_band=0.5, keeps_top=0.9)
    with translation.override("en"):
        words = _words()
    html = row_html(item, topsis=False, moderation=False, words=words)
    assert '<td>50% <span class="badge badge-off">fragile</span></td>' in html
    assert "<td>90%</td>" in html


def test_row_html_shows_a_disagreement_with_the_gap():
    with translation.override("en"):
        words = _words()
    agreeing = row_html(_item(), topsis=False, moderation=False, words=words)
    disagreeing = row_html(_item(disagreement=True), topsis=False, moderation=False, words=words)
    assert "<td>no</td>" in agreeing
    assert '<td><span class="badge badge-off">yes</span> 4.80</td>' in disagreeing


def test_row_html_words_in_indonesian():
    with translation.override("id"):
        words = _words()
        item = display_rows(
            [row(disagreement=True, keeps_top=0.1)], method="saw", scale=5, moderation=False
        )[0]
    html = row_html(item, topsis=False, moderation=False, words=words)
    assert '<span class="badge badge-off">ya</span> 4,80' in html
    assert '<span class="badge badge-off">rentan</span>' in html


@pytest.mark.parametrize(("topsis", "moderation", "cells"), [(False, False, 12), (True, True, 14)])
def test_row_html_cell_count_follows_method_and_moderation(topsis, moderation, cells):
    with translation.override("en"):
        (item,) = display_rows(
            [row()], method="topsis" if topsis else "saw", scale=5, moderation=moderation
        )
        html = row_html(item, topsis=topsis, moderation=moderation, words=_words())
    assert html.count("<td>") == cells
    assert html == item["html"]


def test_row_html_escapes_assessor_names_in_moderation():
    raw = dataclasses.replace(row(), assessor_totals={"a<b>": 80.0})
    with translation.override("en"):
        (item,) = display_rows([raw], method="saw", scale=5, moderation=True)
    assert "a&lt;b&gt;: 80.00" in item["html"]
    assert "a<b>" not in item["html"]
