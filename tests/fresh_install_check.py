"""Run with the production settings, after `omzien migrate`, for tests/test_national_services.py.

    python -m tests.fresh_install_check

Looks at the sociale kaart of the installation as `migrate` left it (no demo data, the search
index as the migration's loader built it) through Django's test client, and prints what it saw
as JSON on the last line.
"""

from __future__ import annotations

import json
import re

import django


def check() -> dict[str, object]:
    from django.core.management import call_command
    from django.test import Client

    from omzien.directory.models import Service

    # Pages use the hashed static files of production; the check needs them, not the kaart.
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    search = client.get("/kaart/", {"q": "luisterlijn"})
    search_html = search.content.decode()
    links = re.findall(r'href="(/kaart/[a-z0-9-]+/)"', search_html)
    luisterlijn = Service.objects.get(name="De Luisterlijn")
    page = client.get(f"/kaart/{luisterlijn.slug}/")
    page_html = page.content.decode()
    contact = page_html.split('<ul class="omzien-contact">', 1)[-1].split("</ul>", 1)[0]
    call_us = re.search(r'<p class="utrecht-paragraph omzien-call-us">(.*?)</p>', page_html, re.S)
    return {
        "search_status": search.status_code,
        "found": f"/kaart/{luisterlijn.slug}/" in links,
        "page_status": page.status_code,
        "contact": contact,
        "call_us": call_us.group(1) if call_us else "",
        "national": Service.objects.filter(scope="national").count(),
        "all": Service.objects.count(),
    }


def main() -> None:
    django.setup()
    print(json.dumps(check()))


if __name__ == "__main__":
    main()
