"""Forms of case work: the queue's filters and one small form per action on a case.

The forms check what a person can get wrong (a date in 1900 or next week, a text of a whole
book, a choice that does not exist) with a plain Dutch message; the services check the rest
(who may, and what the case allows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import User
from omzien.accounts.permissions import users_with_capability
from omzien.accounts.roles import Capability
from omzien.cases.indicators import INDICATORS
from omzien.cases.models import (
    Case,
    CaseState,
    ClosingReason,
    ConsentMethod,
    ContactChannel,
    ContactOutcome,
    Urgency,
)
from omzien.cases.selectors import TAB_LABELS, UNASSIGNED, QueueTab
from omzien.core.forms import NldsFormMixin

MAX_TEXT = 5000
EARLIEST_YEAR = 2000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

TEXT_ERRORS = {
    "required": _("Vul dit in."),
    "max_length": _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens."),
}

# What the button says for each step a user can take (the state machine's targets).
TRANSITION_LABELS = {
    CaseState.RECEIVED: _("Terugzetten naar nieuw"),
    CaseState.INTAKE: _("Oppakken (intake)"),
    CaseState.CONTACT_MADE: _("Contact is gelegd"),
    CaseState.CONVERSATION_HELD: _("Gesprek is gevoerd"),
    CaseState.REFERRED: _("Verwezen"),
    CaseState.CLOSED: _("Afsluiten"),
}
REOPEN_LABEL = _("Heropenen")
FILTER_UNKNOWN = _("Deze keuze bestaat niet. Dit filter is niet gebruikt.")


def _text(label: Any, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        error_messages=TEXT_ERRORS,
        **kwargs,
    )


def _moment(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Datum en tijd, bijvoorbeeld 27-11-2026 14:30."),
        error_messages={
            "required": _("Vul een datum en tijd in."),
            "invalid": _("Vul een datum en tijd in, bijvoorbeeld 27-11-2026 14:30."),
        },
    )


def check_moment(value: dt.datetime) -> dt.datetime:
    """A moment that really happened: not before 2000 and not in the future."""
    if value.year < EARLIEST_YEAR:
        raise forms.ValidationError(
            _("Deze datum ligt te ver terug. Controleer het jaar."), code="too_early"
        )
    if value > timezone.now() + dt.timedelta(minutes=5):
        raise forms.ValidationError(
            _("Deze datum ligt in de toekomst. Vul in wanneer het is gebeurd."), code="future"
        )
    return value


def _now_initial() -> str:
    return timezone.localtime().strftime(DATETIME_FORMAT)


class CaseForm(NldsFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


# --- the queue ---------------------------------------------------------------------------------


class QueueFilterForm(CaseForm):
    weergave = forms.ChoiceField(
        label=_("Lijst"),
        required=False,
        choices=[(t.value, TAB_LABELS[t]) for t in QueueTab],
        error_messages={"invalid_choice": FILTER_UNKNOWN},
    )
    urgentie = forms.ChoiceField(
        label=_("Urgentie"),
        required=False,
        choices=[("", _("Alle"))] + Urgency.choices,
        error_messages={"invalid_choice": FILTER_UNKNOWN},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle"))] + CaseState.choices,
        error_messages={"invalid_choice": FILTER_UNKNOWN},
    )
    consulent = forms.ChoiceField(
        label=_("Consulent"), required=False, error_messages={"invalid_choice": FILTER_UNKNOWN}
    )
    nummer = forms.CharField(
        label=_("Casusnummer of ontvangstcode"),
        required=False,
        max_length=20,
        strip=True,
        error_messages={"max_length": _("Dit is te lang voor een casusnummer of ontvangstcode.")},
    )

    def __init__(self, *args: Any, workers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("Iedereen")), (UNASSIGNED, _("Niet toegewezen"))]
        choices += [(str(u.pk), u.get_full_name()) for u in workers]
        field = self.fields["consulent"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        self.fields["weergave"].widget = forms.HiddenInput()


# --- actions on one case -----------------------------------------------------------------------


class WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name())


class AssignForm(CaseForm):
    assignee = WorkerChoiceField(
        label=_("Consulent"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Niemand (niet toegewezen)"),
        error_messages={"invalid_choice": _("Kies een consulent uit de lijst.")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in users_with_capability(Capability.WORK_ON_CASES, case.organisation_id)]
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=ids).order_by("full_name", "email")
        if case.assigned_to_id and not self.is_bound:
            self.initial["assignee"] = case.assigned_to_id


class UrgencyForm(CaseForm):
    urgency = forms.ChoiceField(
        label=_("Urgentie"),
        choices=Urgency.choices,
        error_messages={
            "required": _("Kies een urgentie."),
            "invalid_choice": _("Kies een urgentie uit de lijst."),
        },
    )


class ContactAttemptForm(CaseForm):
    at = _moment(_("Wanneer probeerde u contact te krijgen?"))
    channel = forms.ChoiceField(
        label=_("Hoe?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe u contact zocht.")},
    )
    outcome = forms.ChoiceField(
        label=_("Wat was het resultaat?"),
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies het resultaat.")},
    )
    note = _text(_("Toelichting"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("at", _now_initial())

    def clean_at(self) -> dt.datetime:
        return check_moment(self.cleaned_data["at"])


class ConversationForm(CaseForm):
    held_at = _moment(_("Wanneer was het gesprek?"))
    text = _text(
        _("Verslag van het gesprek"),
        help_text=_("Schrijf alleen op wat nodig is voor de hulp. Geen medische details."),
    )
    found_indicators = forms.MultipleChoiceField(
        label=_("Welke signalen van eenzaamheid ziet u?"),
        required=False,
        choices=[(i.code, i.label) for i in INDICATORS],
        widget=forms.CheckboxSelectMultiple,
    )
    person_informed = forms.BooleanField(
        label=_("Ik heb de persoon verteld dat het meldpunt gegevens over hem of haar bewaart"),
        help_text=_("Dit moet binnen een maand na de melding (AVG artikel 14)."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_at", _now_initial())

    def clean_held_at(self) -> dt.datetime:
        return check_moment(self.cleaned_data["held_at"])


class NoteForm(CaseForm):
    text = _text(
        _("Aantekening"),
        help_text=_("Schrijf alleen op wat nodig is voor de hulp. Geen medische details."),
    )


class ConsentForm(CaseForm):
    given_at = _moment(_("Wanneer gaf de persoon toestemming?"))
    method = forms.ChoiceField(
        label=_("Hoe gaf de persoon toestemming?"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe de persoon toestemming gaf.")},
    )
    scope = _text(
        _("Waarmee stemt de persoon in?"),
        help_text=_("Bijvoorbeeld: doorverwijzen naar een maatjesproject en de buurtkamer."),
    )
    share_with_providers = forms.BooleanField(
        label=_("De persoon vindt het goed dat wij naam en telefoonnummer delen met de aanbieder"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("given_at", _now_initial())

    def clean_given_at(self) -> dt.datetime:
        return check_moment(self.cleaned_data["given_at"])


class StatusForm(CaseForm):
    to_state = forms.ChoiceField(
        label=_("Volgende stap"),
        error_messages={
            "required": _("Kies de volgende stap."),
            "invalid_choice": _("Deze stap kan nu niet."),
        },
    )
    closing_reason = forms.ChoiceField(
        label=_("Reden van afsluiten"),
        required=False,
        choices=[("", _("Kies een reden"))] + ClosingReason.choices,
        help_text=_("Alleen nodig als u de casus afsluit."),
        error_messages={"invalid_choice": _("Kies een reden uit de lijst.")},
    )

    def __init__(self, *args: Any, case: Case, allowed: list[CaseState], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_state"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (
                state.value,
                REOPEN_LABEL
                if case.state == CaseState.CLOSED and state != CaseState.CLOSED
                else TRANSITION_LABELS[state],
            )
            for state in allowed
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_state") == CaseState.CLOSED and not data.get("closing_reason"):
            self.add_error("closing_reason", _("Kies een reden om de casus af te sluiten."))
        return data
