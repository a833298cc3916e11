"""Routes of the evaluation (setup part); the namespace is in urls.py."""

urlpatterns: list = []
