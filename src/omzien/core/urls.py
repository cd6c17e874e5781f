from __future__ import annotations

from django.urls import path

from omzien.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("theme.css", views.theme_css, name="theme_css"),
    # Browsers and feed readers ask for /favicon.ico without reading the page's <link rel="icon">.
    path("favicon.ico", views.favicon, name="favicon"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
