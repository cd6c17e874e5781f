"""Measuring loneliness where the work happens.

Privacy: a participant is known only by a pseudonymous code within the organisation that
measures (no name, no contact details here); a story's text is encrypted at rest. Figures shown
to policy officers are aggregates with small cells suppressed (`omzien.insight.dashboard`), never
rows of this module.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.core.fields import EncryptedTextField


class Scale(models.TextChoices):
    DJG11 = "djg11", _("De Jong Gierveld, 11 vragen")
    DJG6 = "djg6", _("De Jong Gierveld, 6 vragen")
    UCLA3 = "ucla3", _("UCLA, 3 vragen")
    DIRECT = "direct", _("Eén directe vraag")


class Moment(models.TextChoices):
    START = "start", _("Bij de start")
    END = "end", _("Aan het eind")
    FOLLOW_UP = "follow_up", _("Na een tijd (follow-up)")


class Mode(models.TextChoices):
    STAFF = "staff", _("Ingevuld met een medewerker")
    SELF = "self", _("Zelf ingevuld op telefoon of computer")
    PAPER = "paper", _("Op papier, later ingevoerd")


class Participant(models.Model):
    """Someone taking part in an intervention, known by a code only."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="participants"
    )
    code = models.CharField(_("deelnemerscode"), max_length=20)
    # The intervention: a service of the sociale kaart.
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        verbose_name=_("aanbod"),
    )
    # Optional link to the meldpunt's case (only visible to the case's own organisation).
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
    )
    age_group = models.CharField(_("leeftijd"), max_length=5, blank=True)
    neighbourhood = models.ForeignKey(
        "areas.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participants",
        verbose_name=_("buurt"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="participant_code_unique")
        ]
        indexes = [
            models.Index(
                fields=["created_at", "neighbourhood", "age_group"],
                name="participant_dashboard_idx",
            )
        ]

    def __str__(self) -> str:
        return self.code


class Measurement(models.Model):
    """One filled-in scale at one moment, with its score as the scale's rules give it."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="measurements"
    )
    # Denormalised from the participant, so the figures per intervention need no join.
    service = models.ForeignKey(
        "directory.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measurements",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="measurements"
    )
    scale = models.CharField(_("vragenlijst"), max_length=10, choices=Scale.choices)
    moment = models.CharField(_("moment"), max_length=10, choices=Moment.choices)
    mode = models.CharField(_("manier"), max_length=10, choices=Mode.choices)
    taken_on = models.DateField(_("ingevuld op"), default=timezone.localdate)
    answers = models.JSONField(_("antwoorden"), default=list)
    total = models.FloatField(null=True, blank=True)
    emotional = models.FloatField(null=True, blank=True)
    social = models.FloatField(null=True, blank=True)
    category = models.CharField(max_length=30, blank=True)
    complete = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["taken_on", "pk"]
        indexes = [
            models.Index(fields=["service", "scale", "moment"], name="measurement_effect_idx"),
            # Covering indexes: the dashboard's and the effects' pairs come from the index alone.
            models.Index(
                fields=[
                    "participant",
                    "scale",
                    "moment",
                    "service",
                    "taken_on",
                    "complete",
                    "total",
                ],
                name="measurement_pairs_idx",
            ),
            models.Index(
                fields=[
                    "moment",
                    "taken_on",
                    "scale",
                    "service",
                    "participant",
                    "complete",
                    "total",
                ],
                name="measurement_start_idx",
            ),
            models.Index(fields=["taken_on"], name="measurement_taken_idx"),
        ]

    def __str__(self) -> str:
        return f"meting {self.pk}"


class Invitation(models.Model):
    """A one-time link (and QR code) with which a participant fills in a scale on their phone."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="invitations"
    )
    scale = models.CharField(max_length=10, choices=Scale.choices)
    moment = models.CharField(max_length=10, choices=Moment.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    measurement = models.OneToOneField(
        Measurement, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"uitnodiging {self.pk}"


class StoryAuthor(models.TextChoices):
    PARTICIPANT = "participant", _("Deelnemer")
    WORKER = "worker", _("Medewerker of vrijwilliger")


class Story(models.Model):
    """ "Tellen en vertellen": a short account shown beside the numbers of an intervention."""

    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="stories"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="stories"
    )
    author = models.CharField(_("verteld door"), max_length=20, choices=StoryAuthor.choices)
    # A participant's own account, or one about them: encrypted like every text about a person.
    text = EncryptedTextField(_("verhaal"), max_length=2000)
    # Stories may be shown to policy officers and the council only with permission.
    may_publish = models.BooleanField(_("mag gedeeld worden"), default=False)
    told_on = models.DateField(_("datum"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("verhaal")
        verbose_name_plural = _("verhalen")
        ordering = ["-told_on", "pk"]

    def __str__(self) -> str:
        return f"verhaal {self.pk}"
