"""Site-wide public routes: sitemap.xml and robots.txt (no namespace)."""

from django.urls import path

from ovop.catalogue.views import root as views_public_root

urlpatterns = [
    path("sitemap.xml", views_public_root.sitemap, name="sitemap"),
    path("robots.txt", views_public_root.robots, name="robots"),
]
