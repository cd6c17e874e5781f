"""Template helpers for the case's referral list, independent of the view that includes it."""

from __future__ import annotations

from typing import Any

from django import template

from omzien.accounts.permissions import has_capability
from omzien.accounts.roles import Capability
from omzien.cases import referrals
from omzien.cases.models import Case, Referral, ReferralOutcome, ReferralStatus

register = template.Library()


@register.simple_tag
def referral_flags(case: Case, user: Any) -> dict[str, Any]:
    """What this user may do with the case's referrals (can_work, can_refer), and the outcome
    choices for the complete form."""
    can_work = bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and not case.is_anonymised
        and has_capability(user, Capability.WORK_ON_CASES, case.organisation_id)
    )
    return {
        "can_work": can_work,
        "can_refer": can_work and referrals.can_refer(case, user),
        "outcomes": ReferralOutcome.choices,
    }


@register.filter
def can_withdraw(referral: Referral) -> bool:
    return referrals.allowed(referral, ReferralStatus.WITHDRAWN, referrals.P.CASE_WORKER)


@register.filter
def can_complete(referral: Referral) -> bool:
    return referrals.allowed(referral, ReferralStatus.COMPLETED, referrals.P.CASE_WORKER)


@register.filter
def status_badge(status: str) -> str:
    """The Utrecht status-badge modifier for a referral status."""
    badges: dict[str, str] = {
        ReferralStatus.SENT: "warning",
        ReferralStatus.ACCEPTED: "active",
        ReferralStatus.STARTED: "active",
        ReferralStatus.COMPLETED: "success",
        ReferralStatus.DECLINED: "danger",
        ReferralStatus.EXPIRED: "danger",
        ReferralStatus.WITHDRAWN: "neutral",
    }
    return badges.get(status, "neutral")
