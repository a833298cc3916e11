from ovop.notifications.selectors import unread_count


def unread(request) -> dict:
    """The unread count for the header badge (one indexed COUNT per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
