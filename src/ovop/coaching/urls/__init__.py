from ovop.coaching.urls import bimtek as urls_bimtek
from ovop.coaching.urls import indicators as urls_indicators
from ovop.coaching.urls import programmes as urls_programmes

app_name = "coaching"

urlpatterns = [*urls_programmes.urlpatterns, *urls_indicators.urlpatterns, *urls_bimtek.urlpatterns]
