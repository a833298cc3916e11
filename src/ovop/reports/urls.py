from ovop.reports import urls_annual, urls_dashboards

app_name = "reports"

urlpatterns = [*urls_dashboards.urlpatterns, *urls_annual.urlpatterns]
