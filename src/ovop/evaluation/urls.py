from ovop.evaluation import urls_ranking, urls_scoring, urls_setup

app_name = "evaluation"

urlpatterns = [*urls_setup.urlpatterns, *urls_scoring.urlpatterns, *urls_ranking.urlpatterns]
