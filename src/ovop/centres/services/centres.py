"""Writing the registry. Screens, the API and the Excel import all come through here."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ovop.accounts.models import User
from ovop.accounts.rules import is_operator
from ovop.centres.models import Centre, Certificate, CommodityGroup, Enterprise, size_class_for
from ovop.centres.rules import region_in_users_regency
from ovop.common.deletion import delete_unless_needed, deletion_refusal
from ovop.common.refusals import Refused
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

DEFAULT_COMMODITIES = [
    ("makanan-minuman", "Makanan & minuman", "Food & beverages"),
    ("kain-tenun", "Kain tenun", "Woven fabric (tenun)"),
    ("kain-batik", "Kain batik", "Batik fabric"),
    ("anyaman", "Anyaman", "Plaited crafts (anyaman)"),
    ("gerabah", "Gerabah", "Pottery (gerabah)"),
]

CENTRE_FIELDS = [
    "name",
    "commodity",
    "main_product",
    "kbli",
    "region",
    "address",
    "latitude",
    "longitude",
    "decree_number",
    "decree_date",
    "decree_signer",
    "unit_count",
    "workers_male",
    "workers_female",
    "capacity_value",
    "capacity_unit",
    "capacity_period",
    "production_value",
    "investment_value",
    "raw_material",
    "local_material_share",
    "market_reach",
    "institutions",
    "facilities",
]


def ensure_default_commodities() -> None:
    """The five OVOP commodity groups of recent rounds; editable afterwards."""
    for position, (code, name, name_en) in enumerate(DEFAULT_COMMODITIES):
        CommodityGroup.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position}
        )


@transaction.atomic
def save_commodity_group(*, group: CommodityGroup) -> CommodityGroup:
    """Add or change a commodity group (the administrators' list) its form has filled in."""
    group.full_clean()
    group.save()
    return group


def check_centre_region(*, actor: User, region: Region | None) -> None:
    """A centre lies in a district or village; an operator only inside their own regency."""
    if region is None:
        raise ValidationError({"region": _("Choose the district or village of the sentra.")})
    if region.level not in (RegionLevel.DISTRICT, RegionLevel.VILLAGE):
        raise ValidationError(
            {"region": _("Give a district or village code, e.g. 63.03.01 or 63.03.01.2001.")}
        )
    if is_operator(actor) and not region_in_users_regency(actor, region):
        regency = actor.region  # None, without a query, when region_id is None
        raise ValidationError(
            {
                "region": _("You can only record sentra in %(regency)s.")
                % {"regency": regency.name if regency is not None else "-"}
            }
        )


def _check_unique_name(centre: Centre) -> None:
    clash = Centre.objects.filter(regency_id=centre.region_id[:5], name__iexact=centre.name)
    if centre.pk:
        clash = clash.exclude(pk=centre.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("A sentra with this name already exists in this regency/city.")}
        )


@transaction.atomic
def save_centre(
    *, actor: User, data: dict[str, Any], centre: Centre | None = None, reason: str = ""
) -> Centre:
    """Create (``centre`` None) or update a centre from already-parsed values."""
    centre = centre or Centre()
    for field, value in data.items():
        if field not in CENTRE_FIELDS:
            continue
        setattr(centre, field, value)
    check_centre_region(
        actor=actor, region=getattr(centre, "region", None) if centre.region_id else None
    )
    centre.regency_id = centre.region_id[:5]
    centre.province_id = centre.region_id[:2]
    centre.full_clean(validate_constraints=False)
    # Lock the regency so two saves of one name there check one after the other: the second
    # sees the first and is told, instead of failing on the constraint. NO KEY: rows that
    # merely point at the regency are not held up.
    Region.objects.select_for_update(no_key=True).values_list("pk", flat=True).get(
        pk=centre.regency_id
    )
    _check_unique_name(centre)
    centre._change_reason = reason
    centre.save()
    return centre


@transaction.atomic
def save_centres_in_bulk(
    *, actor: User, centres: list[Centre], reason: str, batch_size: int = 500
) -> None:
    """Write many centres at once, with their history rows (the Excel import).

    The caller has already run every check ``save_centre`` makes — region in scope, model
    validation, the name unique in its regency — row by row, so a bad row never gets here;
    this only writes, a few queries per batch instead of nine per row.
    """
    now = timezone.now()
    user = actor if getattr(actor, "pk", None) else None
    for centre in centres:
        centre.regency_id = centre.region_id[:5]
        centre.province_id = centre.region_id[:2]
        centre.updated_at = now
    new = [centre for centre in centres if centre.pk is None]
    old = [centre for centre in centres if centre.pk is not None]
    if new:
        bulk_create_with_history(
            new, Centre, batch_size=batch_size, default_user=user, default_change_reason=reason
        )
    if old:
        bulk_update_with_history(
            old,
            Centre,
            [*CENTRE_FIELDS, "regency", "province", "updated_at"],
            batch_size=batch_size,
            default_user=user,
            default_change_reason=reason,
        )


