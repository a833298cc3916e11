"""Assignment: conflicts as hard rules, manual assignment, automatic assignment at scale."""

from collections import Counter

import pytest
from django.utils import timezone

from ovop.accounts.enums import Role
from ovop.centres.models import CommodityGroup
from ovop.common.refusals import Refused
from ovop.evaluation.enums import AssignmentMethod
from ovop.evaluation.models import Assignment, ConflictDeclaration
from ovop.evaluation.services.assignment import (
    assign,
    auto_assign,
    conflicts_for,
    declare_conflict,
    unassign,
)
from ovop.evaluation.services.rubric import ensure_rubric
from tests.evaluation.helpers import (
    assign_directly,
    assigned_world,
    make_assessor,
    make_eligible,
    submit_directly,
)
from tests.evaluation.helpers_setup import (
    CONFLICT_KINDS,
    district_of,
    make_conflict,
    national_cycle,
)
from tests.factories import CentreFactory, UserFactory, make_cycle, make_proposal, make_round

pytestmark = pytest.mark.usefixtures("english")


# --- conflicts --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", CONFLICT_KINDS)
def test_assign_refuses_each_conflict_naming_it(world, kind):
    proposal = make_eligible(world["proposal_banjar"])
    assessor, named = make_conflict(kind, world, proposal)
    with pytest.raises(Refused) as caught:
        assign(proposal=proposal, assessor=assessor, actor=world["admin"])
    assert caught.value.status == 409
    assert caught.value.message.startswith("Conflict of interest: ")
    assert named in caught.value.message
    assert not Assignment.objects.filter(proposal=proposal, recused_at__isnull=True).exists()


def test_conflicts_for_lists_every_conflict_of_one_assessor(world):
    proposal = make_eligible(world["proposal_banjar"])
    assessor = make_assessor("penilai-banyak", home="63")
    ConflictDeclaration.objects.create(
        assessor=assessor, centre=world["centre_banjar"], note="Pembina", declared_by=assessor
    )
    ConflictDeclaration.objects.create(
        assessor=assessor,
        enterprise=world["enterprise_banjar"],
        note="Saudara",
        declared_by=assessor,
    )
    assert len(conflicts_for(assessor=assessor, proposal=proposal)) == 3


def test_link_to_another_centre_is_no_conflict(world):
    proposal = make_eligible(world["proposal_banjar"])
    assessor = make_assessor("penilai-tapin", home="64")
    declare_conflict(
        assessor=assessor, actor=assessor, note="Pembina", centre=world["centre_tapin"]
    )
    assert assign(proposal=proposal, assessor=assessor, actor=world["admin"]).method == "manual"


def test_declare_conflict_needs_a_centre_or_an_enterprise(world):
    with pytest.raises(Refused, match="Name the sentra or the IKM unit"):
        declare_conflict(assessor=world["assessor"], actor=world["assessor"], note="x")
    assert not ConflictDeclaration.objects.exists()


def test_assign_refuses_a_non_assessor_and_a_proposal_not_eligible(world):
    with pytest.raises(Refused, match="screened eligible") as not_eligible:
        assign(proposal=world["proposal_banjar"], assessor=make_assessor(), actor=world["admin"])
    assert not_eligible.value.status == 409
    proposal = make_eligible(world["proposal_banjar"])
    with pytest.raises(Refused, match="not an active assessor") as not_assessor:
        assign(proposal=proposal, assessor=world["operator"], actor=world["admin"])
    assert not_assessor.value.status == 400


def test_assign_refuses_the_same_assessor_twice(world):
    setup = assigned_world(world)
    with pytest.raises(Refused, match="already assigned"):
        assign(proposal=setup["proposal"], assessor=setup["assessor"], actor=world["admin"])


def test_unassign_refused_once_the_assessment_is_submitted(world):
    setup = assigned_world(world)
    submit_directly(setup["assignment"])
    with pytest.raises(Refused, match="already submitted"):
        unassign(assignment=setup["assignment"], actor=world["admin"])
    assert Assignment.objects.filter(pk=setup["assignment"].pk).exists()


# --- automatic assignment on a generated national cycle ----------------------------------


def plan_of(cycle) -> list[tuple[int, str, str]]:
    return sorted(
        Assignment.objects.filter(
            proposal__round__cycle=cycle, method=AssignmentMethod.AUTOMATIC
        ).values_list("proposal_id", "assessor__username", "explanation")
    )


