"""API: the caller's own assessment of a proposal (mixed into the proposals viewset)."""


class AssessmentActions:
    pass
