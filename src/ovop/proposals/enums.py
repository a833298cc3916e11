from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CycleStatus(models.TextChoices):
    SETUP = "setup", pgettext_lazy("cycle status", "Being prepared")
    PROPOSAL = "proposal", pgettext_lazy("cycle status", "Proposals open")
    SCREENING = "screening", pgettext_lazy("cycle status", "Screening")
    ASSESSMENT = "assessment", pgettext_lazy("cycle status", "Assessment")
    DECISION = "decision", pgettext_lazy("cycle status", "Decision")
    CLOSED = "closed", pgettext_lazy("cycle status", "Closed")


class ProposalState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal state", "Submitted")
    RETURNED = "returned", pgettext_lazy("proposal state", "Returned for revision")
    VERIFIED = "verified", pgettext_lazy("proposal state", "Verified")
    FORWARDED = "forwarded", pgettext_lazy("proposal state", "Forwarded to the ministry")
    ELIGIBLE = "eligible", pgettext_lazy("proposal state", "Eligible")
    INELIGIBLE = "ineligible", pgettext_lazy("proposal state", "Ineligible")
    RATED = "rated", pgettext_lazy("proposal state", "Rated")
    NOT_RATED = "not_rated", pgettext_lazy("proposal state", "Not rated")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal state", "Withdrawn")


# Proposals an operator may still edit.
EDITABLE_STATES = {ProposalState.DRAFT, ProposalState.RETURNED}
# Proposals that count as "submitted" for the quota: they reached the province.
SUBMITTED_STATES = {
    ProposalState.SUBMITTED,
    ProposalState.VERIFIED,
    ProposalState.FORWARDED,
    ProposalState.ELIGIBLE,
    ProposalState.INELIGIBLE,
    ProposalState.RATED,
    ProposalState.NOT_RATED,
}
VERIFIED_STATES = SUBMITTED_STATES - {ProposalState.SUBMITTED}


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit to the province")
    WITHDRAW = "withdraw", _("Withdraw")
    RETURN = "return", _("Return for revision")
    VERIFY = "verify", _("Verify")
    FORWARD = "forward", _("Forward to the ministry")
    SCREEN_ELIGIBLE = "screen_eligible", _("Screen: eligible")
    SCREEN_INELIGIBLE = "screen_ineligible", _("Screen: ineligible")
    PUBLISH_RATED = "publish_rated", _("Decision published: rated")
    PUBLISH_NOT_RATED = "publish_not_rated", _("Decision published: not rated")
    REVISE_RATED = "revise_rated", _("Published decision revised: rated")
    REVISE_NOT_RATED = "revise_not_rated", _("Published decision revised: not rated")


class DocumentCheck(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    OK = "ok", _("OK")
    NOT_OK = "not_ok", _("Not OK")
