"""Routes of coaching (programmes part); the namespace is in urls.py."""

from django.urls import path

from ovop.coaching.views import activities as views_programmes_activities
from ovop.coaching.views import programmes as views_programmes

urlpatterns: list = [
    path("", views_programmes.programme_list, name="programme_list"),
    path("new/", views_programmes.programme_create, name="programme_create"),
    path(
        "centre-choices/",
        views_programmes.programme_centre_choices,
        name="programme_centre_choices",
    ),
    path("<int:pk>/", views_programmes.programme_detail, name="programme_detail"),
    path("<int:pk>/edit/", views_programmes.programme_edit, name="programme_edit"),
    path("<int:pk>/delete/", views_programmes.programme_delete, name="programme_delete"),
    path(
        "<int:programme_pk>/activities/new/",
        views_programmes_activities.activity_create,
        name="activity_create",
    ),
    path(
        "activities/<int:pk>/", views_programmes_activities.activity_detail, name="activity_detail"
    ),
    path(
        "activities/<int:pk>/edit/", views_programmes_activities.activity_edit, name="activity_edit"
    ),
    path(
        "activities/<int:pk>/delete/",
        views_programmes_activities.activity_delete,
        name="activity_delete",
    ),
    path(
        "activities/<int:pk>/evidence/",
        views_programmes_activities.evidence_upload,
        name="evidence_upload",
    ),
    path("evidence/<int:pk>/", views_programmes_activities.evidence_file, name="evidence_file"),
    path(
        "evidence/<int:pk>/delete/",
        views_programmes_activities.evidence_delete,
        name="evidence_delete",
    ),
]
