"""Measuring where the work happens: participants, answers, one-time links, paper and stories.

The routes are included here in front of the project's own, so these tests run whether or not
the project's urls.py includes them yet (the names are the same either way).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Any

from django.core.cache import cache
from django.urls import include, path, reverse
from django.utils import timezone

import pytest

from omzien import urls as root_urls
from omzien.accounts.models import Organisation, User
from omzien.audit.models import AuditEvent
from omzien.measurement import scales, services
from omzien.measurement.models import Invitation, Measurement, Participant, Story
from omzien.measurement.urls_record import public_urlpatterns, staff_urlpatterns
from omzien.measurement.views_record import qr_data_uri
from tests.factories import DirectoryOrganizationFactory, ServiceFactory, make_case

urlpatterns = [
    path("metingen/", include(staff_urlpatterns)),
    path("vragenlijst/", include(public_urlpatterns)),
    *root_urls.urlpatterns,
]
handler404 = root_urls.handler404
handler403 = root_urls.handler403

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CODE = re.compile(rf"^D-[{services.CODE_ALPHABET}]{{6}}$")
# De Jong Gierveld 6 items, in the scale's order (items 3, 4, 7, 8, 9, 10 of the 11-item scale):
# negative, positive, positive, positive, negative, negative.
DJG6_ANSWERS = ["ja", "nee", "min of meer", "ja", "min of meer", "nee"]
# ja (neg) 1, nee (pos) 1, min of meer (pos) 1, ja (pos) 0, min of meer (neg) 1, nee (neg) 0
DJG6_TOTAL, DJG6_EMOTIONAL, DJG6_SOCIAL = 4, 2, 2


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def provider_service(provider_org: Organisation) -> Any:
    organization = DirectoryOrganizationFactory(name="Stichting Samen", owner=provider_org)
    return ServiceFactory(organization=organization, name="Wandelgroep De Stap")


@pytest.fixture
def welfare_service(welfare_a: Organisation) -> Any:
    organization = DirectoryOrganizationFactory(name="Welzijn A aanbod", owner=welfare_a)
    return ServiceFactory(organization=organization, name="Maatjesproject")


@pytest.fixture
def participant(provider_org: Organisation, provider_editor: User, provider_service: Any) -> Any:
    return services.create_participant(
        organisation=provider_org, actor=provider_editor, service=provider_service
    )


def _answers_post(answers: list[Any], **extra: Any) -> dict[str, Any]:
    data = {f"q{i}": services_value(answer) for i, answer in enumerate(answers, start=1)}
    data.update(extra)
    return data


def services_value(answer: Any) -> str:
    from omzien.measurement.forms import MISSING

    return MISSING if answer is None else str(answer)


def _record(
    client: Any,
    participant: Any,
    answers: list[Any],
    scale: str = "djg6",
    follow: bool = False,
    **extra: Any,
) -> Any:
    data = _answers_post(
        answers,
        moment=extra.pop("moment", "start"),
        taken_on=extra.pop("taken_on", timezone.localdate().isoformat()),
        mode=extra.pop("mode", "staff"),
        **extra,
    )
    return client.post(reverse("measure_record", args=[participant.pk, scale]), data, follow=follow)


def _invite(client: Any, participant: Any, scale: str = "djg6", moment: str = "start") -> str:
    response = client.post(
        reverse("measure_invite", args=[participant.pk]), {"scale": scale, "moment": moment}
    )
    assert response.status_code == 200
    match = re.search(r"/vragenlijst/([A-Za-z0-9_-]{20,})/", response.content.decode())
    assert match, "the page shows the one-time link"
    return match.group(1)


# --- participants ------------------------------------------------------------------------------


def test_a_provider_editor_creates_a_participant_with_a_generated_code(
    client: Any, provider_editor: User, provider_org: Organisation, provider_service: Any
) -> None:
    client.force_login(provider_editor)
    page = client.get(reverse("measure_participant_create"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Vul hier geen naam in" in content
    assert "Wandelgroep De Stap" in content
    assert 'name="case_number"' not in content  # provider editors do not work on cases

    response = client.post(
        reverse("measure_participant_create"), {"service": str(provider_service.pk)}
    )
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("measure_participant", args=[participant.pk])
    assert CODE.match(participant.code)
    assert participant.organisation == provider_org
    assert participant.service == provider_service
    assert participant.created_by == provider_editor
    event = AuditEvent.objects.get(action="measurement.create")
    assert event.object_id == str(participant.pk)
    assert event.details == {
        "record": "participant",
        "service": str(provider_service.pk),
        "case_linked": False,
    }


def test_codes_are_unique_per_organisation(
    monkeypatch: pytest.MonkeyPatch,
    provider_editor: User,
    provider_org: Organisation,
    case_worker_a: User,
    welfare_a: Organisation,
) -> None:
    codes = iter(["D-AAAAAA", "D-AAAAAA", "D-CCCCCC", "D-AAAAAA"])
    monkeypatch.setattr(services, "generate_code", lambda: next(codes))
    first = services.create_participant(organisation=provider_org, actor=provider_editor)
    second = services.create_participant(organisation=provider_org, actor=provider_editor)
    other = services.create_participant(organisation=welfare_a, actor=case_worker_a)
    assert first.code == "D-AAAAAA"
    assert second.code == "D-CCCCCC"  # the taken code was skipped
    assert other.code == "D-AAAAAA"  # another organisation may have the same code


def test_generated_codes_use_the_unambiguous_alphabet() -> None:
    for _ in range(200):
        code = services.generate_code()
        assert CODE.match(code)
        assert not set(code[2:]) & set("0O1IL5S2Z8BUV")


def test_a_service_of_another_organisation_cannot_be_the_intervention(
    client: Any, provider_editor: User, welfare_service: Any
) -> None:
    client.force_login(provider_editor)
    response = client.post(
        reverse("measure_participant_create"), {"service": str(welfare_service.pk)}
    )
    assert response.status_code == 200
    assert "Kies aanbod uit de lijst" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_case_worker_links_a_case_of_their_own_organisation_only(
    client: Any, case_worker_a: User, welfare_a: Organisation, welfare_b: Organisation
) -> None:
    own = make_case(welfare_a)
    other = make_case(welfare_b, person_phone="0687654321", person_postcode="5702BB")
    client.force_login(case_worker_a)
    assert (
        'name="case_number"' in client.get(reverse("measure_participant_create")).content.decode()
    )

    refused = client.post(reverse("measure_participant_create"), {"case_number": str(other.pk)})
    assert refused.status_code == 200
    assert "Deze casus vinden we niet" in refused.content.decode()
    assert not Participant.objects.exists()

    client.post(reverse("measure_participant_create"), {"case_number": str(own.pk)})
    participant = Participant.objects.get()
    assert participant.case == own
    assert participant.organisation == welfare_a
    page = client.get(reverse("measure_participant", args=[participant.pk]))
    assert reverse("cases:detail", args=[own.pk]) in page.content.decode()


def test_the_list_shows_codes_and_counts_per_moment_of_the_own_organisation_only(
    client: Any,
    provider_editor: User,
    participant: Any,
    case_worker_b: User,
    welfare_b: Organisation,
) -> None:
    foreign = services.create_participant(organisation=welfare_b, actor=case_worker_b)
    for moment in ("start", "end", "end"):
        services.record_measurement(
            participant,
            actor=provider_editor,
            scale="djg6",
            moment=moment,
            mode="staff",
            answers=DJG6_ANSWERS,
            taken_on=timezone.localdate(),
        )
    client.force_login(provider_editor)
    response = client.get(reverse("measure_list"))
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [p.code for p in rows] == [participant.code]
    assert (rows[0].n_start, rows[0].n_end, rows[0].n_follow_up) == (1, 2, 0)
    assert foreign.code not in response.content.decode()


def test_changing_the_intervention_moves_the_measurements(
    client: Any, provider_editor: User, participant: Any, provider_org: Organisation
) -> None:
    services.record_measurement(
        participant,
        actor=provider_editor,
        scale="djg6",
        moment="start",
        mode="staff",
        answers=DJG6_ANSWERS,
        taken_on=timezone.localdate(),
    )
    other = ServiceFactory(organization=participant.service.organization, name="Koffie-ochtend")
    client.force_login(provider_editor)
    response = client.post(
        reverse("measure_participant_edit", args=[participant.pk]), {"service": str(other.pk)}
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.service == other
    assert Measurement.objects.get().service == other
    event = AuditEvent.objects.get(action="measurement.update")
    assert event.details["changed"] == ["service"]


# --- recording answers -------------------------------------------------------------------------


def test_recording_djg6_answers_stores_the_score(
    client: Any, provider_editor: User, participant: Any, provider_org: Organisation
) -> None:
    client.force_login(provider_editor)
    form = client.get(reverse("measure_record", args=[participant.pk, "djg6"]))
    assert form.status_code == 200
    content = form.content.decode()
    for item in scales.DJG6.items:
        assert item.text.nl in content
    assert "Weet niet / geen antwoord" in content
    assert 'value="nee!"' not in content  # the 3-point form unless asked

    response = _record(client, participant, DJG6_ANSWERS, taken_on="2026-01-05")
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.participant == participant
    assert (measurement.total, measurement.emotional, measurement.social) == (
        DJG6_TOTAL,
        DJG6_EMOTIONAL,
        DJG6_SOCIAL,
    )
    assert measurement.category == "matig_eenzaam"
    assert measurement.complete is True
    assert measurement.reason == ""
    assert measurement.answers == DJG6_ANSWERS
    assert measurement.scale == "djg6"
    assert measurement.moment == "start"
    assert measurement.mode == "staff"
    assert measurement.taken_on == dt.date(2026, 1, 5)
    assert measurement.service == participant.service
    assert measurement.organisation == provider_org
    assert measurement.recorded_by == provider_editor
    event = AuditEvent.objects.get(
        action="measurement.create", object_type="measurement.measurement"
    )
    assert event.details == {
        "record": "measurement",
        "participant": participant.pk,
        "scale": "djg6",
        "moment": "start",
        "mode": "staff",
        "complete": True,
    }
    page = client.get(reverse("measure_participant", args=[participant.pk]))
    assert "4 (van 0 tot 6)" in page.content.decode()


def test_the_five_point_form_and_paper_mode(
    client: Any, provider_editor: User, participant: Any
) -> None:
    client.force_login(provider_editor)
    form = client.get(reverse("measure_record", args=[participant.pk, "djg6"]) + "?vorm=5")
    assert 'value="nee!"' in form.content.decode()
    answers = ["ja!", "nee!", "nee", "ja!", "nee", "nee!"]
    response = _record(client, participant, answers, vorm="5", mode="paper", moment="end")
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    # ja! (neg) 1, nee! (pos) 1, nee (pos) 1, ja! (pos) 0, nee (neg) 0, nee! (neg) 0
    assert (measurement.total, measurement.emotional, measurement.social) == (3, 1, 2)
    assert measurement.mode == "paper"
    assert measurement.moment == "end"


def test_ucla3_answers_are_stored_as_numbers(
    client: Any, provider_editor: User, participant: Any
) -> None:
    client.force_login(provider_editor)
    _record(client, participant, [3, 2, 3], scale="ucla3")
    measurement = Measurement.objects.get()
    assert measurement.answers == [3, 2, 3]
    assert measurement.total == 8
    assert measurement.category == ""


def test_one_missing_answer_is_stored_incomplete_with_the_reason(
    client: Any, provider_editor: User, participant: Any
) -> None:
    client.force_login(provider_editor)
    answers = ["ja", "nee", None, "ja", "min of meer", "nee"]
    response = _record(client, participant, answers)
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert measurement.complete is False
    assert measurement.answers == answers
    assert measurement.total == 3  # counted over the five answered items, nothing estimated
    assert measurement.social is None  # its item 3 is missing
    assert measurement.emotional == 2
    assert "Vraag 3 is niet beantwoord" in measurement.reason
    page = client.get(reverse("measure_participant", args=[participant.pk]), follow=True)
    content = page.content.decode()
    assert "Niet compleet" in content
    assert "Vraag 3 is niet beantwoord" in content


def test_two_missing_answers_give_no_score_but_are_kept(
    client: Any, provider_editor: User, participant: Any
) -> None:
    client.force_login(provider_editor)
    response = _record(client, participant, [None, "nee", None, "ja", "nee", "nee"], follow=True)
    measurement = Measurement.objects.get()
    assert measurement.total is None
    assert measurement.category == ""
    assert measurement.complete is False
    assert measurement.reason.startswith("Geen score")
    assert "geen uitkomst" in response.content.decode()


@pytest.mark.parametrize(
    ("taken_on", "message"),
    [
        (lambda: (timezone.localdate() + dt.timedelta(days=1)).isoformat(), "in de toekomst"),
        (lambda: "1900-05-01", "te ver terug"),
        (lambda: "31-02-2026", "Vul een datum in"),
    ],
)
def test_a_wrong_date_is_refused(
    client: Any, provider_editor: User, participant: Any, taken_on: Any, message: str
) -> None:
    client.force_login(provider_editor)
    response = _record(client, participant, DJG6_ANSWERS, taken_on=taken_on())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_every_question_needs_a_choice_and_labels_must_exist(
    client: Any, provider_editor: User, participant: Any
) -> None:
    client.force_login(provider_editor)
    data = _answers_post(DJG6_ANSWERS, moment="start", taken_on="2026-01-05", mode="staff")
    del data["q2"]
    data["q4"] = "misschien"
    response = client.post(reverse("measure_record", args=[participant.pk, "djg6"]), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Vraag 2 van 6: Kies een antwoord." in content
    assert "Vraag 4 van 6: Dit antwoord kan niet." in content
    assert 'href="#id_q2_0"' in content  # the error summary links to the question
    assert not Measurement.objects.exists()


def test_self_mode_cannot_be_typed_in_by_staff(
    client: Any, provider_editor: User, participant: Any
) -> None:
    client.force_login(provider_editor)
    response = _record(client, participant, DJG6_ANSWERS, mode="self")
    assert response.status_code == 200
    assert not Measurement.objects.exists()


def test_an_unknown_scale_is_404(client: Any, provider_editor: User, participant: Any) -> None:
    client.force_login(provider_editor)
    assert client.get(reverse("measure_record", args=[participant.pk, "phq9"])).status_code == 404
    assert client.get(reverse("measure_paper_form", args=["phq9"])).status_code == 404


def test_choosing_a_scale_leads_to_its_form(
    client: Any, provider_editor: User, participant: Any
) -> None:
    client.force_login(provider_editor)
    url = reverse("measure_record_choose", args=[participant.pk])
    assert client.get(url).status_code == 200
    response = client.get(url, {"scale": "djg11", "vorm": "5"})
    assert (
        response["Location"]
        == reverse("measure_record", args=[participant.pk, "djg11"]) + "?vorm=5"
    )
    response = client.get(url, {"scale": "direct", "vorm": "5"})
    assert response["Location"] == reverse("measure_record", args=[participant.pk, "direct"])


# --- access ------------------------------------------------------------------------------------


def test_another_organisations_participant_is_404(
    client: Any, case_worker_b: User, participant: Any
) -> None:
    client.force_login(case_worker_b)
    for name in (
        "measure_participant",
        "measure_participant_edit",
        "measure_record_choose",
        "measure_invite",
    ):
        assert client.get(reverse(name, args=[participant.pk])).status_code == 404, name
    response = _record(client, participant, DJG6_ANSWERS)
    assert response.status_code == 404
    response = client.post(
        reverse("measure_invite", args=[participant.pk]), {"scale": "djg6", "moment": "start"}
    )
    assert response.status_code == 404
    assert not Measurement.objects.exists()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["policy_officer", "outsider", "administrator"])
def test_roles_without_the_capability_get_403(
    client: Any, request: pytest.FixtureRequest, who: str, participant: Any
) -> None:
    client.force_login(request.getfixturevalue(who))
    urls = [
        reverse("measure_list"),
        reverse("measure_participant_create"),
        reverse("measure_participant", args=[participant.pk]),
        reverse("measure_record", args=[participant.pk, "djg6"]),
        reverse("measure_paper_form", args=["djg6"]),
        reverse("measure_stories"),
        reverse("measure_story_create"),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert _record(client, participant, DJG6_ANSWERS).status_code == 403
    assert not Measurement.objects.exists()


def test_anonymous_visitors_go_to_the_login_page(client: Any, participant: Any) -> None:
    for url in (
        reverse("measure_list"),
        reverse("measure_participant", args=[participant.pk]),
        reverse("measure_paper_form", args=["djg6"]),
        reverse("measure_stories"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_coordinators_record_in_their_own_organisation(
    client: Any, coordinator_a: User, welfare_a: Organisation, welfare_service: Any
) -> None:
    client.force_login(coordinator_a)
    client.post(reverse("measure_participant_create"), {"service": str(welfare_service.pk)})
    participant = Participant.objects.get()
    assert participant.organisation == welfare_a
    assert _record(client, participant, DJG6_ANSWERS).status_code == 302
    assert Measurement.objects.get().organisation == welfare_a


# --- one-time links ----------------------------------------------------------------------------


def test_a_one_time_link_works_once(
    client: Any, provider_editor: User, participant: Any, provider_org: Organisation
) -> None:
    client.force_login(provider_editor)
    token = _invite(client, participant)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == services.token_hash(token)
    assert token not in invitation.token_hash
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    assert invitation.expires_at - timezone.now() <= dt.timedelta(days=14)

    client.logout()
    url = reverse("measure_self_fill", args=[token])
    page = client.get(url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "Aanbieder C" in content  # the organisation's name
    assert "Wandelgroep De Stap" in content  # the intervention's name
    assert participant.code not in content  # nothing that points at the person
    assert scales.DJG_INSTRUCTION.nl in content
    for item in scales.DJG6.items:
        assert item.text.nl in content
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]

    response = client.post(url, _answers_post(DJG6_ANSWERS))
    assert response.status_code == 303
    assert response["Location"] == reverse("measure_self_fill_thanks")
    thanks = client.get(response["Location"])
    assert "Dank u wel" in thanks.content.decode()

    measurement = Measurement.objects.get()
    assert measurement.mode == "self"
    assert measurement.total == DJG6_TOTAL
    assert measurement.recorded_by is None
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert invitation.measurement == measurement
    event = AuditEvent.objects.get(
        action="measurement.create", object_type="measurement.measurement"
    )
    assert event.actor is None
    assert event.details["invitation"] == invitation.pk

    again = client.post(url, _answers_post(["nee"] * 6))
    assert again.status_code == 410
    assert "al ingevuld" in again.content.decode()
    assert Measurement.objects.count() == 1
    assert client.get(url).status_code == 410


def test_redeeming_twice_in_the_service_stores_once(
    participant: Any, provider_editor: User
) -> None:
    _invitation, token = services.create_invitation(
        participant, actor=provider_editor, scale="djg6", moment="end"
    )
    services.redeem_invitation(token, DJG6_ANSWERS)
    with pytest.raises(services.InvitationUsed):
        services.redeem_invitation(token, DJG6_ANSWERS)
    assert Measurement.objects.count() == 1


def test_wrong_answers_do_not_use_up_the_link(
    client: Any, participant: Any, provider_editor: User
) -> None:
    invitation, token = services.create_invitation(
        participant, actor=provider_editor, scale="djg6", moment="start"
    )
    url = reverse("measure_self_fill", args=[token])
    data = _answers_post(DJG6_ANSWERS)
    del data["q6"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Vraag 6 van 6: Kies een antwoord." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert not Measurement.objects.exists()


def test_an_expired_link_is_refused(client: Any, participant: Any, provider_editor: User) -> None:
    invitation, token = services.create_invitation(
        participant, actor=provider_editor, scale="djg6", moment="start"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    url = reverse("measure_self_fill", args=[token])
    page = client.get(url)
    assert page.status_code == 410
    assert "werkt niet meer" in page.content.decode()
    response = client.post(url, _answers_post(DJG6_ANSWERS))
    assert response.status_code == 410
    assert not Measurement.objects.exists()
    with pytest.raises(services.InvitationExpired):
        services.redeem_invitation(token, DJG6_ANSWERS)


def test_a_withdrawn_link_stops_working(
    client: Any, participant: Any, provider_editor: User
) -> None:
    client.force_login(provider_editor)
    token = _invite(client, participant)
    invitation = Invitation.objects.get()
    response = client.post(reverse("measure_invitation_withdraw", args=[invitation.pk]))
    assert response.status_code == 302
    client.logout()
    assert client.get(reverse("measure_self_fill", args=[token])).status_code == 410


def test_a_new_link_for_the_same_moment_replaces_the_open_one(
    participant: Any, provider_editor: User
) -> None:
    _first, old = services.create_invitation(
        participant, actor=provider_editor, scale="djg6", moment="start"
    )
    _second, new = services.create_invitation(
        participant, actor=provider_editor, scale="djg6", moment="start"
    )
    with pytest.raises(services.InvitationExpired):
        services.redeem_invitation(old, DJG6_ANSWERS)
    services.redeem_invitation(new, DJG6_ANSWERS)
    assert Measurement.objects.count() == 1


def test_a_wrong_token_is_404(client: Any, participant: Any, provider_editor: User) -> None:
    services.create_invitation(participant, actor=provider_editor, scale="djg6", moment="start")
    response = client.get(reverse("measure_self_fill", args=["x" * 32]))
    assert response.status_code == 404
    assert "Deze link klopt niet" in response.content.decode()
    assert (
        client.post(
            reverse("measure_self_fill", args=["x" * 32]), _answers_post(DJG6_ANSWERS)
        ).status_code
        == 404
    )
    assert not Measurement.objects.exists()


def test_the_link_is_shown_as_a_qr_code(
    client: Any, provider_editor: User, participant: Any
) -> None:
    client.force_login(provider_editor)
    response = client.post(
        reverse("measure_invite", args=[participant.pk]), {"scale": "djg6", "moment": "start"}
    )
    content = response.content.decode()
    assert response["Cache-Control"] == "no-store" or "no-store" in response["Cache-Control"]
    link = re.search(r'href="(http://testserver/vragenlijst/[^"]+)"', content).group(1)  # type: ignore[union-attr]
    src = re.search(r'src="(data:image/svg\+xml;base64,[^"]+)"', content).group(1)  # type: ignore[union-attr]
    assert src == qr_data_uri(link)
    svg = base64.b64decode(src.split(",", 1)[1]).decode()
    assert svg.lstrip().startswith("<svg")
    assert "<script" not in svg
    # The printed handout names the organisation and intervention, not the participant.
    handout = content.split('class="omzien-handout-card"', 1)[1]
    assert "Aanbieder C" in handout
    assert participant.code not in handout


def test_the_self_fill_page_is_rate_limited(
    client: Any, participant: Any, provider_editor: User
) -> None:
    _invitation, token = services.create_invitation(
        participant, actor=provider_editor, scale="djg6", moment="start"
    )
    url = reverse("measure_self_fill", args=[token])
    for _ in range(30):
        assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert "Probeer het over een uur" in response.content.decode()


# --- the paper form ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(scales.SCALES))
def test_the_paper_form_shows_every_item(client: Any, provider_editor: User, code: str) -> None:
    client.force_login(provider_editor)
    response = client.get(reverse("measure_paper_form", args=[code]))
    assert response.status_code == 200
    content = response.content.decode()
    scale = scales.SCALES[code]
    for item in scale.items:
        assert item.text.nl.replace("'", "&#x27;") in content
    assert content.count('class="omzien-paper__question"') == len(scale.items)
    assert "Deelnemerscode" in content
    assert content.count('class="omzien-paper__cell"') == services.CODE_LENGTH
    assert "Schrijf geen naam op dit formulier" in content
    assert "<script>" not in content and 'style="' not in content


def test_the_paper_form_offers_the_five_point_answers(client: Any, provider_editor: User) -> None:
    client.force_login(provider_editor)
    three = client.get(reverse("measure_paper_form", args=["djg11"])).content.decode()
    five = client.get(reverse("measure_paper_form", args=["djg11"]) + "?vorm=5").content.decode()
    assert "Nee!" not in three
    assert five.count("Nee!") == len(scales.DJG11.items)


# --- stories -----------------------------------------------------------------------------------


def test_stories_can_be_added_listed_changed_and_removed(
    client: Any, provider_editor: User, provider_service: Any, provider_org: Organisation
) -> None:
    client.force_login(provider_editor)
    form = client.get(reverse("measure_story_create") + f"?aanbod={provider_service.pk}")
    assert "Schrijf geen namen op" in form.content.decode()
    response = client.post(
        reverse("measure_story_create"),
        {
            "service": str(provider_service.pk),
            "author": "participant",
            "text": "Een deelnemer wandelt nu elke week mee en kent nu mensen in de buurt.",
            "may_publish": "on",
            "told_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.organisation == provider_org
    assert story.service == provider_service
    assert story.may_publish is True
    assert story.told_on == dt.date(2026, 2, 1)
    listing = client.get(reverse("measure_stories")).content.decode()
    assert "kent nu mensen in de buurt" in listing

    client.post(
        reverse("measure_story_edit", args=[story.pk]),
        {"author": "worker", "text": "Aangepast verhaal.", "told_on": "2026-02-02"},
    )
    story.refresh_from_db()
    assert (story.author, story.text, story.may_publish) == ("worker", "Aangepast verhaal.", False)
    assert story.service == provider_service  # the service of a story does not change

    assert client.get(reverse("measure_story_delete", args=[story.pk])).status_code == 200
    client.post(reverse("measure_story_delete", args=[story.pk]))
    assert not Story.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="measurement.story").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "measurement.story.create",
        "measurement.story.delete",
        "measurement.story.update",
    ]
    for details in AuditEvent.objects.values_list("details", flat=True):
        assert "text" not in details


def test_stories_are_checked_and_scoped(
    client: Any,
    provider_editor: User,
    provider_service: Any,
    welfare_service: Any,
    case_worker_b: User,
) -> None:
    client.force_login(provider_editor)
    base = {"author": "participant", "told_on": "2026-02-01"}
    too_long = client.post(
        reverse("measure_story_create"),
        {**base, "service": str(provider_service.pk), "text": "x" * 2001},
    )
    assert "te lang" in too_long.content.decode()
    future = client.post(
        reverse("measure_story_create"),
        {
            **base,
            "service": str(provider_service.pk),
            "text": "Kort.",
            "told_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert "in de toekomst" in future.content.decode()
    foreign = client.post(
        reverse("measure_story_create"),
        {**base, "service": str(welfare_service.pk), "text": "Kort."},
    )
    assert "Kies aanbod uit de lijst" in foreign.content.decode()
    assert not Story.objects.exists()

    story = Story.objects.create(
        service=provider_service,
        organisation=provider_service.organization.owner,
        author="worker",
        text="Verhaal van de aanbieder.",
    )
    client.force_login(case_worker_b)
    assert client.get(reverse("measure_story_edit", args=[story.pk])).status_code == 404
    assert client.post(reverse("measure_story_delete", args=[story.pk])).status_code == 404
    assert "Verhaal van de aanbieder" not in client.get(reverse("measure_stories")).content.decode()
    assert Story.objects.filter(pk=story.pk).exists()


# --- the services refuse what the pages would refuse ------------------------------------------


def test_services_check_the_capability_and_the_links(
    case_worker_b: User,
    provider_org: Organisation,
    participant: Any,
    welfare_service: Any,
    provider_editor: User,
    welfare_a: Organisation,
) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.create_participant(organisation=provider_org, actor=case_worker_b)
    with pytest.raises(PermissionDenied):
        services.record_measurement(
            participant,
            actor=case_worker_b,
            scale="djg6",
            moment="start",
            mode="staff",
            answers=DJG6_ANSWERS,
            taken_on=timezone.localdate(),
        )
    with pytest.raises(ValidationError):
        services.create_participant(
            organisation=provider_org, actor=provider_editor, service=welfare_service
        )
    with pytest.raises(ValidationError):  # a provider editor cannot link a case
        services.create_participant(
            organisation=provider_org, actor=provider_editor, case=make_case(welfare_a)
        )
    with pytest.raises(ValidationError):
        services.record_measurement(
            participant,
            actor=provider_editor,
            scale="djg6",
            moment="start",
            mode="staff",
            answers=["ja"] * 5,
            taken_on=timezone.localdate(),
        )
    assert not Measurement.objects.exists()
