"""The meldpunt: signals of loneliness, the case a welfare organisation works on, referrals.

Privacy by design (docs/privacy.md):
- every field that says something about a person (the person concerned or the reporter) is an
  `EncryptedTextField`; the database holds only Fernet tokens;
- the reporter's details live on `Signal`, separate from the case, and are removed when the case
  closes; `__str__` never shows a personal value;
- what stays after anonymisation (state, dates, district, coded signals, closing reason) is the
  minimal anonymous record the figures are made of.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.cases.indicators import Profession, ReporterKind
from omzien.core.fields import EncryptedTextField


class CaseState(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    INTAKE = "intake", _("Intake")
    CONTACT_MADE = "contact_made", _("Contact gelegd")
    CONVERSATION_HELD = "conversation_held", _("Gesprek gevoerd")
    REFERRED = "referred", _("Verwezen")
    CLOSED = "closed", _("Afgesloten")


OPEN_STATES = (
    CaseState.RECEIVED,
    CaseState.INTAKE,
    CaseState.CONTACT_MADE,
    CaseState.CONVERSATION_HELD,
    CaseState.REFERRED,
)


class ClosingReason(models.TextChoices):
    HELPED = "helped", _("Geholpen")
    NO_HELP_WANTED = "no_help_wanted", _("Geen hulp gewenst")
    UNREACHABLE = "unreachable", _("Niet bereikt")
    PASSED_ON = "passed_on", _("Overgedragen aan een andere organisatie")
    ALREADY_KNOWN = "already_known", _("Al bekend")
    DUPLICATE = "duplicate", _("Dubbele melding")
    UNFOUNDED = "unfounded", _("Ongegrond")


# Closed without any contact with the person: short retention (ADR 0006).
NO_CONTACT_REASONS = frozenset(
    {ClosingReason.UNREACHABLE, ClosingReason.DUPLICATE, ClosingReason.UNFOUNDED}
)


class Urgency(models.TextChoices):
    UNTRIAGED = "untriaged", _("Nog niet beoordeeld")
    NORMAL = "normal", _("Normaal")
    HIGH = "high", _("Hoog")
    URGENT = "urgent", _("Spoed")


class SignalSource(models.TextChoices):
    FORM = "form", _("Meldformulier")
    PARTNER = "partner", _("Signaleringsnetwerk")
    STAFF = "staff", _("Telefoon of balie")


class PersonKnows(models.TextChoices):
    YES = "yes", _("Ja, de persoon weet het")
    NO = "no", _("Nee")
    UNKNOWN = "unknown", _("Weet ik niet")


class AgeGroup(models.TextChoices):
    UNKNOWN = "", _("Onbekend")
    UNDER_18 = "0-17", _("Jonger dan 18")
    ADULT = "18-64", _("18 tot 65 jaar")
    YOUNG_OLD = "65-74", _("65 tot 75 jaar")
    OLD = "75+", _("75 jaar of ouder")


class Case(models.Model):
    """The welfare organisation's work with one person."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("organisatie"),
    )
    state = models.CharField(
        _("status"), max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED
    )
    urgency = models.CharField(
        _("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.UNTRIAGED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("consulent"),
    )
    source = models.CharField(_("bron"), max_length=10, choices=SignalSource.choices)

    # The person concerned: encrypted, as little as needed to reach them.
    person_name = EncryptedTextField(_("naam"), blank=True)
    person_phone = EncryptedTextField(_("telefoon"), blank=True)
    person_email = EncryptedTextField(_("e-mail"), blank=True)
    person_address = EncryptedTextField(_("adres"), blank=True)
    person_postcode = EncryptedTextField(_("postcode"), blank=True)
    # Keyed hash (HMAC) of the normalised postcode + house number, phone or e-mail, so that a
    # second signal about the same person can be found without decrypting (blind index).
    person_lookup = models.CharField(max_length=64, blank=True, db_index=True)
    # Not personal: the neighbourhood and an age band, for the figures.
    neighbourhood = models.ForeignKey(
        "areas.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("buurt"),
    )
    age_group = models.CharField(
        _("leeftijd"), max_length=5, choices=AgeGroup.choices, blank=True, default=""
    )
    person_knows = models.CharField(
        _("weet de persoon van de melding?"),
        max_length=10,
        choices=PersonKnows.choices,
        default=PersonKnows.UNKNOWN,
    )
    # Article 14 AVG: when and how the person was told that data about them is held.
    person_informed_at = models.DateTimeField(_("persoon geïnformeerd op"), null=True, blank=True)
    # The signals of loneliness the case worker found in the conversation (codes).
    found_indicators = models.JSONField(_("gevonden signalen"), default=list, blank=True)

    received_at = models.DateTimeField(_("ontvangen op"), default=timezone.now)
    first_contact_due = models.DateField(_("eerste contactpoging uiterlijk"), null=True)
    first_attempt_at = models.DateTimeField(_("eerste contactpoging op"), null=True, blank=True)
    contact_made_at = models.DateTimeField(null=True, blank=True)
    conversation_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    checkup_due = models.DateField(_("controle uiterlijk"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    closing_reason = models.CharField(
        _("reden van afsluiten"), max_length=20, choices=ClosingReason.choices, blank=True
    )
    reopened_count = models.PositiveSmallIntegerField(default=0)
    overdue_notified_on = models.DateField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["organisation", "state", "received_at"], name="case_queue_idx"),
            # The queue filtered by urgency counts without reading rows (docs/performance.md).
            models.Index(
                fields=["organisation", "state", "urgency", "received_at"],
                name="case_queue_urgency_idx",
            ),
            models.Index(fields=["state", "first_contact_due"], name="case_due_idx"),
            models.Index(fields=["state", "closed_at"], name="case_closed_idx"),
            # Covering index for the dashboard's monthly figures (docs/performance.md).
            models.Index(
                fields=[
                    "received_at",
                    "neighbourhood",
                    "age_group",
                    "first_attempt_at",
                    "first_contact_due",
                ],
                name="case_dashboard_idx",
            ),
        ]

    def __str__(self) -> str:  # never a personal value
        return f"casus {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state != CaseState.CLOSED

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class Signal(models.Model):
    """One report (melding) about a person; a case holds one or more."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signals")
    receipt = models.CharField(_("ontvangstcode"), max_length=16, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=SignalSource.choices)
    reporter_kind = models.CharField(_("melder"), max_length=20, choices=ReporterKind.choices)
    reporter_profession = models.CharField(
        _("beroep"), max_length=30, choices=Profession.choices, blank=True
    )
    reporter_name = EncryptedTextField(_("naam melder"), blank=True)
    reporter_phone = EncryptedTextField(_("telefoon melder"), blank=True)
    reporter_email = EncryptedTextField(_("e-mail melder"), blank=True)
    reporter_details_removed_at = models.DateTimeField(null=True, blank=True)
    # The partner organisation that sent it through the signalling network API.
    partner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_signals",
    )
    source_reference = models.CharField(max_length=100, blank=True)
    description = EncryptedTextField(_("wat is opgevallen"), blank=True)
    indicators = models.JSONField(_("signalen"), default=list, blank=True)
    # Hash of the form's one-time token: sending the same form twice stores one signal.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # The last status the reporter was told about (received / picked_up / completed).
    reporter_notified_status = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["received_at"]
        indexes = [
            models.Index(
                fields=["received_at", "source", "reporter_kind", "case"],
                name="signal_dashboard_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "source_reference"],
                condition=~Q(source_reference=""),
                name="signal_partner_reference_unique",
            )
        ]

    def __str__(self) -> str:
        return f"melding {self.receipt}"

    @property
    def has_reporter_contact(self) -> bool:
        return bool(self.reporter_email or self.reporter_phone)


class CaseTransition(models.Model):
    """Append-only: every change of state, who made it and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=CaseState.choices)
    reason = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"statuswijziging {self.pk}"


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Telefoon")
    VISIT = "visit", _("Huisbezoek")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Brief")
    VIA_REPORTER = "via_reporter", _("Via de melder")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Bereikt")
    NO_ANSWER = "no_answer", _("Geen gehoor")
    MESSAGE_LEFT = "message_left", _("Bericht achtergelaten")
    WRONG_DETAILS = "wrong_details", _("Gegevens kloppen niet")


