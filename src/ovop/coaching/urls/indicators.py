"""Routes of coaching (indicators part); the namespace is in urls.py."""

from django.urls import path

from ovop.coaching.views import indicators as views

urlpatterns: list = [
    path(
        "centres/<int:centre_pk>/indicators/new/",
        views.indicator_create,
        name="indicator_create",
    ),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/export/", views.indicator_export, name="indicator_export"),
    path("indicators/template/", views.indicator_template, name="indicator_template"),
    path("indicators/import/", views.indicator_import, name="indicator_import"),
]
