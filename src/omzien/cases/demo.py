"""Demo cases for the meldpunt: about 120 for "Welzijn Helmond (demo)" and 10 for "Welzijn De
Peel (demo)", received over the last twelve months, in every state, with contact attempts,
conversations, consents, referrals and closing reasons.

Everyone in them is fictional (Faker, nl_NL, fixed seeds) and every signal's text ends in
"(demo)". Rows are written directly with consistent timestamps in the past, in the order the
services would have written them: the services themselves stamp "now". Each case is drawn from
its own seed and carries a fixed `submission_key`, so running `omzien demo-data` again adds
nothing, and a case that is missing is made again exactly as before.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from faker import Faker

from omzien.accounts.demo import PARTNER, WELFARE, WELFARE_2
from omzien.accounts.models import Organisation, User
from omzien.accounts.permissions import users_with_capability
from omzien.accounts.roles import Capability
from omzien.areas.models import Neighbourhood, Postcode
from omzien.cases import norms
from omzien.cases.indicators import OBSERVED_INDICATORS, Profession, ReporterKind
from omzien.cases.models import (
    AgeGroup,
    Case,
    CaseNote,
    CaseState,
    CaseTransition,
    ClosingReason,
    Consent,
    ConsentMethod,
    ContactAttempt,
    ContactChannel,
    ContactOutcome,
    DeclineReason,
    NoteKind,
    PersonKnows,
    Referral,
    ReferralOutcome,
    ReferralStatus,
    Signal,
    SignalSource,
    Urgency,
)
from omzien.cases.services import new_receipt, person_lookup
from omzien.directory.models import Service

SEED = 794
KEY_PREFIX = "demo-case-"
S = CaseState
R = ClosingReason

# How many cases end in each state, per organisation.
PLANS: dict[str, dict[CaseState, int]] = {
    WELFARE: {
        S.RECEIVED: 10,
        S.INTAKE: 12,
        S.CONTACT_MADE: 10,
        S.CONVERSATION_HELD: 12,
        S.REFERRED: 16,
        S.CLOSED: 60,
    },
    WELFARE_2: {
        S.RECEIVED: 2,
        S.INTAKE: 2,
        S.CONTACT_MADE: 1,
        S.CONVERSATION_HELD: 1,
        S.REFERRED: 1,
        S.CLOSED: 3,
    },
}
ORG_KEYS = {WELFARE: "helmond", WELFARE_2: "depeel"}
# How long ago (days) a case in this state was received: new ones are young, closed ones old.
AGE_DAYS = {
    S.RECEIVED: (0, 12),
    S.INTAKE: (1, 25),
    S.CONTACT_MADE: (3, 40),
    S.CONVERSATION_HELD: (6, 70),
    S.REFERRED: (14, 150),
    S.CLOSED: (8, 360),
}
CLOSING_WEIGHTS = {
    R.HELPED: 25,
    R.NO_HELP_WANTED: 10,
    R.UNREACHABLE: 8,
    R.PASSED_ON: 5,
    R.ALREADY_KNOWN: 4,
    R.DUPLICATE: 4,
    R.UNFOUNDED: 4,
}
# How far a closed case got before it was closed (0 received ... 4 referred), per reason.
CLOSED_STAGES = {
    R.HELPED: (3, 4, 4, 4),
    R.NO_HELP_WANTED: (2, 3, 3),
    R.UNREACHABLE: (1,),
    R.PASSED_ON: (3,),
    R.ALREADY_KNOWN: (1, 2),
    R.DUPLICATE: (0, 1),
    R.UNFOUNDED: (0, 1),
}
STAGE_OF = {
    S.RECEIVED: 0,
    S.INTAKE: 1,
    S.CONTACT_MADE: 2,
    S.CONVERSATION_HELD: 3,
    S.REFERRED: 4,
}

DESCRIPTIONS = (
    (
        "Mijn buurman komt bijna nooit meer buiten. De gordijnen blijven vaak dicht.",
        ["rarely_goes_out", "curtains_closed"],
    ),
    (
        "Mevrouw komt al weken niet meer naar de kapper en lijkt somber.",
        ["sad_or_withdrawn", "missed_appointments"],
    ),
    (
        "Meneer is dit voorjaar zijn vrouw verloren en krijgt bijna geen bezoek.",
        ["lost_partner", "few_visitors"],
    ),
    (
        "De post stapelt zich op achter de deur van mijn bovenbuurvrouw.",
        ["mail_piling_up", "rarely_goes_out"],
    ),
    (
        "Een vaste klant blijft lang praten aan de kassa en zegt dat hij niemand heeft.",
        ["seeks_contact", "no_one_to_ask"],
    ),
    (
        "Mijn moeder woont alleen en zegt aan de telefoon dat ze zich eenzaam voelt.",
        ["says_lonely"],
    ),
    (
        "Bij het huisbezoek viel op dat het huis er minder verzorgd uitziet dan vroeger.",
        ["neglects_self", "sad_or_withdrawn"],
    ),
    (
        "Ik voel me vaak alleen sinds ik met pensioen ben en weet niet waar ik heen kan.",
        ["says_lonely", "no_one_to_ask"],
    ),
    (
        "Meneer komt niet meer naar de dagbesteding en neemt de telefoon niet op.",
        ["missed_appointments", "rarely_goes_out"],
    ),
    (
        "Mevrouw heeft geen familie in de buurt en vraagt steeds of ik nog even blijf.",
        ["seeks_contact", "few_visitors"],
    ),
)
PARTNER_SIGNALS = (
    (
        "Twee maanden huur niet betaald, geen reactie op brieven en telefoon.",
        ["rent_unpaid", "mail_piling_up"],
    ),
    ("Al weken geen energieverbruik gemeten op dit adres.", ["no_energy_use"]),
    ("Rekeningen blijven openstaan; de bewoner reageert niet op herinneringen.", ["bills_unpaid"]),
)
CONVERSATIONS = (
    "Gesprek bij de persoon thuis. Vertelt dat de kinderen ver weg wonen en dat de dagen lang "
    "zijn. Wil graag iemand om mee te wandelen.",
    "Telefonisch gesprek. Voelt zich sinds het overlijden van de partner vaak alleen. Staat open "
    "voor een bezoek van een vrijwilliger.",
    "Gesprek in het buurthuis. Komt weinig buiten door slecht ter been zijn. Wil graag weer eens "
    "samen eten met anderen.",
    "Huisbezoek samen met de wijkverpleging. Heeft weinig contacten en geen hulpvraag voor zorg, "
    "wel behoefte aan gezelschap.",
    "Gesprek aan de deur, daarna binnen verder gepraat. Wil eerst zelf nadenken, bellen over twee "
    "weken terug.",
    "Telefonisch gesprek. Mist de collega's van vroeger. Heeft interesse in vrijwilligerswerk in "
    "de wijk.",
)
NOTES = (
    "Buurvrouw belde om te vragen hoe het gaat. Niets inhoudelijks verteld.",
    "Afgesproken om volgende week samen naar de koffieochtend te gaan.",
    "Huisarts is op de hoogte, met toestemming van de persoon.",
    "Terugbelverzoek ontvangen via de receptie.",
)
CONSENT_SCOPES = (
    "Doorverwijzen naar een maatjesproject; naam en telefoonnummer delen met de aanbieder.",
    "Aanmelden bij de buurtkamer en de wandelgroep.",
    "Doorverwijzen naar een bezoekdienst; alleen telefoonnummer delen.",
)
REFERRAL_MESSAGES = (
    "Zoekt iemand om wekelijks mee te wandelen. Bel graag in de ochtend.",
    "Wil graag aansluiten bij een groep. Slecht ter been, vervoer is nodig.",
    "Heeft behoefte aan bezoek thuis. Spreekt Nederlands en een beetje Turks.",
)


@dataclass
class Context:
    now: dt.datetime
    workers: list[User]
    coordinators: list[User]
    neighbourhoods: list[Any]
    postcodes: list[Any]
    services: list[Any]
    partner: Organisation | None
    receipts: set[str] = field(default_factory=set)


def _plan(name: str) -> list[CaseState]:
    states = [state for state, count in PLANS[name].items() for _ in range(count)]
    random.Random(f"{SEED}-{name}").shuffle(states)  # noqa: S311 - demo data, not security
    return states


def _context(organisation: Organisation, now: dt.datetime) -> Context:
    area = {"district__municipality__code": settings.OMZIEN_MUNICIPALITY_CODE}
    neighbourhoods = list(Neighbourhood.objects.filter(**area).order_by("code", "year"))
    postcodes = list(
        Postcode.objects.filter(**{f"neighbourhood__{k}": v for k, v in area.items()})
        .select_related("neighbourhood")
        .order_by("postcode", "year")[:2000]
    )
    services = list(
        Service.objects.filter(organization__owner__isnull=False)
        .select_related("organization")
        .order_by("name")[:50]
    ) or list(Service.objects.select_related("organization").order_by("name")[:50])
    return Context(
        now=now,
        workers=sorted(
            users_with_capability(Capability.WORK_ON_CASES, organisation), key=lambda u: u.pk
        ),
        coordinators=sorted(
            users_with_capability(Capability.ASSIGN_CASES, organisation), key=lambda u: u.pk
        ),
        neighbourhoods=neighbourhoods,
        postcodes=postcodes,
        services=services,
        partner=Organisation.objects.filter(name=PARTNER).first(),
    )


def _receipt(ctx: Context) -> str:
    while True:
        code = new_receipt()
        if code not in ctx.receipts and not Signal.objects.filter(receipt=code).exists():
            ctx.receipts.add(code)
            return code


def _received_at(rng: random.Random, state: CaseState, now: dt.datetime) -> dt.datetime:
    low, high = AGE_DAYS[state]
    day = timezone.localdate(now) - dt.timedelta(days=rng.randint(low, high))
    moment = timezone.make_aware(
        dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=rng.randint(0, 11 * 60))
    )
    if moment > now - dt.timedelta(hours=2):
        moment = now - dt.timedelta(hours=rng.uniform(2, 6))
    return moment


def _stamps(
    rng: random.Random, start: dt.datetime, delays: list[tuple[str, float]], now: dt.datetime
) -> list[tuple[str, dt.datetime]]:
    """Turn (event, hours after the previous one) into moments, squeezed to end before now."""
    span = (now - start).total_seconds() / 3600 - 1
    total = sum(hours for _event, hours in delays)
    scale = min(1.0, span * 0.95 / total) if total > 0 else 1.0
    moment = start
    previous = start
    stamped = []
    for event, hours in delays:
        moment += dt.timedelta(hours=hours * scale)
        shown = max(_office_hours(moment), previous + dt.timedelta(minutes=5))
        shown = min(shown, now - dt.timedelta(minutes=30))
        stamped.append((event, shown))
        previous = shown
    return stamped


def _office_hours(moment: dt.datetime) -> dt.datetime:
    """Case workers work days: move a moment at night into the same day's office hours."""
    local = timezone.localtime(moment)
    if local.hour < 8:
        local = local.replace(hour=8 + local.hour // 2)
    elif local.hour >= 18:
        local = local.replace(hour=17 - (23 - local.hour) // 2)
    return local


def _phone(rng: random.Random) -> str:
    return f"06-{rng.randint(10000000, 99999999)}"


def _email(first: str, last: str) -> str:
    return f"{slugify(first)}.{slugify(last)}@example.org".replace("-", "")


def _person(rng: random.Random, fake: Faker, ctx: Context) -> dict[str, Any]:
    first, last = fake.first_name(), fake.last_name()
    if ctx.postcodes:
        row = rng.choice(ctx.postcodes)
        postcode, neighbourhood = row.postcode, row.neighbourhood
    else:
        postcode = f"570{rng.randint(1, 9)}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
        postcode += rng.choice("ABCDEGHJKLMNPRSTVWXZ")
        neighbourhood = rng.choice(ctx.neighbourhoods) if ctx.neighbourhoods else None
    address = f"{fake.street_name()} {rng.randint(1, 180)}"
    phone = _phone(rng) if rng.random() < 0.85 else ""
    email = _email(first, last) if rng.random() < 0.3 else ""
    return {
        "person_name": f"{first} {last}",
        "person_phone": phone,
        "person_email": email,
        "person_address": address,
        "person_postcode": postcode,
        "person_lookup": person_lookup(postcode, address, phone, email),
        "neighbourhood": neighbourhood,
        "age_group": rng.choices(
            [AgeGroup.OLD, AgeGroup.YOUNG_OLD, AgeGroup.ADULT, AgeGroup.UNKNOWN],
            weights=[45, 30, 20, 5],
        )[0],
        "person_knows": rng.choice(PersonKnows.values),
    }


def _signal_fields(rng: random.Random, fake: Faker, ctx: Context) -> dict[str, Any]:
    source = rng.choices(
        [SignalSource.FORM, SignalSource.STAFF, SignalSource.PARTNER], weights=[60, 25, 15]
    )[0]
    if source == SignalSource.PARTNER and ctx.partner is None:
        source = SignalSource.FORM
    if source == SignalSource.PARTNER:
        text, indicators = rng.choice(PARTNER_SIGNALS)
        return {
            "source": source,
            "reporter_kind": ReporterKind.PARTNER,
            "reporter_profession": "",
            "reporter_name": "Team Wonen (demo)",
            "reporter_phone": _phone(rng),
            "reporter_email": "signalen@woningcorporatie.example.org",
            "partner": ctx.partner,
            "description": f"{text} (demo)",
            "indicators": sorted(indicators),
        }
    text, indicators = rng.choice(DESCRIPTIONS)
    kind = rng.choices(
        [
            ReporterKind.RESIDENT,
            ReporterKind.FAMILY,
            ReporterKind.PROFESSIONAL,
            ReporterKind.BUSINESS,
            ReporterKind.SELF,
        ],
        weights=[35, 15, 30, 10, 10],
    )[0]
    with_contact = kind in (ReporterKind.PROFESSIONAL, ReporterKind.BUSINESS) or (
        kind != ReporterKind.SELF and rng.random() < 0.7
    )
    first, last = fake.first_name(), fake.last_name()
    return {
        "source": source,
        "reporter_kind": kind,
        "reporter_profession": rng.choice(Profession.values)
        if kind == ReporterKind.PROFESSIONAL
        else "",
        "reporter_name": f"{first} {last}" if with_contact else "",
        "reporter_phone": _phone(rng) if with_contact and rng.random() < 0.7 else "",
        "reporter_email": _email(first, last) if with_contact else "",
        "partner": None,
        "description": f"{text} (demo)",
        "indicators": sorted(indicators),
    }


def _stage_and_reason(rng: random.Random, state: CaseState) -> tuple[int, str]:
    if state != S.CLOSED:
        return STAGE_OF[state], ""
    reason = rng.choices(list(CLOSING_WEIGHTS), weights=list(CLOSING_WEIGHTS.values()))[0]
    return rng.choice(CLOSED_STAGES[reason]), reason


def _events(
    rng: random.Random, state: CaseState, stage: int, reason: str
) -> list[tuple[str, float]]:
    events: list[tuple[str, float]] = []
    if stage >= 1:
        events.append(("intake", rng.uniform(2, 40)))
        failed = 3 if reason == R.UNREACHABLE else rng.choice((0, 0, 1, 2))
        if state == S.INTAKE and rng.random() < 0.3:
            failed = 0  # no attempt yet: some of these are overdue
        events += [("attempt_failed", rng.uniform(18, 70)) for _ in range(failed)]
    if stage >= 2:
        events.append(("attempt_reached", rng.uniform(12, 70)))
    if stage >= 3:
        events.append(("conversation", rng.uniform(24, 200)))
        if stage >= 4 or rng.random() < 0.4:
            events.append(("consent", 0.5))
        if rng.random() < 0.3:
            events.append(("note", rng.uniform(2, 48)))
    if stage >= 4:
        events += [("referral", rng.uniform(2, 72)) for _ in range(rng.choice((1, 1, 2)))]
        events.append(("referred", 0.1))
    if state == S.CLOSED:
        events.append(("closed", rng.uniform(250, 900) if stage >= 4 else rng.uniform(12, 300)))
    return events


def _make_case(organisation: Organisation, state: CaseState, key: str, ctx: Context) -> Case:
    seed = f"{SEED}-{key}"
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    fake = Faker("nl_NL")
    fake.seed_instance(f"{seed}-faker")
    stage, reason = _stage_and_reason(rng, state)
    received = _received_at(rng, state, ctx.now)
    stamped = _stamps(rng, received, _events(rng, state, stage, reason), ctx.now)
    worker = rng.choice(ctx.workers) if ctx.workers else None
    if state == S.RECEIVED:
        urgency = rng.choices([Urgency.UNTRIAGED, Urgency.NORMAL, Urgency.HIGH], [6, 3, 1])[0]
    else:
        urgency = rng.choices([Urgency.NORMAL, Urgency.HIGH, Urgency.URGENT], [7, 2, 1])[0]
    person = _person(rng, fake, ctx)
    signal_fields = _signal_fields(rng, fake, ctx)

    case = Case.objects.create(
        organisation=organisation,
        state=state,
        urgency=urgency,
        assigned_to=worker if stage >= 1 else None,
        source=signal_fields["source"],
        received_at=received,
        first_contact_due=norms.first_contact_due(received),
        **person,
    )
    closed_at = next((at for event, at in stamped if event == "closed"), None)
    _signal(case, signal_fields, received, key, closed_at, ctx, stage)
    if rng.random() < 0.1 and stamped:
        second = received + (stamped[0][1] - received) / 2
        _signal(case, _signal_fields(rng, fake, ctx), second, f"{key}-b", closed_at, ctx, stage)

    transitions = [CaseTransition(case=case, to_state=S.RECEIVED, at=received)]
    current = S.RECEIVED

    def move(to: CaseState, at: dt.datetime, why: str = "") -> None:
        nonlocal current
        transitions.append(
            CaseTransition(
                case=case, from_state=current, to_state=to, reason=why, actor=worker, at=at
            )
        )
        current = to

    consent: Consent | None = None
    referrals = []
    updates: dict[str, Any] = {}
    for event, at in stamped:
        if event == "intake":
            move(S.INTAKE, at)
        elif event in ("attempt_failed", "attempt_reached"):
            reached = event == "attempt_reached"
            ContactAttempt.objects.create(
                case=case,
                at=at,
                channel=rng.choices(
                    [ContactChannel.PHONE, ContactChannel.VISIT, ContactChannel.LETTER],
                    [6, 3, 1],
                )[0],
                outcome=ContactOutcome.REACHED
                if reached
                else rng.choice([ContactOutcome.NO_ANSWER, ContactOutcome.MESSAGE_LEFT]),
                note="" if rng.random() < 0.6 else "Later nog eens proberen. (demo)",
                created_by=worker,
            )
            updates.setdefault("first_attempt_at", at)
            if reached:
                updates["contact_made_at"] = at
                move(S.CONTACT_MADE, at)
        elif event == "conversation":
            CaseNote.objects.create(
                case=case,
                kind=NoteKind.CONVERSATION,
                held_at=at,
                text=f"{rng.choice(CONVERSATIONS)} (demo)",
                created_by=worker,
            )
            updates["conversation_at"] = at
            updates["found_indicators"] = sorted(
                {i.code for i in rng.sample(OBSERVED_INDICATORS, rng.randint(1, 3))}
            )
            if rng.random() < 0.85:
                updates["person_informed_at"] = at
            move(S.CONVERSATION_HELD, at)
        elif event == "consent":
            consent = Consent.objects.create(
                case=case,
                given_at=at,
                method=rng.choices(ConsentMethod.values, [6, 2, 2])[0],
                scope=f"{rng.choice(CONSENT_SCOPES)} (demo)",
                share_with_providers=True,
                recorded_by=worker,
            )
        elif event == "note":
            CaseNote.objects.create(
                case=case,
                kind=NoteKind.NOTE,
                held_at=at,
                text=f"{rng.choice(NOTES)} (demo)",
                created_by=worker,
            )
        elif event == "referral" and consent is not None:
            referrals.append(_referral(rng, case, consent, person, at, worker, ctx))
        elif event == "referred":
            updates["referred_at"] = at
            updates["checkup_due"] = norms.checkup_due(at)
            move(S.REFERRED, at)
        elif event == "closed":
            updates["closed_at"] = at
            updates["closing_reason"] = reason
            move(S.CLOSED, at, reason)
    _answer_referrals(rng, referrals, closed_at or ctx.now, reason)
    CaseTransition.objects.bulk_create(transitions)
    assert current == state, (current, state)
    if updates:
        Case.objects.filter(pk=case.pk).update(**updates)
    return case


def _signal(
    case: Case,
    fields: dict[str, Any],
    at: dt.datetime,
    key: str,
    closed_at: dt.datetime | None,
    ctx: Context,
    stage: int,
) -> Signal:
    signal = Signal(
        case=case,
        receipt=_receipt(ctx),
        received_at=at,
        submission_key=f"{KEY_PREFIX}{key}",
        **fields,
    )
    if signal.partner is not None:
        signal.source_reference = f"DEMO-{key}"
    if closed_at is not None:
        # Closing removes the reporter's details (after telling them it was handled).
        signal.reporter_name = signal.reporter_phone = signal.reporter_email = ""
        signal.reporter_details_removed_at = closed_at
        signal.reporter_notified_status = "completed"
    elif stage >= 1:
        signal.reporter_notified_status = "picked_up"
    signal.save()
    return signal


def _referral(
    rng: random.Random,
    case: Case,
    consent: Consent,
    person: dict[str, Any],
    at: dt.datetime,
    worker: User | None,
    ctx: Context,
) -> Referral:
    service = rng.choice(ctx.services) if ctx.services else None
    provider = service.organization.owner if service is not None else None
    return Referral.objects.create(
        case=case,
        service=service,
        service_name=service.name if service is not None else "Maatjesproject (demo)",
        provider=provider,
        recipient_email="" if provider else "aanmelden@aanbieder.example.org",
        consent=consent,
        shared_name=person["person_name"],
        shared_phone=person["person_phone"],
        message=f"{rng.choice(REFERRAL_MESSAGES)} (demo)",
        sent_at=at,
        expires_at=norms.referral_expires(at),
        created_by=worker,
    )


def _answer_referrals(
    rng: random.Random, referrals: list[Referral], end: dt.datetime, reason: str
) -> None:
    """Give each referral an answer that fits the case: done for helped, open while referred."""
    for position, referral in enumerate(referrals):
        last = position == len(referrals) - 1
        room = (end - referral.sent_at).total_seconds()
        answered = referral.sent_at + dt.timedelta(seconds=room * rng.uniform(0.1, 0.4))
        if reason == R.HELPED and last:
            status = ReferralStatus.COMPLETED
        elif reason:
            status = rng.choice([ReferralStatus.DECLINED, ReferralStatus.EXPIRED])
        elif not last:
            status = rng.choice([ReferralStatus.DECLINED, ReferralStatus.ACCEPTED])
        else:
            status = rng.choice(
                [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED]
            )
        if status == ReferralStatus.SENT and referral.expires_at < end:
            status = ReferralStatus.ACCEPTED  # an unanswered old one would have expired
        referral.status = status
        if status not in (ReferralStatus.SENT, ReferralStatus.EXPIRED):
            referral.opened_at = answered - dt.timedelta(minutes=rng.randint(5, 600))
            referral.answered_at = answered
        if status == ReferralStatus.DECLINED:
            referral.decline_reason = rng.choice(DeclineReason.values)
            referral.decline_note = "Geen plek tot na de zomer. (demo)"
        started = answered + dt.timedelta(seconds=room * rng.uniform(0.05, 0.2))
        if status in (ReferralStatus.STARTED, ReferralStatus.COMPLETED):
            referral.started_on = timezone.localdate(started)
        if status == ReferralStatus.COMPLETED:
            referral.completed_at = end - (end - started) * rng.uniform(0.05, 0.3)
            referral.outcome = ReferralOutcome.HELPED
        referral.save()


@transaction.atomic
def load() -> list[str]:
    now = timezone.now()
    existing = set(
        Signal.objects.filter(submission_key__startswith=KEY_PREFIX).values_list(
            "submission_key", flat=True
        )
    )
    made = 0
    total = 0
    for name in PLANS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            continue
        ctx = _context(organisation, now)
        for index, state in enumerate(_plan(name)):
            key = f"{ORG_KEYS[name]}-{index:03d}"
            total += 1
            if f"{KEY_PREFIX}{key}" in existing:
                continue
            _make_case(organisation, state, key, ctx)
            made += 1
    if not total:
        return ["Meldpunt: no demo welfare organisations; load the demo accounts first."]
    return [f"Meldpunt: {total} fictional demo cases ({made} new) for {WELFARE} and {WELFARE_2}."]
