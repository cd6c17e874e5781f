from __future__ import annotations

from django.test import Client

import pytest

from omzien.audit.models import AuditEvent
from omzien.directory.models import Synonym, Taxonomy, TaxonomyTerm
from omzien.directory.vocabularies import VOCABULARIES, taxonomy_id, term_id

pytestmark = pytest.mark.django_db


def test_every_installation_has_the_vocabularies_with_stable_ids() -> None:
    for vocabulary in VOCABULARIES:
        taxonomy = Taxonomy.objects.get(id=taxonomy_id(vocabulary.key))
        assert taxonomy.terms.count() == len(vocabulary.terms)
    assert TaxonomyTerm.objects.get(id=term_id("support_kind", "personal_contact")).name == (
        "Persoonlijk contact"
    )
    assert Taxonomy.objects.get(key="support_kind").terms.count() == 7
    assert Taxonomy.objects.get(key="partner_domain").terms.count() == 12


@pytest.mark.parametrize(
    "person", ["policy_officer", "case_worker_a", "provider_editor", "outsider"]
)
def test_only_administrators_edit_vocabularies(client: Client, request, person: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(request.getfixturevalue(person))
    assert client.get("/beheer/vocabulaires/").status_code == 403
    term = TaxonomyTerm.objects.first()
    assert (
        client.post(
            f"/beheer/vocabulaires/term/{term.id}/", {"name": "x", "description": "y"}
        ).status_code
        == 403
    )
    assert client.post("/beheer/vocabulaires/synoniemen/", {"groups": "a, b"}).status_code == 403


def test_anonymous_users_are_sent_to_login(client: Client) -> None:
    response = client.get("/beheer/vocabulaires/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_administrator_renames_a_term_and_it_is_audited(client: Client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    term = TaxonomyTerm.objects.get(id=term_id("support_kind", "meeting"))
    response = client.post(
        f"/beheer/vocabulaires/term/{term.id}/",
        {"name": "Mensen ontmoeten", "description": "Samen."},
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.name == "Mensen ontmoeten" and term.code == "meeting"
    assert AuditEvent.objects.filter(action="taxonomy_term.update", object_id=str(term.id)).exists()


def test_an_empty_name_is_refused_and_the_description_kept(client: Client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    term = TaxonomyTerm.objects.get(id=term_id("support_kind", "meeting"))
    response = client.post(
        f"/beheer/vocabulaires/term/{term.id}/", {"name": "", "description": "Blijft staan"}
    )
    content = response.content.decode()
    assert "Geef de term een naam." in content and "Blijft staan" in content


def test_an_administrator_adds_a_term_with_a_unique_code(client: Client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    taxonomy = Taxonomy.objects.get(key="target_group")
    for _ in range(2):
        client.post(
            f"/beheer/vocabulaires/{taxonomy.id}/nieuw/",
            {"name": "Studenten", "description": "Wie studeert."},
        )
    codes = set(taxonomy.terms.filter(name="Studenten").values_list("code", flat=True))
    assert codes == {"studenten", "studenten_2"}


def test_synonyms_are_edited_one_group_per_line(client: Client, administrator) -> None:  # type: ignore[no-untyped-def]
    client.force_login(administrator)
    response = client.post(
        "/beheer/vocabulaires/synoniemen/", {"groups": "Maatje, buddy, maatje\n\neenzaam,alleen"}
    )
    assert response.status_code == 302
    assert sorted(Synonym.objects.values_list("words", flat=True)) == [
        "eenzaam, alleen",
        "maatje, buddy",
    ]


def test_a_synonym_line_with_one_word_is_refused_and_nothing_lost(
    client: Client, administrator
) -> None:  # type: ignore[no-untyped-def]
    Synonym.objects.create(words="koffie, thee")
    client.force_login(administrator)
    response = client.post("/beheer/vocabulaires/synoniemen/", {"groups": "maatje, buddy\nalleen"})
    content = response.content.decode()
    assert "Regel 2 heeft maar één woord" in content
    assert "maatje, buddy" in content
    assert list(Synonym.objects.values_list("words", flat=True)) == ["koffie, thee"]
