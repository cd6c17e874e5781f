"""Forms for referrals: the case worker's choice of services, the provider's answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.cases.models import DeclineReason, ReferralOutcome, ReferralStatus
from omzien.cases.referrals import MAX_MESSAGE_LENGTH, MAX_SERVICES_PER_REFERRAL
from omzien.core.forms import NldsFormMixin
from omzien.directory.models import Service
from omzien.directory.selectors import visible_services


class ReferralSearchForm(forms.Form):
    q = forms.CharField(label=_("Zoek op de sociale kaart"), required=False, max_length=200)


class ReferForm(NldsFormMixin, forms.Form):
    # The checkboxes are laid out per search result in the template; never rendered as one
    # widget (that would list the whole sociale kaart).
    services = forms.ModelMultipleChoiceField(
        label=_("Aanbod"),
        queryset=Service.objects.none(),
        error_messages={
            "required": _("Kies minstens één aanbod."),
            "invalid_choice": _("Een gekozen aanbod staat niet meer op de sociale kaart."),
            "invalid_pk_value": _("Een gekozen aanbod staat niet meer op de sociale kaart."),
        },
    )
    message = forms.CharField(
        label=_("Bericht aan de aanbieder"),
        required=False,
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea,
        help_text=_(
            "Waarom dit aanbod, en wat wil de persoon? Schrijf alleen wat de aanbieder nodig "
            "heeft. Geen medische gegevens."
        ),
        error_messages={
            "max_length": _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens.")
        },
    )
    confirm_consent = forms.BooleanField(
        label=_("De persoon heeft toestemming gegeven om deze gegevens met de aanbieder te delen."),
        error_messages={"required": _("Bevestig dat de persoon toestemming heeft gegeven.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["services"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = visible_services().select_related("organization")
        self.style_widgets()

    def clean_services(self) -> Any:
        services = self.cleaned_data["services"]
        if len(services) > MAX_SERVICES_PER_REFERRAL:
            raise forms.ValidationError(
                _("Kies hoogstens %(limit)d aanbiedingen tegelijk."),
                params={"limit": MAX_SERVICES_PER_REFERRAL},
            )
        return services


class DeclineForm(NldsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Waarom kunt u de persoon niet helpen?"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een reden.")},
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=500,
        widget=forms.Textarea,
        help_text=_("Verplicht bij 'Andere reden'. Noem geen gegevens over de persoon."),
        error_messages={
            "max_length": _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "decline")
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("reason") == DeclineReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Schrijf kort op wat de andere reden is."))
        return cleaned


class StartForm(NldsFormMixin, forms.Form):
    started_on = forms.DateField(
        label=_("Wanneer was de eerste afspraak of activiteit?"),
        help_text=_("Bijvoorbeeld 14-3-2026."),
        input_formats=["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een datum in zoals 14-3-2026."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "start")
        kwargs.setdefault("initial", {"started_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def clean_started_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["started_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Een datum in de toekomst kan niet."))
        return value


class CompleteForm(NldsFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hoe is het afgelopen?"),
        choices=ReferralOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe het is afgelopen.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "complete")
        super().__init__(*args, **kwargs)
        self.style_widgets()


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Alle")), *ReferralStatus.choices]
        field.widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
