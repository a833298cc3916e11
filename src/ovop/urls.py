from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ovop.catalogue.api import PublicCatalogueViewSet
from ovop.centres.api.centres import CentreViewSet, EnterpriseViewSet
from ovop.coaching.api.indicators import router as centre_indicator_router
from ovop.coaching.api.programmes import ActivityViewSet, ProgrammeViewSet
from ovop.common.security import obtain_auth_token
from ovop.common.views.health import healthz
from ovop.evaluation.api.router import router as evaluation_router
from ovop.proposals.api.proposals import CycleViewSet, ProposalViewSet, RoundViewSet
from ovop.regions.api import RegionViewSet
from ovop.reports.api import MyTasksView
from ovop.reports.views.home import home


class Router(DefaultRouter):
    # Region codes contain dots; format suffixes (".json") would make "63.03" ambiguous.
    include_format_suffixes = False


router = Router()
router.register("regions", RegionViewSet, basename="region")
router.register("centres", CentreViewSet, basename="centre")
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("cycles", CycleViewSet, basename="cycle")
router.register("rounds", RoundViewSet, basename="round")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("activities", ActivityViewSet, basename="activity")
router.register("catalogue", PublicCatalogueViewSet, basename="catalogue")

api_urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/tasks/", MyTasksView.as_view(), name="me-tasks"),
    path("", include(router.urls)),
    path("", include(centre_indicator_router.urls)),
    # Evaluation's actions on proposals and cycles (same URLs and names as before).
    path("", include(evaluation_router.urls)),
]

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("ovop.accounts.urls")),
    path("regions/", include("ovop.regions.urls")),
    path("centres/", include("ovop.centres.urls")),
    path("proposals/", include("ovop.proposals.urls")),
    path("evaluation/", include("ovop.evaluation.urls")),
    path("coaching/", include("ovop.coaching.urls")),
    path("catalogue/", include("ovop.catalogue.urls")),
    path("reports/", include("ovop.reports.urls")),
    path("", include("ovop.catalogue.urls.root")),
    path("", include("ovop.notifications.urls")),
    path("", include("ovop.proposals.urls.letters")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz/", healthz, name="healthz"),
    path("exports/", include("ovop.common.urls")),
    path("api/v1/", include(api_urlpatterns)),
]