class ContactAttempt(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contact_attempts")
    at = models.DateTimeField(_("wanneer"), default=timezone.now)
    channel = models.CharField(_("hoe"), max_length=20, choices=ContactChannel.choices)
    outcome = models.CharField(_("resultaat"), max_length=20, choices=ContactOutcome.choices)
    note = EncryptedTextField(_("toelichting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"contactpoging {self.pk}"


class NoteKind(models.TextChoices):
    CONVERSATION = "conversation", _("Gesprek")
    NOTE = "note", _("Aantekening")


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("soort"), max_length=20, choices=NoteKind.choices)
    held_at = models.DateTimeField(_("datum"), default=timezone.now)
    text = EncryptedTextField(_("verslag"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"verslag {self.pk}"


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Mondeling")
    WRITTEN = "written", _("Schriftelijk")
    DIGITAL = "digital", _("Digitaal")


class Consent(models.Model):
    """What the person agreed to, when and how. No referral without one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    given_at = models.DateTimeField(_("gegeven op"), default=timezone.now)
    method = models.CharField(_("hoe"), max_length=10, choices=ConsentMethod.choices)
    share_with_providers = models.BooleanField(
        _("gegevens delen met aanbieders waarnaar verwezen wordt"), default=True
    )
    scope = EncryptedTextField(_("waarmee de persoon instemt"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["given_at", "pk"]

    def __str__(self) -> str:
        return f"toestemming {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Verstuurd")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")
    STARTED = "started", _("Gestart")
    COMPLETED = "completed", _("Afgerond")
    EXPIRED = "expired", _("Verlopen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("Geen plek")
    NOT_ELIGIBLE = "not_eligible", _("Past niet bij ons aanbod")
    OUTSIDE_AREA = "outside_area", _("Buiten ons werkgebied")
    OTHER = "other", _("Andere reden")


class ReferralOutcome(models.TextChoices):
    HELPED = "helped", _("Geholpen")
    DID_NOT_COME = "did_not_come", _("Niet gekomen")
    STOPPED = "stopped", _("Gestopt")
    UNREACHABLE = "unreachable", _("Niet bereikt")


class Referral(models.Model):
    """A closed-loop referral to a service of the sociale kaart."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
        verbose_name=_("aanbod"),
    )
    service_name = models.CharField(max_length=255)
    # The provider's platform organisation (its inbox); empty when it has no account.
    provider = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_referrals",
    )
    # Without an account: the address the secure link goes to, and the link's token hash.
    recipient_email = EncryptedTextField(blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # RESTRICT, not PROTECT: a consent cannot go while its referrals stay, but deleting the
    # whole case (which cascades to both) is allowed.
    consent = models.ForeignKey(Consent, on_delete=models.RESTRICT, related_name="referrals")
    # Only what the provider needs: how to reach the person and why.
    shared_name = EncryptedTextField(blank=True)
    shared_phone = EncryptedTextField(blank=True)
    shared_email = EncryptedTextField(blank=True)
    message = EncryptedTextField(_("bericht aan de aanbieder"), blank=True)
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    # Free text written by the provider about why it cannot help this person.
    decline_note = EncryptedTextField(_("toelichting bij de afwijzing"), max_length=500, blank=True)
    started_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ReferralOutcome.choices, blank=True)
    checkup_due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [
            models.Index(fields=["provider", "status"], name="referral_inbox_idx"),
            models.Index(fields=["status", "expires_at"], name="referral_expiry_idx"),
            models.Index(
                fields=["sent_at", "status", "outcome", "answered_at", "case"],
                name="referral_dashboard_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"verwijzing {self.pk}"


class PartnerKey(models.Model):
    """An API key of a partner in the digital signalling network; only its hash is stored."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="partner_keys"
    )
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"sleutel {self.prefix}…"
