"""Routes of the evaluation (scoring part); the namespace is in urls.py."""

urlpatterns: list = []
