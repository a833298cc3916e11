"""Routes of reports (annual part); the namespace is in urls.py."""

urlpatterns: list = []
