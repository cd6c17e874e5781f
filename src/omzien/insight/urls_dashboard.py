"""The dashboard, included under /dashboard/ (names start with "dashboard_")."""

from __future__ import annotations

from django.urls import path

from omzien.insight import views_dashboard as views

urlpatterns = [
    path("", views.home, name="dashboard_home"),
    path("download/<slug:key>.csv", views.table_csv, name="dashboard_csv"),
    path("raadsrapportage.pdf", views.council_report, name="dashboard_report"),
]
