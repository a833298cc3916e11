from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Ministry administrator")
    OPERATOR = "operator", _("Regency/city operator")
    VERIFIER = "verifier", _("Provincial verifier")
    ASSESSOR = "assessor", _("Assessor")
    VIEWER = "viewer", _("Viewer")


# Which region levels each role may be tied to, and whether one is required.
ROLE_REGION_LEVELS: dict[str, tuple[tuple[str, ...], bool]] = {
    Role.ADMIN: ((), False),
    Role.OPERATOR: (("regency",), True),
    Role.VERIFIER: (("province",), True),
    Role.ASSESSOR: (("province",), False),
    Role.VIEWER: (("province", "regency"), False),
}
