"""The offering pages, included under /dashboard/aanbod/ (names start with "offering_")."""

from __future__ import annotations

from django.urls import path

from omzien.insight import views_offering as views

urlpatterns = [
    path("", views.overview, name="offering_overview"),
    path("witte-vlekken/", views.white_spots, name="offering_white_spots"),
    path("overlap/", views.overlap, name="offering_overlap"),
    path(
        "wijk/<str:district>/persona/<int:persona_id>/",
        views.cell_detail,
        name="offering_cell",
    ),
    path("personas/", views.persona_list, name="offering_personas"),
    path("personas/nieuw/", views.persona_add, name="offering_persona_add"),
    path("personas/<int:persona_id>/", views.persona_edit, name="offering_persona_edit"),
    path(
        "personas/<int:persona_id>/verwijderen/",
        views.persona_delete,
        name="offering_persona_delete",
    ),
]
