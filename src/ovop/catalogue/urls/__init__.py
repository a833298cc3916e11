from ovop.catalogue.urls import manage as urls_manage
from ovop.catalogue.urls import public as urls_public

app_name = "catalogue"

# The management routes (under manage/) come first so "manage" is never read as a language.
urlpatterns = [*urls_manage.urlpatterns, *urls_public.urlpatterns]
