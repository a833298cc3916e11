"""The rubric and star bands: defaults, copying forward, editing, weights, locking, bands."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ovop.common.refusals import Refused
from ovop.evaluation.forms.setup import RubricForm
from ovop.evaluation.models import Level, StarBand, SubCriterion
from ovop.evaluation.services.decisions import fill_pending, publish_cycle
from ovop.evaluation.services.defaults import DEFAULT_BANDS
from ovop.evaluation.services.rubric import bands_of, ensure_rubric, save_bands, subcriteria_of
from ovop.evaluation.services.scoring import save_assessment
from ovop.evaluation.services.setup import save_whole_rubric
from ovop.proposals.services.proposals import cycle_saved
from tests.evaluation.helpers import assigned_world, levels
from tests.factories import make_cycle


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English (the catalogue translates them for Indonesian)."""
    client.cookies["ovop_language"] = "en"
    with translation.override("en"):
        yield


SUGGESTED_COMMENTS = {"K2.2": "Sesuai sertifikat", "K3.1": "Sesuai data", "K4.2": "Sesuai data"}


def sub(cycle, code: str) -> SubCriterion:
    return SubCriterion.objects.get(criterion__rubric__cycle=cycle, code=code)


def form_data(cycle) -> dict:
    """The rubric screen's POST data exactly as the form shows it (nothing changed)."""
    rubric = ensure_rubric(cycle)
    form = RubricForm(rubric=rubric, subcriteria=subcriteria_of(rubric))
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    return data


def edit_service(cycle, **weights):
    """Save the rubric through the service with some weights changed (K1_1=12 for K1.1)."""
    rubric = ensure_rubric(cycle)
    form = RubricForm(form_data(cycle), rubric=rubric, subcriteria=subcriteria_of(rubric))
    assert form.is_valid(), form.errors
    changes = form.changes()
    for item in changes["subcriteria"]:
        item.weight = weights.get(item.code.replace(".", "_"), item.weight)
    return save_whole_rubric(rubric=rubric, **changes)


def submit_first_assessment(world) -> dict:
    setup = assigned_world(world)
    save_assessment(
        assignment=setup["assignment"],
        actor=setup["assessor"],
        levels=levels(4, K3_1=4),
        comments=SUGGESTED_COMMENTS,
        submit=True,
    )
    return setup


# --- the default rubric and copying forward ----------------------------------------------


def test_default_rubric_has_k1_to_k4_eleven_subcriteria_and_bilingual_levels(world):
    rubric = ensure_rubric(world["cycle"])
    criteria = list(rubric.criteria.order_by("position"))
    assert [c.code for c in criteria] == ["K1", "K2", "K3", "K4"]
    subs = subcriteria_of(rubric)
    assert len(subs) == 11
    assert sum(s.weight for s in subs) == 100
    by_criterion = {c.code: sum(s.weight for s in subs if s.criterion_id == c.pk) for c in criteria}
    assert by_criterion == {"K1": 25, "K2": 30, "K3": 25, "K4": 20}
    for item in subs:
        descriptors = list(item.levels.all())
        assert [level.value for level in descriptors] == [1, 2, 3, 4, 5]
        for level in descriptors:
            assert level.descriptor
            assert level.descriptor_en
            assert level.descriptor != level.descriptor_en  # Indonesian and English differ


def test_new_cycle_copies_previous_cycles_edited_rubric(world):
    old = world["cycle"]
    edit_service(old, K1_1=12, K1_2=6)
    rubric = ensure_rubric(old)
    rubric.aggregation = "median"
    rubric.save()
    level = Level.objects.get(subcriterion=sub(old, "K3.1"), value=5)
    level.descriptor = "Ekspor rutin ke tiga negara atau lebih"
    level.save()
    new = make_cycle(year=2027, name="OVOP 2027")
    new_rubric = ensure_rubric(new)
    assert new_rubric.pk != rubric.pk
    assert new_rubric.locked_at is None
    assert new_rubric.aggregation == "median"
    assert (sub(new, "K1.1").weight, sub(new, "K1.2").weight) == (12, 6)
    copied = Level.objects.get(subcriterion=sub(new, "K3.1"), value=5)
    assert copied.descriptor == "Ekspor rutin ke tiga negara atau lebih"
    assert copied.pk != level.pk
    # The copy is independent: editing it leaves the previous cycle alone.
    edit_service(new, K1_1=10, K1_2=8)
    assert sub(old, "K1.1").weight == 12


