"""Provider self-service and the municipality's review queue, under /beheer/kaart/."""

from __future__ import annotations

app_name = "directory_manage"

urlpatterns: list = []
