"""Site-wide public routes: sitemap.xml and robots.txt (no namespace)."""

urlpatterns: list = []
