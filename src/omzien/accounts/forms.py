"""Forms for inviting staff and for the invited person's password."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation, User
from omzien.accounts.permissions import organisation_ids
from omzien.accounts.roles import Capability, Role
from omzien.accounts.services import roles_invitable_by
from omzien.core.forms import NldsFormMixin


class InviteForm(NldsFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Naam"), max_length=150)
    email = forms.EmailField(
        label=_("E-mailadres"),
        error_messages={"invalid": _("Vul een e-mailadres in zoals naam@organisatie.nl.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=_("Kies")
    )
    role = forms.ChoiceField(label=_("Rol"))

    def __init__(self, *args: Any, inviter: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        ids = organisation_ids(inviter, Capability.MANAGE_MEMBERS)
        queryset = Organisation.objects.filter(is_active=True)
        if ids is not None:
            queryset = queryset.filter(pk__in=ids)
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ModelChoiceField)
        organisation_field.queryset = queryset
        invitable = {role for org in queryset for role in roles_invitable_by(inviter, org)}
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        # No preselected role: giving someone the administrator role must be a choice.
        role_field.choices = [("", _("Kies"))] + [
            (r.value, r.label) for r in Role if r in invitable
        ]
        for field in self.fields.values():
            field.error_messages.setdefault("required", _("Dit veld is verplicht."))
        self.fields["full_name"].error_messages["required"] = _("Vul de naam in.")
        self.fields["email"].error_messages["required"] = _("Vul het e-mailadres in.")
        self.fields["organisation"].error_messages["required"] = _("Kies de organisatie.")
        self.fields["role"].error_messages["required"] = _("Kies de rol.")
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation = cleaned.get("organisation")
        role = cleaned.get("role")
        invitable = roles_invitable_by(self.inviter, organisation) if organisation else []
        if organisation and role and Role(role) not in invitable:
            self.add_error("role", _("Deze rol kunt u in deze organisatie niet geven."))
        return cleaned


class InvitedPasswordForm(NldsFormMixin, forms.Form):
    password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minstens 10 tekens. Geen wachtwoord dat u ergens anders gebruikt."),
    )
    password2 = forms.CharField(
        label=_("Typ het wachtwoord nog een keer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password1"].error_messages["required"] = _("Kies een wachtwoord.")
        self.fields["password2"].error_messages["required"] = _("Typ het wachtwoord nog een keer.")
        self.style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
