"""Routes of the catalogue (public part, no login); the namespace is in urls.py."""

from django.urls import path

from ovop.catalogue.views import public as views_public

# <catalogue_lang:…> (registered by ovop.catalogue.selectors.public) matches only "id" and "en", so
# /catalogue/fr/ is a 404 and reverse() refuses other codes.

urlpatterns = [
    path("", views_public.catalogue_root, name="root"),
    path("photos/<int:pk>/", views_public.catalogue_photo, name="photo"),
    path(
        "photos/<int:pk>/thumbnail/",
        views_public.catalogue_photo_thumbnail,
        name="photo_thumbnail",
    ),
    path("<catalogue_lang:lang>/", views_public.catalogue_list, name="list"),
    path(
        "<catalogue_lang:lang>/<int:pk>-<slug:slug>/",
        views_public.catalogue_detail,
        name="detail",
    ),
]
