"""The JSON API (django-ninja) under /api/v1/, in the URL namespace "api"."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from omzien.api.api import api

# Ninja names its views within `api.urls_namespace`; include() gives us that namespace.
app_name = api.urls_namespace
urlpatterns: list[URLPattern | URLResolver] = list(api.urls[0])
