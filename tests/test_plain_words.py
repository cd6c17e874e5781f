"""Plain words for residents: the public kaart shows each term's label at B1 level, staff pages
and the HSDS API keep the professional term (Movisie's)."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client

import pytest

from omzien.accounts.models import User
from omzien.audit.models import AuditEvent
from omzien.directory.models import Service, Taxonomy, TaxonomyTerm
from omzien.directory.search import get_backend
from omzien.directory.vocabularies import BY_KEY, VOCABULARIES, ensure_vocabularies, term_id
from tests.factories import DirectoryOrganizationFactory, ServiceFactory, tag

pytestmark = pytest.mark.django_db

# (vocabulary, code, professional term, what residents read)
JARGON = (
    ("support_kind", "expectations", "Realistische verwachtingen", "Anders kijken naar contact"),
    ("support_kind", "valued_role", "Een zinvolle rol", "Iets betekenen voor anderen"),
    (
        "condition",
        "indication_needed",
        "Indicatie nodig",
        "Alleen na goedkeuring van de gemeente of het CIZ",
    ),
    ("target_group", "low_literacy", "Laaggeletterden", "Moeite met lezen en schrijven"),
)


@pytest.fixture
def service(db: None) -> Service:
    service = ServiceFactory(name="Gesprekken over contact", slug="gesprekken-over-contact")
    assert isinstance(service, Service)
    for key, code, *_ in JARGON:
        tag(service, key, code)
    tag(service, "support_kind", "meeting")
    get_backend().rebuild()
    return service


def test_the_public_filters_show_the_plain_labels(client: Client, service: Service) -> None:
    html = client.get("/kaart/").content.decode()
    for _key, _code, jargon, plain in JARGON:
        assert f'{plain} <span class="omzien-count">(1)</span>' in html
        assert jargon not in html
    assert "Voor wie" in html  # the heading of the target-group filter
    assert 'Ontmoeting <span class="omzien-count">(1)</span>' in html  # plain already


def test_the_service_page_and_compare_show_the_plain_labels(
    client: Client, service: Service
) -> None:
    for path in (f"/kaart/{service.slug}/", f"/kaart/vergelijk/?ids={service.slug}"):
        html = client.get(path).content.decode()
        for _key, _code, jargon, plain in JARGON:
            assert plain in html, (path, plain)
            assert jargon not in html, (path, jargon)


def test_the_plain_labels_are_english_too(client: Client, service: Service, settings) -> None:  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/kaart/{service.slug}/").content.decode()
    assert "Looking at contact differently" in html and "Doing something for others" in html
    assert "Anders kijken naar contact" not in html


def test_staff_pages_keep_the_professional_terms(
    client: Client, service: Service, administrator: User, provider_editor: User
) -> None:
    client.force_login(administrator)
    html = client.get("/beheer/vocabulaires/").content.decode()
    for _key, _code, jargon, plain in JARGON:
        assert jargon in html and plain in html  # the administrator sees both
    DirectoryOrganizationFactory(
        name="Stichting Samen", owner=provider_editor.memberships.get().organisation
    )
    client.force_login(provider_editor)
    form = client.get("/beheer/kaart/dienst/nieuw/").content.decode()
    for _key, _code, jargon, plain in JARGON:
        assert jargon in form and plain not in form


def test_the_hsds_api_keeps_the_professional_term(client: Client, service: Service) -> None:
    term = client.get(f"/api/v1/taxonomy_terms/{term_id('support_kind', 'expectations')}").json()
    assert term["name"] == "Realistische verwachtingen"
    assert "resident_name" not in term


def test_an_administrator_writes_the_plain_label_and_residents_read_it(
    client: Client, service: Service, administrator: User
) -> None:
    client.force_login(administrator)
    term = TaxonomyTerm.objects.get(id=term_id("support_kind", "expectations"))
    response = client.post(
        f"/beheer/vocabulaires/term/{term.id}/",
        {
            "name": "Realistische verwachtingen",
            "resident_name": "Anders leren kijken",
            "description": term.description,
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.name, term.resident_name) == ("Realistische verwachtingen", "Anders leren kijken")
    event = AuditEvent.objects.get(action="taxonomy_term.update", object_id=str(term.id))
    assert event.details == {"fields": ["resident_name"]}
    client.logout()
    assert "Anders leren kijken" in client.get(f"/kaart/{service.slug}/").content.decode()


# --- The vocabularies in the database ---------------------------------------------------------


NEW_TARGET_GROUPS = {
    "autism": "Mensen met autisme",
    "psychiatric_background": "Psychische problemen (nu of vroeger)",
    "students": "Studenten",
    "status_holders": "Nieuw in Nederland met een verblijfsvergunning",
    "single_parents": "Alleenstaande ouders",
    "bereaved": "Na het verlies van een dierbare",
}


def test_the_new_target_groups_exist_after_migrate() -> None:
    for code, public in NEW_TARGET_GROUPS.items():
        term = TaxonomyTerm.objects.get(id=term_id("target_group", code))
        assert term.taxonomy == Taxonomy.objects.get(key="target_group")
        assert term.public_name == public


def test_every_seeded_term_has_its_plain_label_after_migrate() -> None:
    for vocabulary in VOCABULARIES:
        for code, name, _description in vocabulary.terms:
            term = TaxonomyTerm.objects.get(id=term_id(vocabulary.key, code))
            assert term.public_name == vocabulary.resident_term(code, name)


def test_the_seeding_fills_in_plain_labels_but_keeps_what_administrators_renamed() -> None:
    """What migration 0006 does to an existing database: new terms arrive, and plain labels
    only for terms that still have their seeded name."""
    TaxonomyTerm.objects.filter(id=term_id("target_group", "autism")).delete()
    TaxonomyTerm.objects.filter(taxonomy__key="support_kind").update(resident_name="")
    TaxonomyTerm.objects.filter(id=term_id("support_kind", "valued_role")).update(
        name="Vrijwilligerswerk"
    )
    ensure_vocabularies(Taxonomy, TaxonomyTerm)
    assert TaxonomyTerm.objects.filter(id=term_id("target_group", "autism")).exists()
    expectations = TaxonomyTerm.objects.get(id=term_id("support_kind", "expectations"))
    assert expectations.resident_name == "Anders kijken naar contact"
    renamed = TaxonomyTerm.objects.get(id=term_id("support_kind", "valued_role"))
    assert (renamed.name, renamed.resident_name) == ("Vrijwilligerswerk", "")


def test_migrating_again_changes_no_term() -> None:
    before = list(TaxonomyTerm.objects.order_by("id").values_list("id", "name", "resident_name"))
    call_command("migrate", verbosity=0)
    after = list(TaxonomyTerm.objects.order_by("id").values_list("id", "name", "resident_name"))
    assert after == before
    assert set(BY_KEY["target_group"].resident_terms) <= {
        code for code, *_ in BY_KEY["target_group"].terms
    }
