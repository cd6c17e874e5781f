"""The sociale kaart, modelled on Open Referral HSDS 3.1.

Object and field names follow HSDS so the API can be served without renaming. What HSDS lacks
(the characteristics of seed 001: group or individual, one-off or structural, ...) is expressed
as taxonomy terms linked through `Attribute`, as HSDS prescribes. A few internal fields (slug,
`owner`, `area_code`, `search_text`) serve the site and are never put in the API's top level.

`directory.Organization` (HSDS: who runs a service) is not `accounts.Organisation` (who logs in);
an HSDS organization may be maintained by a platform organisation through `owner`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.core.fields import EncryptedTextField


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class HsdsModel(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.id}"


class Organization(HsdsModel):
    name = models.CharField(_("naam"), max_length=255)
    alternate_name = models.CharField(_("andere naam"), max_length=255, blank=True)
    description = models.TextField(_("beschrijving"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    tax_status = models.CharField(max_length=100, blank=True)
    tax_id = models.CharField(max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(max_length=100, blank=True)
    logo = models.URLField(max_length=500, blank=True)
    uri = models.URLField(max_length=500, blank=True)
    parent_organization = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # The platform organisation whose provider editors maintain this organization's services.
    owner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organizations",
        verbose_name=_("beheerd door"),
    )
    # Changes by editors of a trusted organization go live at once; others wait for review.
    is_trusted = models.BooleanField(_("vertrouwd"), default=False)
    last_modified = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="organization_identifiers"
    )
    identifier_scheme = models.CharField(max_length=100, blank=True)
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=200)


class Program(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="programs"
    )
    name = models.CharField(max_length=255)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    INACTIVE = "inactive", _("niet actief")
    DEFUNCT = "defunct", _("opgeheven")
    TEMPORARILY_CLOSED = "temporarily closed", _("tijdelijk gesloten")


class ServiceScope(models.TextChoices):
    """Where a service is offered; derived from its service areas, used for filtering."""

    NATIONAL = "national", _("landelijk")
    MUNICIPALITY = "municipality", _("gemeente")
    DISTRICT = "district", _("wijk")
    NEIGHBOURHOOD = "neighbourhood", _("buurt")


# What residents may see: published, and running (a temporarily closed service is shown as such).
VISIBLE_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


def visible_q(prefix: str = "") -> models.Q:
    """The one definition of "visible to the public" for services, as a condition; `prefix`
    reaches it through a relation, e.g. `visible_q("service__")` on the service's attributes."""
    return models.Q(**{f"{prefix}is_published": True, f"{prefix}status__in": VISIBLE_STATUSES})


class ServiceQuerySet(models.QuerySet["Service"]):
    def visible(self) -> ServiceQuerySet:
        """The services residents may see (`visible_q`)."""
        return self.filter(visible_q())


