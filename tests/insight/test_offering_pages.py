"""The offering pages: matrix, white spots, overlap, CSV exports, personas; and who may see them."""

from __future__ import annotations

import csv
import io
import re

from django.test import Client
from django.urls import include, path, reverse

import pytest

from omzien.accounts.models import User
from omzien.areas.models import District, Municipality
from omzien.audit.models import AuditEvent
from omzien.directory.models import Service, ServiceArea, ServiceScope
from omzien.insight.models import AreaFigure, Persona
from tests.factories import ServiceFactory, tag

# The lead mounts the pages under /dashboard/aanbod/; this module does the same for its tests.
urlpatterns = [
    path("dashboard/aanbod/", include("omzien.insight.urls_offering")),
    path("", include("omzien.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CENTRUM, STIPHOUT = "WK079401", "WK079403"
COFFEE = {"support_kind": ["meeting"], "target_group": ["older_adults"], "form": ["group"]}
COFFEE_TEXT = "Elke dinsdag samen koffie drinken en een praatje maken in het buurthuis."


def service(
    name: str, scope: str, areas: tuple[str, ...], tags: dict[str, list[str]], **kw: object
) -> Service:
    made = ServiceFactory(name=name, scope=scope, **kw)
    for code in areas:
        ServiceArea.objects.create(service=made, name=code, area_code=code)
    for key, codes in tags.items():
        for code in codes:
            tag(made, key, code)
    return made


@pytest.fixture
def offering(db: None) -> dict[str, Persona]:
    helmond = Municipality.objects.create(code="GM0794", name="Helmond", year=2023)
    District.objects.create(code=CENTRUM, name="Centrum", year=2023, municipality=helmond)
    District.objects.create(code=STIPHOUT, name="Stiphout", year=2023, municipality=helmond)
    old = Persona.objects.create(
        name="Oudere alleen",
        target_groups=["older_adults"],
        support_kinds=["meeting"],
        size_indicator="residents_75_plus",
    )
    grief = Persona.objects.create(
        name="Na verlies", target_groups=["bereaved"], support_kinds=["expectations"]
    )
    for name in ("De Brug", "Het Trefpunt", "De Lindehof"):
        service(
            f"Koffieochtend {name}",
            ServiceScope.DISTRICT,
            (CENTRUM,),
            COFFEE,
            description=COFFEE_TEXT,
        )
    # Provider text that a spreadsheet would run as a formula.
    service(
        '=HYPERLINK("http://example.org")',
        ServiceScope.DISTRICT,
        (CENTRUM,),
        COFFEE,
        description=COFFEE_TEXT,
    )
    service(
        "Zilverlijn",
        ServiceScope.NATIONAL,
        ("NL",),
        {"target_group": ["older_adults"], "support_kind": ["meeting"]},
        description="Elke week een telefoontje van een vrijwilliger.",
    )
    for code, lonely, old_people in ((CENTRUM, 45.5, 1200), (STIPHOUT, 38.0, 3000)):
        AreaFigure.objects.create(
            source="rivm_50120",
            indicator="lonely",
            area_code=code,
            area_level="district",
            area_year=2023,
            period=2022,
            value=lonely,
            unit="percent",
        )
        AreaFigure.objects.create(
            source="cbs_kwb",
            indicator="residents_75_plus",
            area_code=code,
            area_level="district",
            area_year=2023,
            period=2023,
            value=old_people,
            unit="count",
            is_generated=code == STIPHOUT,
        )
    return {"old": old, "grief": grief}


def rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


# -- access --------------------------------------------------------------------------------------

ANALYSIS_PAGES = ("offering_overview", "offering_white_spots", "offering_overlap")
PERSONA_PAGES = ("offering_personas", "offering_persona_add")


@pytest.mark.parametrize("name", ANALYSIS_PAGES)
def test_policy_officer_sees_the_offering_pages(
    client: Client, policy_officer: User, offering: dict[str, Persona], name: str
) -> None:
    client.force_login(policy_officer)

    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name), {"format": "csv"}).status_code == 200


@pytest.mark.parametrize("name", ANALYSIS_PAGES)
@pytest.mark.parametrize(
    "person", ["administrator", "case_worker_a", "provider_editor", "outsider"]
)
def test_others_may_not_see_the_offering_pages(
    client: Client,
    request: pytest.FixtureRequest,
    offering: dict[str, Persona],
    name: str,
    person: str,
) -> None:
    # The administrator manages personas but does not have the aggregates (roles.py).
    client.force_login(request.getfixturevalue(person))

    assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse(name), {"format": "csv"}).status_code == 403


