"""`{{ number|tel_href }}`: the `tel:` link of a phone number (`core.phones.tel_href`)."""

from __future__ import annotations

from django import template

from omzien.core import phones

register = template.Library()


@register.filter
def tel_href(value: object) -> str:
    return phones.tel_href(value if isinstance(value, str) else "")
