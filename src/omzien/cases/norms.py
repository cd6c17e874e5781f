"""Deadlines from configurable norms, counted in working days where the norm says so."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def _holidays() -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(day) for day in settings.OMZIEN_HOLIDAYS)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (Monday to Friday, configured holidays off)."""
    holidays = _holidays()
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def first_contact_due(received: dt.datetime) -> dt.date:
    return add_working_days(received.date(), settings.OMZIEN_NORM_FIRST_CONTACT_WORKING_DAYS)


def checkup_due(referred: dt.datetime) -> dt.date:
    return referred.date() + dt.timedelta(weeks=settings.OMZIEN_NORM_CHECKUP_WEEKS)


def referral_expires(sent: dt.datetime) -> dt.datetime:
    return sent + dt.timedelta(days=settings.OMZIEN_REFERRAL_EXPIRY_DAYS)
