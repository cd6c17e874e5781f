"""Forms for measuring where the work happens: participants, answers, links and stories.

The answer form is built from the scale's own data (`scales.py`): one question per item, the
scale's answer labels as radio buttons, and an explicit "don't know / no answer" that is stored
as a missing item. Scoring is never done here; `services` scores with `scales.score`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation, User
from omzien.accounts.permissions import has_capability, organisation_ids, scope_queryset
from omzien.accounts.roles import Capability
from omzien.cases.models import Case
from omzien.core.forms import NldsFormMixin
from omzien.directory.models import Service
from omzien.measurement import scales, services
from omzien.measurement.models import Mode, Moment, Participant, Scale, Story, StoryAuthor

MISSING = "geen-antwoord"
DATE_FORMAT = "%Y-%m-%d"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
STAFF_MODES = [
    (Mode.STAFF.value, Mode.STAFF.label),
    (Mode.PAPER.value, _("Van papier overgenomen")),
]
# The De Jong Gierveld scales can be asked with 3 answers (GGD) or 5 answers (the manual).
FORM_CHOICES = [
    ("3", _("3 antwoorden: ja, min of meer, nee")),
    ("5", _("5 antwoorden: ja!, ja, min of meer, nee, nee!")),
]


def localised(text: scales.Text | None) -> str:
    """The scale text in the page's language (the Dutch wording is the published one)."""
    if text is None:
        return ""
    return text.en if (get_language() or "nl").startswith("en") else text.nl


def answer_values(scale: scales.Scale, form: str = "3") -> tuple[scales.AnswerValue, ...]:
    """The answers offered for this scale: its 3- or 5-point form, or its only form."""
    key = f"{form}-point"
    if key in scale.answer_forms:
        return scale.answer_forms[key]
    return next(iter(scale.answer_forms.values()))


def answer_form_key(scale: scales.Scale, requested: str | None) -> str:
    """'5' only where the scale has a 5-point form and it was asked for; else '3'."""
    return "5" if requested == "5" and "5-point" in scale.answer_forms else "3"


def option_label(scale: scales.Scale, value: scales.AnswerValue) -> str:
    for option in scale.answer_options:
        if option.value == value:
            label = localised(option.text)
            return label[:1].upper() + label[1:]
    return str(value)


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 27-11-2026."),
        },
        **kwargs,
    )


def _check_date(value: dt.date) -> dt.date:
    services.check_taken_on(value)
    return value


