"""API: decisions on proposals and a cycle's ranking and publication (mixins)."""


class DecisionActions:
    pass


class CycleResultActions:
    pass
