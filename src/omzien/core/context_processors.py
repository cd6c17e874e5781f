from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from omzien.core.phones import tel_href


def site(request: HttpRequest) -> dict[str, Any]:
    phone = settings.OMZIEN_PHONE_NUMBER
    return {
        "omzien": {
            "municipality_name": settings.OMZIEN_MUNICIPALITY_NAME,
            "logo_url": settings.OMZIEN_LOGO_URL,
            "phone_number": phone,
            "phone_href": tel_href(phone),
            "phone_hours": (
                settings.OMZIEN_PHONE_HOURS_EN
                if (get_language() or "").startswith("en") and settings.OMZIEN_PHONE_HOURS_EN
                else settings.OMZIEN_PHONE_HOURS
            ),
            "mfa_relaxed": not settings.OMZIEN_MFA_REQUIRED,
        }
    }
