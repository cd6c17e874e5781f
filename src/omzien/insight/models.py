"""What policy makers see: personas (groups of residents with shared needs) and the published
figures of areas. Both are about groups and areas, never about a person."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Persona(models.Model):
    """A group of residents with shared needs (seed 003, Den Haag): who they are and what
    kinds of support fit them, in the vocabularies of the sociale kaart."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    description = models.TextField(_("beschrijving"), blank=True)
    # Codes of the `target_group` vocabulary; a service for any of them may suit.
    target_groups = models.JSONField(_("doelgroepen"), default=list)
    # Codes of the `support_kind` vocabulary the persona needs.
    support_kinds = models.JSONField(_("soorten steun"), default=list)
    # Other characteristics: vocabulary key -> codes (e.g. {"place": ["at_home"]}).
    characteristics = models.JSONField(_("kenmerken"), default=dict, blank=True)
    # Which area figure estimates the size of the group (e.g. "residents_75_plus").
    size_indicator = models.CharField(max_length=60, blank=True)

    class Meta:
        # The tables were made when these models lived in `measurement`; they keep their names
        # so that moving the code never moved data (insight migration 0001).
        db_table = "measurement_persona"
        verbose_name = _("persona")
        verbose_name_plural = _("persona's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaLevel(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeente")
    DISTRICT = "district", _("Wijk")
    NEIGHBOURHOOD = "neighbourhood", _("Buurt")


class AreaFigure(models.Model):
    """One published figure for one area: GGD/RIVM health monitor or CBS key figures.

    `area_year` is the year of the area classification the code belongs to (codes change
    between years); `period` the year the figure is about. Margins are the 95% interval the
    source publishes (RIVM's small-area estimates), empty where it gives none.
    """

    source = models.CharField(max_length=30)  # e.g. "rivm_50120", "cbs_kwb"
    indicator = models.CharField(max_length=60)  # e.g. "lonely", "residents_65_plus"
    area_code = models.CharField(max_length=10)
    area_level = models.CharField(max_length=15, choices=AreaLevel.choices)
    area_year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True, blank=True)
    margin_low = models.FloatField(null=True, blank=True)
    margin_high = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=20, blank=True)  # "percent", "count", "euro"
    is_generated = models.BooleanField(default=False)  # demo data, marked as such everywhere
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "measurement_areafigure"
        ordering = ["area_code", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "indicator", "area_code", "area_year", "period"],
                name="area_figure_unique",
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="area_figure_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.period}"
