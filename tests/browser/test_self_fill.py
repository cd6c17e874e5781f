"""A participant fills in the 6-item loneliness scale on a small phone through a one-time link."""

from __future__ import annotations

from typing import Any

from django.urls import include, path

import pytest

from omzien import urls as root_urls
from omzien.accounts.roles import OrganisationType, Role
from omzien.measurement import scales, services
from omzien.measurement.models import Invitation, Measurement
from omzien.measurement.urls_record import public_urlpatterns, staff_urlpatterns
from tests.browser.conftest import axe_violations
from tests.factories import (
    DirectoryOrganizationFactory,
    MembershipFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
)

# The measurement routes in front of the project's own (the same names either way).
urlpatterns = [
    path("metingen/", include(staff_urlpatterns)),
    path("vragenlijst/", include(public_urlpatterns)),
    *root_urls.urlpatterns,
]
handler404 = root_urls.handler404

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]

# In the scale's order (items 3, 4, 7, 8, 9, 10 of the 11-item scale): negative, positive,
# positive, positive, negative, negative. Scores: 1 + 1 + 1 + 0 + 1 + 0 = 4; emotional
# (1, 5, 6) = 2; social (2, 3, 4) = 2.
ANSWERS = ["Ja", "Nee", "Min of meer", "Ja", "Min of meer", "Nee"]


@pytest.fixture
def link(live_server: Any) -> tuple[str, Invitation]:
    organisation = OrganisationFactory(name="Buurtkracht", type=OrganisationType.PROVIDER)
    editor = UserFactory(email="redacteur@buurtkracht.example")
    MembershipFactory(user=editor, organisation=organisation, role=Role.PROVIDER_EDITOR)
    service = ServiceFactory(
        organization=DirectoryOrganizationFactory(name="Buurtkracht", owner=organisation),
        name="Samen aan tafel",
    )
    participant = services.create_participant(
        organisation=organisation, actor=editor, service=service
    )
    invitation, token = services.create_invitation(
        participant, actor=editor, scale="djg6", moment="start"
    )
    return f"/vragenlijst/{token}/", invitation


def test_a_participant_fills_in_the_scale_on_a_small_phone(
    phone_page: Any, link: tuple[str, Invitation]
) -> None:
    url, invitation = link
    page = phone_page
    page.goto(url)
    assert page.locator("h1").inner_text() == "Vragen over hoe u zich voelt"
    assert "Samen aan tafel" in page.locator(".omzien-selffill__from").inner_text()
    assert invitation.participant.code not in page.content()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert axe_violations(page) == []

    questions = page.locator("fieldset.omzien-question")
    assert questions.count() == len(scales.DJG6.items)
    for index, answer in enumerate(ANSWERS):
        label = questions.nth(index).get_by_text(answer, exact=True)
        box = label.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
        label.click()
        assert questions.nth(index).locator("input:checked").count() == 1

    page.get_by_role("button", name="Antwoorden versturen").click()
    page.wait_for_url("**/vragenlijst/bedankt/")
    assert page.locator("h1").inner_text() == "Dank u wel!"

    measurement = Measurement.objects.get()
    assert measurement.mode == "self"
    assert measurement.scale == "djg6"
    assert measurement.moment == "start"
    assert measurement.answers == ["ja", "nee", "min of meer", "ja", "min of meer", "nee"]
    assert (measurement.total, measurement.emotional, measurement.social) == (4, 2, 2)
    assert measurement.category == "matig_eenzaam"
    assert measurement.complete is True

    # The link works once: opening it again says so, and nothing more is stored.
    page.goto(url)
    assert "al ingevuld" in page.locator("h1").inner_text()
    assert Measurement.objects.count() == 1


def test_a_forgotten_question_is_pointed_out_and_the_page_stays_accessible(
    phone_page: Any, link: tuple[str, Invitation]
) -> None:
    url, invitation = link
    page = phone_page
    page.goto(url)
    questions = page.locator("fieldset.omzien-question")
    for index, answer in enumerate(ANSWERS[:-1]):
        questions.nth(index).get_by_text(answer, exact=True).click()
    page.get_by_role("button", name="Antwoorden versturen").click()
    summary = page.locator("#foutmeldingen")
    assert summary.is_visible()
    assert "Vraag 6 van 6: Kies een antwoord." in summary.inner_text()
    # The answers given stay chosen.
    assert page.locator("fieldset.omzien-question input:checked").count() == 5
    assert axe_violations(page) == []
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert not Measurement.objects.exists()
