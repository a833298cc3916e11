"""Routes of coaching (bimtek part); the namespace is in urls.py."""

urlpatterns: list = []
