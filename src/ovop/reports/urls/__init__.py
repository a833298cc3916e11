from ovop.reports.urls import annual as urls_annual
from ovop.reports.urls import dashboards as urls_dashboards

app_name = "reports"

urlpatterns = [*urls_dashboards.urlpatterns, *urls_annual.urlpatterns]
