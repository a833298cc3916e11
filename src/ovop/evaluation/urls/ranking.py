"""Routes of the evaluation (ranking part); the namespace is in urls.py."""

from django.urls import path

from ovop.evaluation.views import ranking as views

urlpatterns: list = [
    path("cycles/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("cycles/<int:pk>/ranking/export/", views.ranking_export, name="ranking_export"),
    path("cycles/<int:pk>/decisions/", views.decisions, name="decisions"),
    path("cycles/<int:pk>/decisions/fill/", views.decisions_fill, name="decisions_fill"),
    path("cycles/<int:pk>/publish/", views.publish, name="publish"),
    path("cycles/<int:pk>/record.pdf", views.record_pdf, name="record_pdf"),
    path("proposals/<int:pk>/decide/", views.decide, name="decide"),
]
