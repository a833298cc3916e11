"""Routes of reports (dashboards part); the namespace is in urls.py."""

urlpatterns: list = []
