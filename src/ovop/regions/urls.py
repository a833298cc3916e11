from django.urls import path, re_path

from ovop.regions import views

app_name = "regions"

CODE = r"(?P<code>[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?)"

urlpatterns = [
    path("", views.region_list, name="list"),
    path("export/", views.region_export, name="export"),
    re_path(rf"^{CODE}/$", views.region_detail, name="detail"),
]
