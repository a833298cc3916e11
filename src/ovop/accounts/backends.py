"""Sign-in by username and password; permissions come only from the named rules."""

from django.contrib.auth.backends import ModelBackend
from rules.permissions import ObjectPermissionBackend


class RulesBackend(ObjectPermissionBackend):
    """The named rules of every app's rules.py, asked only for an active account.

    A deactivated account keeps its role and region (history reads them), so without this
    a rule such as "an assessor may score their own assignment" would still hold for it.
    """

    def has_perm(self, user, perm, *args, **kwargs):
        if not getattr(user, "is_active", False):
            return False
        return super().has_perm(user, perm, *args, **kwargs)


class PasswordBackend(ModelBackend):
    """Django's password check without its table-based permissions.

    ovop grants nothing through Django's permission tables (roles are rules in each app's
    rules.py), so asking them would only cost two queries per page.
    """

    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False
