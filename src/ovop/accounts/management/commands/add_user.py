import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.services import check_role_and_region, save_user


def one_line(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Create or update a user. ROLE is admin, operator (needs a regency code), "
        "verifier (needs a province code), assessor (optional home province) or viewer "
        "(optional region). Password from --password, else $OVOP_PASSWORD, else a prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help=", ".join(Role.values))
        parser.add_argument("--region", default=None, help="region code, e.g. 63 or 63.03")
        parser.add_argument("--email", default=None)
        parser.add_argument("--password", default=None)

    def handle(self, *args, username, role, region, email, password, **options):
        # Check role and region before asking for a password, so a typo fails at once.
        try:
            check_role_and_region(role=role, region_code=region)
        except ValidationError as error:
            raise CommandError(one_line(error)) from error
        password = password or os.environ.get("OVOP_PASSWORD") or self._prompt(username)
        try:
            user, created = save_user(
                username=username,
                role=role,
                region_code=region,
                email=email,
                password=password,
                reason="add_user command",
            )
        except ValidationError as error:
            raise CommandError(one_line(error)) from error
        verb = "Created" if created else "Updated"
        scope = user.region_id or "national"
        self.stdout.write(self.style.SUCCESS(f"{verb} {user.username} ({user.role}, {scope})."))

    def _prompt(self, username: str) -> str | None:
        exists = User.objects.filter(username=username).exists()
        if not sys.stdin.isatty():
            if exists:
                return None  # keep the current password
            raise CommandError("No password: give --password or set OVOP_PASSWORD.")
        hint = " (empty keeps the current one)" if exists else ""
        first = getpass.getpass(f"Password{hint}: ")
        if not first and exists:
            return None
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
