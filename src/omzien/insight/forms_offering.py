"""Forms for personas and the filters of the offering pages (white spots and overlap)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from omzien.core.forms import NldsFormMixin
from omzien.insight.models import Persona
from omzien.insight.personas import (
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    UNKNOWN_CODE,
    PersonaData,
    size_indicator_choices,
    validate_persona,
    vocabulary_name,
    vocabulary_terms,
)
from omzien.insight.white_spots import CHARACTERISTIC_KEYS, MUNICIPALITY_AREA, DistrictInfo

# What the form asks per characteristic vocabulary.
CHARACTERISTIC_QUESTIONS: dict[str, Any] = {
    "form": gettext_lazy("Samen of alleen"),
    "frequency": gettext_lazy("Eén keer of vaker"),
    "place": gettext_lazy("Thuis of ergens anders"),
    "cost_category": gettext_lazy("Kosten"),
    "problem": gettext_lazy("Waar helpt het bij"),
    "condition": gettext_lazy("Voorwaarden om mee te doen"),
}


def _codes_field(label: Any, help_text: Any, key: str, *, required: bool) -> forms.Field:
    # The same message as the service's check (personas._unknown); Django fills in the value.
    unknown = UNKNOWN_CODE % {"code": "%(value)s", "vocabulary": vocabulary_name(key).lower()}
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        required=required,
        choices=list(vocabulary_terms(key).items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": unknown,
            "required": _("Kies minstens één."),
        },
    )


class PersonaForm(NldsFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam"),
        help_text=gettext_lazy(
            "Zo herkent iedereen de groep, bijvoorbeeld 'Mantelzorger die vastloopt'."
        ),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("Geef de persona een naam."),
            "max_length": gettext_lazy(
                "De naam is te lang. Gebruik hoogstens %(limit_value)d tekens."
            ),
        },
    )
    description = forms.CharField(
        label=gettext_lazy("Beschrijving"),
        help_text=gettext_lazy("Wie zijn het, wat speelt er en wat helpt hen? Een paar zinnen."),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "max_length": gettext_lazy(
                "De beschrijving is te lang. Gebruik hoogstens %(limit_value)d tekens."
            )
        },
    )

    def __init__(self, *args: Any, instance: Persona | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "description": instance.description,
                "target_groups": instance.target_groups,
                "support_kinds": instance.support_kinds,
                "size_indicator": instance.size_indicator,
                **{
                    f"characteristic_{key}": codes
                    for key, codes in (instance.characteristics or {}).items()
                },
            }
        super().__init__(*args, **kwargs)
        self.fields["target_groups"] = _codes_field(
            _("Doelgroepen"),
            _(
                "Aanbod voor één van deze doelgroepen past. Kies 'Iedereen' alleen als "
                "algemeen aanbod ook goed past bij deze groep."
            ),
            "target_group",
            required=True,
        )
        self.fields["target_groups"].error_messages["required"] = _("Kies minstens één doelgroep.")
        self.fields["support_kinds"] = _codes_field(
            _("Soorten steun die deze groep nodig heeft"),
            _("Aanbod met één van deze soorten steun past."),
            "support_kind",
            required=True,
        )
        self.fields["support_kinds"].error_messages["required"] = _(
            "Kies minstens één soort steun."
        )
        self.characteristic_fields: list[str] = []
        for key in CHARACTERISTIC_KEYS:
            name = f"characteristic_{key}"
            self.fields[name] = _codes_field(
                CHARACTERISTIC_QUESTIONS.get(key, vocabulary_name(key)),
                _("Alleen invullen als het echt nodig is. Aanbod moet dan één hiervan hebben."),
                key,
                required=False,
            )
            self.characteristic_fields.append(name)
        choices = [("", _("Geen cijfer"))] + list(size_indicator_choices().items())
        if (
            instance is not None
            and instance.size_indicator
            and instance.size_indicator not in dict(choices)
        ):
            choices.append((instance.size_indicator, instance.size_indicator))
        self.fields["size_indicator"] = forms.ChoiceField(
            label=_("Cijfer voor de grootte van de groep"),
            help_text=_(
                "Het wijkcijfer dat het beste laat zien hoeveel mensen bij deze groep horen. "
                "Daarmee zetten we witte vlekken op volgorde."
            ),
            required=False,
            choices=choices,
            error_messages={
                "invalid_choice": _(
                    "'%(value)s' is geen bekend cijfer voor de grootte van de groep. "
                    "Kies uit de lijst."
                )
            },
        )
        self.summary_labels = {"target_groups": _("Doelgroepen"), "support_kinds": _("Soort steun")}
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            validate_persona(self.to_data(), instance=self.instance)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                target = field_name if field_name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        return cleaned

    def to_data(self) -> PersonaData:
        data = self.cleaned_data
        return PersonaData(
            name=data.get("name", ""),
            description=data.get("description", ""),
            target_groups=list(data.get("target_groups", [])),
            support_kinds=list(data.get("support_kinds", [])),
            characteristics={
                name.removeprefix("characteristic_"): list(data.get(name) or [])
                for name in self.characteristic_fields
                if data.get(name)
            },
            size_indicator=data.get("size_indicator", ""),
        )


class OverviewFilterForm(NldsFormMixin, forms.Form):
    """The overview's filters: one persona, one district; both optional."""

    def __init__(
        self,
        *args: Any,
        personas: list[Persona],
        districts: list[DistrictInfo],
        municipality_choice: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persona"] = forms.TypedChoiceField(
            label=_("Persona"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("Alle persona's"))] + [(str(p.pk), p.name) for p in personas],
            error_messages={
                "invalid_choice": _("Deze persona bestaat niet (meer). Kies uit de lijst.")
            },
        )
        district_choices = [("", _("Alle wijken"))]
        if municipality_choice:
            district_choices.append((MUNICIPALITY_AREA, _("Hele gemeente")))
        district_choices += [(d.code, f"{d.name} ({d.code})") for d in districts]
        self.fields["wijk"] = forms.ChoiceField(
            label=_("Wijk"),
            required=False,
            choices=district_choices,
            error_messages={"invalid_choice": _("Deze wijk kennen we niet. Kies uit de lijst.")},
        )
        self.add_fields()
        self.style_widgets()

    def add_fields(self) -> None:
        """More fields of a subclass, added before the widgets are styled."""


class WhiteSpotFilterForm(OverviewFilterForm):
    KIND_ALL = "alle"
    KIND_WHITE_SPOT = "witte-vlek"

    def add_fields(self) -> None:
        self.fields["soort"] = forms.ChoiceField(
            label=_("Laten zien"),
            required=False,
            choices=[
                (self.KIND_ALL, _("Witte vlekken en alleen landelijk aanbod")),
                (self.KIND_WHITE_SPOT, _("Alleen witte vlekken")),
            ],
            error_messages={"invalid_choice": _("Kies uit de lijst.")},
        )