class Service(HsdsModel):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services", null=True, blank=True
    )
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, related_name="services", null=True, blank=True
    )
    name = models.CharField(_("naam"), max_length=255)
    alternate_name = models.CharField(_("andere naam"), max_length=255, blank=True)
    # The essence: what it is, for whom and how it works.
    description = models.TextField(_("wat is het?"), blank=True)
    url = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = models.TextField(_("tolken"), blank=True)
    application_process = models.TextField(_("hoe meldt u zich aan?"), blank=True)
    fees_description = models.TextField(_("kosten"), blank=True)
    wait_time = models.TextField(blank=True)  # deprecated in HSDS 3, kept for imports
    fees = models.TextField(blank=True)  # deprecated in HSDS 3, kept for imports
    accreditations = models.TextField(blank=True)
    licenses = models.TextField(blank=True)  # deprecated in HSDS 3, kept for imports
    eligibility_description = models.TextField(_("voor wie?"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("minimumleeftijd"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("maximumleeftijd"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    assured_date = models.DateField(_("gecontroleerd op"), null=True, blank=True)
    assurer_email = models.EmailField(_("gecontroleerd door"), blank=True)
    alert = models.TextField(_("let op"), blank=True)
    last_modified = models.DateTimeField(default=timezone.now, db_index=True)

    # Internal: the public URL, filtering by scope and area, and the review state.
    slug = models.SlugField(max_length=120, unique=True)
    scope = models.CharField(
        _("bereik"),
        max_length=20,
        choices=ServiceScope.choices,
        default=ServiceScope.MUNICIPALITY,
        db_index=True,
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When the provider was last reminded to verify this service (see remind-stale-services).
    verification_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "is_published"], name="service_visible_idx"),
            # Covers the visibility check when a search result (ids) is joined back to services.
            models.Index(fields=["id", "status", "is_published"], name="service_id_visible_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_stale(self) -> bool:
        """Not verified within OMZIEN_STALE_AFTER_DAYS (default six months): shown as such."""
        if self.assured_date is None:
            return True
        age = timezone.localdate() - self.assured_date
        return age.days > settings.OMZIEN_STALE_AFTER_DAYS


class Location(HsdsModel):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("bezoekadres")
        POSTAL = "postal", _("postadres")
        VIRTUAL = "virtual", _("online of telefonisch")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="locations", null=True, blank=True
    )
    location_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    url = models.URLField(max_length=500, blank=True)
    name = models.CharField(_("naam"), max_length=255, blank=True)
    alternate_name = models.CharField(max_length=255, blank=True)
    description = models.TextField(_("beschrijving"), blank=True)
    transportation = models.TextField(_("bereikbaarheid"), blank=True)
    latitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    external_identifier = models.CharField(max_length=200, blank=True)
    external_identifier_type = models.CharField(max_length=100, blank=True)
    # Internal: the CBS neighbourhood the location lies in, for district filters.
    neighbourhood = models.ForeignKey(
        "areas.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_locations",
    )

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(HsdsModel):
    class AddressType(models.TextChoices):
        PHYSICAL = "physical", _("bezoekadres")
        POSTAL = "postal", _("postadres")
        VIRTUAL = "virtual", _("virtueel")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=255, blank=True)
    address_1 = models.CharField(_("straat en huisnummer"), max_length=255)
    address_2 = models.CharField(max_length=255, blank=True)
    city = models.CharField(_("plaats"), max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(_("provincie"), max_length=100)
    postal_code = models.CharField(_("postcode"), max_length=20, db_index=True)
    country = models.CharField(max_length=2, default="NL")
    address_type = models.CharField(
        max_length=10, choices=AddressType.choices, default=AddressType.PHYSICAL
    )

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class ServiceAtLocation(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")
        ]


class Contact(HsdsModel):
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)
    department = models.CharField(max_length=255, blank=True)
    email = models.EmailField(blank=True)


class Phone(HsdsModel):
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("telefoonnummer"), max_length=50)
    extension = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)


class Schedule(HsdsModel):
    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("wekelijks")
        MONTHLY = "MONTHLY", _("maandelijks")

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.IntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True)
    freq = models.CharField(max_length=10, choices=Freq.choices, blank=True)
    interval = models.PositiveIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=60, blank=True)  # e.g. "MO,WE" or "1MO"
    byweekno = models.CharField(max_length=60, blank=True)
    bymonthday = models.CharField(max_length=60, blank=True)
    byyearday = models.CharField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)


class CostOption(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.TextField(blank=True)


class ServiceArea(HsdsModel):
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="service_areas"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_areas",
    )
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    # Internal: the CBS code the area stands for (GM0794, WK079410, BU07941000) or "NL".
    area_code = models.CharField(max_length=10, blank=True, db_index=True)


class Language(HsdsModel):
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages"
    )
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=10, blank=True, db_index=True)
    note = models.TextField(blank=True)


class Accessibility(HsdsModel):
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="accessibility", null=True, blank=True
    )
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)


class Url(HsdsModel):
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="additional_websites",
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="additional_urls"
    )
    label = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500)


class RequiredDocument(HsdsModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="required_documents"
    )
    document = models.TextField()
    uri = models.URLField(max_length=500, blank=True)


class Funding(HsdsModel):
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    source = models.TextField(blank=True)


class Unit(HsdsModel):
    name = models.CharField(max_length=255)
    scheme = models.CharField(max_length=255, blank=True)
    identifier = models.CharField(max_length=255, blank=True)
    uri = models.CharField(max_length=500, blank=True)


class ServiceCapacity(HsdsModel):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="capacities")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="capacities")
    available = models.DecimalField(max_digits=12, decimal_places=2)
    maximum = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    description = models.TextField(blank=True)
    updated = models.DateTimeField()


