"""Site-wide public files: sitemap.xml (the catalogue's pages) and robots.txt."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from ovop.catalogue.selectors import public
from ovop.catalogue.selectors.gate import public_centres


def _alternates(request, paths: dict[str, str]) -> list[dict]:
    return [
        {"lang": code, "href": public.absolute_url(request, path)} for code, path in paths.items()
    ]


def _entries(request, *, paths: dict[str, str], lastmod: str) -> list[dict]:
    """One <url> per language, each naming every language version (and the default)."""
    alternates = _alternates(request, paths)
    alternates.append({"lang": "x-default", "href": alternates[0]["href"]})
    return [
        {"loc": public.absolute_url(request, path), "lastmod": lastmod, "alternates": alternates}
        for path in paths.values()
    ]


@require_safe
def sitemap(request):
    """Every public detail page in both languages, read through the public gate only."""
    centres = public_centres().select_related("catalogue_entry").order_by("pk")
    list_paths = {
        code: reverse("catalogue:list", kwargs={"lang": code}) for code in public.LANGUAGES
    }
    urls = _entries(request, paths=list_paths, lastmod="")
    newest = None
    for centre in centres.iterator(chunk_size=1000):
        entry = public.entry_of(centre)
        changed = max(centre.updated_at, entry.updated_at) if entry else centre.updated_at
        newest = max(newest, changed) if newest else changed
        paths = {code: public.detail_path(centre, code) for code in public.LANGUAGES}
        urls += _entries(request, paths=paths, lastmod=timezone.localdate(changed).isoformat())
    if newest:
        for url in urls[: len(public.LANGUAGES)]:
            url["lastmod"] = timezone.localdate(newest).isoformat()
    response = render(
        request, "catalogue/sitemap.xml", {"urls": urls}, content_type="application/xml"
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_safe
def robots(request):
    """Crawlers may read the catalogue and nothing else (the rest is behind a login)."""
    lines = [
        "User-agent: *",
        f"Allow: {reverse('catalogue:root')}",
        f"Disallow: {reverse('catalogue:root')}manage/",
        "Disallow: /",
        f"Sitemap: {public.absolute_url(request, reverse('sitemap'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response