def test_new_cycle_copy_of_a_locked_rubric_is_unlocked(world):
    submit_first_assessment(world)
    assert ensure_rubric(world["cycle"]).locked_at is not None
    assert ensure_rubric(make_cycle(year=2027, name="OVOP 2027")).locked_at is None


# --- weights must sum to 100 ------------------------------------------------------------


def test_weights_not_summing_to_100_refused_by_service_and_nothing_saved(world):
    cycle = world["cycle"]
    rubric = ensure_rubric(cycle)
    form = RubricForm(
        {**form_data(cycle), f"s{sub(cycle, 'K2.1').pk}_name": "Nama baru"},
        rubric=rubric,
        subcriteria=subcriteria_of(rubric),
    )
    assert form.is_valid()
    changes = form.changes()
    changes["subcriteria"][0].weight = 11
    with pytest.raises(ValidationError, match="sum to 101"):
        save_whole_rubric(rubric=rubric, **changes)
    assert sub(cycle, "K1.1").weight == 10
    assert sub(cycle, "K2.1").name == "Keunikan / kearifan lokal"


def test_rubric_screen_refuses_weights_not_summing_to_100_and_saves_nothing(client, world):
    cycle = world["cycle"]
    client.force_login(world["admin"])
    data = form_data(cycle)
    data[f"s{sub(cycle, 'K1.1').pk}_weight"] = "15"
    data[f"s{sub(cycle, 'K2.1').pk}_name"] = "Nama baru"
    response = client.post(reverse("evaluation:rubric_edit", args=[cycle.pk]), data)
    assert response.status_code == 400
    assert response.context["weight_total"] == 105
    assert "sum to 105" in response.content.decode()
    assert (sub(cycle, "K1.1").weight, sub(cycle, "K2.1").name) == (
        10,
        "Keunikan / kearifan lokal",
    )


def test_rubric_screen_shows_the_weight_sum_and_loads_its_script(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("evaluation:rubric_edit", args=[world["cycle"].pk]))
    assert response.context["weight_total"] == 100
    html = response.content.decode()
    assert 'id="weight-total"' in html
    assert "evaluation/rubric.js" in html
    assert "<script>" not in html
    assert "style=" not in html


# --- editing on the screen --------------------------------------------------------------


def test_rubric_screen_saves_names_weights_levels_and_settings(client, world):
    cycle = world["cycle"]
    client.force_login(world["admin"])
    k11, k12 = sub(cycle, "K1.1"), sub(cycle, "K1.2")
    level = Level.objects.get(subcriterion=k11, value=1)
    criterion = k11.criterion
    data = {
        **form_data(cycle),
        f"c{criterion.pk}_name_en": "Production and supply",
        f"s{k11.pk}_weight": "12",
        f"s{k12.pk}_weight": "6",
        f"s{k12.pk}_suggest_from": "workers",
        f"l{level.pk}_descriptor": "Bahan baku lokal kurang dari 20%",
        "aggregation": "median",
        "disagreement_gap": "12.5",
        "assessors_per_proposal": "2",
        "top_n": "5",
    }
    data.pop(f"s{k12.pk}_benefit")  # now a cost criterion
    response = client.post(reverse("evaluation:rubric_edit", args=[cycle.pk]), data)
    assert response.status_code == 302
    k11.refresh_from_db()
    k12.refresh_from_db()
    criterion.refresh_from_db()
    level.refresh_from_db()
    rubric = ensure_rubric(cycle)
    assert (k11.weight, k12.weight, k12.benefit, k12.suggest_from) == (12, 6, False, "workers")
    assert criterion.name_en == "Production and supply"
    assert level.descriptor == "Bahan baku lokal kurang dari 20%"
    assert (
        rubric.aggregation,
        rubric.disagreement_gap,
        rubric.assessors_per_proposal,
        rubric.top_n,
    ) == ("median", Decimal("12.5"), 2, 5)