@pytest.mark.django_db
def test_auto_assign_national_cycle_is_full_balanced_conflict_free_and_explained():
    admin = UserFactory(username="admin-nasional", role=Role.ADMIN)
    national = national_cycle()
    cycle, proposals = national["cycle"], national["proposals"]
    assert len({p.round.province_id for p in proposals}) == 12
    result = auto_assign(cycle=cycle, actor=admin)
    assert result.short == {}
    active = list(
        Assignment.objects.filter(
            proposal__round__cycle=cycle, recused_at__isnull=True
        ).select_related("assessor", "proposal__round__province", "proposal__centre")
    )
    assert len(active) == len(result.created) == 3 * len(proposals)
    assert set(Counter(a.proposal_id for a in active).values()) == {3}
    for assignment in active:
        assert conflicts_for(assessor=assignment.assessor, proposal=assignment.proposal) == []
        assert assignment.explanation
        assert "no conflict" in assignment.explanation
    loads = Counter(a.assessor_id for a in active)
    every_assessor = [u.pk for u in national["assessors"]]
    spread = [loads[pk] for pk in every_assessor]
    assert max(spread) - min(spread) <= 1


@pytest.mark.django_db
def test_auto_assign_gives_the_same_assignments_for_the_same_input():
    admin = UserFactory(username="admin-nasional", role=Role.ADMIN)
    cycle = national_cycle(per_province=2, assessors=20)["cycle"]
    auto_assign(cycle=cycle, actor=admin)
    first = plan_of(cycle)
    Assignment.objects.filter(proposal__round__cycle=cycle).delete()
    auto_assign(cycle=cycle, actor=admin)
    assert plan_of(cycle) == first
    assert len(first) == 2 * 12 * 3


def small_cycle(*, proposals: int = 1, commodity: str = "gerabah"):
    """Eligible proposals of province 11 (Aceh) in a cycle of their own."""
    cycle = make_cycle(year=2031, name="OVOP 2031")
    round_ = make_round(cycle=cycle, province="11")
    group = CommodityGroup.objects.get(code=commodity)
    made = [
        make_proposal(
            round_=round_,
            state="eligible",
            documents=False,
            centre=CentreFactory(
                region_id=district_of("11"), commodity=group, name=f"Sentra Aceh {number}"
            ),
        )
        for number in range(proposals)
    ]
    ensure_rubric(cycle)
    return cycle, made, group


@pytest.mark.django_db
def test_auto_assign_prefers_matching_expertise_when_loads_tie():
    admin = UserFactory(username="admin-nasional", role=Role.ADMIN)
    cycle, (proposal,), group = small_cycle()
    make_assessor("a-umum", home="64")
    expert = make_assessor("z-ahli-gerabah", home="64", expertise=[group])
    result = auto_assign(cycle=cycle, actor=admin, per_proposal=1)
    (created,) = result.created
    assert created.assessor == expert
    assert created.proposal == proposal
    assert "expertise matches" in created.explanation


@pytest.mark.django_db
def test_auto_assign_counts_existing_manual_assignments():
    admin = UserFactory(username="admin-nasional", role=Role.ADMIN)
    cycle, (first, second), _group = small_cycle(proposals=2)
    busy = make_assessor("a-sibuk", home="64")
    make_assessor("b-luang", home="64")
    make_assessor("c-luang", home="64")
    assign(proposal=first, assessor=busy, actor=admin)
    result = auto_assign(cycle=cycle, actor=admin, per_proposal=1)
    assert [(a.proposal, a.assessor.username) for a in result.created] == [(second, "b-luang")]
    assert list(first.assignments.values_list("assessor__username", "method")) == [
        ("a-sibuk", "manual")
    ]


@pytest.mark.django_db
def test_auto_assign_never_reassigns_a_recused_assessor():
    admin = UserFactory(username="admin-nasional", role=Role.ADMIN)
    cycle, (proposal,), _group = small_cycle()
    recused = make_assessor("a-mundur", home="64")
    assignment = assign_directly(proposal, recused, by=admin)
    Assignment.objects.filter(pk=assignment.pk).update(
        recused_at=timezone.now(), recusal_reason="Kenal pemilik"
    )
    result = auto_assign(cycle=cycle, actor=admin, per_proposal=1)
    assert result.created == []
    assert result.short == {proposal.pk: 1}
    other = make_assessor("b-pengganti", home="64")
    result = auto_assign(cycle=cycle, actor=admin, per_proposal=1)
    assert [a.assessor for a in result.created] == [other]
    assert proposal.assignments.filter(assessor=recused).get().recused_at is not None


@pytest.mark.django_db
def test_auto_assign_leaves_proposals_short_rather_than_assign_a_conflict():
    admin = UserFactory(username="admin-nasional", role=Role.ADMIN)
    cycle, (proposal,), _group = small_cycle()
    make_assessor("a-aceh", home="11")  # same province as the proposal
    linked = make_assessor("b-terkait", home="64")
    declare_conflict(assessor=linked, actor=admin, note="Pemilik", centre=proposal.centre)
    free = make_assessor("c-bebas", home="64")
    result = auto_assign(cycle=cycle, actor=admin, per_proposal=3)
    assert [a.assessor for a in result.created] == [free]
    assert result.short == {proposal.pk: 2}
