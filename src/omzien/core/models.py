from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Attempts of one client (or API key) at one thing, within one window (`core.ratelimit`).

    The key is a keyed hash, never an address. A row of our own instead of a cache entry: a cache
    may drop entries to make room (Django's database cache deletes a third of them beyond
    300), and that would reset a count. Expired rows are deleted by a periodic job.
    """

    key = models.CharField(max_length=128, unique=True)
    count = models.PositiveIntegerField()
    # Unix time (seconds) at which the window ends; the next attempt after it starts a new one.
    ends = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return self.key
