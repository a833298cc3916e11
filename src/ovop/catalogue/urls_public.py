"""Routes of the catalogue (public part); the namespace is in urls.py."""

urlpatterns: list = []