def test_rubric_screen_adds_and_deletes_subcriteria(client, world):
    cycle = world["cycle"]
    client.force_login(world["admin"])
    k43 = sub(cycle, "K4.3")
    new = f"new{k43.criterion_id}"
    data = {
        **form_data(cycle),
        f"s{k43.pk}_delete": "on",
        f"{new}_code": "K4.4",
        f"{new}_name": "Pengelolaan limbah",
        f"{new}_name_en": "Waste management",
        f"{new}_weight": "5",
        f"{new}_benefit": "on",
    }
    for value in range(1, 6):
        data[f"{new}_l{value}_descriptor"] = f"Tingkat {value}"
        data[f"{new}_l{value}_descriptor_en"] = f"Grade {value}"
    response = client.post(reverse("evaluation:rubric_edit", args=[cycle.pk]), data)
    assert response.status_code == 302
    codes = [s.code for s in subcriteria_of(ensure_rubric(cycle))]
    assert "K4.3" not in codes
    assert codes[-1] == "K4.4"
    assert len(codes) == 11
    added = sub(cycle, "K4.4")
    assert added.weight == 5
    assert added.criterion_id == k43.criterion_id
    assert list(added.levels.values_list("value", "descriptor_en")) == [
        (value, f"Grade {value}") for value in range(1, 6)
    ]


def test_rubric_screen_new_subcriterion_needs_its_level_descriptors(client, world):
    cycle = world["cycle"]
    client.force_login(world["admin"])
    k43 = sub(cycle, "K4.3")
    new = f"new{k43.criterion_id}"
    data = {
        **form_data(cycle),
        f"s{k43.pk}_delete": "on",
        f"{new}_code": "K4.4",
        f"{new}_name": "Limbah",
        f"{new}_name_en": "Waste",
        f"{new}_weight": "5",
    }
    response = client.post(reverse("evaluation:rubric_edit", args=[cycle.pk]), data)
    assert response.status_code == 400
    assert f"{new}_l1_descriptor" in response.context["form"].errors
    assert SubCriterion.objects.filter(criterion__rubric__cycle=cycle, code="K4.3").exists()
    assert not SubCriterion.objects.filter(criterion__rubric__cycle=cycle, code="K4.4").exists()


