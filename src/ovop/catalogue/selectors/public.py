"""Read helpers for the public catalogue: filters, search, cards and detail facts.

Everything here starts from ``ovop.catalogue.selectors.gate`` (the one gate to the public) and
reads only what a visitor may see: no owner names, NIB, certificate numbers, or contacts
the enterprise did not agree to publish.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, TypeVar, cast
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import register_converter, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ovop.catalogue.models import CatalogueEntry
from ovop.catalogue.selectors.gate import (
    public_centres,
    public_centres_plain,
    public_decisions,
    public_photos,
)
from ovop.catalogue.selectors.ratings import ratings
from ovop.centres.enums import CertificateKind
from ovop.centres.models import Centre, CentrePhoto, Certificate, CommodityGroup
from ovop.regions.models import Region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations  # typing only: a dev dependency

    from ovop.catalogue.selectors.gate import RatedCentre

LANGUAGES = ("id", "en")
PAGE_SIZE = 24
OG_LOCALES = {"id": "id_ID", "en": "en_US"}


class LanguageConverter:
    """``id`` or ``en`` in a catalogue path; anything else does not match (404)."""

    regex = "id|en"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered on import, so any urls module that imports this one may use <catalogue_lang:…>.
register_converter(LanguageConverter, "catalogue_lang")


def other_language(lang: str) -> str:
    return "en" if lang == "id" else "id"


def centre_slug(centre: Centre) -> str:
    """The readable part of a detail URL; the pk decides, a wrong slug only redirects."""
    return slugify(centre.name) or "sentra"


def detail_path(centre: Centre, lang: str) -> str:
    return reverse(
        "catalogue:detail", kwargs={"lang": lang, "pk": centre.pk, "slug": centre_slug(centre)}
    )


def absolute_url(request: HttpRequest, path: str) -> str:
    """The address people reach this site at (OVOP_BASE_URL), else the request's host."""
    base = (getattr(settings, "OVOP_BASE_URL", "") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


# --- the list: which centres, filtered how -------------------------------------------------


class CardFacts(TypedDict):
    """``public_centres``' rating, and what ``catalogue_centres`` adds for a card."""

    stars: int
    rated_year: int
    star_scale: int
    first_photo_id: int | None


if TYPE_CHECKING:
    CatalogueCentre = WithAnnotations[Centre, CardFacts]

# Any queryset of centres: plain, rated (``public_centres``) or with the card facts.
CentreT = TypeVar("CentreT", bound=Centre)


def catalogue_centres() -> "QuerySet[CatalogueCentre]":
    """Public centres with what a card needs: star scale, entry, cover and first photo."""
    latest = (
        public_decisions()
        .filter(proposal__centre=OuterRef("pk"))
        .order_by("-proposal__round__cycle__year", "-published_at")
    )
    first_photo = CentrePhoto.objects.filter(centre=OuterRef("pk")).order_by("-created_at", "-pk")
    return public_centres().annotate(
        star_scale=Subquery(latest.values("proposal__round__cycle__star_scale")[:1]),
        first_photo_id=Subquery(first_photo.values("pk")[:1]),
    )


@dataclass(frozen=True)
class Filters:
    commodity: str = ""
    province: str = ""
    regency: str = ""
    stars: int | None = None  # exactly this many
    min_stars: int | None = None  # at least this many
    q: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "Filters":
        return cls(
            commodity=params.get("commodity", "").strip(),
            province=params.get("province", "").strip(),
            regency=params.get("regency", "").strip(),
            stars=star_count(params.get("stars")),
            min_stars=star_count(params.get("min_stars")),
            q=params.get("q", params.get("search", "")).strip()[:100],
        )

    def query(self, **extra: object) -> str:
        """The filters as a query string (for canonical and alternate links), known keys only."""
        params = {
            "q": self.q,
            "commodity": self.commodity,
            "province": self.province,
            "regency": self.regency,
            "stars": self.stars,
            "min_stars": self.min_stars,
            **extra,
        }
        return urlencode({key: value for key, value in params.items() if value})

    @property
    def active(self) -> bool:
        return any(
            (self.commodity, self.province, self.regency, self.stars, self.min_stars, self.q)
        )


def star_count(value: str | None) -> int | None:
    """A star filter from the query string: 1 to 5, else None (no filter)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < int(value) <= 5 else None


def filter_centres(
    queryset: QuerySet[CentreT], filters: Filters, *, include_english: bool
) -> QuerySet[CentreT]:
    """Apply the visitor's filters. The search reads public text only (never enterprises)."""
    if filters.commodity:
        queryset = queryset.filter(commodity__code=filters.commodity)
    if filters.province:
        queryset = queryset.filter(province_id=filters.province)
    if filters.regency:
        queryset = queryset.filter(regency_id=filters.regency)
    if filters.stars:
        queryset = queryset.filter(stars=filters.stars)
    if filters.min_stars:
        queryset = queryset.filter(stars__gte=filters.min_stars)
    if filters.q:
        words = Q(name__icontains=filters.q) | Q(main_product__icontains=filters.q)
        words |= Q(catalogue_entry__story__icontains=filters.q)
        if include_english:
            words |= Q(catalogue_entry__story_en__icontains=filters.q)
        queryset = queryset.filter(words)
    return queryset


def ordered(queryset: "QuerySet[CatalogueCentre]") -> "QuerySet[CatalogueCentre]":
    return queryset.select_related("catalogue_entry__cover_photo").order_by(
        "-stars", "-rated_year", "name", "pk"
    )


def filter_options(
    filters: Filters,
) -> dict[str, list[int] | list[CommodityGroup] | list[Region]]:
    """Only choices that lead somewhere: stars, commodities and regions of public centres.

    One pass over the public centres' (commodity, province, kab/kota) triples, then the
    chosen groups and regions by key: three subqueries over the decisions cost twice that.
    """
    triples = set(
        public_centres_plain().values_list("commodity_id", "province_id", "regency_id").distinct()
    )
    province_codes = {province for _commodity, province, _regency in triples}
    regency_codes = {
        regency
        for _commodity, province, regency in triples
        if not filters.province or province == filters.province
    }
    regions = Region.objects.filter(code__in=province_codes | regency_codes).order_by("name")
    return {
        "star_choices": sorted({r.stars for r in ratings().values() if r.stars}, reverse=True),
        "commodities": list(
            CommodityGroup.objects.filter(pk__in={c for c, _p, _r in triples}).order_by(
                "position", "name"
            )
        ),
        "provinces": [region for region in regions if region.code in province_codes],
        "regencies": [region for region in regions if region.code in regency_codes],
    }


# --- what a card or a page shows -----------------------------------------------------------


def commodity_name(commodity: CommodityGroup, lang: str) -> str:
    return (commodity.name_en or commodity.name) if lang == "en" else commodity.name


def stars_label(stars: int | None, scale: int | None) -> str:
    if not stars:
        return ""
    return _("%(stars)s of %(scale)s stars") % {"stars": stars, "scale": scale or 5}


def stars_glyphs(stars: int | None, scale: int | None) -> str:
    if not stars:
        return ""
    return "★" * stars + "☆" * max((scale or 5) - stars, 0)


def entry_of(centre: Centre) -> CatalogueEntry | None:
    """The centre's catalogue entry, or None (a rated centre may not have written one)."""
    try:
        return centre.catalogue_entry
    except Centre.catalogue_entry.RelatedObjectDoesNotExist:
        return None


def photo_id_of(centre: Centre) -> int | None:
    """The chosen cover when it is one of this centre's photos, else the newest photo."""
    entry = entry_of(centre)
    cover = entry.cover_photo if entry is not None else None
    if cover is not None and cover.centre_id == centre.pk:
        return cover.pk
    return cast("int | None", getattr(centre, "first_photo_id", None))


class CardRow(TypedDict):
    """What a card in the list prints (``card_rows``)."""

    pk: int
    name: str
    url: str
    main_product: str
    commodity: str
    regency: str
    province: str
    stars: int
    stars_glyphs: str
    stars_label: str
    rated_year: int
    thumbnail: str
    photo: str


def card_rows(centres: Iterable["CatalogueCentre"], *, lang: str) -> list[CardRow]:
    """One dict per card, built in one pass so the template only prints values."""
    rows: list[CardRow] = []
    for centre in centres:
        photo_id = photo_id_of(centre)
        rows.append(
            {
                "pk": centre.pk,
                "name": centre.name,
                "url": detail_path(centre, lang),
                "main_product": centre.main_product,
                "commodity": commodity_name(centre.commodity, lang),
                "regency": centre.regency.name,
                "province": centre.province.name,
                "stars": centre.stars,
                "stars_glyphs": stars_glyphs(centre.stars, centre.star_scale),
                "stars_label": stars_label(centre.stars, centre.star_scale),
                "rated_year": centre.rated_year,
                "thumbnail": reverse("catalogue:photo_thumbnail", kwargs={"pk": photo_id})
                if photo_id
                else "",
                "photo": reverse("catalogue:photo", kwargs={"pk": photo_id}) if photo_id else "",
            }
        )
    return rows


class HeldCertificate(TypedDict):
    """A certificate kind a centre's units hold today (``held_certificates``)."""

    kind: str
    label: "StrOrPromise"
    expires_on: datetime.date | None


def held_certificates(centre_ids: Iterable[int]) -> dict[int, list[HeldCertificate]]:
    """Certificate kinds each centre's units hold today, with the latest valid-until date.

    Reads the kind and expiry only: numbers and holders never leave the database.
    """
    today = timezone.localdate()
    rows = (
        Certificate.objects.filter(enterprise__centre_id__in=list(centre_ids))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("enterprise__centre_id", "kind", "expires_on")
    )
    found: dict[int, dict[str, datetime.date | None]] = {}
    for centre_id, kind, expires_on in rows:
        kinds = found.setdefault(centre_id, {})
        if kind not in kinds:
            kinds[kind] = expires_on
        elif (held := kinds[kind]) is not None and (expires_on is None or expires_on > held):
            kinds[kind] = expires_on  # no expiry beats any date; a later date beats an earlier
    order = {value: index for index, value in enumerate(CertificateKind.values)}
    return {
        centre_id: [
            {"kind": kind, "label": CertificateKind(kind).label, "expires_on": expires_on}
            for kind, expires_on in sorted(kinds.items(), key=lambda item: order.get(item[0], 99))
        ]
        for centre_id, kinds in found.items()
    }


def photo_ids(centre_ids: Iterable[int]) -> dict[int, list[int]]:
    """Public photos per centre, newest first (the cover is moved first by the caller)."""
    found: dict[int, list[int]] = {}
    photos = public_photos().filter(centre_id__in=list(centre_ids))
    for centre_id, pk in photos.order_by("-created_at", "-pk").values_list("centre_id", "pk"):
        found.setdefault(centre_id, []).append(pk)
    return found


def ordered_photo_ids(centre: Centre, ids: list[int]) -> list[int]:
    cover = photo_id_of(centre)
    return [cover, *(pk for pk in ids if pk != cover)] if cover in ids else list(ids)


MARKETPLACES = {
    "tokopedia": "Tokopedia",
    "shopee": "Shopee",
    "bukalapak": "Bukalapak",
    "lazada": "Lazada",
    "blibli": "Blibli",
    "tiktok": "TikTok Shop",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "etsy": "Etsy",
    "amazon": "Amazon",
}


def link_label(url: str) -> str:
    """Tokopedia, Shopee, … from the address; otherwise the bare domain."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    for key, label in MARKETPLACES.items():
        if key in host.split("."):
            return label
    return host or url


def order_links(entry: CatalogueEntry | None) -> list[dict[str, str]]:
    if entry is None:
        return []
    return [
        {"url": url, "label": link_label(url)}
        for url in entry.order_links or []
        if isinstance(url, str) and url.lower().startswith(("https://", "http://"))
    ]


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number or "")


def whatsapp_url(number: str) -> str:
    """https://wa.me/62812… (wa.me wants the international number without + or 0)."""
    digits = _digits(number)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return f"https://wa.me/{digits}"


def public_contact(entry: CatalogueEntry | None) -> dict[str, str] | None:
    """The order contacts, only when the enterprise agreed to publish them."""
    if entry is None or not entry.contact_public:
        return None
    contact = {
        "whatsapp": entry.whatsapp,
        "whatsapp_url": whatsapp_url(entry.whatsapp) if entry.whatsapp else "",
        "phone": entry.phone,
        "phone_url": ("tel:+" if entry.phone.strip().startswith("+") else "tel:")
        + _digits(entry.phone)
        if entry.phone
        else "",
        "email": entry.email,
    }
    return contact if entry.whatsapp or entry.phone or entry.email else None


def story_of(entry: CatalogueEntry | None, lang: str) -> tuple[str, str]:
    """(story, language it is written in): English falls back to the Indonesian story."""
    if entry is None:
        return "", lang
    if lang == "en" and entry.story_en.strip():
        return entry.story_en, "en"
    return entry.story, "id"


def description(centre: "RatedCentre", story: str) -> str:
    """A meta description: the story's start, or a sentence from the facts."""
    text = " ".join(story.split())
    if text:
        return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"
    return _("%(product)s from %(regency)s, %(province)s: %(stars)s (%(year)s).") % {
        "product": centre.main_product,
        "regency": centre.regency.name,
        "province": centre.province.name,
        "stars": stars_label(centre.stars, getattr(centre, "star_scale", None)),
        "year": centre.rated_year,
    }
