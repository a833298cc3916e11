from ovop.coaching import urls_bimtek, urls_indicators, urls_programmes

app_name = "coaching"

urlpatterns = [*urls_programmes.urlpatterns, *urls_indicators.urlpatterns, *urls_bimtek.urlpatterns]