def test_rubric_screen_refuses_a_duplicate_code(client, world):
    cycle = world["cycle"]
    client.force_login(world["admin"])
    k43 = sub(cycle, "K4.3")
    new = f"new{k43.criterion_id}"
    data = {
        **form_data(cycle),
        f"s{k43.pk}_delete": "on",
        f"{new}_code": "K4.2",
        f"{new}_name": "Lagi",
        f"{new}_name_en": "Again",
        f"{new}_weight": "5",
    }
    for value in range(1, 6):
        data[f"{new}_l{value}_descriptor"] = data[f"{new}_l{value}_descriptor_en"] = "x"
    response = client.post(reverse("evaluation:rubric_edit", args=[cycle.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[f"{new}_code"] == [
        "K4.2 is already a sub-criterion of this rubric."
    ]
    assert SubCriterion.objects.filter(pk=k43.pk).exists()


# --- locking ----------------------------------------------------------------------------


def test_draft_assessment_does_not_lock_the_rubric(world):
    setup = assigned_world(world)
    save_assessment(assignment=setup["assignment"], actor=setup["assessor"], levels={"K1.1": 3})
    assert ensure_rubric(world["cycle"]).locked_at is None


def test_rubric_locks_at_first_submission_and_service_refuses_with_the_reason(world):
    submit_first_assessment(world)
    rubric = ensure_rubric(world["cycle"])
    assert rubric.locked_at is not None
    with pytest.raises(Refused, match="locked: the first assessment was submitted") as caught:
        edit_service(world["cycle"])
    assert caught.value.status == 409


def test_locked_rubric_screen_is_read_only_and_refuses_posts(client, world):
    submit_first_assessment(world)
    cycle = world["cycle"]
    client.force_login(world["admin"])
    url = reverse("evaluation:rubric_edit", args=[cycle.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "form" not in page.context
    assert "The rubric is locked" in page.content.decode()
    data = {**form_data(cycle), f"s{sub(cycle, 'K2.1').pk}_name": "Diubah"}
    refused = client.post(url, data)
    assert refused.status_code == 409
    assert "The rubric is locked" in refused.content.decode()
    assert sub(cycle, "K2.1").name == "Keunikan / kearifan lokal"


# --- star bands -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cutoffs", "message"),
    [
        ({2: 40, 3: 55, 4: 50, 5: 85}, "must start above"),  # falls
        ({2: 40, 3: 55, 4: 70, 5: 70}, "must start above"),  # equal is not rising
        ({2: 40, 3: 55, 4: 70, 5: 120}, "at most 100"),
        ({2: 0, 3: 55, 4: 70, 5: 85}, "above 0"),
        ({2: -5, 3: 55, 4: 70, 5: 85}, "above 0"),
        ({3: 55, 4: 70, 5: 85}, "for each of"),
    ],
)
def test_bands_service_refuses_bad_cutoffs_and_keeps_the_old_ones(world, cutoffs, message):
    cycle = world["cycle"]
    before = bands_of(cycle)
    with pytest.raises(ValidationError, match=message):
        save_bands(cycle=cycle, cutoffs={k: Decimal(v) for k, v in cutoffs.items()})
    assert bands_of(cycle) == before


def test_bands_screen_saves_rising_cutoffs(client, world):
    cycle = world["cycle"]
    client.force_login(world["admin"])
    response = client.post(
        reverse("evaluation:bands_edit", args=[cycle.pk]),
        {"stars_5": "90", "stars_4": "75", "stars_3": "60", "stars_2": "45.5"},
    )
    assert response.status_code == 302
    assert bands_of(cycle) == [(5, 90.0), (4, 75.0), (3, 60.0), (2, 45.5), (1, 0.0)]


def test_bands_screen_shows_the_error_and_saves_nothing(client, world):
    cycle = world["cycle"]
    client.force_login(world["admin"])
    response = client.post(
        reverse("evaluation:bands_edit", args=[cycle.pk]),
        {"stars_5": "80", "stars_4": "85", "stars_3": "55", "stars_2": "40"},
    )
    assert response.status_code == 400
    assert "must start above" in response.content.decode()
    assert bands_of(cycle)[0] == (5, 85.0)


def test_bands_screen_resets_to_the_defaults(client, world):
    cycle = world["cycle"]
    save_bands(
        cycle=cycle, cutoffs={2: Decimal(30), 3: Decimal(50), 4: Decimal(60), 5: Decimal(95)}
    )
    client.force_login(world["admin"])
    response = client.post(reverse("evaluation:bands_edit", args=[cycle.pk]), {"reset": "1"})
    assert response.status_code == 302
    assert bands_of(cycle) == [(stars, float(low)) for stars, low in DEFAULT_BANDS[5]]


def test_bands_reset_to_the_new_scales_defaults_when_the_scale_changes(world):
    cycle = world["cycle"]
    save_bands(
        cycle=cycle, cutoffs={2: Decimal(30), 3: Decimal(50), 4: Decimal(60), 5: Decimal(95)}
    )
    cycle.star_scale = 3
    cycle.save()
    cycle_saved(cycle=cycle, previous_scale=5)
    assert bands_of(cycle) == [(3, 75.0), (2, 55.0), (1, 0.0)]
    client_form_fields = set(StarBand.objects.filter(cycle=cycle).values_list("stars", flat=True))
    assert client_form_fields == {1, 2, 3}


def test_bands_screen_on_a_three_star_cycle_asks_for_two_cutoffs(client, world):
    cycle = make_cycle(year=2027, name="OVOP 2027", star_scale=3)
    client.force_login(world["admin"])
    page = client.get(reverse("evaluation:bands_edit", args=[cycle.pk]))
    assert sorted(page.context["form"].fields) == ["stars_2", "stars_3"]
    assert page.context["form"]["stars_3"].initial == Decimal(75)


def test_bands_refused_after_publication(client, world):
    setup = submit_first_assessment(world)
    cycle = world["cycle"]
    fill_pending(cycle=cycle, actor=world["admin"])
    publish_cycle(cycle=cycle, actor=world["admin"])
    assert setup["proposal"].decision.status == "published"
    client.force_login(world["admin"])
    url = reverse("evaluation:bands_edit", args=[cycle.pk])
    assert client.get(url).context["locked"] is True
    refused = client.post(url, {"stars_5": "90", "stars_4": "75", "stars_3": "60", "stars_2": "45"})
    assert refused.status_code == 409
    assert "can no longer change" in refused.content.decode()
    assert client.post(url, {"reset": "1"}).status_code == 409
    assert bands_of(cycle)[0] == (5, 85.0)