class Taxonomy(HsdsModel):
    name = models.CharField(_("naam"), max_length=255)
    description = models.TextField(_("beschrijving"))
    uri = models.CharField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)
    # Internal: a stable key for our own vocabularies ("support_kind", "target_group", ...).
    key = models.SlugField(max_length=50, blank=True, db_index=True)

    class Meta:
        verbose_name = _("taxonomie")
        verbose_name_plural = _("taxonomieën")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HsdsModel):
    taxonomy = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    code = models.CharField(_("code"), max_length=100, blank=True, db_index=True)
    name = models.CharField(_("naam"), max_length=255)
    description = models.TextField(_("beschrijving"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    language = models.CharField(max_length=10, blank=True)
    term_uri = models.CharField(max_length=500, blank=True)
    # Internal: the label residents read on the public pages, in plain words (B1), where `name`
    # (the professional term, for staff and the API) is not plain enough. Empty: `name`.
    resident_name = models.CharField(_("naam voor inwoners"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("termen")
        ordering = ["taxonomy", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        """What residents read: the plain label, else the name."""
        return self.resident_name or self.name


class Attribute(HsdsModel):
    """A taxonomy term attached to any HSDS object; for services, `service` is set too."""

    link_id = models.UUIDField(db_index=True)
    link_type = models.CharField(max_length=100, blank=True)
    link_entity = models.CharField(max_length=50)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    value = models.TextField(blank=True)
    label = models.CharField(max_length=255, blank=True)
    # Internal: a real foreign key for service attributes, so filters and facets can join.
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )

    class Meta:
        indexes = [
            models.Index(fields=["taxonomy_term", "service"], name="attribute_term_service_idx")
        ]


class Metadata(HsdsModel):
    """HSDS's change log, one row per changed field: the history of every change."""

    resource_id = models.UUIDField(db_index=True)
    resource_type = models.CharField(max_length=50)
    last_action_date = models.DateTimeField(default=timezone.now)
    last_action_type = models.CharField(max_length=50)
    field_name = models.CharField(max_length=100)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.CharField(max_length=254)

    class Meta:
        ordering = ["-last_action_date"]


class ChangeRequest(models.Model):
    """A provider's proposed change that waits for the municipality's editors."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op beoordeling")
        APPROVED = "approved", _("goedgekeurd")
        REJECTED = "rejected", _("afgewezen")

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="change_requests"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="change_requests"
    )
    # The proposed field values (form data, JSON-safe); for a new service, service is empty.
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["submitted_at"]


class ErrorReport(models.Model):
    """ "Report an error on this page": reaches the provider's editors."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("opgelost")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="error_reports")
    # Written by a member of the public, who may say something about themselves: encrypted.
    message = EncryptedTextField(_("wat klopt er niet?"), max_length=2000)
    # Optional, only to ask back; removed when the report is resolved. Encrypted (personal data);
    # the form checks that it is an e-mail address.
    reporter_email = EncryptedTextField(_("uw e-mailadres (mag leeg)"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Synonym(models.Model):
    """Words that should find each other in search, e.g. maatje ~ buddy. Edited by admins."""

    words = models.CharField(
        _("woorden"),
        max_length=500,
        help_text=_("Woorden die hetzelfde betekenen, gescheiden door komma's."),
    )

    class Meta:
        verbose_name = _("synoniemen")
        verbose_name_plural = _("synoniemen")

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [w.strip().lower() for w in self.words.split(",") if w.strip()]


class SearchConcept(models.Model):
    """Everyday phrasing that means a kind of support, a problem or a target group, for search.

    "iemand om mee te praten", "weduwe" or "post en rekeningen" name no service, but they do name a
    need: a query containing one of the `phrases` also finds the services tagged with the
    concept's `terms`, and the texts with its `words`. Edited by administrators beside the
    synonyms (`/beheer/vocabulaires/`); seeded by a data migration.
    """

    name = models.CharField(_("naam"), max_length=100, unique=True)
    phrases = models.TextField(
        _("zinnen"),
        help_text=_(
            "Woorden en zinnen zoals inwoners ze typen, gescheiden door komma's. "
            "Bijvoorbeeld: iemand om mee te praten, aanspraak"
        ),
    )
    words = models.TextField(
        _("zoekwoorden"),
        blank=True,
        help_text=_("Woorden waarop dan ook gezocht wordt, gescheiden door komma's."),
    )
    terms = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="search_concepts", verbose_name=_("termen")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("zoekbegrip")
        verbose_name_plural = _("zoekbegrippen")

    def __str__(self) -> str:
        return self.name

    def phrase_list(self) -> list[str]:
        return split_list(self.phrases)

    def word_list(self) -> list[str]:
        return split_list(self.words)


def split_list(text: str) -> list[str]:
    """The entries of a list separated by commas or lines: trimmed, lower case, no repeats."""
    entries = (entry.strip().lower() for line in text.splitlines() for entry in line.split(","))
    return list(dict.fromkeys(entry for entry in entries if entry))
