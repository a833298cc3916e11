"""Routes of coaching (indicators part); the namespace is in urls.py."""

urlpatterns: list = []
