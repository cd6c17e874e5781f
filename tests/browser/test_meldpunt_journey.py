"""The meldpunt from end to end, in Chromium.

A hairdresser reports on a phone-sized screen; the case worker logs in (password and TOTP),
takes the case, records a contact attempt, a conversation and consent, and refers to two
services; the provider (also with TOTP) accepts one and declines the other; the case worker
closes the case; the reporter's status page shows it completed. At no point does the reporter
see a detail of the person: not on the thanks page, not on the status page, not in an e-mail.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.core import mail

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import OrganisationType, Role
from omzien.audit.models import AuditEvent
from omzien.cases.models import Case, CaseState, ClosingReason, Referral, ReferralStatus
from tests.browser.conftest import axe_violations
from tests.factories import (
    DirectoryOrganizationFactory,
    MembershipFactory,
    OrganisationFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"

PERSON_NAME = "Mevrouw Proefpersoon"
PERSON_PHONE = "06 12345678"
PERSON_ADDRESS = "Lindenlaan 17"
PERSON_POSTCODE = "5611 AB"
REPORTER_EMAIL = "kapsalon.knip@voorbeeld.nl"
# Anything of these on a page or in an e-mail for the reporter is a leak.
PERSON_DETAILS = ("Proefpersoon", PERSON_PHONE, "12345678", "Lindenlaan", PERSON_POSTCODE)

COFFEE = "Koffieochtend De Brug"
WALK = "Wandelgroep Samen"


def current_code(secret: str) -> str:
    """The TOTP code of this 30-second window; waits for the next one when this one is ending."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


def log_in(page: Any, email: str, secret: str, next_path: str) -> None:
    """Password first, then the code from the authenticator app."""
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label(re.compile(r"^Code")).fill(current_code(secret))
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url(re.compile(re.escape(next_path) + r"$"))


def assert_no_person_detail(text: str, where: str) -> None:
    for detail in PERSON_DETAILS:
        assert detail not in text, f"{where} shows a detail of the person: {detail!r}"


@pytest.fixture
def world(live_server: Any, settings: Any) -> dict[str, Any]:
    """The welfare organisation with its case worker, a provider with two services on the kaart."""
    from omzien.directory.search import get_backend

    settings.OMZIEN_MFA_REQUIRED = True  # the live server runs in this process

    welfare = OrganisationFactory(name="Welzijn Test", type=OrganisationType.WELFARE)
    case_worker = UserFactory(
        email="sanne@welzijntest.example", full_name="Sanne de Consulent", password=PASSWORD
    )
    for role in (Role.CASE_COORDINATOR, Role.CASE_WORKER):
        MembershipFactory(user=case_worker, organisation=welfare, role=role)

    provider = OrganisationFactory(name="Buurtkracht De Brug", type=OrganisationType.PROVIDER)
    editor = UserFactory(
        email="ahmed@debrug.example", full_name="Ahmed van De Brug", password=PASSWORD
    )
    MembershipFactory(user=editor, organisation=provider, role=Role.PROVIDER_EDITOR)

    organization = DirectoryOrganizationFactory(
        name="Stichting De Brug", owner=provider, email="info@debrug.example"
    )
    coffee = ServiceFactory(
        organization=organization,
        name=COFFEE,
        description="Elke woensdag samen koffie drinken en een praatje maken in het buurthuis.",
    )
    walk = ServiceFactory(
        organization=organization,
        name=WALK,
        description="Elke dinsdag samen een uur wandelen door het park, in een rustig tempo.",
    )
    get_backend().rebuild()

    secrets = {}
    for user in (case_worker, editor):
        secrets[user.email] = generate_totp_secret()
        TOTP.activate(user, secrets[user.email])
    return {
        "welfare": welfare,
        "case_worker": case_worker,
        "editor": editor,
        "provider": provider,
        "coffee": coffee,
        "walk": walk,
        "secrets": secrets,
    }


