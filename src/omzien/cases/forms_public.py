"""The public report form of the meldpunt: anyone can send it, without an account.

Besides the spam checks of `SpamProtectedForm`, the form carries a one-time token. A keyed hash
of the token and of what was filled in is the signal's `submission_key`, so the same form sent
twice with the same content (a double click, a retry after a lost connection) stores one signal
and shows the same receipt, while a different report sent from the same page (the back button,
then a report about someone else, or a correction) is stored as a report of its own.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.core import signing
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from omzien.cases.indicators import OBSERVED_INDICATORS, Profession, ReporterKind
from omzien.cases.models import AgeGroup, PersonKnows, SignalSource
from omzien.cases.services import Report
from omzien.core.phones import validate_phone
from omzien.core.spam import SpamProtectedForm, stamp

DESCRIPTION_MAX = 2000
TOKEN_MAX_AGE = 7 * 24 * 3600
_SALT = "omzien.cases.report-form"
_SUBMISSION_SALT = "omzien.cases.report-form.submission"
# Form fields that are not part of the report itself.
_NOT_CONTENT = frozenset({"form_token", "started", "website"})

# Partners use the API and case workers their own screens; the public chooses from the rest.
PUBLIC_REPORTER_KINDS = [
    (value, label)
    for value, label in ReporterKind.choices
    if value not in (ReporterKind.PARTNER, ReporterKind.CASE_WORKER)
]

POSTCODE_RE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")


TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"


class TelInput(forms.TextInput):
    input_type = "tel"


def _text(autocomplete: str = "off", **attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": TEXTBOX, "autocomplete": autocomplete, **attrs})


def _tel(autocomplete: str = "off") -> TelInput:
    return TelInput(attrs={"class": TEXTBOX, "autocomplete": autocomplete, "inputmode": "tel"})


def _email(autocomplete: str = "off") -> forms.EmailInput:
    return forms.EmailInput(
        attrs={"class": TEXTBOX, "autocomplete": autocomplete, "spellcheck": "false"}
    )


def new_token() -> str:
    return signing.dumps(secrets.token_urlsafe(24), salt=_SALT)


def _clean_phone(value: str) -> str:
    """A Dutch number, or one from abroad with its country code; kept as the person typed it."""
    return validate_phone(value, foreign=True)


def _length_messages(limit: int) -> dict[str, Any]:
    return {
        "max_length": _(
            "Dit is te lang: hoogstens %(limit_value)d tekens. U schreef er %(show_value)d."
        )
    }


# The controls of an empty form are the same for every visitor, so each is written once per
# process and language (about 1 ms of every form page, a fifth of its CPU). Only for an unbound
# form and a field whose value does not come from the form's `initial`: the time stamp and the
# one-time token are new for every form, and `keeping()` puts what was sent into `initial`. This
# relies on the choices and widget attributes being fixed in the class, as they are here.
# Bounded: one entry per form class, field, kind of control and language.
_EMPTY_FORM_HTML: dict[tuple[type, str, str, str, str], SafeString] = {}


class ReportBoundField(BoundField):
    """Writes the form's controls without a widget template per control.

    The form has some forty radio buttons, check boxes and options; one widget template (or a
    template loop) each made the page several times slower to render than the rest of the site.
    """

    def _same_for_everyone(self, kind: str, make: Callable[[], SafeString]) -> SafeString:
        if self.form.is_bound or self.name in self.form.initial:
            return make()
        key = (type(self.form), kind, self.html_name, str(self.auto_id), get_language() or "")
        html = _EMPTY_FORM_HTML.get(key)
        if html is None:
            html = _EMPTY_FORM_HTML[key] = make()
        return html

    @cached_property
    def options(self) -> list[tuple[str, str, Any, bool]]:
        """(id, value, label, chosen) for each choice."""
        value = self.value()
        if isinstance(value, list | tuple):
            chosen = {str(v) for v in value}
        else:
            chosen = {"" if value is None else str(value)}
        choices = getattr(self.field, "choices", [])
        return [
            (f"{self.auto_id}_{number}", str(option), label, str(option) in chosen)
            for number, (option, label) in enumerate(choices)
        ]

    @property
    def attrs_html(self) -> SafeString:
        """The widget's attributes (class, autocomplete, maxlength, aria-*) as HTML."""
        return flatatt(self.build_widget_attrs(self.field.widget.attrs))

    @property
    def control_html(self) -> SafeString:
        """The control itself: input, select or textarea, with its current value."""
        return self._same_for_everyone("control", self._control_html)

    def _control_html(self) -> SafeString:
        kind = self.widget_type
        if kind == "select":
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, _flag(chosen, "selected"), label)
                    for _id, value, label, chosen in self.options
                ),
            )
            return format_html(
                '<select name="{}" id="{}"{}>{}</select>',
                self.html_name,
                self.auto_id,
                self.attrs_html,
                options,
            )
        value = self.value()
        text = "" if value is None else str(value)
        if kind == "textarea":
            # The newline after the opening tag keeps a leading newline of the value.
            return format_html(
                '<textarea name="{}" id="{}"{}>\n{}</textarea>',
                self.html_name,
                self.auto_id,
                self.attrs_html,
                text,
            )
        return format_html(
            '<input type="{}" name="{}" id="{}" value="{}"{}>',
            kind,
            self.html_name,
            self.auto_id,
            text,
            self.attrs_html,
        )

    @property
    def choices_html(self) -> SafeString:
        """Radio buttons or check boxes, each with its label, for inside a fieldset."""
        return self._same_for_everyone("choices", self._choices_html)

    def _choices_html(self) -> SafeString:
        multiple = isinstance(self.field, forms.MultipleChoiceField)
        kind, css = (
            ("checkbox", "utrecht-checkbox utrecht-checkbox--html-input")
            if multiple
            else ("radio", "utrecht-radio-button utrecht-radio-button--html-input")
        )
        invalid = mark_safe(' aria-invalid="true"') if self.errors else ""  # noqa: S308 - a constant
        return format_html_join(
            "\n",
            '<div class="omzien-check">'
            '<input class="{}" type="{}" name="{}" value="{}" id="{}"{}{}>'
            ' <label for="{}">{}</label></div>',
            (
                (
                    css,
                    kind,
                    self.html_name,
                    value,
                    option_id,
                    _flag(chosen, "checked"),
                    invalid,
                    option_id,
                    label,
                )
                for option_id, value, label, chosen in self.options
            ),
        )


