"""Routes of the catalogue (manage part); the namespace is in urls.py."""

urlpatterns: list = []