def report_as_hairdresser(page: Any) -> str:
    """Fill in and send the public form; returns the receipt code shown on the thanks page."""
    page.goto("/melden/")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "the report form scrolls sideways on a phone"
    assert axe_violations(page) == []

    page.get_by_label("Ik zie het in mijn werk").check()
    page.get_by_label("Wat is uw beroep?").select_option(label="Kapper")
    page.get_by_label(re.compile(r"^Naam")).fill(PERSON_NAME)
    page.get_by_label("Telefoonnummer", exact=True).fill(PERSON_PHONE)
    page.get_by_label("Straat en huisnummer").fill(PERSON_ADDRESS)
    page.get_by_label("Postcode").fill(PERSON_POSTCODE)
    page.get_by_label("Komt bijna nooit buiten").check()
    page.get_by_label("Zegt zelf dat hij of zij eenzaam is").check()
    page.get_by_label("Vertel in uw eigen woorden wat u ziet").fill(
        "Ze komt al jaren bij mij. Sinds haar man overleed zegt ze dat ze niemand meer spreekt."
    )
    page.get_by_label(re.compile(r"^Uw e-mailadres")).fill(REPORTER_EMAIL)
    page.get_by_role("button", name="Melding versturen").click()
    page.wait_for_url(re.compile(r"/melden/bedankt/"))

    assert page.locator("h1").inner_text() == "Bedankt. Wij hebben uw melding ontvangen."
    receipt = page.locator(".omzien-receipt__code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}", receipt)
    assert_no_person_detail(page.content(), "the thanks page")
    assert axe_violations(page) == []
    return receipt


def reporter_status(page: Any, receipt: str) -> str:
    """The step the status page marks as current; checks that nothing about the person shows."""
    page.goto("/melden/status/")
    page.get_by_label("Uw ontvangstcode").fill(receipt)
    page.get_by_role("button", name="Bekijk de status").click()
    page.wait_for_url(re.compile(r"/melden/status/\?code="))
    assert receipt in page.locator(".omzien-status").inner_text()
    assert_no_person_detail(page.content(), "the status page")
    return page.locator(".omzien-status__step[aria-current=step] strong").inner_text()


