from django.urls import path

from ovop.proposals.views import proposals as views
from ovop.proposals.views import setup as views_setup

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("export/", views.proposal_export, name="export"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/move/<str:action>/", views.proposal_move, name="move"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_file, name="document_file"),
    path("documents/<int:pk>/check/", views.document_check, name="document_check"),
    path("rounds/", views.round_list, name="round_list"),
    path("cycles/new/", views_setup.cycle_edit, name="cycle_create"),
    path("cycles/<int:pk>/", views_setup.cycle_edit, name="cycle_edit"),
    path(
        "cycles/<int:pk>/status/<str:status>/",
        views_setup.cycle_advance,
        name="cycle_advance",
    ),
    path("cycles/<int:cycle_pk>/rounds/new/", views_setup.round_create, name="round_create"),
    path("rounds/<int:pk>/edit/", views_setup.round_edit, name="round_edit"),
    path("rounds/<int:pk>/compliance/", views.round_compliance_view, name="compliance"),
    path("cycles/<int:pk>/compliance/", views.national_compliance_view, name="national_compliance"),
]
