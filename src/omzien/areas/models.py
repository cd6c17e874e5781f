"""CBS areas: municipality (gemeente), district (wijk) and neighbourhood (buurt).

CBS renumbers and renames areas from year to year, so every code is kept with the year of the
classification it belongs to; (code, year) is the identity, never the code alone.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

municipality_code = RegexValidator(r"^GM\d{4}$", _("Een gemeentecode is GM en 4 cijfers."))
district_code = RegexValidator(r"^WK\d{6}$", _("Een wijkcode is WK en 6 cijfers."))
neighbourhood_code = RegexValidator(r"^BU\d{8}$", _("Een buurtcode is BU en 8 cijfers."))
postcode_validator = RegexValidator(
    r"^\d{4}[A-Z]{2}$", _("Een postcode is 4 cijfers en 2 hoofdletters, zoals 5701AB.")
)


class Municipality(models.Model):
    code = models.CharField(_("gemeentecode"), max_length=6, validators=[municipality_code])
    name = models.CharField(_("naam"), max_length=100)
    year = models.PositiveSmallIntegerField(_("jaar van de indeling"))

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="municipality_code_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}, {self.year})"


class District(models.Model):
    code = models.CharField(_("wijkcode"), max_length=8, validators=[district_code])
    name = models.CharField(_("naam"), max_length=100)
    year = models.PositiveSmallIntegerField(_("jaar van de indeling"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts"
    )
    # Boundary as GeoJSON geometry (WGS84), when loaded from the CBS/PDOK wijk- en buurtkaart.
    geometry = models.JSONField(_("grens"), null=True, blank=True)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="district_code_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Neighbourhood(models.Model):
    code = models.CharField(_("buurtcode"), max_length=10, validators=[neighbourhood_code])
    name = models.CharField(_("naam"), max_length=100)
    year = models.PositiveSmallIntegerField(_("jaar van de indeling"))
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="neighbourhoods")
    geometry = models.JSONField(_("grens"), null=True, blank=True)

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year"], name="neighbourhood_code_year")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Postcode(models.Model):
    """A six-position postcode and the neighbourhood CBS assigns it to in a given year."""

    postcode = models.CharField(_("postcode"), max_length=6, validators=[postcode_validator])
    year = models.PositiveSmallIntegerField(_("jaar van de indeling"))
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="postcodes"
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        constraints = [models.UniqueConstraint(fields=["postcode", "year"], name="postcode_year")]

    def __str__(self) -> str:
        return f"{self.postcode} ({self.year})"
