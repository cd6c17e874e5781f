"""Forms for provider self-service and review, with plain Dutch messages.

Every form styles its widgets with NL Design System (Utrecht) classes and wires `aria-invalid` /
`aria-describedby` after validation, so the templates only lay fields out. A form that does not
validate is rendered again with what the user typed: Django keeps bound values, checkboxes too.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from omzien.areas.importers import normalise_postcode
from omzien.areas.models import District
from omzien.core.forms import NldsFormMixin
from omzien.core.phones import validate_dutch_phone
from omzien.core.weblinks import validate_web_url
from omzien.directory.models import Organization, ServiceStatus, TaxonomyTerm
from omzien.directory.services import (
    PROVINCES,
    SERVICE_LANGUAGES,
    SERVICE_VOCABULARIES,
    WEEKDAYS,
    AreaData,
    AreaKind,
    CostData,
    LocationData,
    PhoneData,
    ScheduleData,
    ServiceData,
)

AGE_MESSAGE = _("Vul een leeftijd in van 0 tot en met 120.")


# What a provider is asked per vocabulary; the vocabularies' own descriptions are for the API.
VOCABULARY_QUESTIONS: dict[str, tuple[Any, Any]] = {
    "support_kind": (_("Soort steun"), _("Wat voor steun geeft u? Kies alles wat past.")),
    "problem": (_("Waar helpt het bij?"), _("Kies alles wat past.")),
    "target_group": (_("Voor wie is het vooral?"), _("Kies alles wat past.")),
    "condition": (_("Wat is nodig om mee te doen?"), _("Kies alles wat past.")),
    "form": (_("Samen of alleen?"), _("Doen mensen het in een groep, of één op één?")),
    "frequency": (_("Eén keer of vaker?"), _("Is het één keer, of komt het steeds terug?")),
    "place": (
        _("Thuis of ergens anders?"),
        _("Gaat het bij mensen thuis, of gaan ze ergens heen?"),
    ),
    "cost_category": (_("Betalen mensen?"), _("Kies wat past.")),
}


def _text(label: Any, *, required: bool = False, max_length: int = 255, **kwargs: Any) -> Any:
    messages = {
        "required": kwargs.pop("required_message", _("Vul dit in.")),
        "max_length": _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens."),
    }
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages=messages,
        **kwargs,
    )


def _textarea(label: Any, *, required: bool = False, **kwargs: Any) -> Any:
    messages = {"required": kwargs.pop("required_message", _("Vul dit in."))}
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea,
        error_messages=messages,
        **kwargs,
    )


def _age(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Laat leeg als het voor alle leeftijden is."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": AGE_MESSAGE,
            "min_value": AGE_MESSAGE,
            "max_value": AGE_MESSAGE,
        },
    )


class ServiceForm(NldsFormMixin, forms.Form):
    """A service with everything a resident needs to decide: what, for whom, when, where, cost."""

    name = _text(
        _("Naam van de dienst"),
        required=True,
        required_message=_("Vul de naam van de dienst in."),
    )
    alternate_name = _text(_("Andere naam"), help_text=_("Bijvoorbeeld een afkorting."))
    description = _textarea(
        _("Wat is het?"),
        required=True,
        required_message=_("Vertel in een paar zinnen wat het is."),
        help_text=_("Vertel in gewone woorden wat mensen doen en hoe het gaat."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ServiceStatus.choices, initial=ServiceStatus.ACTIVE
    )
    alert = _textarea(
        _("Let op"), help_text=_("Iets dat mensen nu moeten weten, bijvoorbeeld: in juli gesloten.")
    )
    eligibility_description = _textarea(
        _("Voor wie is het?"), help_text=_("Bijvoorbeeld: voor ouderen die alleen wonen.")
    )
    minimum_age = _age(_("Vanaf welke leeftijd?"))
    maximum_age = _age(_("Tot en met welke leeftijd?"))
    application_process = _textarea(
        _("Hoe meldt iemand zich aan?"),
        help_text=_("Bijvoorbeeld: bel ons, of kom gewoon langs."),
    )
    fees_description = _textarea(
        _("Wat kost het?"), help_text=_("Bijvoorbeeld: gratis, of € 2 per keer voor de koffie.")
    )
    url = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=500,
        assume_scheme="https",
        # Only http(s): Django's default also lets ftp through.
        validators=[validate_web_url],
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
        error_messages={
            "invalid": _("Vul een webadres in, zoals https://www.voorbeeld.nl."),
            "max_length": _("Dit webadres is te lang."),
        },
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Vul een e-mailadres in, zoals naam@voorbeeld.nl.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("In welke talen?"),
        required=False,
        choices=SERVICE_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    area_kind = forms.ChoiceField(
        label=_("Waar kunnen mensen dit gebruiken?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies waar mensen dit kunnen gebruiken.")},
    )
    districts = forms.MultipleChoiceField(
        label=_("In welke wijken?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen nodig als u hierboven 'In een paar wijken' kiest."),
    )

    phone_slots_count = 2
    schedule_slots_count = 2
    cost_slots_count = 2

    def __init__(
        self,
        *args: Any,
        initial_data: ServiceData | None = None,
        organizations: QuerySet[Organization] | None = None,
        **kwargs: Any,
    ) -> None:
        self.initial_data = initial_data
        if initial_data is not None:
            kwargs.setdefault("initial", {}).update(self._initial_from(initial_data))
        super().__init__(*args, **kwargs)
        self._existing_area = initial_data.area if initial_data else AreaData()
        if organizations is not None:
            self.fields["organization"] = forms.ModelChoiceField(
                label=_("Van welke organisatie is de dienst?"),
                queryset=organizations,
                empty_label=_("Kies een organisatie"),
                error_messages={"required": _("Kies de organisatie.")},
            )
            self.order_fields(["organization"])
        self._add_area_choices()
        self._add_term_fields()
        self._add_slots(initial_data)
        self.style_widgets()

    # -- building -------------------------------------------------------------------------

    def _initial_from(self, data: ServiceData) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(data, name)
            for name in (
                "name",
                "alternate_name",
                "description",
                "status",
                "alert",
                "eligibility_description",
                "minimum_age",
                "maximum_age",
                "application_process",
                "fees_description",
                "url",
                "email",
                "languages",
            )
        }
        initial["area_kind"] = data.area.kind
        initial["districts"] = data.area.codes if data.area.kind == AreaKind.DISTRICTS else []
        for key, codes in data.terms.items():
            initial[f"terms_{key}"] = codes
        for i, phone in enumerate(data.phones):
            initial[f"phone_{i}_number"] = phone.number
            initial[f"phone_{i}_description"] = phone.description
        for i, schedule in enumerate(data.schedules):
            initial[f"schedule_{i}_days"] = schedule.days
            initial[f"schedule_{i}_opens_at"] = schedule.opens_at
            initial[f"schedule_{i}_closes_at"] = schedule.closes_at
            initial[f"schedule_{i}_description"] = schedule.description
        for i, cost in enumerate(data.cost_options):
            initial[f"cost_{i}_option"] = cost.option
            initial[f"cost_{i}_amount"] = (cost.amount or "").replace(".", ",")
            initial[f"cost_{i}_description"] = cost.amount_description
        return initial

    def _district_choices(self) -> list[tuple[str, str]]:
        year = (
            District.objects.filter(municipality__code=settings.OMZIEN_MUNICIPALITY_CODE)
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        if year is None:
            return []
        return list(
            District.objects.filter(municipality__code=settings.OMZIEN_MUNICIPALITY_CODE, year=year)
            .order_by("name")
            .values_list("code", "name")
        )

    def _add_area_choices(self) -> None:
        districts = self._district_choices()
        choices = [
            (AreaKind.MUNICIPALITY.value, _("In de hele gemeente")),
            (AreaKind.NATIONAL.value, _("In heel Nederland (ook online of telefonisch)")),
        ]
        if districts:
            choices.append((AreaKind.DISTRICTS.value, _("In een paar wijken")))
        if self._existing_area.kind == AreaKind.NEIGHBOURHOODS:
            # Imported services can name neighbourhoods; keep them unless the editor chooses.
            choices.append(
                (AreaKind.NEIGHBOURHOODS.value, _("Alleen in de buurten die nu zijn ingesteld"))
            )
        area_field = self.fields["area_kind"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = choices
        area_field.initial = area_field.initial or AreaKind.MUNICIPALITY.value
        if districts:
            district_field = self.fields["districts"]
            assert isinstance(district_field, forms.MultipleChoiceField)
            district_field.choices = districts
        else:
            del self.fields["districts"]

    def _add_term_fields(self) -> None:
        self.term_field_names: dict[str, str] = {}
        for vocabulary in SERVICE_VOCABULARIES:
            terms = TaxonomyTerm.objects.filter(taxonomy__key=vocabulary.key).order_by("name")
            name = f"terms_{vocabulary.key}"
            label, hint = VOCABULARY_QUESTIONS.get(
                vocabulary.key, (vocabulary.name, vocabulary.description)
            )
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                help_text=hint,
                required=False,
                choices=[(t.code, _(t.name)) for t in terms],  # seeded names translated
                widget=forms.CheckboxSelectMultiple,
            )
            self.term_field_names[vocabulary.key] = name

    def _add_slots(self, data: ServiceData | None) -> None:
        # Repeated groups without JavaScript: the existing rows plus one empty row to add.
        self.phone_count = max(self.phone_slots_count, len(data.phones) + 1 if data else 0)
        self.schedule_count = max(self.schedule_slots_count, len(data.schedules) + 1 if data else 0)
        self.cost_count = max(self.cost_slots_count, len(data.cost_options) + 1 if data else 0)
        self.summary_labels = {}
        for i in range(self.phone_count):
            self.summary_labels[f"phone_{i}_number"] = _("Telefoonnummer %(n)d") % {"n": i + 1}
            self.summary_labels[f"phone_{i}_description"] = _("Telefoonnummer %(n)d: waarvoor") % {
                "n": i + 1
            }
            self.fields[f"phone_{i}_number"] = forms.CharField(
                label=_("Telefoonnummer"),
                required=False,
                max_length=50,
                validators=[validate_dutch_phone],
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            )
            self.fields[f"phone_{i}_description"] = _text(
                _("Waarvoor is dit nummer?"),
                help_text=_("Bijvoorbeeld: voor aanmelden, op werkdagen van 9 tot 12 uur."),
            )
        for i in range(self.schedule_count):
            for part, text in (
                ("days", _("Tijden %(n)d: dagen")),
                ("opens_at", _("Tijden %(n)d: van")),
                ("closes_at", _("Tijden %(n)d: tot")),
                ("description", _("Tijden %(n)d: toelichting")),
            ):
                self.summary_labels[f"schedule_{i}_{part}"] = text % {"n": i + 1}
            self.fields[f"schedule_{i}_days"] = forms.MultipleChoiceField(
                label=_("Op welke dagen?"),
                required=False,
                choices=WEEKDAYS,
                widget=forms.CheckboxSelectMultiple,
            )
            for part, label in (("opens_at", _("Van")), ("closes_at", _("Tot"))):
                self.fields[f"schedule_{i}_{part}"] = forms.TimeField(
                    label=label,
                    required=False,
                    input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    error_messages={"invalid": _("Vul een tijd in zoals 09:30.")},
                )
            self.fields[f"schedule_{i}_description"] = _text(
                _("Toelichting"), help_text=_("Bijvoorbeeld: elke eerste week van de maand.")
            )
        for i in range(self.cost_count):
            for part, text in (
                ("option", _("Prijs %(n)d: waarvoor")),
                ("amount", _("Prijs %(n)d: bedrag")),
                ("description", _("Prijs %(n)d: toelichting")),
            ):
                self.summary_labels[f"cost_{i}_{part}"] = text % {"n": i + 1}
            self.fields[f"cost_{i}_option"] = _text(
                _("Waarvoor betaalt iemand?"), help_text=_("Bijvoorbeeld: per keer, of per jaar.")
            )
            self.fields[f"cost_{i}_amount"] = _text(
                _("Bedrag in euro"),
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"cost_{i}_description"] = _text(_("Toelichting"))

    # -- grouping for the template ------------------------------------------------------------

    def _bound(self, name: str) -> BoundField:
        return self[name]

    @property
    def term_fields(self) -> dict[str, BoundField]:
        return {key: self._bound(name) for key, name in self.term_field_names.items()}

    @property
    def phone_slots(self) -> list[dict[str, Any]]:
        return [
            {
                "number": i + 1,
                "phone": self._bound(f"phone_{i}_number"),
                "description": self._bound(f"phone_{i}_description"),
            }
            for i in range(self.phone_count)
        ]

    @property
    def schedule_slots(self) -> list[dict[str, Any]]:
        return [
            {
                "number": i + 1,
                "days": self._bound(f"schedule_{i}_days"),
                "opens_at": self._bound(f"schedule_{i}_opens_at"),
                "closes_at": self._bound(f"schedule_{i}_closes_at"),
                "description": self._bound(f"schedule_{i}_description"),
            }
            for i in range(self.schedule_count)
        ]

    @property
    def cost_slots(self) -> list[dict[str, Any]]:
        return [
            {
                "number": i + 1,
                "option": self._bound(f"cost_{i}_option"),
                "amount": self._bound(f"cost_{i}_amount"),
                "description": self._bound(f"cost_{i}_description"),
            }
            for i in range(self.cost_count)
        ]

    # -- validation --------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age",
                _("De hoogste leeftijd mag niet lager zijn dan de laagste leeftijd."),
            )
        if cleaned.get("area_kind") == AreaKind.DISTRICTS and not cleaned.get("districts"):
            self.add_error(
                "districts" if "districts" in self.fields else "area_kind",
                _("Kies minstens één wijk."),
            )
        for i in range(self.phone_count):
            if (
                cleaned.get(f"phone_{i}_description")
                and not cleaned.get(f"phone_{i}_number")
                and f"phone_{i}_number" not in self.errors
            ):
                self.add_error(f"phone_{i}_number", _("Vul ook het telefoonnummer in."))
        for i in range(self.schedule_count):
            days = cleaned.get(f"schedule_{i}_days")
            opens = cleaned.get(f"schedule_{i}_opens_at")
            closes = cleaned.get(f"schedule_{i}_closes_at")
            note = cleaned.get(f"schedule_{i}_description")
            if (opens or closes or note) and not days:
                self.add_error(f"schedule_{i}_days", _("Kies op welke dag of dagen."))
            if opens and closes and closes <= opens:
                self.add_error(
                    f"schedule_{i}_closes_at", _("De eindtijd moet later zijn dan de begintijd.")
                )
        for i in range(self.cost_count):
            raw = cleaned.get(f"cost_{i}_amount") or ""
            if raw:
                try:
                    amount = Decimal(raw.replace("€", "").strip().replace(",", "."))
                except InvalidOperation:
                    amount = None
                if amount is None or amount < 0 or amount >= Decimal("100000000"):
                    self.add_error(f"cost_{i}_amount", _("Vul een bedrag in, zoals 2,50."))
                else:
                    cleaned[f"cost_{i}_amount"] = str(amount.quantize(Decimal("0.01")))
        return cleaned

    def to_data(self) -> ServiceData:
        """The validated input as the value services.py writes (and a ChangeRequest stores)."""
        c = self.cleaned_data
        kind = c["area_kind"]
        if kind == AreaKind.DISTRICTS:
            codes = sorted(c.get("districts") or [])
        elif kind == AreaKind.NEIGHBOURHOODS:
            codes = list(self._existing_area.codes)
        else:
            codes = []
        schedules = []
        for i in range(self.schedule_count):
            if c.get(f"schedule_{i}_days"):
                opens, closes = c.get(f"schedule_{i}_opens_at"), c.get(f"schedule_{i}_closes_at")
                schedules.append(
                    ScheduleData(
                        days=list(c[f"schedule_{i}_days"]),
                        opens_at=opens.strftime("%H:%M") if opens else "",
                        closes_at=closes.strftime("%H:%M") if closes else "",
                        description=c.get(f"schedule_{i}_description", ""),
                    )
                )
        return ServiceData(
            name=c["name"].strip(),
            alternate_name=c.get("alternate_name", "").strip(),
            description=c.get("description", "").strip(),
            eligibility_description=c.get("eligibility_description", "").strip(),
            application_process=c.get("application_process", "").strip(),
            fees_description=c.get("fees_description", "").strip(),
            url=c.get("url", ""),
            email=(c.get("email") or "").lower(),
            status=c["status"],
            alert=c.get("alert", "").strip(),
            minimum_age=c.get("minimum_age"),
            maximum_age=c.get("maximum_age"),
            terms={key: sorted(c.get(name) or []) for key, name in self.term_field_names.items()},
            languages=sorted(c.get("languages") or []),
            phones=[
                PhoneData(
                    " ".join(c[f"phone_{i}_number"].split()),
                    c.get(f"phone_{i}_description", ""),
                )
                for i in range(self.phone_count)
                if c.get(f"phone_{i}_number")
            ],
            schedules=schedules,
            cost_options=[
                CostData(
                    option=c.get(f"cost_{i}_option", ""),
                    amount=c.get(f"cost_{i}_amount") or None,
                    amount_description=c.get(f"cost_{i}_description", ""),
                )
                for i in range(self.cost_count)
                if c.get(f"cost_{i}_option")
                or c.get(f"cost_{i}_amount")
                or c.get(f"cost_{i}_description")
            ],
            area=AreaData(kind=kind, codes=codes),
        )


class LocationForm(NldsFormMixin, forms.Form):
    name = _text(_("Naam van de plek"), help_text=_("Bijvoorbeeld: Buurthuis De Horst."))
    address_1 = _text(
        _("Straat en huisnummer"),
        required=True,
        required_message=_("Vul de straat en het huisnummer in."),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    postal_code = forms.CharField(
        label=_("Postcode"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "postal-code",
                "class": "utrecht-textbox--postal-code-nl-size",
            }
        ),
        error_messages={"required": _("Vul de postcode in.")},
    )
    city = _text(
        _("Plaats"),
        required=True,
        max_length=100,
        required_message=_("Vul de plaats in."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    state_province = forms.ChoiceField(
        label=_("Provincie"),
        choices=[("", _("Kies een provincie")), *[(p, p) for p in PROVINCES]],
        error_messages={"required": _("Kies de provincie.")},
    )
    description = _textarea(
        _("Over deze plek"), help_text=_("Bijvoorbeeld: de ingang is om de hoek.")
    )
    transportation = _textarea(
        _("Hoe komt u er?"), help_text=_("Bijvoorbeeld: bus 5 stopt voor de deur. Er is een lift.")
    )

    def __init__(self, *args: Any, initial_data: LocationData | None = None, **kwargs: Any) -> None:
        if initial_data is not None:
            initial = {k: v for k, v in initial_data.to_payload().items() if k != "id"}
            if initial.get("postal_code"):
                code = initial["postal_code"]
                initial["postal_code"] = f"{code[:4]} {code[4:]}" if len(code) == 6 else code
            kwargs.setdefault("initial", {}).update(initial)
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_postal_code(self) -> str:
        value = normalise_postcode(self.cleaned_data.get("postal_code", ""))
        if value is None:
            raise ValidationError(_("Vul een postcode in zoals 5701 AB."), code="invalid")
        return value

    def to_data(self) -> LocationData:
        c = self.cleaned_data
        return LocationData(
            name=c.get("name", "").strip(),
            address_1=c["address_1"].strip(),
            postal_code=c["postal_code"],
            city=c["city"].strip(),
            state_province=c["state_province"],
            description=c.get("description", "").strip(),
            transportation=c.get("transportation", "").strip(),
        )


class RejectForm(NldsFormMixin, forms.Form):
    reason = _textarea(
        _("Waarom neemt u de wijziging niet over?"),
        required=True,
        required_message=_("Schrijf op waarom. De aanbieder leest dit."),
        help_text=_("De aanbieder krijgt dit te lezen. Schrijf wat er anders moet."),
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()
