"""Background rebuild of the search index (after vocabulary changes, or on request)."""

from __future__ import annotations

from django_tasks import task

from omzien.directory.search import get_backend


@task()
def rebuild_search_index() -> int:
    return get_backend().rebuild()
