"""A trainer's dose edits, applied on top of a generated plan (pinned: they survive regeneration and adaptation).

Level changes and pauses are handed to the planner as adjustments (so every safety rule still applies);
dose edits — sets, reps, hold, rest, minutes — are applied here, to the blocks of one exercise from a date on.
The session's time budget still holds: an edit that would exceed it is refused with a clear message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.plan import Block, Plan, Reason, Session, Week, session_minutes

DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s", "minutes")


@dataclass(frozen=True)
class DoseEdit:
    exercise_id: str
    from_date: dt.date
    reason: str
    sets: int | None = None
    reps: int | None = None
    hold_s: int | None = None
    rest_s: int | None = None
    minutes: float | None = None

    def changes(self) -> dict[str, int | float]:
        return {name: value for name in DOSE_FIELDS if (value := getattr(self, name)) is not None}


def apply_dose_edits(plan: Plan, edits: list[DoseEdit], *, minutes_per_session: int) -> Plan:
    """The plan with every edit applied in order (later edits win); refuses one that breaks the time budget."""
    if not edits:
        return plan
    weeks = tuple(_week(week, edits, minutes_per_session) for week in plan.weeks)
    return plan.model_copy(update={"weeks": weeks})


def _week(week: Week, edits: list[DoseEdit], budget: int) -> Week:
    sessions = tuple(_session(session, edits, budget) for session in week.sessions)
    return week.model_copy(update={"sessions": sessions})


def _session(session: Session, edits: list[DoseEdit], budget: int) -> Session:
    applicable = [edit for edit in edits if edit.from_date <= session.date]
    if not applicable:
        return session
    blocks = tuple(_block(block, applicable) for block in session.blocks)
    minutes = session_minutes(blocks)
    if minutes > budget:
        raise InvalidRequest(
            f"With this edit the session of {session.date.isoformat()} would last {minutes} minutes, more than the "
            f"{budget} minutes per session of the profile. Lower the dose, or raise minutes_per_session first.",
            fr=(
                f"Avec cette modification, la séance du {session.date.isoformat()} durerait {minutes} minutes, plus que les "
                f"{budget} minutes par séance du profil. Réduisez la dose, ou augmentez d'abord minutes_per_session."
            ),
            field=("dose",),
        )
    return session.model_copy(update={"blocks": blocks, "minutes": minutes})


def _block(block: Block, edits: list[DoseEdit]) -> Block:
    mine = [edit for edit in edits if edit.exercise_id == block.exercise_id]
    if not mine:
        return block
    dose = block.dose
    reasons = list(block.reasons)
    for edit in mine:
        dose = dose.model_copy(update=edit.changes())
        reasons.append(Reason(rule="trainer.edit", text=edit.reason, refs=()))
    return block.model_copy(update={"dose": dose, "reasons": tuple(reasons)})
