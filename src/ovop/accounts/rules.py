"""Named permission predicates. Views and viewsets only name the permission.

The role predicates take any user, signed in or not. A predicate that reads a user's region is
only ever combined after a role predicate (``is_verifier & …``), so it sees a ``User``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ovop.accounts.enums import Role
from ovop.accounts.scope import region_scope
from ovop.common.predicates import add_perm, predicate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ovop.accounts.models import User


@predicate
def is_admin(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser)


@predicate
def is_operator(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.role == Role.OPERATOR


@predicate
def is_verifier(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.role == Role.VERIFIER


@predicate
def is_assessor(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.role == Role.ASSESSOR


@predicate
def is_viewer(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.role == Role.VIEWER


@predicate
def works_in_a_region(user: User | AnonymousUser) -> bool:
    """Has a province or regency scope (``accounts.scope``), not national and not none."""
    return region_scope(user).is_regional


@predicate
def works_in_a_province(user: User | AnonymousUser) -> bool:
    return region_scope(user).is_province


@predicate
def is_self(user: User | AnonymousUser, target: User | None) -> bool:
    return target is not None and user.pk == target.pk


@predicate
def target_is_regency_operator_of_users_province(user: User, target: User | None) -> bool:
    """A verifier looks after the operator accounts of the kab/kota in their province."""
    return (
        target is not None
        and target.role == Role.OPERATOR
        and user.province_code is not None
        and target.province_code == user.province_code
    )


can_manage_users = is_admin | is_verifier
can_change_user = is_admin | (is_verifier & target_is_regency_operator_of_users_province)

add_perm("accounts.list_users", can_manage_users)
add_perm("accounts.add_user", can_manage_users)
add_perm("accounts.change_user", can_change_user)
add_perm("accounts.export_users", can_manage_users)
