"""Routes of the evaluation (scoring part); the namespace is in urls.py."""

from django.urls import path

from ovop.evaluation.views import scoring as views_scoring

urlpatterns: list = [
    path("assignments/", views_scoring.my_assignments, name="my_assignments"),
    path("assignments/sheet/", views_scoring.sheet_export, name="sheet_export"),
    path("assignments/import/", views_scoring.sheet_import, name="sheet_import"),
    path("assignments/<int:pk>/score/", views_scoring.score, name="score"),
    path("assignments/<int:pk>/recuse/", views_scoring.recuse, name="recuse"),
]