def _flag(on: bool, name: str) -> SafeString:
    return mark_safe(f" {name}") if on else SafeString("")  # noqa: S308 - a fixed attribute name


class PublicReportForm(SpamProtectedForm):
    bound_field_class = ReportBoundField

    # Who reports.
    reporter_kind = forms.ChoiceField(
        label=_("Wie bent u?"),
        choices=PUBLIC_REPORTER_KINDS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie u bent."),
            "invalid_choice": _("Kies wie u bent."),
        },
    )
    reporter_profession = forms.ChoiceField(
        label=_("Wat is uw beroep?"),
        choices=[("", _("Kies uw beroep"))] + list(Profession.choices),
        required=False,
        widget=forms.Select(attrs={"class": SELECT}),
        help_text=_("Alleen als u het in uw werk ziet."),
        error_messages={"invalid_choice": _("Kies een beroep uit de lijst.")},
    )

    # About whom.
    person_name = forms.CharField(
        label=_("Naam"),
        required=False,
        widget=_text(),
        max_length=200,
        error_messages=_length_messages(200),
    )
    person_phone = forms.CharField(
        label=_("Telefoonnummer"),
        required=False,
        widget=_tel(),
        max_length=30,
        error_messages=_length_messages(30),
    )
    person_email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        widget=_email(),
        max_length=254,
        error_messages={
            "invalid": _(
                "Dit is geen e-mailadres. Een e-mailadres ziet er zo uit: naam@voorbeeld.nl."
            ),
            **_length_messages(254),
        },
    )
    person_address = forms.CharField(
        label=_("Straat en huisnummer"),
        required=False,
        widget=_text(),
        max_length=255,
        error_messages=_length_messages(255),
    )
    person_postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        widget=_text(autocapitalize="characters", size="7"),
        max_length=10,
        error_messages=_length_messages(10),
    )
    age_group = forms.ChoiceField(
        label=_("Hoe oud is de persoon ongeveer?"),
        choices=[("", _("Weet ik niet"))]
        + [(value, label) for value, label in AgeGroup.choices if value],
        required=False,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Kies een leeftijd uit de lijst.")},
    )

    # What was noticed.
    indicators = forms.MultipleChoiceField(
        label=_("Wat is u opgevallen?"),
        choices=[(i.code, i.label) for i in OBSERVED_INDICATORS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Kruis aan wat u ziet. Meer dan één mag."),
        error_messages={"invalid_choice": _("Kies uit de lijst wat u is opgevallen.")},
    )
    description = forms.CharField(
        label=_("Vertel in uw eigen woorden wat u ziet"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "class": "utrecht-textarea"}),
        help_text=_("Schrijf geen medische gegevens op, zoals ziektes of medicijnen."),
        error_messages={
            "max_length": _(
                "Uw tekst is te lang: hoogstens %(limit_value)d tekens. U schreef er "
                "%(show_value)d. Maak de tekst korter, of bel ons."
            )
        },
    )
    person_knows = forms.ChoiceField(
        label=_("Weet de persoon dat u dit meldt?"),
        choices=PersonKnows.choices,
        widget=forms.RadioSelect,
        required=False,
        initial=PersonKnows.UNKNOWN,
        error_messages={"invalid_choice": _("Kies ja, nee of weet ik niet.")},
    )

    # The reporter's own contact details: only for questions back.
    reporter_name = forms.CharField(
        label=_("Uw naam"),
        required=False,
        widget=_text("name"),
        max_length=200,
        error_messages=_length_messages(200),
    )
    reporter_phone = forms.CharField(
        label=_("Uw telefoonnummer"),
        required=False,
        widget=_tel("tel"),
        max_length=30,
        error_messages=_length_messages(30),
    )
    reporter_email = forms.EmailField(
        label=_("Uw e-mailadres"),
        required=False,
        widget=_email("email"),
        max_length=254,
        error_messages={
            "invalid": _(
                "Dit is geen e-mailadres. Een e-mailadres ziet er zo uit: naam@voorbeeld.nl."
            ),
            **_length_messages(254),
        },
    )

    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", new_token())

    @classmethod
    def keeping(cls, data: Any) -> PublicReportForm:
        """An unbound form filled with what was sent, without error messages.

        For answers that are not about the input (too many reports): nothing typed is lost.
        """
        initial: dict[str, Any] = {}
        for name, field in cls.base_fields.items():
            if name in ("website", "started"):
                continue
            if isinstance(field, forms.MultipleChoiceField):
                initial[name] = data.getlist(name)
            elif name in data:
                initial[name] = data.get(name)
        return cls(initial=initial)

    def clean_person_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("person_phone", ""))

    def clean_reporter_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("reporter_phone", ""))

    def clean_person_postcode(self) -> str:
        value = self.cleaned_data.get("person_postcode", "").strip()
        if not value:
            return ""
        match = POSTCODE_RE.match(value)
        if not match:
            raise forms.ValidationError(
                _("Deze postcode klopt niet. Een postcode ziet er zo uit: 1234 AB."),
                code="postcode",
            )
        return f"{match.group(1)} {match.group(2).upper()}"

    def clean_form_token(self) -> str:
        """The random value inside the signed token; empty when it was altered or is too old."""
        try:
            value = signing.loads(
                self.cleaned_data.get("form_token", ""), salt=_SALT, max_age=TOKEN_MAX_AGE
            )
        except signing.BadSignature:
            return ""
        return value if isinstance(value, str) and len(value) >= 16 else ""

    @property
    def token_expired(self) -> bool:
        return hasattr(self, "cleaned_data") and not self.cleaned_data.get("form_token")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("form_token"):
            self.add_error(
                None,
                _("Dit formulier is verlopen. Kijk uw gegevens na en verstuur het opnieuw."),
            )
        kind = cleaned.get("reporter_kind")
        if kind == ReporterKind.PROFESSIONAL:
            if "reporter_profession" in cleaned and not cleaned["reporter_profession"]:
                self.add_error(
                    "reporter_profession",
                    _("Kies uw beroep. Staat het er niet bij? Kies dan 'Anders'."),
                )
        elif kind:
            # Only professionals have a profession; a choice left over from switching is dropped.
            cleaned["reporter_profession"] = ""
        self._check_contact_route(cleaned)
        noticed = cleaned.get("indicators") or cleaned.get("description", "").strip()
        if not noticed and not self.has_error("description") and not self.has_error("indicators"):
            self.add_error(
                "indicators", _("Kruis aan wat u is opgevallen, of schrijf het kort op.")
            )
        return cleaned

    def _check_contact_route(self, cleaned: dict[str, Any]) -> None:
        """At least one way to reach the person: phone, e-mail, or an address with postcode."""
        fields = ("person_phone", "person_email", "person_address", "person_postcode")
        if any(self.has_error(name) for name in fields):
            return  # the field's own error says what to fix first
        phone = cleaned.get("person_phone", "")
        email = cleaned.get("person_email", "")
        address = cleaned.get("person_address", "").strip()
        postcode = cleaned.get("person_postcode", "")
        if phone or email or (address and postcode):
            return
        if address:
            self.add_error(
                "person_postcode",
                _("Vul ook de postcode in. Zonder postcode kunnen wij het adres niet vinden."),
            )
        elif postcode:
            self.add_error("person_address", _("Vul ook de straat en het huisnummer in."))
        self.add_error(
            None,
            _(
                "Wij moeten de persoon kunnen bereiken. Vul een telefoonnummer, "
                "een e-mailadres of een adres met postcode in."
            ),
        )

    @property
    def submission_key(self) -> str:
        """Keyed hash (HMAC-SHA256) of the one-time token and the content of the report.

        Keyed, because the content is about a person: without the server's secret nobody can
        test a guessed name or phone number against it. Only what was filled in counts, not
        the time stamp, so sending the same form again is recognised as the same report.
        """
        data = self.cleaned_data
        content = {
            name: sorted(value) if isinstance(value, list) else str(value)
            for name, value in data.items()
            if name not in _NOT_CONTENT
        }
        payload = json.dumps([data["form_token"], content], sort_keys=True, ensure_ascii=False)
        return salted_hmac(_SUBMISSION_SALT, payload, algorithm="sha256").hexdigest()

    def refresh_stamp(self) -> None:
        """A new time stamp for the re-displayed form (the data stays as it was typed)."""
        self._replace_data("started", stamp())

    def refresh_token(self) -> None:
        self._replace_data("form_token", new_token())

    def _replace_data(self, name: str, value: str) -> None:
        data: Any = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[name] = value
        self.data = data

    def to_report(self) -> Report:
        data = self.cleaned_data
        return Report(
            source=SignalSource.FORM,
            reporter_kind=data["reporter_kind"],
            reporter_profession=data.get("reporter_profession", ""),
            description=data.get("description", ""),
            indicators=list(data.get("indicators", [])),
            person_name=data.get("person_name", ""),
            person_phone=data.get("person_phone", ""),
            person_email=data.get("person_email", ""),
            person_address=data.get("person_address", ""),
            person_postcode=data.get("person_postcode", ""),
            person_knows=data.get("person_knows") or PersonKnows.UNKNOWN,
            age_group=data.get("age_group", ""),
            reporter_name=data.get("reporter_name", ""),
            reporter_phone=data.get("reporter_phone", ""),
            reporter_email=data.get("reporter_email", ""),
            submission_key=self.submission_key,
        )
