from __future__ import annotations

from django.urls import path

from omzien.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("leden/", views.members, name="members"),
    path("leden/uitnodigen/", views.invite, name="invite"),
]
