"""Routes of coaching (programmes part); the namespace is in urls.py."""

urlpatterns: list = []
