"""The province's official letters and PDFs. Included in the root URLconf at prefix ""."""

from django.urls import path

from ovop.proposals.views import letters as views_letters

app_name = "letters"

urlpatterns = [
    path("letters/<int:pk>.pdf", views_letters.cover_letter_pdf, name="cover_letter_pdf"),
    path(
        "proposals/<int:pk>/dossier.pdf",
        views_letters.proposal_dossier_pdf,
        name="proposal_dossier_pdf",
    ),
    path("rounds/<int:pk>/forward/", views_letters.round_forward, name="round_forward"),
    path("letterhead/", views_letters.letterhead_edit, name="letterhead_edit"),
]
