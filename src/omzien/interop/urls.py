"""The spreadsheet import for administrators, under /beheer/import/."""

from __future__ import annotations

from django.urls import path

from omzien.interop import views

app_name = "interop"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("kolommen/", views.preview, name="preview"),
    path("stoppen/", views.cancel, name="cancel"),
]
