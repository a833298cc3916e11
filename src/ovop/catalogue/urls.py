from ovop.catalogue import urls_manage, urls_public

app_name = "catalogue"

# The management routes (under manage/) come first so "manage" is never read as a language.
urlpatterns = [*urls_manage.urlpatterns, *urls_public.urlpatterns]
