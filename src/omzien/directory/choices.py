"""What a resident picked on the kaart, kept in their own session: a list of services to print
or share, and up to four services to compare. Neither is data about anyone, so changing them
writes no audit event (tests/test_post_views_audit.py lists these views as writing nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

LIST_SESSION_KEY = "omzien_kaart_list"
COMPARE_SESSION_KEY = "omzien_kaart_compare"
LIST_MAX = 30
COMPARE_MAX = 4


def _ids(request: HttpRequest, key: str, limit: int) -> list[str]:
    value = request.session.get(key, [])
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str)][:limit]


def list_ids(request: HttpRequest) -> list[str]:
    return _ids(request, LIST_SESSION_KEY, LIST_MAX)


def set_list_ids(request: HttpRequest, ids: list[str]) -> None:
    request.session[LIST_SESSION_KEY] = ids[:LIST_MAX]


def compare_ids(request: HttpRequest) -> list[str]:
    return _ids(request, COMPARE_SESSION_KEY, COMPARE_MAX)


def set_compare_ids(request: HttpRequest, ids: list[str]) -> None:
    request.session[COMPARE_SESSION_KEY] = ids[:COMPARE_MAX]


@dataclass(frozen=True)
class Counts:
    """For "Mijn lijst (n)" and "Vergelijk (n)" at the top of every kaart page."""

    list: int
    compare: int


def counts(request: HttpRequest) -> Counts:
    return Counts(list=len(list_ids(request)), compare=len(compare_ids(request)))
