"""The case's state machine: one table that says which transition needs which capability.

received → intake → contact_made → conversation_held → referred → closed, closing is possible
from every open state (with a reason), and a coordinator can re-open a closed case.
Guards that depend on the case (consent, referrals, a closing reason) are checked in
`services.transition`.
"""

from __future__ import annotations

from omzien.accounts.roles import Capability
from omzien.cases.models import CaseState

S = CaseState

TRANSITIONS: dict[CaseState, dict[CaseState, Capability]] = {
    S.RECEIVED: {
        S.INTAKE: Capability.WORK_ON_CASES,
        S.CLOSED: Capability.WORK_ON_CASES,
    },
    S.INTAKE: {
        S.CONTACT_MADE: Capability.WORK_ON_CASES,
        S.RECEIVED: Capability.ASSIGN_CASES,  # undo a mistaken claim
        S.CLOSED: Capability.WORK_ON_CASES,
    },
    S.CONTACT_MADE: {
        S.CONVERSATION_HELD: Capability.WORK_ON_CASES,
        S.CLOSED: Capability.WORK_ON_CASES,
    },
    S.CONVERSATION_HELD: {
        S.REFERRED: Capability.WORK_ON_CASES,
        S.CLOSED: Capability.WORK_ON_CASES,
    },
    S.REFERRED: {
        S.CONVERSATION_HELD: Capability.WORK_ON_CASES,  # re-plan: a referral failed
        S.CLOSED: Capability.WORK_ON_CASES,
    },
    S.CLOSED: {
        S.INTAKE: Capability.ASSIGN_CASES,  # re-open
    },
}


def next_states(state: str) -> dict[CaseState, Capability]:
    return TRANSITIONS.get(CaseState(state), {})
