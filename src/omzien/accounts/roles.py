"""Organisation types, partner domains, roles and what each role may do.

This table is the one place where access is decided; `permissions.py` applies it to querysets.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Gemeente")
    WELFARE = "welfare", _("Welzijnsorganisatie")
    PROVIDER = "provider", _("Aanbieder")
    PARTNER = "partner", _("Partner")


class PartnerDomain(models.TextChoices):
    """The twelve domains of partners in a local coalition (seed 001, section 12)."""

    MUNICIPALITY = "municipality", _("Gemeente")
    SELF_ORGANISATIONS = "self_organisations", _("Zelforganisaties")
    BUSINESSES = "businesses", _("Ondernemers")
    INTEGRATION = "integration", _("Integratie")
    DEBT_POVERTY = "debt_poverty", _("Schulden en armoede")
    CARE_WELFARE = "care_welfare", _("Zorg en welzijn")
    HOUSING = "housing", _("Woningcorporaties en bouw")
    ARTS_CULTURE = "arts_culture", _("Kunst en cultuur")
    FAITH = "faith", _("Geloofsgemeenschappen")
    SPORT = "sport", _("Sport en bewegen")
    EDUCATION = "education", _("Onderwijs")
    FINANCE = "finance", _("Financiële sector")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Functioneel beheerder")
    POLICY_OFFICER = "policy_officer", _("Beleidsmedewerker")
    CASE_COORDINATOR = "case_coordinator", _("Coördinator meldpunt")
    CASE_WORKER = "case_worker", _("Consulent")
    PROVIDER_EDITOR = "provider_editor", _("Redacteur aanbieder")


class Capability(StrEnum):
    """Things a user can be allowed to do, each within a scope of organisations."""

    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_MEMBERS = "manage_members"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_AGGREGATES = "view_aggregates"
    EDIT_DIRECTORY = "edit_directory"
    REVIEW_DIRECTORY = "review_directory"
    VIEW_CASES = "view_cases"
    WORK_ON_CASES = "work_on_cases"
    ASSIGN_CASES = "assign_cases"
    HANDLE_DATA_REQUESTS = "handle_data_requests"
    VIEW_REFERRALS = "view_referrals"
    MANAGE_VOCABULARIES = "manage_vocabularies"
    RECORD_MEASUREMENTS = "record_measurements"  # participants, scales, stories
    MANAGE_PERSONAS = "manage_personas"


class Scope(StrEnum):
    OWN = "own"  # the organisations the user is a member of with this role
    ALL = "all"  # every organisation (only for roles held in the municipality)


_C = Capability
ROLE_CAPABILITIES: dict[Role, dict[Capability, Scope]] = {
    Role.ADMINISTRATOR: {
        _C.MANAGE_ORGANISATIONS: Scope.ALL,
        _C.MANAGE_MEMBERS: Scope.ALL,
        _C.VIEW_AUDIT_LOG: Scope.ALL,
        _C.REVIEW_DIRECTORY: Scope.ALL,
        _C.EDIT_DIRECTORY: Scope.ALL,
        _C.HANDLE_DATA_REQUESTS: Scope.OWN,
        _C.MANAGE_VOCABULARIES: Scope.ALL,
        _C.MANAGE_PERSONAS: Scope.ALL,
    },
    Role.POLICY_OFFICER: {
        _C.VIEW_AGGREGATES: Scope.ALL,
        _C.REVIEW_DIRECTORY: Scope.ALL,
        _C.MANAGE_PERSONAS: Scope.ALL,
    },
    Role.CASE_COORDINATOR: {
        _C.VIEW_CASES: Scope.OWN,
        _C.WORK_ON_CASES: Scope.OWN,
        _C.ASSIGN_CASES: Scope.OWN,
        _C.VIEW_AUDIT_LOG: Scope.OWN,
        _C.HANDLE_DATA_REQUESTS: Scope.OWN,
        _C.MANAGE_MEMBERS: Scope.OWN,
        _C.RECORD_MEASUREMENTS: Scope.OWN,
    },
    Role.CASE_WORKER: {
        _C.VIEW_CASES: Scope.OWN,
        _C.WORK_ON_CASES: Scope.OWN,
        _C.RECORD_MEASUREMENTS: Scope.OWN,
    },
    Role.PROVIDER_EDITOR: {
        _C.EDIT_DIRECTORY: Scope.OWN,
        _C.VIEW_REFERRALS: Scope.OWN,
        _C.RECORD_MEASUREMENTS: Scope.OWN,
    },
}

# A platform-wide scope is only granted through a membership of a municipality; the same role
# held in another organisation is limited to that organisation.
GLOBAL_SCOPE_ORGANISATION_TYPES = {OrganisationType.MUNICIPALITY}

# Roles that can see personal data of residents need a second factor (TOTP) to log in.
# Provider editors too: referrals show them the name and phone number of the person referred.
ROLES_REQUIRING_MFA = frozenset(
    {Role.ADMINISTRATOR, Role.CASE_COORDINATOR, Role.CASE_WORKER, Role.PROVIDER_EDITOR}
)
