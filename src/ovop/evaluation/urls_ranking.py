"""Routes of the evaluation (ranking part); the namespace is in urls.py."""

urlpatterns: list = []
