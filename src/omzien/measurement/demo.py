"""Demo measurements, stories and figures for "what works". Only loaded by `omzien demo-data`.

Eight interventions get generated participants (codes "DEMO-…"), measured at the start, at the
end and sometimes after a while (follow-up), within the last 12 months: the six services of the
demo provider (measured by the provider itself) and two national services measured by the demo
welfare organisation, which refers residents to them. Each intervention has its own pattern:
some clearly help, one shows no change, one has only 3 participants (so its figures are
suppressed), one is small enough that no p-values are shown.

Answers are generated item by item and then scored with `scales.score`, so answers and scores
always agree. Everything is marked as demo: participant codes start with "DEMO-", story texts
end with "(demo)". Running it again changes nothing.

The demo area figures and personas belong to `insight` and are loaded by its own `demo`, which
`omzien demo-data` runs right after this one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from omzien.accounts.demo import PROVIDER, WELFARE
from omzien.accounts.models import Organisation
from omzien.directory.models import Service
from omzien.measurement import scales
from omzien.measurement.models import Measurement, Mode, Moment, Participant, Story, StoryAuthor

CODE_PREFIX = "DEMO-"
STORY_MARK = "(demo)"
# National services the demo welfare organisation refers residents to and measures.
WELFARE_SERVICES = ("De Zilverlijn", "Praten over verlies")


@dataclass(frozen=True)
class Plan:
    """How one intervention's demo participants score; `change` is the true mean change."""

    key: str
    participants: int
    before_mean: float
    change: float
    noise: float = 1.4
    scales: tuple[str, ...] = ("djg11",)
    follow_up_share: float = 0.35
    drop_out_share: float = 0.1


# In the order of the provider's services (by slug), then the welfare organisation's.
PROVIDER_PLANS = (
    Plan("A", 26, 7.2, -2.6, follow_up_share=0.5),  # clearly less lonely
    Plan("B", 18, 6.5, -1.4, scales=("djg11", "djg6")),  # less lonely, both scales
    Plan("C", 16, 5.8, 0.0, noise=1.5),  # no change
    Plan("D", 3, 7.0, -2.0, drop_out_share=0.0),  # too few: suppressed
    Plan("E", 8, 6.8, -1.8, drop_out_share=0.0),  # small: no p-values
    Plan("F", 14, 6.0, -0.8, scales=("djg6",)),  # only the short scale
)
WELFARE_PLANS = (
    Plan("W1", 15, 7.5, -1.9, scales=("djg11", "djg6")),
    Plan("W2", 11, 6.9, -1.1, follow_up_share=0.5),
)

STORIES: tuple[tuple[str, str, bool], ...] = (
    # (author, text, may_publish) — assigned to the interventions in turn.
    (
        StoryAuthor.PARTICIPANT,
        "Ik kwam eerst alleen voor de koffie. Nu spreek ik ook buiten de groep af met twee "
        "mensen. Dat had ik een jaar geleden niet gedacht.",
        True,
    ),
    (
        StoryAuthor.WORKER,
        "Een deelnemer zei in het begin bijna niets. Na een paar weken nam hij zelf koekjes "
        "mee en vroeg hij naar de anderen.",
        True,
    ),
    (
        StoryAuthor.PARTICIPANT,
        "Sinds mijn vrouw overleed was de zondag het ergst. Nu weet ik dat er iemand belt.",
        True,
    ),
    (
        StoryAuthor.WORKER,
        "We merken dat mensen vooral blijven komen als ze een taak krijgen, zoals de "
        "koffie zetten of de nieuwe mensen welkom heten.",
        True,
    ),
    (
        StoryAuthor.PARTICIPANT,
        "Het helpt om te horen dat anderen hetzelfde meemaken. Ik schaam me er minder voor.",
        False,
    ),
    (
        StoryAuthor.PARTICIPANT,
        "Ik vond de groep te groot. Ik ga nu liever naar de kleinere middag op dinsdag.",
        True,
    ),
    (
        StoryAuthor.WORKER,
        "Bij de eindmeting vertelde een deelnemer dat ze weer naar het buurthuis durft. "
        "Daar was ze vijf jaar niet geweest.",
        True,
    ),
    (
        StoryAuthor.PARTICIPANT,
        "Eerlijk gezegd voel ik me nog steeds vaak alleen. Maar ik heb wel iets om naar uit "
        "te kijken.",
        True,
    ),
    (
        StoryAuthor.WORKER,
        "Een deelnemer vertelde over problemen thuis. Dit verhaal delen we niet buiten de "
        "organisatie.",
        False,
    ),
    (
        StoryAuthor.PARTICIPANT,
        "De wandelingen doen me goed. Ik slaap beter en ik ken nu mensen uit de straat.",
        True,
    ),
    (
        StoryAuthor.WORKER,
        "Twee deelnemers zijn zelf vrijwilliger geworden. Ze bellen nu anderen die alleen wonen.",
        True,
    ),
    (
        StoryAuthor.PARTICIPANT,
        "Ik wil niet dat iemand weet dat ik meedoe. Daarom liever niet delen.",
        False,
    ),
    (
        StoryAuthor.PARTICIPANT,
        "Na het overlijden van mijn zus had ik niemand om mee te praten. In de groep wel.",
        True,
    ),
)


