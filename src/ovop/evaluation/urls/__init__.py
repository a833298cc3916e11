from ovop.evaluation.urls import ranking as urls_ranking
from ovop.evaluation.urls import scoring as urls_scoring
from ovop.evaluation.urls import setup as urls_setup

app_name = "evaluation"

urlpatterns = [*urls_setup.urlpatterns, *urls_scoring.urlpatterns, *urls_ranking.urlpatterns]
