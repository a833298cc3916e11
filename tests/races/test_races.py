"""Two requests at once for something only one may have: one applies, the other is refused.

Each race is repeated ``RUNS`` times on fresh rows. The loser gets the same clean answer it
would get a moment later (409, or 400 naming the field), never a 500.
"""

import json

import pytest
from django.urls import reverse

from ovop.accounts.enums import Role
from ovop.centres.models import Centre, CommodityGroup, Enterprise
from ovop.evaluation.models import Assessment, Decision
from ovop.proposals.enums import ProposalState
from ovop.proposals.models import Proposal, Round
from tests.conftest import make_persona
from tests.evaluation.helpers import assign_directly, levels, make_assessor, make_eligible
from tests.factories import (
    CentreFactory,
    EnterpriseFactory,
    UserFactory,
    make_cycle,
    make_proposal,
    make_round,
)
from tests.races.conftest import RUNS, race, signed_in

pytestmark = pytest.mark.usefixtures("race_db")


def _post(client, url: str, body: dict | None = None):
    return lambda: client.post(
        url,
        json.dumps(body or {}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _detail(response) -> str:
    return json.dumps(response.json())


def test_quota_holds_when_a_regency_submits_two_proposals_at_once():
    operator = make_persona("operator")
    one, two = signed_in(operator), signed_in(operator)
    rounds = [
        make_round(cycle=make_cycle(year=2030 + run, name=f"OVOP {run}"), max_per_regency=1)
        for run in range(RUNS)
    ]
    for round_ in rounds:
        first, second = (make_proposal(round_=round_) for _ in range(2))
        outcome = race(
            _post(one, f"/api/v1/proposals/{first.pk}/submit/"),
            _post(two, f"/api/v1/proposals/{second.pk}/submit/"),
        )
        assert sorted(outcome.statuses) == [200, 409], outcome.statuses
        refused = outcome.responses[outcome.statuses.index(409)]
        assert "maximum of 1" in refused.json()["detail"]
        submitted = Proposal.objects.filter(round=round_, state=ProposalState.SUBMITTED)
        assert submitted.count() == 1


def test_two_first_decisions_on_one_proposal_record_one():
    one, two = (signed_in(UserFactory(username=f"admin-{n}", role=Role.ADMIN)) for n in (1, 2))
    round_ = make_round()
    for _run in range(RUNS):
        proposal = make_eligible(make_proposal(round_=round_))
        url = f"/api/v1/proposals/{proposal.pk}/decide/"
        outcome = race(
            _post(one, url, {"stars": None, "reason": "Belum dinilai."}),
            _post(two, url, {"stars": None, "reason": "Tidak lengkap."}),
        )
        assert sorted(outcome.statuses) == [200, 409], outcome.statuses
        refused = outcome.responses[outcome.statuses.index(409)]
        assert "a moment ago" in refused.json()["detail"]
        assert Decision.objects.filter(proposal=proposal).count() == 1


def test_the_same_proposal_made_twice_at_once_is_made_once():
    operator = make_persona("operator")
    one, two = signed_in(operator), signed_in(operator)
    round_ = make_round()
    for _run in range(RUNS):
        centre = CentreFactory()
        body = {"round": round_.pk, "centre": centre.pk}
        outcome = race(
            _post(one, "/api/v1/proposals/", body),
            _post(two, "/api/v1/proposals/", body),
        )
        assert sorted(outcome.statuses) == [201, 400], outcome.statuses
        refused = outcome.responses[outcome.statuses.index(400)]
        assert "already proposed" in _detail(refused)
        assert Proposal.objects.filter(round=round_, centre=centre).count() == 1


def _centre_body(name: str) -> dict:
    return {
        "name": name,
        "region": "63.03.01.2001",
        "commodity": "anyaman",
        "main_product": "Tas purun",
        "kbli": "16292",
        "unit_count": 9,
        "market_reach": "local",
    }


def test_two_centres_with_one_name_at_once_make_one():
    operator = make_persona("operator")
    one, two = signed_in(operator), signed_in(operator)
    for run in range(RUNS):
        # Differently cased: the rule (and the constraint) ignore case.
        outcome = race(
            _post(one, "/api/v1/centres/", _centre_body(f"Sentra Purun {run}")),
            _post(two, "/api/v1/centres/", _centre_body(f"SENTRA PURUN {run}")),
        )
        assert sorted(outcome.statuses) == [201, 400], outcome.statuses
        refused = outcome.responses[outcome.statuses.index(400)]
        assert "already exists" in refused.json()["name"][0]
        assert Centre.objects.filter(name__iexact=f"sentra purun {run}").count() == 1


def test_two_centres_with_one_name_at_once_on_screen_make_one():
    operator = make_persona("operator")
    one, two = signed_in(operator), signed_in(operator)
    commodity = CommodityGroup.objects.get(code="anyaman").pk
    for run in range(RUNS):
        form = {
            "name": f"Sentra Purun {run}",
            "commodity": commodity,
            "main_product": "Tas purun",
            "kbli": "16292",
            "region_code": "63.03.01",
            "unit_count": "9",
            "workers_male": "0",
            "workers_female": "0",
            "market_reach": "local",
        }

        def submit(client, form=form):
            return lambda: client.post(reverse("centres:create"), form)

        outcome = race(submit(one), submit(two))
        # Saved: a redirect to the new centre; refused: the form again, with the reason.
        assert sorted(outcome.statuses) == [200, 302], outcome.statuses
        refused = outcome.responses[outcome.statuses.index(200)]
        assert "name" in refused.context["form"].errors
        assert Centre.objects.filter(name=form["name"]).count() == 1


def test_two_units_with_one_nib_at_once_make_one():
    operator = make_persona("operator")
    one, two = signed_in(operator), signed_in(operator)
    centre = CentreFactory()
    for run in range(RUNS):
        body = {
            "centre": centre.pk,
            "name": f"UD Purun {run}",
            "owner": "Siti",
            "nib": f"{9130000000000 + run}",
            "worker_count": 5,
            "investment_value": 10_000_000,
        }
        outcome = race(
            _post(one, "/api/v1/enterprises/", body),
            _post(two, "/api/v1/enterprises/", body),
        )
        assert sorted(outcome.statuses) == [201, 400], outcome.statuses
        refused = outcome.responses[outcome.statuses.index(400)]
        assert "NIB" in refused.json()["nib"][0]
        assert Enterprise.objects.filter(nib=body["nib"]).count() == 1


def test_an_assessment_submitted_twice_at_once_is_submitted_once():
    round_ = make_round()
    assessor = make_assessor()
    one, two = signed_in(assessor), signed_in(assessor)
    # Levels that match every suggestion, so a submission needs no comment.
    body = {"levels": levels(4), "comments": {"K2.2": "Ada", "K4.2": "Rutin"}, "submit": True}
    for _run in range(RUNS):
        centre = CentreFactory()
        EnterpriseFactory(centre=centre)
        assignment = assign_directly(
            make_eligible(make_proposal(round_=round_, centre=centre)), assessor
        )
        url = f"/api/v1/proposals/{assignment.proposal_id}/assessment/"

        def put(client, url=url):
            return lambda: client.put(
                url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
            )

        outcome = race(put(one), put(two))
        assert sorted(outcome.statuses) == [200, 409], [r.content[:300] for r in outcome.responses]
        refused = outcome.responses[outcome.statuses.index(409)]
        assert "can no longer change" in refused.json()["detail"]
        assert Assessment.objects.filter(assignment=assignment).count() == 1


def test_deleting_a_centre_while_it_is_proposed_leaves_no_orphan():
    operator = make_persona("operator")
    one, two = signed_in(operator), signed_in(operator)
    round_ = make_round()
    for _run in range(RUNS):
        centre = CentreFactory()
        outcome = race(
            _post(one, "/api/v1/proposals/", {"round": round_.pk, "centre": centre.pk}),
            lambda pk=centre.pk: two.delete(f"/api/v1/centres/{pk}/", HTTP_ACCEPT_LANGUAGE="en"),
        )
        # Either the proposal came first and the centre stays, or the delete did and the
        # proposal is refused: never both, never a 500.
        assert outcome.statuses in ([201, 409], [400, 204]), outcome.statuses
        proposed = Proposal.objects.filter(centre_id=centre.pk).exists()
        assert proposed == Centre.objects.filter(pk=centre.pk).exists()


def test_one_province_round_opened_twice_at_once_is_opened_once():
    verifier = make_persona("verifier")
    one, two = signed_in(verifier), signed_in(verifier)
    for run in range(RUNS):
        cycle = make_cycle(year=2030 + run, name=f"OVOP {run}")
        body = {
            "cycle": cycle.pk,
            "province": "63",
            "opens_at": "2030-01-01T08:00:00+08:00",
            "deadline": "2030-03-01T16:00:00+08:00",
        }
        outcome = race(
            _post(one, "/api/v1/rounds/", body),
            _post(two, "/api/v1/rounds/", body),
        )
        # The loser is told whichever way it lost: by the serializer's check (400) or, when
        # both checked before either saved, by the constraint (409).
        assert outcome.count(201) == 1, outcome.statuses
        assert set(outcome.statuses) <= {201, 400, 409}, outcome.statuses
        refused = next(r for r in outcome.responses if r.status_code != 201)
        reason = _detail(refused)
        # Round set-up's own checks word it their way; the constraint's catch says this.
        clean = ("at the same moment", "already exists", "must make a unique set")
        assert any(words in reason for words in clean), reason
        assert Round.objects.filter(cycle=cycle, province_id="63").count() == 1