@pytest.mark.parametrize("name", ANALYSIS_PAGES + PERSONA_PAGES)
def test_anonymous_visitors_go_to_the_login_page(client: Client, db: None, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("person", ["policy_officer", "administrator"])
@pytest.mark.parametrize("name", PERSONA_PAGES)
def test_policy_officers_and_administrators_keep_personas(
    client: Client,
    request: pytest.FixtureRequest,
    offering: dict[str, Persona],
    person: str,
    name: str,
) -> None:
    client.force_login(request.getfixturevalue(person))

    assert client.get(reverse(name)).status_code == 200
    edit = reverse("offering_persona_edit", args=[offering["old"].pk])
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize("person", ["case_worker_a", "provider_editor", "outsider"])
def test_others_may_not_touch_personas(
    client: Client, request: pytest.FixtureRequest, offering: dict[str, Persona], person: str
) -> None:
    client.force_login(request.getfixturevalue(person))
    persona = offering["old"]

    assert client.get(reverse("offering_personas")).status_code == 403
    assert client.post(reverse("offering_persona_add"), {"name": "X"}).status_code == 403
    edit = reverse("offering_persona_edit", args=[persona.pk])
    assert client.post(edit, {"name": "Anders"}).status_code == 403
    delete = reverse("offering_persona_delete", args=[persona.pk])
    assert client.post(delete).status_code == 403
    persona.refresh_from_db()
    assert persona.name == "Oudere alleen"


def test_the_cell_page_is_for_policy_officers_only(
    client: Client, policy_officer: User, administrator: User, offering: dict[str, Persona]
) -> None:
    url = reverse("offering_cell", args=[CENTRUM, offering["old"].pk])
    client.force_login(administrator)
    assert client.get(url).status_code == 403

    client.force_login(policy_officer)
    response = client.get(url)

    assert response.status_code == 200
    assert "Koffieochtend De Brug" in response.content.decode()
    assert "Zilverlijn" in response.content.decode()
    assert (
        client.get(reverse("offering_cell", args=["WK999999", offering["old"].pk])).status_code
        == 404
    )
    assert client.get(reverse("offering_cell", args=[CENTRUM, 999999])).status_code == 404


# -- the matrix ----------------------------------------------------------------------------------


def test_the_matrix_shows_counts_and_names_white_spots_in_text(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    response = client.get(reverse("offering_overview"))

    page = response.content.decode()
    assert "5 diensten" in page  # Centrum, the old: 4 local + 1 national
    assert "Alleen landelijk aanbod" in page  # Stiphout, the old
    assert page.count("utrecht-status-badge--danger") == 2  # grief, in both districts
    assert "Witte vlek</span>" in page
    assert "45,5%" in page
    assert "<script" not in page.split("</head>")[1]
    assert 'style="' not in page


def test_the_matrix_filters_by_persona_and_district(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    page = client.get(
        reverse("offering_overview"), {"persona": offering["grief"].pk, "wijk": STIPHOUT}
    ).content.decode()

    assert "Stiphout" in page
    assert "Oudere alleen</th>" not in page
    assert page.count("utrecht-status-badge--danger") == 1


def test_an_unknown_filter_value_is_explained_not_an_error(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    response = client.get(reverse("offering_overview"), {"wijk": "WK000000", "persona": "abc"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze wijk kennen we niet. Kies uit de lijst." in page
    assert page.count("utrecht-status-badge--danger") == 2  # the filter is ignored


def test_the_matrix_exports_as_csv(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    response = client.get(reverse("offering_overview"), {"format": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    table = rows(response)
    header = table[0]
    assert header[:5] == ["wijkcode", "wijk", "persona", "status", "passend_aanbod"]
    by_key = {(r[0], r[2]): dict(zip(header, r, strict=True)) for r in table[1:]}
    assert len(by_key) == 4
    centrum_old = by_key[(CENTRUM, "Oudere alleen")]
    assert (centrum_old["passend_aanbod"], centrum_old["in_de_wijk"], centrum_old["landelijk"]) == (
        "5",
        "4",
        "1",
    )
    assert centrum_old["eenzaam_procent"] == "45,5"
    assert by_key[(STIPHOUT, "Na verlies")]["status"] == "Witte vlek"
    assert by_key[(STIPHOUT, "Oudere alleen")]["status"] == "Alleen landelijk aanbod"
    assert by_key[(STIPHOUT, "Oudere alleen")]["demo_cijfers"] == "ja"
    event = AuditEvent.objects.get(action="offering.export")
    assert event.details == {"list": "aanbod-per-wijk-en-persona", "rows": 4}


# -- white spots ---------------------------------------------------------------------------------


def test_white_spots_are_listed_most_urgent_first(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    table = rows(client.get(reverse("offering_white_spots"), {"format": "csv"}))

    assert [(r[0], r[1], r[3], r[4]) for r in table[1:]] == [
        ("1", CENTRUM, "Na verlies", "Witte vlek"),
        ("2", STIPHOUT, "Na verlies", "Witte vlek"),
        ("3", STIPHOUT, "Oudere alleen", "Alleen landelijk aanbod"),
    ]
    stiphout_old = dict(zip(table[0], table[3], strict=True))
    assert stiphout_old["groepsgrootte"] == "3000"
    assert stiphout_old["geschat_aantal_eenzamen"] == "1140"  # 3000 x 38%


def test_white_spots_page_shows_only_white_spots_when_asked(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    response = client.get(reverse("offering_white_spots"), {"soort": "witte-vlek"})

    page = response.content.decode()
    assert page.count("utrecht-status-badge--danger") == 2
    assert "utrecht-status-badge--warning" not in page
    assert "geen cijfer" in page  # grief has no size indicator


# -- overlap -------------------------------------------------------------------------------------


def test_overlap_lists_the_alike_services(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    page = client.get(reverse("offering_overlap")).content.decode()

    assert "Groep 1: Centrum, 4 diensten" in page
    assert "Koffieochtend Het Trefpunt" in page
    assert "Zilverlijn" not in page


def test_overlap_exports_as_csv_without_running_formulas(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    table = rows(client.get(reverse("offering_overlap"), {"format": "csv"}))

    assert table[0][:3] == ["groep", "wijkcode", "wijk"]
    services = sorted(r[6] for r in table[1:])
    assert services == [
        '\'=HYPERLINK("http://example.org")',
        "Koffieochtend De Brug",
        "Koffieochtend De Lindehof",
        "Koffieochtend Het Trefpunt",
    ]
    assert {r[1] for r in table[1:]} == {CENTRUM}
    assert all(r[9].startswith("http://testserver/kaart/") for r in table[1:])


def test_big_overlap_groups_are_cut_short_on_the_page_not_in_the_export(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    for number in range(28):
        service(
            f"Koffieochtend {number}",
            ServiceScope.DISTRICT,
            (STIPHOUT,),
            COFFEE,
            description=COFFEE_TEXT,
        )
    client.force_login(policy_officer)

    page = client.get(reverse("offering_overlap"), {"wijk": STIPHOUT}).content.decode()
    table = rows(client.get(reverse("offering_overlap"), {"wijk": STIPHOUT, "format": "csv"}))

    assert "Groep 1: Stiphout, 28 diensten" in page
    assert page.count('<li><a class="utrecht-link" href="/kaart/') == 25
    assert "En nog 3 diensten. U vindt ze allemaal in de CSV." in page
    assert len(table) == 1 + 28


def test_overlap_groups_come_in_pages(
    client: Client,
    policy_officer: User,
    offering: dict[str, Persona],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from omzien.insight import views_offering

    monkeypatch.setattr(views_offering, "GROUPS_PER_PAGE", 1)
    for name in ("Wandelen A", "Wandelen B", "Wandelen C"):
        service(
            name,
            ServiceScope.DISTRICT,
            (STIPHOUT,),
            COFFEE,
            description="Elke week samen wandelen door het park, ook als het regent.",
        )
    client.force_login(policy_officer)

    first = client.get(reverse("offering_overlap")).content.decode()
    second = client.get(reverse("offering_overlap"), {"pagina": 2}).content.decode()

    assert "Groep 1: Centrum, 4 diensten" in first
    assert "Pagina 1 van 2" in first
    assert "Groep 2: Stiphout, 3 diensten" in second
    assert "Groep 1:" not in second
    csv_link = re.search(r'href="([^"]*)" download>', second)
    assert csv_link is not None
    assert csv_link.group(1) == "?format=csv"  # the export is never one page


def test_overlap_filters_by_district(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    page = client.get(reverse("offering_overlap"), {"wijk": STIPHOUT}).content.decode()

    assert "Geen overlap gevonden." in page


# -- personas ------------------------------------------------------------------------------------


def persona_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Mantelzorger die vastloopt",
        "description": "Zorgt veel voor een naaste.",
        "target_groups": ["informal_carers"],
        "support_kinds": ["practical", "personal_contact"],
        "characteristic_place": ["at_home"],
        "size_indicator": "residents",
    }
    data.update(changes)
    return data


def test_a_policy_officer_adds_a_persona(client: Client, policy_officer: User, db: None) -> None:
    client.force_login(policy_officer)

    response = client.post(reverse("offering_persona_add"), persona_form())

    assert response.status_code == 302
    persona = Persona.objects.get(name="Mantelzorger die vastloopt")
    assert persona.target_groups == ["informal_carers"]
    assert persona.support_kinds == ["practical", "personal_contact"]
    assert persona.characteristics == {"place": ["at_home"]}
    assert persona.size_indicator == "residents"
    event = AuditEvent.objects.get(action="persona.create")
    assert event.object_id == str(persona.pk)
    assert event.actor == policy_officer


def test_unknown_codes_are_refused_with_a_clear_message(
    client: Client, policy_officer: User, db: None
) -> None:
    client.force_login(policy_officer)

    response = client.post(
        reverse("offering_persona_add"),
        persona_form(target_groups=["aliens"], size_indicator="number_of_cats"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "&#x27;aliens&#x27; is geen bekende code voor doelgroep. Kies uit de lijst." in page
    assert "number_of_cats" in page
    assert "Er ging iets mis" in page
    assert not Persona.objects.exists()


def test_a_persona_needs_a_name_a_group_and_support(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    response = client.post(reverse("offering_persona_add"), {"name": ""})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Geef de persona een naam." in page
    assert "Kies minstens één doelgroep." in page
    assert "Kies minstens één soort steun." in page

    taken = client.post(reverse("offering_persona_add"), persona_form(name="oudere ALLEEN"))
    assert taken.status_code == 400
    assert "Er is al een persona met deze naam." in taken.content.decode()


def test_a_policy_officer_changes_a_persona(
    client: Client, administrator: User, offering: dict[str, Persona]
) -> None:
    client.force_login(administrator)
    persona = offering["old"]
    url = reverse("offering_persona_edit", args=[persona.pk])

    assert "residents_75_plus" in client.get(url).content.decode()
    response = client.post(url, persona_form(name="Oudere alleen", characteristic_place=[]))

    assert response.status_code == 302
    persona.refresh_from_db()
    assert persona.target_groups == ["informal_carers"]
    assert persona.characteristics == {}
    assert AuditEvent.objects.filter(action="persona.update", object_id=str(persona.pk)).exists()


def test_a_persona_is_deleted_after_confirmation(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)
    persona = offering["grief"]
    url = reverse("offering_persona_delete", args=[persona.pk])

    assert "Na verlies verwijderen?" in client.get(url).content.decode()
    assert Persona.objects.filter(pk=persona.pk).exists()
    response = client.post(url)

    assert response.status_code == 302
    assert not Persona.objects.filter(pk=persona.pk).exists()
    assert AuditEvent.objects.filter(action="persona.delete").count() == 1


def test_the_persona_list_names_the_terms(
    client: Client, policy_officer: User, offering: dict[str, Persona]
) -> None:
    client.force_login(policy_officer)

    page = client.get(reverse("offering_personas")).content.decode()

    assert "Oudere alleen" in page
    assert "Ouderen" in page  # the name of target group older_adults
    assert "Ontmoeting" in page
    assert "Inwoners van 75 jaar en ouder" in page


def test_pages_without_personas_say_what_to_do(
    client: Client, policy_officer: User, db: None
) -> None:
    client.force_login(policy_officer)

    page = client.get(reverse("offering_overview")).content.decode()

    assert "Er zijn nog geen persona’s." in page
    assert reverse("offering_persona_add") in page
