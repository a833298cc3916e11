"""Routes of reports (dashboards part); the namespace is in urls.py."""

from django.urls import path

from ovop.reports.views import dashboards as views_dashboards

urlpatterns: list = [
    path("", views_dashboards.dashboard, name="dashboard"),
    path("export/", views_dashboards.dashboard_export, name="dashboard_export"),
]
