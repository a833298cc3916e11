"""The indicators (before/after) section of a centre's page."""


def indicators_context(user, centre) -> dict:
    return {}
