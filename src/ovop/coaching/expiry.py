"""Certificate expiry watch: what expires soon, for the operator's dashboard and e-mail."""


def expiry_context(user) -> dict:
    return {}
