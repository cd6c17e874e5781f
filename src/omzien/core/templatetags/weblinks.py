"""`{{ value|web_url }}`: the address when it is a safe http(s) link, otherwise empty."""

from __future__ import annotations

from django import template

from omzien.core.weblinks import is_web_url

register = template.Library()


@register.filter
def web_url(value: object) -> str:
    return value if isinstance(value, str) and is_web_url(value) else ""