def open_the_new_case(page: Any) -> int:
    page.goto("/meldpunt/")
    assert_no_person_detail(page.content(), "the queue")  # the queue shows no names
    links = page.get_by_role("link", name=re.compile(r"^Casus \d+$"))
    assert links.count() == 1
    links.click()
    page.wait_for_url(re.compile(r"/meldpunt/casussen/\d+/$"))
    number = int(re.search(r"/casussen/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    # The case worker does see the person.
    assert PERSON_NAME in page.content()
    assert PERSON_ADDRESS in page.content()
    return number


def case_action(page: Any, link: str) -> None:
    """Open one of the case page's action links (a page with one small form)."""
    page.get_by_role("link", name=link, exact=True).click()
    page.wait_for_url(re.compile(r"/meldpunt/casussen/\d+/[a-z]+/$"))
    assert page.locator("h1").inner_text() == link


def save_and_return(page: Any, button: str, message: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"/meldpunt/casussen/\d+/$"))
    assert message in page.locator(".omzien-messages").inner_text()


def work_the_case(page: Any) -> None:
    page.get_by_role("button", name="Ik neem deze casus over").click()
    page.wait_for_url(re.compile(r"/meldpunt/casussen/\d+/$"))
    assert "U bent nu de consulent van deze casus." in page.locator(".omzien-messages").inner_text()
    assert "Sanne de Consulent" in page.locator(".omzien-facts").first.inner_text()

    case_action(page, "Contactpoging vastleggen")
    page.get_by_role("group", name="Hoe?").get_by_label("Telefoon", exact=True).check()
    page.get_by_role("group", name="Wat was het resultaat?").get_by_label("Bereikt").check()
    page.get_by_label(re.compile(r"^Toelichting")).fill("Gebeld. Ze nam na twee keer op.")
    save_and_return(page, "Contactpoging opslaan", "De contactpoging is vastgelegd.")

    case_action(page, "Gesprek vastleggen")
    page.get_by_label("Verslag van het gesprek").fill(
        "Op de koffie geweest. Ze mist aanspraak en wil graag onder de mensen komen."
    )
    page.get_by_role("group", name=re.compile(r"^Welke signalen")).get_by_label(
        "Heeft niemand om hulp te vragen"
    ).check()
    page.get_by_label(re.compile(r"^Ik heb de persoon verteld")).check()
    save_and_return(page, "Gesprek opslaan", "Het gesprek is vastgelegd.")

    case_action(page, "Toestemming vastleggen")
    page.get_by_role("group", name="Hoe gaf de persoon toestemming?").get_by_label(
        "Mondeling"
    ).check()
    page.get_by_label("Waarmee stemt de persoon in?").fill(
        "Doorverwijzen naar de koffieochtend en de wandelgroep."
    )
    share = page.get_by_label(re.compile(r"^De persoon vindt het goed dat wij naam"))
    share.check()
    assert share.is_checked()
    save_and_return(page, "Toestemming opslaan", "De toestemming is vastgelegd.")
    assert "Gegevens delen met aanbieders: ja." in page.content()


def refer_to_both(page: Any) -> None:
    page.get_by_role("link", name="Verwijzen naar aanbod").click()
    page.wait_for_url(re.compile(r"/verwijzen/"))
    assert "Mondeling" in page.locator("#toestemming ~ dl").inner_text()

    # One word finds one service; tick it ...
    search(page, "wandelen")
    assert page.get_by_label(WALK).count() == 1
    assert page.get_by_label(COFFEE).count() == 0
    page.get_by_label(WALK).check()
    # ... a second search finds the other, and the first stays ticked.
    search(page, "koffie")
    assert page.get_by_label(WALK).is_checked()
    page.get_by_label(COFFEE).check()
    for name in (COFFEE, WALK):
        option = page.get_by_label(name)
        assert (
            "In het postvak van de aanbieder op Omzien"
            in page.locator("li.omzien-card", has=option).inner_text()
        )
    page.get_by_label(re.compile(r"^Bericht aan de aanbieder")).fill(
        "Zij wil graag onder de mensen komen. Bel haar liefst 's ochtends."
    )

    # Sent without confirming the consent: refused, and the choice stays.
    page.get_by_role("button", name="Verstuur de verwijzing").click()
    page.wait_for_load_state()
    assert "Bevestig dat de persoon toestemming heeft gegeven." in page.content()
    assert page.get_by_label(COFFEE).is_checked() and page.get_by_label(WALK).is_checked()

    page.get_by_label(re.compile(r"^De persoon heeft toestemming gegeven")).check()
    page.get_by_role("button", name="Verstuur de verwijzing").click()
    page.wait_for_url(re.compile(r"/meldpunt/casussen/\d+/#verwijzingen$"))
    assert (
        "De verwijzing is verstuurd naar 2 aanbieders."
        in page.locator(".omzien-messages").inner_text()
    )
    for name in (COFFEE, WALK):
        assert "Verstuurd" in referral_row(page, name).inner_text()


def search(page: Any, words: str) -> None:
    page.get_by_label("Waar zoekt u naar?").fill(words)
    with page.expect_navigation():
        page.get_by_role("button", name="Zoek", exact=True).click()


def referral_row(page: Any, service: str) -> Any:
    return page.locator("#verwijzingen tbody tr", has_text=service)


def provider_answers(page: Any) -> None:
    page.goto("/aanbieder/verwijzingen/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "Nieuw" in rows.first.inner_text()

    page.get_by_role("link", name=COFFEE).click()
    page.wait_for_url(re.compile(r"/aanbieder/verwijzingen/\d+/$"))
    assert page.locator("h1").inner_text() == f"Verwijzing naar {COFFEE}"
    # What was shared with consent: the name and phone, not the address or the report.
    shared = page.locator("section[aria-labelledby=persoon]").inner_text()
    assert PERSON_NAME in shared and PERSON_PHONE in shared
    assert "Lindenlaan" not in page.content() and "man overleed" not in page.content()
    page.get_by_role("button", name="Ja, ik accepteer de verwijzing").click()
    page.wait_for_url(re.compile(r"/aanbieder/verwijzingen/\d+/$"))
    assert "U hebt de verwijzing geaccepteerd." in page.locator(".omzien-messages").inner_text()
    assert "Geaccepteerd" in page.locator(".utrecht-status-badge").first.inner_text()

    page.get_by_role("link", name="Terug naar alle verwijzingen").click()
    page.wait_for_url(re.compile(r"/aanbieder/verwijzingen/$"))
    page.get_by_role("link", name=WALK).click()
    page.wait_for_url(re.compile(r"/aanbieder/verwijzingen/\d+/$"))
    page.get_by_role("group", name="Waarom kunt u de persoon niet helpen?").get_by_label(
        "Geen plek"
    ).check()
    page.get_by_label(re.compile(r"^Toelichting")).fill("De groep is vol tot de zomer.")
    page.get_by_role("button", name="Wijs de verwijzing af").click()
    page.wait_for_url(re.compile(r"/aanbieder/verwijzingen/\d+/$"))
    assert "U hebt de verwijzing afgewezen." in page.locator(".omzien-messages").inner_text()
    # Declined is final: the person's details are no longer shown to the provider.
    assert PERSON_NAME not in page.content()


def close_the_case(page: Any, number: int) -> None:
    page.goto(f"/meldpunt/casussen/{number}/")
    assert "Geaccepteerd" in referral_row(page, COFFEE).inner_text()
    declined = referral_row(page, WALK).inner_text()
    assert "Afgewezen" in declined and "Geen plek" in declined

    page.get_by_label("Volgende stap").select_option(label="Afsluiten")
    page.get_by_label(re.compile(r"^Reden van afsluiten")).select_option(label="Geholpen")
    page.get_by_role("button", name="Status opslaan").click()
    page.wait_for_url(re.compile(r"/meldpunt/casussen/\d+/$"))
    assert "De status is bijgewerkt." in page.locator(".omzien-messages").inner_text()
    overview = page.locator(".omzien-facts").first.inner_text()
    assert "Afgesloten" in overview and "Geholpen" in overview
    assert "bij het afsluiten" in page.content()  # the reporter's contact details are gone


def test_meldpunt_from_report_to_completed(
    browser: Any, live_server: Any, phone_page: Any, page: Any, world: dict[str, Any]
) -> None:
    case_worker: User = world["case_worker"]
    editor: User = world["editor"]
    provider: Organisation = world["provider"]

    # 1. The hairdresser reports on a phone.
    receipt = report_as_hairdresser(phone_page)
    assert reporter_status(phone_page, receipt) == "Ontvangen"

    # 2. The case worker logs in with a second factor, takes the case and refers.
    log_in(page, case_worker.email, world["secrets"][case_worker.email], "/meldpunt/")
    number = open_the_new_case(page)
    work_the_case(page)
    refer_to_both(page)
    assert reporter_status(phone_page, receipt) == "Opgepakt"

    # 3. The provider answers, in a browser of their own.
    provider_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        provider_page = provider_context.new_page()
        provider_page.set_default_timeout(10_000)
        log_in(
            provider_page, editor.email, world["secrets"][editor.email], "/aanbieder/verwijzingen/"
        )
        provider_answers(provider_page)
    finally:
        provider_context.close()

    # 4. The case worker sees both answers and closes the case.
    close_the_case(page, number)

    # 5. The reporter sees it completed, and still nothing about the person.
    assert reporter_status(phone_page, receipt) == "Afgerond"
    assert "afgehandeld" in phone_page.locator(".omzien-status").inner_text()

    # 6. What was stored.
    case = Case.objects.get(pk=number)
    assert case.state == CaseState.CLOSED
    assert case.closing_reason == ClosingReason.HELPED
    assert case.assigned_to == case_worker
    assert case.person_informed_at is not None
    assert "no_one_to_ask" in case.found_indicators
    assert case.contact_attempts.get().outcome == "reached"
    assert case.consents.get().share_with_providers is True
    statuses = {r.service_name: r.status for r in Referral.objects.filter(case=case)}
    assert statuses == {COFFEE: ReferralStatus.ACCEPTED, WALK: ReferralStatus.DECLINED}
    assert set(Referral.objects.filter(case=case).values_list("provider", flat=True)) == {
        provider.pk
    }
    declined = Referral.objects.get(case=case, service_name=WALK)
    assert declined.decline_reason == "no_capacity"
    assert declined.shared_name == ""  # forgotten once declined
    signal = case.signals.get()
    assert signal.receipt == receipt
    assert signal.reporter_profession == "hairdresser"
    assert signal.reporter_email == ""
    assert signal.reporter_details_removed_at is not None
    views = AuditEvent.objects.filter(action="case.view", object_id=str(case.pk))
    assert views.filter(actor=case_worker).count() >= 5
    for event in AuditEvent.objects.filter(object_id=str(case.pk)):
        assert_no_person_detail(str(event.details), f"audit event {event.action}")

    # The reporter's e-mails (picked up, completed) say nothing about the person either.
    to_reporter = [m for m in mail.outbox if REPORTER_EMAIL in m.to]
    assert len(to_reporter) == 2
    for message in to_reporter:
        assert receipt in str(message.body)
        assert_no_person_detail(f"{message.subject}\n{message.body}", "an e-mail to the reporter")
