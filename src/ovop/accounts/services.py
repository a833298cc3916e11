"""Writing accounts. Every path that creates or changes a user goes through here."""

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.regions.models import Region


def resolve_region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ValidationError({"region": _("Unknown region code %(code)s.") % {"code": code}})
    return region


def check_role_and_region(*, role: str, region_code: str | None) -> Region | None:
    """Validate a role and its region without writing; returns the region."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role %(role)s; use one of: %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    region = resolve_region(region_code)
    User(role=role, region=region).clean()
    return region


@transaction.atomic
def save_user(
    *,
    username: str,
    role: str,
    region_code: str | None = None,
    email: str | None = None,
    password: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    organisation: str | None = None,
    phone: str | None = None,
    is_active: bool | None = None,
    reason: str = "",
) -> tuple[User, bool]:
    """Create or update a user; validates everything before anything is written.

    Returns the user and whether it was created. Raises ``ValidationError`` with a message
    per field on bad input, leaving the database unchanged.
    """
    region = check_role_and_region(role=role, region_code=region_code)
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username)
    user.role = role
    user.region = region
    for field, value in (
        ("email", email),
        ("first_name", first_name),
        ("last_name", last_name),
        ("organisation", organisation),
        ("phone", phone),
        ("is_active", is_active),
    ):
        if value is not None:
            setattr(user, field, value)
    if password:
        validate_password(password, user)
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean()
    user._change_reason = reason  # recorded by django-simple-history
    user.save()
    return user, created


def send_invitation(*, user: User, base_url: str) -> None:
    """E-mail a new account holder a one-time link to choose their password."""
    if not user.email:
        return
    context = {
        "user": user,
        "base_url": base_url.rstrip("/"),
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])
