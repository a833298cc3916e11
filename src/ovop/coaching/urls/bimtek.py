"""Routes of coaching (bimtek part); the namespace is in urls.py."""

from django.urls import path

from ovop.coaching.views import bimtek as views_bimtek

urlpatterns: list = [
    path("bimtek/", views_bimtek.bimtek_list, name="bimtek_list"),
    path("bimtek/new/", views_bimtek.bimtek_create, name="bimtek_create"),
    path("bimtek/<int:pk>/", views_bimtek.bimtek_detail, name="bimtek_detail"),
    path("bimtek/<int:pk>/edit/", views_bimtek.bimtek_edit, name="bimtek_edit"),
    path(
        "bimtek/<int:pk>/attendees/", views_bimtek.bimtek_attendee_add, name="bimtek_attendee_add"
    ),
    path(
        "bimtek/attendees/<int:pk>/remove/",
        views_bimtek.bimtek_attendee_remove,
        name="bimtek_attendee_remove",
    ),
]
