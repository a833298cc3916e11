"""``centres.selectors``: who sees which centres (the assessor's part)."""

import pytest
from django.utils import timezone

from ovop.centres.selectors import centres_visible_to, enterprises_visible_to, scope_key
from tests.catalogue.public_builders import round_of
from tests.evaluation.helpers import assign_directly, make_assessor
from tests.factories import make_proposal


@pytest.mark.django_db
def test_assessor_sees_the_centres_of_the_proposals_assigned_to_them(world):
    assessor = make_assessor()
    assign_directly(world["proposal_banjar"], assessor, by=world["admin"])
    assert list(centres_visible_to(assessor)) == [world["centre_banjar"]]
    assert list(enterprises_visible_to(assessor)) == [world["enterprise_banjar"]]
    assert scope_key(assessor) == f"user={assessor.pk}"


@pytest.mark.django_db
def test_assessor_sees_nothing_unassigned(world):
    assert not centres_visible_to(make_assessor()).exists()


@pytest.mark.django_db
def test_assessor_no_longer_sees_a_centre_after_recusal(world):
    assessor = make_assessor()
    assignment = assign_directly(world["proposal_banjar"], assessor, by=world["admin"])
    assignment.recused_at = timezone.now()
    assignment.save(update_fields=["recused_at"])
    assert not centres_visible_to(assessor).exists()


@pytest.mark.django_db
def test_assessor_recused_from_one_proposal_still_sees_the_centre_through_another(world):
    assessor = make_assessor()
    recused = assign_directly(world["proposal_banjar"], assessor, by=world["admin"])
    recused.recused_at = timezone.now()
    recused.save(update_fields=["recused_at"])
    second = make_proposal(round_=round_of(2020), centre=world["centre_banjar"], documents=False)
    assign_directly(second, assessor, by=world["admin"])
    # Once, though two proposals of the centre lead to it.
    assert list(centres_visible_to(assessor)) == [world["centre_banjar"]]


@pytest.mark.django_db
def test_another_assessors_assignment_shows_nothing(world):
    assign_directly(world["proposal_banjar"], make_assessor(), by=world["admin"])
    assert not centres_visible_to(make_assessor("penilai-lain")).exists()
