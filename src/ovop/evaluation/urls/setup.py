"""Routes of the evaluation (setup part); the namespace is in urls.py."""

from django.urls import path

from ovop.evaluation.views import assessors
from ovop.evaluation.views import setup as views

urlpatterns: list = [
    path("", views.index, name="index"),
    path("cycles/<int:pk>/", views.cycle_hub, name="cycle"),
    path("cycles/<int:pk>/assign/", views.auto_assign_view, name="auto_assign"),
    path("cycles/<int:pk>/rubric/", views.rubric_edit, name="rubric_edit"),
    path("cycles/<int:pk>/bands/", views.bands_edit, name="bands_edit"),
    path("proposals/<int:pk>/", views.proposal_panel, name="proposal"),
    path("proposals/<int:pk>/assign/", views.assign_view, name="assign"),
    path("assignments/<int:pk>/remove/", views.unassign_view, name="unassign"),
    path("assessors/", assessors.assessor_list, name="assessor_list"),
    path("assessors/<int:user_pk>/", assessors.assessor_edit, name="assessor_edit"),
    path("assessors/<int:user_pk>/conflicts/", assessors.conflict_add, name="conflict_add"),
    path("conflicts/<int:pk>/delete/", assessors.conflict_delete, name="conflict_delete"),
    path("my-conflicts/", assessors.my_conflicts, name="my_conflicts"),
]
