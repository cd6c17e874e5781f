"""Links to other websites: only http and https.

A `javascript:` or `data:` address in a link runs code or shows a page of the attacker's
choosing when someone clicks it. Such addresses are refused wherever they come in (imports, the
provider's form) and never rendered as a link (the `web_url` template filter), so one that is
already in the database stays harmless.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.validators import URLValidator

WEB_SCHEMES = ("http", "https")

# For form fields: Django's URLValidator also accepts ftp and ftps by default.
validate_web_url = URLValidator(schemes=list(WEB_SCHEMES))


def is_web_url(value: object) -> bool:
    """True for an absolute http(s) address with a host; False for anything else.

    Browsers ignore white space and control characters inside a scheme ("java\\tscript:"), so
    any of those makes the address unsafe here, wherever it is.
    """
    if not isinstance(value, str) or not value:
        return False
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
