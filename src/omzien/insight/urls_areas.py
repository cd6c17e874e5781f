"""Neighbourhood figures and the neighbourhood model, for policy officers.

Included under /dashboard/wijken/; the names carry an `areas_` prefix so they can live in any
namespace (the views reverse them inside the namespace they were reached through).
"""

from django.urls import URLPattern, path

from omzien.insight import views_areas

urlpatterns: list[URLPattern] = [
    path("", views_areas.overview, name="areas_overview"),
    path("download.csv", views_areas.download_csv, name="areas_csv"),
    path("model/", views_areas.model, name="areas_model"),
]
