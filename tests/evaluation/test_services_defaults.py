"""Direct tests of ``ovop.evaluation.services.defaults`` against the domain brief (OVOP.md).

The brief's default rubric: K1 Produksi (25), K2 Jenis & mutu produk (30), K3 Jangkauan
pasar (25), K4 Kapasitas produksi (20); eleven sub-criteria on levels 1–5; score =
Σ weight × level / 5 with weights summing to 100; star bands ★5 ≥ 85, ★4 ≥ 70, ★3 ≥ 55,
★2 ≥ 40 (5-star mode) and ★3 ≥ 75, ★2 ≥ 55 (3-star mode).
"""

import pytest

from ovop.centres.enums import MarketReach
from ovop.evaluation.enums import SuggestFrom
from ovop.evaluation.services.defaults import (
    DEFAULT_BANDS,
    DEFAULT_RUBRIC,
    MARKET_REACH_LEVEL,
    WORKER_LEVEL_FLOORS,
)
from ovop.evaluation.services.rubric import ensure_rubric, subcriteria_of
from tests.factories import make_cycle

# The brief's table: criterion (name, weight) and sub-criteria (English gist, weight).
BRIEF_CRITERIA = {
    "K1": ("Produksi", 25),
    "K2": ("Jenis & mutu produk", 30),
    "K3": ("Jangkauan pasar", 25),
    "K4": ("Kapasitas produksi", 20),
}
BRIEF_SUBCRITERIA = {
    "K1.1": ("share of local raw material", 10),
    "K1.2": ("continuity of raw-material supply", 8),
    "K1.3": ("value added", 7),
    "K2.1": ("uniqueness / local wisdom", 10),
    "K2.2": ("quality & legality: permits, certificates", 10),
    "K2.3": ("market-driven design & packaging innovation", 10),
    "K3.1": ("market reach level", 15),
    "K3.2": ("channels, promotion & image", 10),
    "K4.1": ("capacity & stability of output", 10),
    "K4.2": ("workforce & hr development", 5),
    "K4.3": ("equipment, process & sop", 5),
}


def subs():
    return [sub for _code, _name, _en, items in DEFAULT_RUBRIC for sub in items]


# --- the rubric ----------------------------------------------------------------------------------


def test_default_rubric_criteria_are_the_briefs_four_in_order():
    assert [(code, name) for code, name, _en, _subs in DEFAULT_RUBRIC] == [
        (code, name) for code, (name, _weight) in BRIEF_CRITERIA.items()
    ]


def test_default_rubric_criterion_weights_are_the_briefs():
    weights = {code: sum(sub[3] for sub in items) for code, _n, _e, items in DEFAULT_RUBRIC}
    assert weights == {code: weight for code, (_name, weight) in BRIEF_CRITERIA.items()}


def test_default_rubric_subcriteria_and_weights_are_the_briefs():
    assert {sub[0]: sub[3] for sub in subs()} == {
        code: weight for code, (_gist, weight) in BRIEF_SUBCRITERIA.items()
    }
    assert [sub[0] for sub in subs()] == list(BRIEF_SUBCRITERIA)


def test_default_rubric_english_names_say_what_the_brief_says():
    for code, _name, name_en, _weight, _suggest, _levels in subs():
        assert name_en.lower().startswith(BRIEF_SUBCRITERIA[code][0]), code


def test_default_rubric_weights_sum_to_100_so_scores_run_from_20_to_100():
    weights = [sub[3] for sub in subs()]
    assert sum(weights) == 100
    assert sum(weight / 100 for weight in weights) == pytest.approx(1)
    assert all(weight > 0 for weight in weights)
    assert sum(weight * 1 / 5 for weight in weights) == pytest.approx(20)
    assert sum(weight * 5 / 5 for weight in weights) == pytest.approx(100)


def test_default_rubric_codes_are_unique_and_belong_to_their_criterion():
    codes = [sub[0] for sub in subs()]
    assert len(codes) == len(set(codes)) == 11
    for code, _name, _en, items in DEFAULT_RUBRIC:
        assert [sub[0] for sub in items] == [f"{code}.{n}" for n in range(1, len(items) + 1)]


def test_default_rubric_names_are_bilingual_and_filled():
    for code, name, name_en, items in DEFAULT_RUBRIC:
        assert name.strip(), code
        assert name_en.strip(), code
        assert name != name_en, code
        for sub_code, sub_name, sub_en, _weight, _suggest, _levels in items:
            assert sub_name.strip(), sub_code
            assert sub_en.strip(), sub_code
            assert len(sub_name) <= 200, sub_code
            assert len(sub_en) <= 200, sub_code


