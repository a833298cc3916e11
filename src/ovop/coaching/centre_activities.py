"""The coaching activities section of a centre's page."""


def activities_context(user, centre) -> dict:
    return {}
