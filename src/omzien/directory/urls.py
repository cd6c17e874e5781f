"""Public pages of the sociale kaart (residents, volunteers, phone-line staff)."""

from __future__ import annotations

app_name = "directory"

urlpatterns: list = []