# A delete never removes or changes a proposal: the workflow's record stays whole.
KEEP_INTACT = ("proposals",)


def centre_deletion_refusal(centre: Centre) -> Refused | None:
    """Why the centre cannot be deleted (its proposals), or None."""
    return deletion_refusal(centre, untouchable=KEEP_INTACT, hint=_centre_hint())


def _centre_hint() -> str:
    # Centres have no archived state: one that has been proposed stays, correctable.
    return _(
        "Proposals are never deleted, so a sentra that has been proposed stays in the "
        "registry; correct its details instead."
    )


@transaction.atomic
def delete_centre(*, centre: Centre, reason: str = "") -> None:
    """Delete the centre with its units, files and indicators; ``Refused`` if proposed."""
    centre._change_reason = reason
    delete_unless_needed(centre, untouchable=KEEP_INTACT, hint=_centre_hint())


ENTERPRISE_FIELDS = [
    "name",
    "owner",
    "nib",
    "kbli",
    "founded_year",
    "worker_count",
    "investment_value",
    "capacity_installed",
    "capacity_realised",
    "markets",
    "sales_channels",
    "export_destinations",
]


@transaction.atomic
def save_enterprise(
    *,
    centre: Centre,
    data: dict[str, Any],
    certificates: list[dict[str, Any]] | None = None,
    enterprise: Enterprise | None = None,
    reason: str = "",
) -> Enterprise:
    """Create or update an IKM unit of ``centre`` (an existing unit of another centre moves
    there); ``certificates``, when given, replaces its list."""
    enterprise = enterprise or Enterprise(centre=centre)
    for field, value in data.items():
        if field in ENTERPRISE_FIELDS:
            setattr(enterprise, field, value)
    size = size_class_for(
        worker_count=enterprise.worker_count or 0, investment_value=enterprise.investment_value
    )
    if size is None:
        raise ValidationError(
            {
                "investment_value": _(
                    "Investment above Rp 15 billion makes this a large industry, not an IKM."
                )
            }
        )
    enterprise.size_class = size
    enterprise.full_clean(validate_constraints=False)
    nib_taken = ValidationError({"nib": _("Another IKM unit already has this NIB.")})
    if enterprise.nib:
        clash = Enterprise.objects.filter(nib=enterprise.nib).exclude(pk=enterprise.pk)
        if clash.exists():
            raise nib_taken
    enterprise._change_reason = reason
    try:
        # NIBs are unique nationwide, with no row to lock around them: the constraint decides
        # between two saves at once, and the savepoint lets the loser be told.
        with transaction.atomic():
            enterprise.save()
    except IntegrityError as error:
        clash = Enterprise.objects.filter(nib=enterprise.nib).exclude(pk=enterprise.pk)
        if enterprise.nib and clash.exists():
            raise nib_taken from error
        raise
    if certificates is not None:
        _replace_certificates(enterprise, certificates)
    if enterprise.centre_id != centre.pk:
        # The API moves a unit by naming another centre: a history entry of its own.
        enterprise.centre = centre
        enterprise.save(update_fields=["centre"])
    return enterprise


def _replace_certificates(enterprise: Enterprise, certificates: list[dict[str, Any]]) -> None:
    keep = []
    for index, values in enumerate(certificates):
        certificate = None
        if values.get("id"):
            certificate = enterprise.certificates.filter(pk=values["id"]).first()
        certificate = certificate or Certificate(enterprise=enterprise)
        for field in ("kind", "number", "issued_on", "expires_on"):
            setattr(certificate, field, values.get(field))
        try:
            certificate.full_clean(exclude=["enterprise"])
        except ValidationError as error:
            raise ValidationError(
                {"certificates": [f"{index + 1}: {m}" for m in error.messages]}
            ) from error
        if (
            certificate.issued_on
            and certificate.expires_on
            and (certificate.expires_on < certificate.issued_on)
        ):
            raise ValidationError(
                {
                    "certificates": [
                        _("%(n)s: expiry date is before the issue date.") % {"n": index + 1}
                    ]
                }
            )
        certificate.save()
        keep.append(certificate.pk)
    enterprise.certificates.exclude(pk__in=keep).delete()


def _enterprise_hint() -> str:
    return _(
        "A proposal keeps its lead IKM: choose another lead in a draft or returned "
        "proposal first, or keep this unit."
    )


def enterprise_deletion_refusal(enterprise: Enterprise) -> Refused | None:
    """Why the unit cannot be deleted (it leads a proposal), or None."""
    return deletion_refusal(enterprise, untouchable=KEEP_INTACT, hint=_enterprise_hint())


@transaction.atomic
def delete_enterprise(*, enterprise: Enterprise, reason: str = "") -> None:
    """Delete the unit with its certificates; ``Refused`` if it leads a proposal."""
    enterprise._change_reason = reason
    delete_unless_needed(enterprise, untouchable=KEEP_INTACT, hint=_enterprise_hint())
