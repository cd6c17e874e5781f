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
