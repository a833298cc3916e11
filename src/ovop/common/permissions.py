from django.core.exceptions import PermissionDenied


def require(user, permission: str, obj=None) -> None:
    """403 unless ``user`` holds the named rule (for ``obj``); callers check visibility first."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied
