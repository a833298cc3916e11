"""Routes of reports (annual part); the namespace is in urls.py."""

from django.urls import path

from ovop.reports.views import annual as views

urlpatterns: list = [
    path("annual/", views.annual_form, name="annual"),
    path("annual/<int:cycle_pk>/<str:province>.pdf", views.annual_pdf, name="annual_pdf"),
]