def answers_for(scale_code: str, total: int, rng: random.Random) -> list[str]:
    """Answers (3-point form) whose score on the scale is exactly `total`."""
    scale = scales.SCALES[scale_code]
    items = list(scale.items)
    lonely = set(rng.sample(range(len(items)), total))
    answers = []
    for index, item in enumerate(items):
        if index in lonely:
            # "min of meer" always scores as lonely; otherwise the answer that scores 1.
            if rng.random() < 0.3:
                answers.append("min of meer")
            else:
                answers.append("ja" if item.keying == "negative" else "nee")
        else:
            answers.append("nee" if item.keying == "negative" else "ja")
    return answers


def _clip(value: float, high: int) -> int:
    return max(0, min(high, round(value)))


def _measurement(
    participant: Participant,
    scale_code: str,
    moment: str,
    day: dt.date,
    total: int,
    rng: random.Random,
) -> Measurement:
    answers = answers_for(scale_code, total, rng)
    result = scales.score(scale_code, answers)
    return Measurement(
        participant=participant,
        service=participant.service,
        organisation=participant.organisation,
        scale=scale_code,
        moment=moment,
        mode=Mode.PAPER if rng.random() < 0.2 else Mode.STAFF,
        taken_on=day,
        answers=answers,
        total=result.total,
        emotional=result.emotional,
        social=result.social,
        category=result.category or "",
        complete=result.complete,
    )


def _scale_score(scale_code: str, djg11_total: float) -> float:
    """The same person's level on another scale: DJG-6 has 6 of the 11 items."""
    if scale_code == "djg6":
        return djg11_total * 6 / 11
    return djg11_total


def _load_service(
    service: Service, organisation: Organisation, plan: Plan, today: dt.date
) -> tuple[int, int]:
    prefix = f"{CODE_PREFIX}{plan.key}-"
    if Participant.objects.filter(organisation=organisation, code__startswith=prefix).exists():
        return 0, 0
    rng = random.Random(f"omzien-demo-{plan.key}")  # noqa: S311 - reproducible demo data
    participants = Participant.objects.bulk_create(
        Participant(
            organisation=organisation,
            code=f"{prefix}{number:03d}",
            service=service,
            age_group=rng.choice(["65-74", "75+", "75+", "18-64"]),
        )
        for number in range(1, plan.participants + 1)
    )
    rows: list[Measurement] = []
    for index, participant in enumerate(participants):
        start = today - dt.timedelta(days=rng.randint(110, 360))
        end = min(start + dt.timedelta(days=rng.randint(70, 100)), today)
        follow_up = end + dt.timedelta(days=rng.randint(60, 90))
        level = rng.gauss(plan.before_mean, 1.8)
        change = plan.change + rng.gauss(0, plan.noise)
        # The first participants always complete, so small plans keep their size.
        dropped = index >= 3 and rng.random() < plan.drop_out_share
        with_follow_up = not dropped and follow_up <= today and rng.random() < plan.follow_up_share
        for scale_code in plan.scales:
            high = scales.SCALES[scale_code].total_range[1]  # type: ignore[index]
            before = _clip(_scale_score(scale_code, level), high)
            after = _clip(_scale_score(scale_code, level + change), high)
            rows.append(_measurement(participant, scale_code, Moment.START, start, before, rng))
            if not dropped:
                rows.append(_measurement(participant, scale_code, Moment.END, end, after, rng))
            if with_follow_up:
                later = _clip(_scale_score(scale_code, level + change * 0.7), high)
                rows.append(
                    _measurement(participant, scale_code, Moment.FOLLOW_UP, follow_up, later, rng)
                )
    Measurement.objects.bulk_create(rows)
    return len(participants), len(rows)


def _stories(targets: Sequence[tuple[Service, Organisation]], today: dt.date) -> int:
    made = 0
    for index, (author, text, may_publish) in enumerate(STORIES):
        service, organisation = targets[index % len(targets)]
        full = f"{text} {STORY_MARK}"
        # The text is encrypted (a new token every time), so it is compared after decrypting.
        existing = Story.objects.filter(service=service, organisation=organisation)
        if any(story.text == full for story in existing):
            continue
        Story.objects.create(
            service=service,
            organisation=organisation,
            text=full,
            author=author,
            may_publish=may_publish,
            told_on=today - dt.timedelta(days=15 + 23 * index),
        )
        made += 1
    return made


def _targets() -> list[tuple[Service, Organisation, Plan]]:
    targets: list[tuple[Service, Organisation, Plan]] = []
    provider = Organisation.objects.filter(name=PROVIDER).first()
    if provider is not None:
        services = Service.objects.filter(organization__owner=provider).order_by("slug")
        targets += [
            (service, provider, plan)
            for service, plan in zip(services, PROVIDER_PLANS, strict=False)
        ]
    welfare = Organisation.objects.filter(name=WELFARE).first()
    if welfare is not None:
        for name, plan in zip(WELFARE_SERVICES, WELFARE_PLANS, strict=True):
            service = Service.objects.filter(name=name).order_by("slug").first()
            if service is not None:
                targets.append((service, welfare, plan))
    return targets


@transaction.atomic
def load_measurements() -> str:
    today = timezone.localdate()
    targets = _targets()
    if not targets:
        return "Measurements: no demo services found; load the sociale kaart demo first."
    participants = measurements = 0
    for service, organisation, plan in targets:
        made, rows = _load_service(service, organisation, plan, today)
        participants += made
        measurements += rows
    stories = _stories([(s, o) for s, o, _plan in targets], today)
    demo_participants = Participant.objects.filter(code__startswith=CODE_PREFIX).count()
    return (
        f"Measurements (generated demo): {len(targets)} interventions, {demo_participants} "
        f"participants ({participants} new, {measurements} new measurements), "
        f"{stories} new stories."
    )


def load() -> list[str]:
    return [load_measurements()]
