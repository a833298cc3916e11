"""Routes of the catalogue (manage part); the namespace is in urls.py.

The QR codes are public and live under the public pages' path (``<lang>/<pk>/``), but are
built here with the office screens that link to them.
"""

from django.urls import path

from ovop.catalogue.views import manage as views_manage

urlpatterns: list = [
    path("manage/", views_manage.manage_list, name="manage"),
    path("manage/export/", views_manage.manage_export, name="manage_export"),
    path("manage/<int:centre_pk>/", views_manage.entry_edit, name="entry_edit"),
    path("<str:lang>/<int:pk>/qr.svg", views_manage.qr_svg, name="qr_svg"),
    path("<str:lang>/<int:pk>/qr.png", views_manage.qr_png, name="qr_png"),
]
