"""API: assigning assessors to a proposal (mixed into the proposals viewset)."""


class AssignmentActions:
    pass
