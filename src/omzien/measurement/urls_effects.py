"""What works per intervention, included under /dashboard/effecten/ (names start "effects_").

The project's urls.py includes it as:

    path("dashboard/effecten/", include("omzien.measurement.urls_effects")),

The CSV file of the table is the overview with ?format=csv.
"""

from __future__ import annotations

from django.urls import path

from omzien.measurement import views_effects as views

urlpatterns = [
    path("", views.overview, name="effects_overview"),
    path("<uuid:service_id>/", views.detail, name="effects_detail"),
]
