from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from omzien.accounts.models import Membership, Organisation, User
from omzien.accounts.roles import OrganisationType, PartnerDomain


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"medewerker{n}@example.org")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    type = OrganisationType.WELFARE
    domain = PartnerDomain.CARE_WELFARE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class DirectoryOrganizationFactory(DjangoModelFactory):
    class Meta:
        model = "directory.Organization"

    name = factory.Sequence(lambda n: f"Stichting Voorbeeld {n}")
    description = "Een organisatie in de buurt."


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = "directory.Service"

    organization = factory.SubFactory(DirectoryOrganizationFactory)
    name = factory.Sequence(lambda n: f"Dienst {n}")
    slug = factory.Sequence(lambda n: f"dienst-{n}")
    description = "Samen koffie drinken en een praatje maken."
    status = "active"


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = "directory.Location"

    organization = factory.SubFactory(DirectoryOrganizationFactory)
    name = factory.Sequence(lambda n: f"Buurthuis {n}")
    location_type = "physical"
    latitude = 51.4816
    longitude = 5.6611


def tag(service, key: str, code: str):  # type: ignore[no-untyped-def]
    """Attach one of our vocabulary terms to a service, as an HSDS attribute."""
    from omzien.directory.models import Attribute, TaxonomyTerm
    from omzien.directory.vocabularies import BY_KEY, term_id

    term = TaxonomyTerm.objects.get(id=term_id(key, code))
    return Attribute.objects.create(
        link_id=service.id,
        link_entity="service",
        link_type=BY_KEY[key].link_type,
        taxonomy_term=term,
        service=service,
    )


def make_case(organisation, **report_fields):  # type: ignore[no-untyped-def]
    """A case with one signal, received through the public form unless told otherwise."""
    from omzien.cases.services import Report, submit_report

    fields = {
        "source": "form",
        "reporter_kind": "professional",
        "reporter_profession": "hairdresser",
        "description": "Mevrouw komt al weken niet meer naar de kapper en lijkt somber.",
        "indicators": ["rarely_goes_out", "sad_or_withdrawn"],
        "person_name": "Fictieve Persoon",
        "person_phone": "0612345678",
        "person_address": "Voorbeeldstraat 1",
        "person_postcode": "5701AA",
        "reporter_name": "Kapper Knip",
        "reporter_email": "kapper@example.org",
    }
    fields.update(report_fields)
    signal, _created = submit_report(Report(**fields), organisation=organisation)
    return signal.case
