"""The public catalogue (no login): list, detail and photos, in the language of the URL.

Every object comes through ``ovop.catalogue.selectors.gate`` (via ``selectors/public.py``): a
centre that no published decision rated answers 404 exactly like one that does not exist.
"""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ovop.catalogue.selectors import listing, public
from ovop.catalogue.selectors.gate import catalogue_stamp, public_photos
from ovop.centres.services.uploads import PHOTO_CONTENT_TYPES
from ovop.common.freshness import public_page

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def in_language(view):
    """Render the page in the URL's language, whatever the visitor's cookie says."""

    @wraps(view)
    def wrapper(request, *args, lang: str, **kwargs):
        with translation.override(lang):
            response = view(request, *args, lang=lang, **kwargs)
        response["Content-Language"] = lang
        return response

    return wrapper


@require_safe
def catalogue_root(request):
    """Indonesian unless the visitor chose English with the language switch (cookie)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return redirect("catalogue:list", lang="en" if chosen == "en" else "id")


def _page_meta(request, *, lang: str, paths: dict[str, str], query: str = "", **values) -> dict:
    """Head tags: canonical, hreflang alternates, Open Graph (all absolute) and the switch."""
    suffix = f"?{query}" if query else ""
    urls = {code: public.absolute_url(request, path) + suffix for code, path in paths.items()}
    other = public.other_language(lang)
    return {
        "lang": lang,
        "canonical": urls[lang],
        "alternates": [{"lang": code, "url": url} for code, url in urls.items()],
        "default_url": urls["id"],
        "og_locale": public.OG_LOCALES[lang],
        "og_locale_alternate": public.OG_LOCALES[other],
        "switch": {
            "lang": other,
            "name": LANGUAGE_NAMES[other],
            "url": paths[other] + suffix,
        },
        "home": reverse("catalogue:list", kwargs={"lang": lang}),
        **values,
    }


def _list_title(filters: public.Filters, options: dict, lang: str) -> str:
    title = _("OVOP product catalogue")
    commodity = next((c for c in options["commodities"] if c.code == filters.commodity), None)
    return f"{public.commodity_name(commodity, lang)} · {title}" if commodity else title


@require_safe
@in_language
@public_page(catalogue_stamp)  # ~200 ms of queries at national scale, reused until a change
def catalogue_list(request, lang: str):
    filters = public.Filters.from_query(request.GET)
    ids = listing.listed_ids(filters, include_english=lang == "en")
    page = Paginator(ids, public.PAGE_SIZE).get_page(request.GET.get("page"))
    shown = {c.pk: c for c in public.ordered(public.catalogue_centres().filter(pk__in=page))}
    rows = public.card_rows([shown[pk] for pk in page if pk in shown], lang=lang)
    options = public.filter_options(filters)
    query = filters.query(page=page.number if page.number > 1 else None)
    paths = {code: reverse("catalogue:list", kwargs={"lang": code}) for code in public.LANGUAGES}
    image = next((row["photo"] for row in rows if row["photo"]), "")
    meta = _page_meta(
        request,
        lang=lang,
        paths=paths,
        query=query,
        title=_list_title(filters, options, lang),
        description=_(
            "Products of Indonesia's sentra IKM rated in the One Village One Product "
            "programme: stars, stories, certificates and where to order."
        ),
        image=public.absolute_url(request, image) if image else "",
        og_type="website",
    )
    return render(
        request,
        "catalogue/list.html",
        {
            "meta": meta,
            "page": page,
            "rows": rows,
            "filters": filters,
            **options,
        },
    )


@require_safe
@in_language
def catalogue_detail(request, lang: str, pk: int, slug: str):
    # Named, so the type checker keeps the annotated stars and star scale.
    centre: public.CatalogueCentre = get_object_or_404(
        public.ordered(public.catalogue_centres()), pk=pk
    )
    if slug != public.centre_slug(centre):
        # Names change; old links and typed-in slugs still reach the one canonical address.
        return HttpResponsePermanentRedirect(public.detail_path(centre, lang))
    entry = public.entry_of(centre)
    story, story_lang = public.story_of(entry, lang)
    photo_ids = public.ordered_photo_ids(centre, public.photo_ids([centre.pk]).get(centre.pk, []))
    paths = {code: public.detail_path(centre, code) for code in public.LANGUAGES}
    image = reverse("catalogue:photo", kwargs={"pk": photo_ids[0]}) if photo_ids else ""
    meta = _page_meta(
        request,
        lang=lang,
        paths=paths,
        title=f"{centre.name} — {centre.main_product}",
        description=public.description(centre, story),
        image=public.absolute_url(request, image) if image else "",
        image_alt=centre.main_product,
        og_type="product",
    )
    return render(
        request,
        "catalogue/detail.html",
        {
            "meta": meta,
            "centre": centre,
            "entry": entry,
            "commodity": public.commodity_name(centre.commodity, lang),
            "stars_glyphs": public.stars_glyphs(centre.stars, centre.star_scale),
            "stars_label": public.stars_label(centre.stars, centre.star_scale),
            "story": story,
            "story_lang": story_lang,
            "story_fallback": story_lang != lang,
            "photos": [
                {
                    "url": reverse("catalogue:photo", kwargs={"pk": photo_id}),
                    "thumbnail": reverse("catalogue:photo_thumbnail", kwargs={"pk": photo_id}),
                }
                for photo_id in photo_ids
            ],
            "certificates": public.held_certificates([centre.pk]).get(centre.pk, []),
            "order_links": public.order_links(entry),
            "contact": public.public_contact(entry),
            "map": {
                "tile_url": settings.OVOP_MAP_TILE_URL,
                "attribution": settings.OVOP_MAP_ATTRIBUTION,
            }
            if centre.latitude is not None and centre.longitude is not None
            else None,
        },
    )


def _photo_response(field) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error  # the row outlived its file: nothing to serve
    extension = field.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        handle, content_type=PHOTO_CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Public and stored under random names never reused; a day keeps a withdrawn rating from
    # lingering long in shared caches.
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


@require_safe
def catalogue_photo(request, pk: int):
    return _photo_response(get_object_or_404(public_photos(), pk=pk).image)


@require_safe
def catalogue_photo_thumbnail(request, pk: int):
    return _photo_response(get_object_or_404(public_photos(), pk=pk).thumbnail)
