"""`{% kaart_counts as counts %}`: how many services are on the resident's list and picked to
compare (`directory.choices`), for the bar at the top of every kaart page."""

from __future__ import annotations

from typing import Any

from django import template

from omzien.directory import choices

register = template.Library()


@register.simple_tag(takes_context=True)
def kaart_counts(context: dict[str, Any]) -> choices.Counts:
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return choices.Counts(list=0, compare=0)
    return choices.counts(request)
