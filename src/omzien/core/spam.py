"""Spam protection for public forms that needs no third-party service.

Two checks a person never notices: a honeypot field hidden from people (and from screen
readers) that bots fill in, and a signed time stamp: a form sent within seconds of being shown,
or days later, was not filled in by a person just now.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

MAX_SECONDS = 24 * 3600
_SALT = "omzien.spam.started"


def stamp() -> str:
    return signing.dumps(time.time(), salt=_SALT)


class SpamProtectedForm(forms.Form):
    # Named like a field bots love; people never see it (CSS class omzien-hp).
    website = forms.CharField(required=False, label=_("Laat dit veld leeg"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "omzien-hp-input"}
        )
        if not self.is_bound:
            self.initial["started"] = stamp()

    def is_spam(self) -> bool:
        """Call after is_valid(): True when a bot most likely sent this."""
        if self.cleaned_data.get("website"):
            return True
        try:
            started = float(signing.loads(self.cleaned_data.get("started", ""), salt=_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return True
        elapsed = time.time() - started
        return not settings.OMZIEN_FORM_MIN_SECONDS <= elapsed <= MAX_SECONDS
