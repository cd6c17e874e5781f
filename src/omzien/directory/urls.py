"""Public pages of the sociale kaart (residents, volunteers, phone-line staff)."""

from __future__ import annotations

from django.urls import path

from omzien.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("suggesties/", views.suggest, name="suggest"),
    path("vergelijk/", views.compare, name="compare"),
    path("vergelijk/kiezen/", views.compare_pick, name="compare_pick"),
    path("vergelijk/leegmaken/", views.compare_clear, name="compare_clear"),
    path("lijst/", views.my_list, name="my_list"),
    path("lijst/toevoegen/", views.list_add, name="list_add"),
    path("lijst/verwijderen/", views.list_remove, name="list_remove"),
    path("lijst/leegmaken/", views.list_clear, name="list_clear"),
    path("<str:key>/", views.service_detail, name="service"),
    path("<str:key>/fout-melden/", views.report_error, name="report_error"),
]