class MeasurementForm(NldsFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.organization is not None:
            return f"{obj.name} ({obj.organization.name})"
        return str(obj.name)


# --- participants ------------------------------------------------------------------------------


class ParticipantForm(MeasurementForm):
    """Who takes part: only the intervention and, for case workers, a case. No name, ever."""

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Kies een organisatie."),
            "invalid_choice": _("Kies een organisatie uit de lijst."),
        },
    )
    service = ServiceChoiceField(
        label=_("Aanbod (de interventie)"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Nog geen aanbod gekozen"),
        help_text=_(
            "Het aanbod uit de sociale kaart waaraan de deelnemer meedoet. U ziet alleen aanbod "
            "dat uw organisatie beheert."
        ),
        error_messages={"invalid_choice": _("Kies aanbod uit de lijst.")},
    )
    case_number = forms.IntegerField(
        label=_("Casusnummer"),
        required=False,
        min_value=1,
        help_text=_("Alleen als de deelnemer ook een casus bij het meldpunt heeft. Mag leeg."),
        error_messages={
            "invalid": _("Vul een casusnummer in, alleen cijfers."),
            "min_value": _("Vul een casusnummer in, alleen cijfers."),
        },
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        participant: Participant | None = None,
        **kwargs: Any,
    ) -> None:
        self.user = user
        self.participant = participant
        if participant is not None:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("service", participant.service_id)
            initial.setdefault("case_number", participant.case_id)
        super().__init__(*args, **kwargs)
        ids = organisation_ids(user, Capability.RECORD_MEASUREMENTS)
        organisations = Organisation.objects.filter(is_active=True).order_by("name")
        if ids is not None:
            organisations = organisations.filter(pk__in=ids)
        self.organisations = list(organisations)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organisations
        if participant is not None or len(self.organisations) <= 1:
            del self.fields["organisation"]
        owner_ids = (
            [participant.organisation_id]
            if participant is not None
            else [o.pk for o in self.organisations]
        )
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = services.services_of(owner_ids)
        # Only people who work on cases (case workers, coordinators) link a case.
        self.case_allowed = any(
            has_capability(user, Capability.VIEW_CASES, org_id) for org_id in owner_ids
        )
        if not self.case_allowed:
            del self.fields["case_number"]
        self.style_widgets()

    def chosen_organisation(self) -> Organisation | None:
        if self.participant is not None:
            return self.participant.organisation
        if "organisation" in self.fields:
            return self.cleaned_data.get("organisation")
        return self.organisations[0] if self.organisations else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        organisation = self.chosen_organisation()
        if organisation is None:
            raise ValidationError(_("U mag voor geen enkele organisatie metingen vastleggen."))
        service = data.get("service")
        if service is not None and not services.service_owned_by(service, organisation):
            self.add_error("service", _("Dit aanbod hoort niet bij de gekozen organisatie."))
        if "case_number" not in self.fields:
            # A link made by a case worker stays as it is.
            data["case"] = self.participant.case if self.participant is not None else None
            return data
        data["case"] = None
        number = data.get("case_number")
        if number:
            if self.participant is not None and number == self.participant.case_id:
                data["case"] = self.participant.case
            else:
                case = (
                    scope_queryset(Case.objects.all(), self.user, Capability.VIEW_CASES)
                    .filter(pk=number, organisation=organisation)
                    .first()
                )
                if case is None:
                    self.add_error(
                        "case_number",
                        _("Deze casus vinden we niet bij uw organisatie. Controleer het nummer."),
                    )
                data["case"] = case
        return data


# --- answers -----------------------------------------------------------------------------------


class AnswersForm(MeasurementForm):
    """One question per item; `with_details` adds moment, date and mode for staff entry."""

    def __init__(
        self,
        *args: Any,
        scale: scales.Scale,
        answer_form: str = "3",
        with_details: bool = True,
        missing_label: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.answer_form = answer_form_key(scale, answer_form)
        self.with_details = with_details
        values = answer_values(scale, self.answer_form)
        missing = missing_label or _("Weet niet / geen antwoord")
        choices = [(str(v), option_label(scale, v)) for v in values] + [(MISSING, missing)]
        count = len(scale.items)
        if with_details:
            self.fields["moment"] = forms.ChoiceField(
                label=_("Moment"),
                choices=Moment.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies een moment.")},
            )
            self.fields["taken_on"] = _date_field(
                _("Ingevuld op"),
                initial=timezone.localdate,
                help_text=_("De dag waarop de vragen zijn beantwoord."),
            )
            self.fields["mode"] = forms.ChoiceField(
                label=_("Hoe zijn de vragen ingevuld?"),
                choices=STAFF_MODES,
                initial=Mode.STAFF.value,
                widget=forms.RadioSelect,
                error_messages={"required": _("Kies hoe de vragen zijn ingevuld.")},
            )
        self.question_names: list[str] = []
        for item in scale.items:
            name = f"q{item.number}"
            self.question_names.append(name)
            self.fields[name] = forms.ChoiceField(
                label=localised(item.text),
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Kies een antwoord."),
                    "invalid_choice": _("Dit antwoord kan niet. Kies een van de antwoorden."),
                },
            )
        self.summary_labels = {
            f"q{item.number}": _("Vraag %(n)d van %(total)d") % {"n": item.number, "total": count}
            for item in scale.items
        }
        self.style_widgets()

    @property
    def questions(self) -> list[Any]:
        return [self[name] for name in self.question_names]

    def clean_taken_on(self) -> dt.date:
        return _check_date(self.cleaned_data["taken_on"])

    def answers(self) -> list[Any]:
        """The answers in item order, in the scale's own values; None for no answer."""
        result: list[Any] = []
        for name in self.question_names:
            raw = self.cleaned_data[name]
            if raw == MISSING:
                result.append(None)
            elif self.scale.answer_type == "integer":
                result.append(int(raw))
            else:
                result.append(raw)
        return result


class ChooseScaleForm(MeasurementForm):
    scale = forms.ChoiceField(
        label=_("Welke vragenlijst?"),
        choices=Scale.choices,
        widget=forms.RadioSelect,
        initial=Scale.DJG6.value,
        error_messages={"required": _("Kies een vragenlijst.")},
    )
    vorm = forms.ChoiceField(
        label=_("Hoeveel antwoorden per vraag? (alleen De Jong Gierveld)"),
        choices=FORM_CHOICES,
        widget=forms.RadioSelect,
        initial="3",
        required=False,
    )


class InvitationForm(MeasurementForm):
    scale = forms.ChoiceField(
        label=_("Welke vragenlijst?"),
        choices=Scale.choices,
        widget=forms.RadioSelect,
        initial=Scale.DJG6.value,
        error_messages={"required": _("Kies een vragenlijst.")},
    )
    moment = forms.ChoiceField(
        label=_("Moment"),
        choices=Moment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een moment.")},
    )


# --- stories -----------------------------------------------------------------------------------


class StoryForm(MeasurementForm):
    service = ServiceChoiceField(
        label=_("Bij welk aanbod hoort het verhaal?"),
        queryset=Service.objects.none(),
        error_messages={
            "required": _("Kies het aanbod."),
            "invalid_choice": _("Kies aanbod uit de lijst."),
        },
    )
    author = forms.ChoiceField(
        label=_("Wie vertelt?"),
        choices=StoryAuthor.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wie het verhaal vertelt.")},
    )
    text = forms.CharField(
        label=_("Het verhaal"),
        max_length=services.STORY_MAX_LENGTH,
        widget=forms.Textarea,
        help_text=_(
            "Kort, in eigen woorden: wat veranderde er? Schrijf geen namen of andere dingen "
            "waaraan iemand te herkennen is. Hoogstens 2000 tekens."
        ),
        error_messages={
            "required": _("Schrijf het verhaal op."),
            "max_length": _("Het verhaal is te lang. Gebruik hoogstens %(limit_value)d tekens."),
        },
    )
    may_publish = forms.BooleanField(
        label=_("Dit verhaal mag gedeeld worden met de gemeente en de raad"),
        required=False,
        help_text=_("Alleen aanvinken als de verteller daar toestemming voor gaf."),
    )
    told_on = _date_field(_("Datum"), initial=timezone.localdate)

    def __init__(self, *args: Any, user: User, story: Story | None = None, **kwargs: Any) -> None:
        if story is not None:
            initial = kwargs.setdefault("initial", {})
            initial.update(
                {
                    "service": story.service_id,
                    "author": story.author,
                    "text": story.text,
                    "may_publish": story.may_publish,
                    "told_on": story.told_on,
                }
            )
        super().__init__(*args, **kwargs)
        ids = organisation_ids(user, Capability.RECORD_MEASUREMENTS)
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        if story is not None:
            service_field.queryset = Service.objects.filter(pk=story.service_id).select_related(
                "organization"
            )
            service_field.disabled = True
        elif ids is None:
            service_field.queryset = Service.objects.filter(
                organization__owner__isnull=False
            ).select_related("organization")
        else:
            service_field.queryset = services.services_of(ids)
        self.fields["text"].widget.attrs["maxlength"] = str(services.STORY_MAX_LENGTH)
        self.style_widgets()
        self.fields["text"].widget.attrs["rows"] = 8

    def clean_told_on(self) -> dt.date:
        return _check_date(self.cleaned_data["told_on"])