def test_default_rubric_each_subcriterion_has_five_distinct_bilingual_levels():
    for code, _name, _en, _weight, _suggest, described in subs():
        assert len(described) == 5, code
        indonesian = [text for text, _english in described]
        english = [text for _text, text in described]
        assert all(text.strip() for text in indonesian + english), code
        assert len(set(indonesian)) == len(set(english)) == 5, code
        assert all(len(text) <= 300 for text in indonesian + english), code


def test_default_rubric_suggests_levels_from_market_reach_certificates_and_workers():
    suggested = {sub[0]: sub[4] for sub in subs() if sub[4] != SuggestFrom.NONE}
    assert suggested == {
        "K2.2": SuggestFrom.CERTIFICATES,
        "K3.1": SuggestFrom.MARKET_REACH,
        "K4.2": SuggestFrom.WORKERS,
    }
    assert all(sub[4] in SuggestFrom.values for sub in subs())


def test_default_market_reach_levels_follow_the_briefs_descriptors():
    (market,) = [sub for sub in subs() if sub[0] == "K3.1"]
    english = [text.lower() for _text, text in market[5]]
    # 1 desa/kecamatan; 2 kab/kota; 3 regional/province; 4 national; 5 export.
    assert "village" in english[0]
    assert "regency" in english[1]
    assert "province" in english[2]
    assert "national" in english[3]
    assert "inter-provincial" in english[3]
    assert "export" in english[4]


# --- suggestions from the registry ---------------------------------------------------------------


def test_market_reach_levels_rise_from_local_to_export():
    assert list(MARKET_REACH_LEVEL) == list(MarketReach.values)
    assert list(MARKET_REACH_LEVEL.values()) == [1, 2, 3, 4, 5]


def test_worker_floors_fall_from_level_five_to_one_and_start_at_zero():
    floors = [floor for floor, _level in WORKER_LEVEL_FLOORS]
    assert [level for _floor, level in WORKER_LEVEL_FLOORS] == [5, 4, 3, 2, 1]
    assert floors == sorted(floors, reverse=True)
    assert floors[-1] == 0


def test_worker_floors_match_the_k42_descriptors():
    (workforce,) = [sub for sub in subs() if sub[0] == "K4.2"]
    indonesian = [text for text, _english in workforce[5]]
    for floor, level in WORKER_LEVEL_FLOORS:
        if floor:
            assert indonesian[level - 1].startswith(str(floor)), (floor, level)
    assert indonesian[0].startswith("Kurang dari 10")  # level 1 is below the first floor


# --- the star bands ------------------------------------------------------------------------------


def test_default_five_star_bands_are_the_briefs():
    assert DEFAULT_BANDS[5] == [(5, 85), (4, 70), (3, 55), (2, 40), (1, 0)]


def test_default_three_star_bands_are_the_briefs():
    assert DEFAULT_BANDS[3] == [(3, 75), (2, 55), (1, 0)]


@pytest.mark.parametrize("scale", sorted(DEFAULT_BANDS))
def test_default_bands_are_well_formed(scale):
    bands = DEFAULT_BANDS[scale]
    assert [stars for stars, _low in bands] == list(range(scale, 0, -1))
    lows = [low for _stars, low in bands]
    assert lows == sorted(lows, reverse=True)
    assert len(set(lows)) == len(lows)
    assert lows[-1] == 0  # the lowest band starts at 0
    assert all(0 <= low <= 100 for low in lows)
    assert lows[0] > 20  # the lowest possible score never earns the top band


# --- seeded into a new cycle ---------------------------------------------------------------------


def test_a_new_cycle_is_seeded_with_exactly_the_defaults(db):
    rubric = ensure_rubric(make_cycle(year=2041, name="OVOP 2041"))
    seeded = [
        (
            sub.code,
            sub.name,
            sub.name_en,
            sub.weight,
            sub.suggest_from,
            [(level.descriptor, level.descriptor_en) for level in sub.levels.all()],
        )
        for sub in subcriteria_of(rubric)
    ]
    assert seeded == [(s[0], s[1], s[2], s[3], s[4], list(s[5])) for s in subs()]
    criteria = [(c.code, c.name, c.name_en) for c in rubric.criteria.order_by("position")]
    assert criteria == [(code, name, en) for code, name, en, _subs in DEFAULT_RUBRIC]
    assert all(sub.benefit for sub in subcriteria_of(rubric))


@pytest.mark.parametrize("scale", [5, 3])
def test_a_new_cycle_gets_the_default_bands_of_its_scale(db, scale):
    cycle = make_cycle(year=2042, name="OVOP 2042", star_scale=scale)
    stored = list(cycle.star_bands.order_by("-stars").values_list("stars", "min_score"))
    assert [(stars, int(low)) for stars, low in stored] == DEFAULT_BANDS[scale]
