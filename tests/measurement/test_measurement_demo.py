"""The demo measurements behind "what works": generated, consistent, safe to load twice."""

from __future__ import annotations

from django.utils import timezone

import pytest

from omzien.accounts import demo as accounts_demo
from omzien.accounts.demo import PROVIDER, WELFARE
from omzien.accounts.models import Organisation
from omzien.directory import demo as directory_demo
from omzien.directory import models as directory
from omzien.directory.vocabularies import ensure_vocabularies
from omzien.insight import demo as insight_demo
from omzien.measurement import demo, scales
from omzien.measurement.effects import intervention_effects
from omzien.measurement.models import Measurement, Participant, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_directory() -> None:
    """What runs before this loader in `omzien demo-data`: accounts and the sociale kaart
    (without the 180 generated local services, which the measurements do not use)."""
    accounts_demo.load()
    ensure_vocabularies(directory.Taxonomy, directory.TaxonomyTerm)
    directory_demo.load_national()
    directory_demo.load_provider_services()


def counts() -> tuple[int, int, int]:
    return Participant.objects.count(), Measurement.objects.count(), Story.objects.count()


def test_it_loads_eight_interventions_of_the_provider_and_the_welfare_organisation(
    demo_directory: None,
) -> None:
    lines = demo.load()

    assert any(line.startswith("Measurements (generated demo): 8 interventions") for line in lines)
    services = set(Measurement.objects.values_list("service_id", flat=True))
    assert len(services) == 8
    provider = Organisation.objects.get(name=PROVIDER)
    welfare = Organisation.objects.get(name=WELFARE)
    own = set(
        directory.Service.objects.filter(organization__owner=provider).values_list("pk", flat=True)
    )
    by_provider = set(
        Measurement.objects.filter(organisation=provider).values_list("service_id", flat=True)
    )
    assert by_provider == own and len(own) == 6
    assert (
        Measurement.objects.filter(organisation=welfare).values("service").distinct().count() == 2
    )
    assert all(
        code.startswith("DEMO-") for code in Participant.objects.values_list("code", flat=True)
    )


def test_answers_and_scores_agree_and_fall_in_the_last_twelve_months(demo_directory: None) -> None:
    demo.load()

    measurements = list(Measurement.objects.all())
    assert {m.scale for m in measurements} == {"djg11", "djg6"}
    assert {m.moment for m in measurements} == {"start", "end", "follow_up"}
    today = timezone.localdate()
    for measurement in measurements:
        result = scales.score(measurement.scale, measurement.answers)
        assert measurement.total == result.total
        assert measurement.category == (result.category or "")
        assert (measurement.emotional, measurement.social) == (result.emotional, result.social)
        assert measurement.complete
        assert 0 <= (today - measurement.taken_on).days <= 366


def test_some_interventions_show_figures_and_one_is_suppressed(demo_directory: None) -> None:
    demo.load()

    effects = intervention_effects("djg11")
    with_figures = [e for e in effects if e.enough_data]
    suppressed = [e for e in effects if not e.enough_data]
    assert len(with_figures) >= 5
    assert len(suppressed) == 1 and suppressed[0].summary.n == 3
    changes = [e.summary.change.mean for e in with_figures if e.summary.change is not None]
    assert min(changes) < -1.5  # one clearly helps
    assert any(
        e.summary.change is not None
        and e.summary.change.ci_low is not None
        and e.summary.change.ci_low < 0 < (e.summary.change.ci_high or 0)
        for e in with_figures
    )  # and one shows no clear change
    assert any(e.enough_data for e in intervention_effects("djg6"))
    assert any(e.summary.n_dropped > 0 for e in effects)


def test_stories_are_marked_as_demo_and_not_all_may_be_published(demo_directory: None) -> None:
    demo.load()

    stories = list(Story.objects.all())
    assert 10 <= len(stories) <= 15
    assert all(story.text.endswith("(demo)") for story in stories)
    assert any(not story.may_publish for story in stories)
    assert any(story.may_publish for story in stories)


def test_running_it_twice_changes_nothing(demo_directory: None) -> None:
    demo.load()
    first = counts()
    totals = sorted(Measurement.objects.values_list("total", flat=True))

    lines = demo.load()

    assert counts() == first
    assert sorted(Measurement.objects.values_list("total", flat=True)) == totals
    assert "0 new measurements" in lines[0]


def test_it_also_loads_the_other_demo_figures_when_they_exist(demo_directory: None) -> None:
    # The area figures and personas are insight's; `omzien demo-data` runs its loader next.
    lines = demo.load() + insight_demo.load()

    assert any(line.startswith("Personas") for line in lines)
    assert any(line.startswith("Area figures") for line in lines)


def test_without_the_sociale_kaart_it_says_so_instead_of_failing(db: None) -> None:
    lines = demo.load()

    assert "no demo services found" in lines[0]
    assert Measurement.objects.count() == 0
