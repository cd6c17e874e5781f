"""White spots and overlap: personas per district matched to the sociale kaart."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any
from unittest import mock

from django.core.exceptions import ValidationError

import pytest

from omzien.accounts.models import User
from omzien.areas.models import District, Municipality
from omzien.directory import catalogue, services
from omzien.directory.filters import SearchParams
from omzien.directory.models import Service, ServiceArea, ServiceScope
from omzien.directory.search import get_backend
from omzien.directory.selectors import search_services
from omzien.directory.vocabularies import BY_KEY
from omzien.insight import white_spots as ws
from omzien.insight.models import AreaFigure, Persona
from omzien.insight.personas import (
    DEFAULT_PERSONAS,
    PersonaData,
    create_persona,
    demo_personas,
    ensure_default_personas,
    validate_persona,
)
from tests.factories import ServiceFactory, tag

pytestmark = pytest.mark.django_db

CENTRUM, BRANDEVOORT, STIPHOUT = "WK079401", "WK079402", "WK079403"


def service(
    name: str,
    *,
    scope: str = ServiceScope.DISTRICT,
    areas: tuple[str, ...] = (),
    tags: dict[str, list[str]] | None = None,
    description: str = "",
    **fields: object,
) -> Service:
    made = ServiceFactory(
        name=name, scope=scope, description=description or f"Over {name}.", **fields
    )
    for code in areas:
        ServiceArea.objects.create(service=made, name=code, area_code=code)
    for key, codes in (tags or {}).items():
        for code in codes:
            tag(made, key, code)
    return made


def figure(code: str, indicator: str, value: float, **fields: object) -> AreaFigure:
    values: dict[str, object] = {
        "source": "test",
        "area_level": "district",
        "area_year": 2023,
        "period": 2022,
        "unit": "percent" if indicator == ws.LONELINESS_INDICATOR else "count",
    }
    values.update(fields)
    return AreaFigure.objects.create(indicator=indicator, area_code=code, value=value, **values)


def persona(name: str, target_groups: list[str], support_kinds: list[str], **fields: object):  # type: ignore[no-untyped-def]
    return Persona.objects.create(
        name=name, target_groups=target_groups, support_kinds=support_kinds, **fields
    )


@dataclass
class World:
    old: Persona
    young: Persona
    poor: Persona
    carer: Persona
    grief: Persona


@pytest.fixture
def world(db: None) -> World:
    helmond = Municipality.objects.create(code="GM0794", name="Helmond", year=2023)
    for code, name in ((CENTRUM, "Centrum"), (BRANDEVOORT, "Brandevoort"), (STIPHOUT, "Stiphout")):
        District.objects.create(code=code, name=name, year=2023, municipality=helmond)
    # An older classification is not shown.
    old_helmond = Municipality.objects.create(code="GM0794", name="Helmond", year=2022)
    District.objects.create(code="WK079499", name="Oud", year=2022, municipality=old_helmond)

    world = World(
        old=persona("Oudere alleen", ["age_75_plus"], ["personal_contact"]),
        young=persona("Jongere", ["youth"], ["meeting"]),
        poor=persona(
            "Weinig geld",
            ["low_income"],
            ["practical"],
            characteristics={"cost_category": ["free"]},
        ),
        carer=persona(
            "Mantelzorger", ["informal_carers"], ["practical"], size_indicator="residents_45_to_64"
        ),
        grief=persona("Na verlies", ["bereaved"], ["expectations"], size_indicator="widowed"),
    )
    old_needs = {"target_group": ["age_75_plus"], "support_kind": ["personal_contact"]}
    service("Maatje Centrum", areas=(CENTRUM,), tags=old_needs)
    # A neighbourhood of Brandevoort: counts for its district.
    service(
        "Bezoek in de buurt",
        scope=ServiceScope.NEIGHBOURHOOD,
        areas=("BU07940201",),
        tags=old_needs,
    )
    service(
        "Zilverlijn",
        scope=ServiceScope.NATIONAL,
        areas=("NL",),
        tags={
            "target_group": ["age_75_plus", "older_adults"],
            "support_kind": ["personal_contact"],
        },
    )
    # Not published, or ended: never counted.
    service("Verborgen maatje", areas=(STIPHOUT,), tags=old_needs, is_published=False)
    service("Opgeheven maatje", areas=(STIPHOUT,), tags=old_needs, status="defunct")

    service(
        "Jongerenhonk",
        scope=ServiceScope.MUNICIPALITY,
        areas=("GM0794",),
        tags={"target_group": ["youth"], "support_kind": ["meeting"]},
    )
    # No target group: for everyone, not counted for the young, shown as general offering.
    service("Koffie voor iedereen", areas=(STIPHOUT,), tags={"support_kind": ["meeting"]})

    service(
        "Schuldhulp",
        scope=ServiceScope.NATIONAL,
        areas=("NL",),
        tags={
            "target_group": ["low_income"],
            "support_kind": ["practical"],
            "cost_category": ["free"],
        },
    )
    # Not free: misses the persona's characteristic.
    service(
        "Klusdienst Centrum",
        areas=(CENTRUM,),
        tags={
            "target_group": ["low_income"],
            "support_kind": ["practical"],
            "cost_category": ["commercial"],
        },
    )
    # Practical support for the poor without a cost tag: unknown, so not counted.
    service(
        "Boodschappenhulp Centrum",
        areas=(CENTRUM,),
        tags={"target_group": ["low_income"], "support_kind": ["practical"]},
    )
    service(
        "Mantelzorgsteunpunt Centrum",
        areas=(CENTRUM,),
        tags={"target_group": ["informal_carers"], "support_kind": ["practical"]},
    )

    figure(CENTRUM, "lonely", 50.0)
    figure(BRANDEVOORT, "lonely", 40.0)
    figure(BRANDEVOORT, "residents_45_to_64", 2000)
    figure(STIPHOUT, "residents_45_to_64", 5000)
    figure(CENTRUM, "widowed", 300)
    figure(BRANDEVOORT, "widowed", 1000)
    figure(STIPHOUT, "widowed", 200)
    return world


def test_it_counts_suitable_services_per_district_and_persona(world: World) -> None:
    matrix = ws.analyse()

    assert matrix.year == 2023
    assert [d.code for d in matrix.districts] == [CENTRUM, BRANDEVOORT, STIPHOUT]
    assert [p.name for p in matrix.personas] == [
        "Jongere",
        "Mantelzorger",
        "Na verlies",
        "Oudere alleen",
        "Weinig geld",
    ]
    old = {code: matrix.cell(code, world.old.pk) for code in (CENTRUM, BRANDEVOORT, STIPHOUT)}
    assert (old[CENTRUM].local, old[CENTRUM].national, old[CENTRUM].total) == (1, 1, 2)
    assert (old[BRANDEVOORT].local, old[BRANDEVOORT].national) == (1, 1)
    assert (old[STIPHOUT].local, old[STIPHOUT].national, old[STIPHOUT].total) == (0, 1, 1)
    assert old[CENTRUM].status == ws.Status.COVERED
    assert old[STIPHOUT].status == ws.Status.NATIONAL_ONLY

    young = matrix.cell(STIPHOUT, world.young.pk)
    assert (young.municipality, young.local, young.total) == (1, 0, 1)
    assert young.general == 1  # "Koffie voor iedereen"
    assert matrix.cell(CENTRUM, world.young.pk).general == 0


def test_a_district_without_any_suitable_service_is_a_white_spot(world: World) -> None:
    matrix = ws.analyse()

    assert matrix.cell(CENTRUM, world.carer.pk).status == ws.Status.COVERED
    assert matrix.cell(BRANDEVOORT, world.carer.pk).status == ws.Status.WHITE_SPOT
    assert matrix.cell(STIPHOUT, world.carer.pk).status == ws.Status.WHITE_SPOT
    for code in (CENTRUM, BRANDEVOORT, STIPHOUT):
        cell = matrix.cell(code, world.grief.pk)
        assert cell.total == 0
        assert cell.is_white_spot


def test_national_only_offering_is_flagged_separately(world: World) -> None:
    matrix = ws.analyse()

    # The free national debt help suits; the paid and the untagged local services do not.
    for code in (CENTRUM, BRANDEVOORT, STIPHOUT):
        cell = matrix.cell(code, world.poor.pk)
        assert (cell.local, cell.national) == (0, 1)
        assert cell.is_national_only
        assert not cell.is_white_spot


def test_white_spots_are_ranked_by_group_size_times_loneliness(world: World) -> None:
    spots = ws.analyse().white_spots(include_national_only=False)

    assert [(c.district.code, c.persona.name) for c in spots] == [
        (BRANDEVOORT, "Mantelzorger"),  # 2000 x 40% = 800
        (BRANDEVOORT, "Na verlies"),  # 1000 x 40% = 400
        (CENTRUM, "Na verlies"),  # 300 x 50% = 150
        (STIPHOUT, "Mantelzorger"),  # no loneliness figure: after, by size 5000
        (STIPHOUT, "Na verlies"),  # size 200
    ]
    assert spots[0].estimated_lonely == pytest.approx(800)
    assert spots[3].estimated_lonely is None
    assert spots[3].size == 5000


def test_national_only_cells_follow_the_white_spots(world: World) -> None:
    spots = ws.analyse().white_spots()

    statuses = [c.status for c in spots]
    assert statuses == sorted(statuses, key=lambda s: s != ws.Status.WHITE_SPOT)
    assert statuses.count(ws.Status.NATIONAL_ONLY) == 4  # the poor x 3, the old in Stiphout


def test_offering_for_everyone_counts_when_the_persona_says_so(world: World) -> None:
    everyone = persona("Iedereen die wil", ["youth", "everyone"], ["meeting"])

    cell = ws.analyse(personas=[everyone], district_codes=[STIPHOUT]).cell(STIPHOUT, everyone.pk)

    assert (cell.local, cell.municipality) == (1, 1)  # "Koffie voor iedereen" now counts
    assert cell.general == 0


def test_filters_limit_the_matrix(world: World) -> None:
    matrix = ws.analyse(personas=[world.old], district_codes=[STIPHOUT])

    assert [d.code for d in matrix.districts] == [STIPHOUT]
    assert list(matrix.cells) == [(STIPHOUT, world.old.pk)]


def test_figures_are_the_newest_real_ones_of_the_same_classification(world: World) -> None:
    figure(STIPHOUT, "lonely", 30.0, period=2020)
    figure(STIPHOUT, "lonely", 35.0, period=2024, area_year=2022)
    figure(STIPHOUT, "lonely", 33.0, period=2022, is_generated=True, source="demo")
    figure(STIPHOUT, "lonely", 31.0, period=2022, source="rivm")

    cell = ws.analyse(personas=[world.old]).cell(STIPHOUT, world.old.pk)

    assert cell.lonely is not None
    assert cell.lonely.value == 31.0  # real beats generated; classification 2022 is not joined
    assert not cell.has_generated_figures


def test_a_figure_of_another_classification_is_not_used(world: World) -> None:
    figure(STIPHOUT, "lonely", 35.0, area_year=2022)

    cell = ws.analyse(personas=[world.old]).cell(STIPHOUT, world.old.pk)

    assert cell.lonely is None


def test_generated_figures_are_marked(world: World) -> None:
    AreaFigure.objects.filter(area_code=BRANDEVOORT, indicator="lonely").update(is_generated=True)

    cell = ws.analyse(personas=[world.carer]).cell(BRANDEVOORT, world.carer.pk)

    assert cell.has_generated_figures


def test_a_size_in_percent_is_turned_into_people(world: World) -> None:
    migrants = persona("Nieuwkomer", ["migration_background"], ["social_skills"])
    migrants.size_indicator = "non_western_migration"
    migrants.save()
    figure(CENTRUM, "non_western_migration", 10.0, unit="percent")
    figure(CENTRUM, "residents", 8000)

    cell = ws.analyse(personas=[migrants]).cell(CENTRUM, migrants.pk)

    assert cell.size == pytest.approx(800)
    assert cell.size_from_percent
    assert cell.estimated_lonely == pytest.approx(400)


def test_a_share_of_households_is_taken_of_the_households(world: World) -> None:
    poor = world.poor
    poor.size_indicator = "share_low_income_households"
    poor.save()
    figure(CENTRUM, "share_low_income_households", 12.5, unit="percent")
    figure(CENTRUM, "households", 4000)
    figure(CENTRUM, "residents", 9000)

    cell = ws.analyse(personas=[poor]).cell(CENTRUM, poor.pk)

    assert cell.size == pytest.approx(500)


def test_missing_figures_leave_the_size_unknown(world: World) -> None:
    cell = ws.analyse(personas=[world.old]).cell(STIPHOUT, world.old.pk)

    assert cell.size is None
    assert cell.lonely is None
    assert cell.estimated_lonely is None


def test_suitable_services_of_one_cell(world: World) -> None:
    found = ws.suitable_services(world.old, CENTRUM)

    assert [s.name for s in found["local"]] == ["Maatje Centrum"]
    assert [s.name for s in found["national"]] == ["Zilverlijn"]
    assert found["municipality"] == []
    general = ws.suitable_services(world.young, STIPHOUT)["general"]
    assert [s.name for s in general] == ["Koffie voor iedereen"]


def test_a_cell_lists_the_first_services_by_name(world: World) -> None:
    for name in ("Maatje C", "Maatje A", "Maatje B"):
        service(
            name,
            areas=(CENTRUM,),
            tags={"target_group": ["age_75_plus"], "support_kind": ["personal_contact"]},
        )

    found = ws.suitable_services(world.old, CENTRUM, limit=2)

    assert [s.name for s in found["local"]] == ["Maatje A", "Maatje B"]


def test_no_districts_gives_an_empty_matrix(db: None) -> None:
    persona("Jongere", ["youth"], ["meeting"])

    matrix = ws.analyse()

    assert matrix.year is None
    assert matrix.cells == {}


# -- following the kaart's catalogue ---------------------------------------------------------------


def test_white_spots_follow_the_kaart_catalogue_without_a_full_build(
    world: World,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    provider_editor: User,
) -> None:
    """White spots read the services from the kaart's catalogue: an edit through the directory
    reaches them through the catalogue's incremental update, and a service that stops being
    visible stops counting (its place in the catalogue stays, hidden)."""
    settings.OMZIEN_CATALOGUE_MAX_AGE = 300  # kept between uses, as in production
    catalogue.bump()
    try:
        built = catalogue.get_catalogue()
        assert ws.analyse().cell(STIPHOUT, world.old.pk).status == ws.Status.NATIONAL_ONLY
        ended = Service.objects.get(name="Opgeheven maatje")

        def edit(status: str) -> None:
            data = services.service_data(ended)
            data.status = status
            with django_capture_on_commit_callbacks(execute=True):
                services.update_service(ended, data, provider_editor)

        with mock.patch.object(
            catalogue.Catalogue, "build", wraps=catalogue.Catalogue.build
        ) as full_build:
            edit("active")
            cell = ws.analyse().cell(STIPHOUT, world.old.pk)
            assert (cell.local, cell.status) == (1, ws.Status.COVERED)
            local = ws.suitable_services(world.old, STIPHOUT)["local"]
            assert [s.name for s in local] == ["Opgeheven maatje"]

            edit("inactive")
            cell = ws.analyse().cell(STIPHOUT, world.old.pk)
            assert (cell.local, cell.status) == (0, ws.Status.NATIONAL_ONLY)
            assert ws.suitable_services(world.old, STIPHOUT)["local"] == []
        full_build.assert_not_called()
        current = catalogue.get_catalogue()
        assert current is not built and current.built_at == built.built_at
        assert not current.visible[current.positions[ended.id]]

        # A change the catalogue has not been told of shows neither on the kaart nor here;
        # once the search index tells it, it shows on both.
        Service.objects.filter(pk=ended.pk).update(status="active")
        assert ended.name not in kaart_names(STIPHOUT)
        assert ws.analyse().cell(STIPHOUT, world.old.pk).local == 0
        get_backend().index_services([ended.id])
        assert ended.name in kaart_names(STIPHOUT)
        assert ws.analyse().cell(STIPHOUT, world.old.pk).local == 1
    finally:
        catalogue.bump()


def kaart_names(district: str) -> set[str]:
    found = search_services(SearchParams(district=district))
    return {service.name for service in found.page.object_list}


def test_the_catalogue_has_every_vocabulary_white_spots_use() -> None:
    columns = catalogue.Catalogue.build(None).term_columns().values()
    for key in ("target_group", "support_kind", *ws.CHARACTERISTIC_KEYS):
        assert any(column.startswith(f"term:{key}:") for column in columns), key


# -- overlap -------------------------------------------------------------------------------------

COFFEE = {"support_kind": ["meeting"], "target_group": ["older_adults"], "form": ["group"]}
COFFEE_TEXT = (
    "Elke dinsdag samen koffie drinken en een praatje maken in het buurthuis. "
    "Iedereen van 55 jaar en ouder is welkom."
)


@pytest.fixture
def coffee(world: World) -> dict[str, Service]:
    made = {
        "brug": service(
            "Koffieochtend De Brug", areas=(STIPHOUT,), tags=COFFEE, description=COFFEE_TEXT
        ),
        "trefpunt": service(
            "Koffieochtend Het Trefpunt",
            areas=(STIPHOUT,),
            tags=COFFEE,
            description=COFFEE_TEXT.replace("dinsdag", "woensdag"),
        ),
        "lindehof": service(
            "Koffieochtend De Lindehof",
            scope=ServiceScope.NEIGHBOURHOOD,
            areas=("BU07940301",),
            tags=COFFEE,
            description=COFFEE_TEXT + " Gratis.",
        ),
        # Same signature, other words: not alike.
        "walk": service(
            "Wandelgroep Stiphout",
            areas=(STIPHOUT,),
            tags=COFFEE,
            # Shares the welcome with the coffee mornings (Jaccard 0.4): not enough.
            description=(
                "Elke dinsdag samen wandelen door het park, ook als het regent. "
                "Iedereen van 55 jaar en ouder is welkom."
            ),
        ),
        # Alike words, other form: another signature.
        "alone": service(
            "Koffie aan huis",
            areas=(STIPHOUT,),
            tags={**COFFEE, "form": ["individual"]},
            description=COFFEE_TEXT,
        ),
        # Two in Centrum and one for the whole municipality make three there too.
        "centrum1": service(
            "Koffieochtend Centrum", areas=(CENTRUM,), tags=COFFEE, description=COFFEE_TEXT
        ),
        "centrum2": service(
            "Koffieochtend Markt", areas=(CENTRUM,), tags=COFFEE, description=COFFEE_TEXT
        ),
        "wide": service(
            "Koffieochtend voor heel Helmond",
            scope=ServiceScope.MUNICIPALITY,
            areas=("GM0794",),
            tags=COFFEE,
            description=COFFEE_TEXT,
        ),
        # National services are not the municipality's overlap.
        "national": service(
            "Landelijke koffielijn",
            scope=ServiceScope.NATIONAL,
            areas=("NL",),
            tags=COFFEE,
            description=COFFEE_TEXT,
        ),
    }
    # Three different services with one signature in Brandevoort: no overlap.
    for name, text in (
        ("Schaakclub", "Schaken op vrijdagavond in de bibliotheek voor beginners en gevorderden."),
        ("Zangkoor", "Zingen met anderen in een koor; u hoeft geen noten te kunnen lezen."),
        ("Tuinclub", "Samen de moestuin bijhouden en de oogst delen met buren."),
    ):
        welcome = " Iedereen van 55 jaar en ouder is welkom."
        made[name] = service(name, areas=(BRANDEVOORT,), tags=COFFEE, description=text + welcome)
    return made


def names(group: ws.OverlapGroup) -> set[str]:
    return {s.name for s in group.services}


def test_three_alike_services_in_one_district_are_overlap(coffee: dict[str, Service]) -> None:
    groups = {g.area_code: g for g in ws.find_overlap()}

    assert set(groups) == {STIPHOUT, CENTRUM}
    assert names(groups[STIPHOUT]) == {
        "Koffieochtend De Brug",
        "Koffieochtend Het Trefpunt",
        "Koffieochtend De Lindehof",
        "Koffieochtend voor heel Helmond",
    }
    assert names(groups[CENTRUM]) == {
        "Koffieochtend Centrum",
        "Koffieochtend Markt",
        "Koffieochtend voor heel Helmond",
    }
    assert groups[STIPHOUT].signature == {
        "support_kind": ["meeting"],
        "target_group": ["older_adults"],
        "form": ["group"],
    }
    # Biggest first.
    assert [g.area_code for g in ws.find_overlap()] == [STIPHOUT, CENTRUM]


def test_different_services_are_no_overlap(coffee: dict[str, Service]) -> None:
    assert ws.find_overlap(district_codes=[BRANDEVOORT], include_municipality=False) == []
    assert not any(g.area_code == BRANDEVOORT for g in ws.find_overlap())


def test_two_alike_services_are_not_yet_overlap(coffee: dict[str, Service]) -> None:
    Service.objects.filter(pk=coffee["wide"].pk).update(is_published=False)

    groups = ws.find_overlap()

    assert [g.area_code for g in groups] == [STIPHOUT]
    assert len(groups[0].services) == 3


def test_alike_services_for_the_whole_municipality_are_one_group(
    coffee: dict[str, Service],
) -> None:
    for name in ("Tweede", "Derde"):
        service(
            f"Koffieochtend {name} gemeente",
            scope=ServiceScope.MUNICIPALITY,
            areas=("GM0794",),
            tags=COFFEE,
            description=COFFEE_TEXT,
        )

    groups = ws.find_overlap(district_codes=[])

    assert [g.area_code for g in groups] == [ws.MUNICIPALITY_AREA]
    assert len(groups[0].services) == 3


def test_overlap_of_one_district(coffee: dict[str, Service]) -> None:
    groups = ws.find_overlap(district_codes=[CENTRUM], include_municipality=False)

    assert [g.area_code for g in groups] == [CENTRUM]


def test_tokens_are_dutch_stems_without_stop_words() -> None:
    assert ws.tokens("De gesprekken van het Buurthuis") == ws.tokens("gesprek buurthuis")
    assert ws.jaccard(frozenset({"a", "b"}), frozenset({"b", "c"})) == pytest.approx(1 / 3)
    assert ws.jaccard(frozenset(), frozenset()) == 0.0


def test_prefix_filtered_clusters_match_comparing_every_pair() -> None:
    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(12)]
    sets = [frozenset(rng.sample(vocabulary, rng.randint(1, 6))) for _ in range(150)]
    token_sets = dict(enumerate(sets))
    order = {t: i for i, t in enumerate(reversed(vocabulary))}

    clusters = ws._WideClusters.build(list(token_sets), token_sets, order)
    found = {frozenset(c) for c in clusters.alone()}

    union = ws._UnionFind(len(sets))
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            if ws.jaccard(sets[i], sets[j]) >= ws.OVERLAP_SIMILARITY:
                union.union(i, j)
    expected_groups: dict[int, set[int]] = {}
    for i in range(len(sets)):
        expected_groups.setdefault(union.find(i), set()).add(i)
    expected = {frozenset(g) for g in expected_groups.values() if len(g) >= ws.OVERLAP_MIN_SERVICES}
    assert found == expected
    assert found  # the test data does hold groups


def test_the_prefix_length_survives_rounding() -> None:
    # 0.7 * 10 is 7.000000000000001 in floating point; the prefix must still be 4 tokens.
    assert ws._prefix_length(10, 0.7) == 4
    assert ws._prefix_length(4, 0.5) == 3


# -- default personas ----------------------------------------------------------------------------


def test_default_personas_use_codes_of_the_vocabularies() -> None:
    for data in DEFAULT_PERSONAS:
        known_targets = {code for code, *_ in BY_KEY["target_group"].terms}
        known_support = {code for code, *_ in BY_KEY["support_kind"].terms}
        assert set(data.target_groups) <= known_targets, data.name
        assert set(data.support_kinds) <= known_support, data.name
        for key, codes in data.characteristics.items():
            assert key in ws.CHARACTERISTIC_KEYS
            assert set(codes) <= {code for code, *_ in BY_KEY[key].terms}
        assert data.size_indicator in ws.SIZE_INDICATORS


def test_default_personas_are_made_once(db: None) -> None:
    first = ensure_default_personas()
    Persona.objects.filter(name=first[0].name).update(description="Aangepast door beleid.")

    second = ensure_default_personas()

    assert len(first) == len(DEFAULT_PERSONAS) >= 6
    assert second == []
    assert Persona.objects.count() == len(DEFAULT_PERSONAS)
    assert Persona.objects.get(name=first[0].name).description == "Aangepast door beleid."
    assert demo_personas()[0].startswith("Personas:")


def test_a_persona_with_unknown_codes_is_refused(db: None) -> None:
    data = PersonaData(
        name="Onbekend",
        target_groups=["aliens"],
        support_kinds=["meeting", "flying"],
        characteristics={"place": ["moon"], "colour": ["red"]},
        size_indicator="number_of_cats",
    )

    with pytest.raises(ValidationError) as raised:
        create_persona(data)

    errors = raised.value.message_dict
    assert errors["target_groups"] == [
        "'aliens' is geen bekende code voor doelgroep. Kies uit de lijst."
    ]
    assert errors["support_kinds"] == [
        "'flying' is geen bekende code voor soort steun. Kies uit de lijst."
    ]
    assert "'moon' is geen bekende code voor waar" in errors["characteristic_place"][0]
    assert "'colour' is geen kenmerk" in errors["characteristics"][0]
    assert "number_of_cats" in errors["size_indicator"][0]
    assert not Persona.objects.exists()


def test_a_persona_needs_a_target_group_and_a_kind_of_support(db: None) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_persona(PersonaData(name=""))

    errors = raised.value.message_dict
    assert errors["name"] == ["Geef de persona een naam."]
    assert errors["target_groups"] == ["Kies minstens één doelgroep."]
    assert errors["support_kinds"] == ["Kies minstens één soort steun."]
