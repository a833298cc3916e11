"""Named permission predicates. Views and viewsets only name the permission."""

import rules

from ovop.accounts.enums import Role


@rules.predicate
def is_admin(user) -> bool:
    return user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser)


@rules.predicate
def is_operator(user) -> bool:
    return user.is_authenticated and user.role == Role.OPERATOR


@rules.predicate
def is_verifier(user) -> bool:
    return user.is_authenticated and user.role == Role.VERIFIER


@rules.predicate
def is_assessor(user) -> bool:
    return user.is_authenticated and user.role == Role.ASSESSOR


@rules.predicate
def is_viewer(user) -> bool:
    return user.is_authenticated and user.role == Role.VIEWER


@rules.predicate
def is_self(user, target) -> bool:
    return target is not None and user.pk == target.pk


@rules.predicate
def target_is_regency_operator_of_users_province(user, target) -> bool:
    """A verifier looks after the operator accounts of the kab/kota in their province."""
    return (
        target is not None
        and target.role == Role.OPERATOR
        and user.province_code is not None
        and target.province_code == user.province_code
    )


can_manage_users = is_admin | is_verifier
can_change_user = is_admin | (is_verifier & target_is_regency_operator_of_users_province)

rules.add_perm("accounts.list_users", can_manage_users)
rules.add_perm("accounts.add_user", can_manage_users)
rules.add_perm("accounts.change_user", can_change_user)
rules.add_perm("accounts.export_users", can_manage_users)
