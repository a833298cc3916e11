from django.conf import settings

from ovop.common.navigation import items_for


def navigation(request) -> dict:
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return {
        "nav_items": items_for(
            user,
            current_namespace=match.namespace if match else "",
            current_name=match.url_name if match else "",
        )
        if user is not None
        else [],
        "languages": settings.LANGUAGES,
    }
