from django.urls import path

from ovop.centres.views import centres, commodities, enterprises
from ovop.centres.views import imports as import_views
from ovop.centres.views import media as media_views

app_name = "centres"

urlpatterns = [
    path("", centres.centre_list, name="list"),
    path("new/", centres.centre_create, name="create"),
    path("map/", centres.centre_map, name="map"),
    path("map/data/", centres.centre_map_data, name="map_data"),
    path("<int:pk>/", centres.centre_detail, name="detail"),
    path("<int:pk>/edit/", centres.centre_edit, name="edit"),
    path("<int:pk>/delete/", centres.centre_delete, name="delete"),
    path("<int:centre_pk>/units/new/", enterprises.enterprise_create, name="enterprise_create"),
    path("units/<int:pk>/edit/", enterprises.enterprise_edit, name="enterprise_edit"),
    path("units/<int:pk>/delete/", enterprises.enterprise_delete, name="enterprise_delete"),
    path("commodities/", commodities.commodity_list, name="commodity_list"),
    path("commodities/new/", commodities.commodity_create, name="commodity_create"),
    path("commodities/<int:pk>/", commodities.commodity_edit, name="commodity_edit"),
    # workbook routes (import/template/export) go below this line
    path("import/", import_views.centre_import, name="import"),
    path("template/", import_views.centre_template, name="template"),
    path("export/", import_views.centre_export, name="export"),
    # media routes (photos/documents) go below this line
    path("<int:centre_pk>/photos/new/", media_views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", media_views.photo_file, name="photo_file"),
    path("photos/<int:pk>/thumbnail/", media_views.photo_thumbnail, name="photo_thumbnail"),
    path("photos/<int:pk>/delete/", media_views.photo_delete, name="photo_delete"),
    path("<int:centre_pk>/documents/new/", media_views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", media_views.document_file, name="document_file"),
    path("documents/<int:pk>/delete/", media_views.document_delete, name="document_delete"),
]
