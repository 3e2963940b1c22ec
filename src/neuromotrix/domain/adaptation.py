"""Per-exercise decisions from session logs: progress, hold, regress or pause (BRIEF §4.4-4.5).

`decide` looks at one exercise: its usable ladder (catalog level numbers of the levels this person may do,
ascending; `person_ladder`), the level the person is at, the logged sessions and next-day check-ins, the hold
windows of the day and the weekly adherence. Evidence counts only at the current level: the *run* is the
trailing sessions that included the exercise at that level, the *window* the last `sessions_to_progress` of
them. So a decision, once applied (the level changed), is not applied again on the same logs.

Precedence: pause > regress > hold > progress. Progress is one step of the usable ladder (one variable,
BRIEF §4.4); regressions never go below the first usable level. Thresholds are in
`catalog/rules/adaptation.yaml`; docs/clinical-rules.md "Adaptation" lists every rule.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from threading import Lock
from typing import Literal

from neuromotrix.domain.adaptation_rules import (
    HoldContext,
    ItemLog,
    because,
    context_holds,
    evidence_holds,
    item_logs,
    ladder_holds,
    loads_neck,
    pause_reasons,
    percent_less,
    regress_reasons,
    volume_holds,
)
from neuromotrix.domain.adjustments import Adjustment
from neuromotrix.domain.alerts import Alert, Message
from neuromotrix.domain.attention import Adherence
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.eligibility import Candidate, evaluate, make_person
from neuromotrix.domain.exercise import Exercise, changed_variables
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.flares import CheckIn, RuleReason, SessionOutcome
from neuromotrix.domain.plan import Plan
from neuromotrix.domain.profile import Profile
from neuromotrix.domain.ruletables import RuleTables
from neuromotrix.domain.screening import screen
from neuromotrix.domain.toxin import toxin_day

__all__ = [
    "Action",
    "Decision",
    "HoldContext",
    "adapt",
    "as_adjustments",
    "decide",
    "hold_context",
    "loads_neck",
    "person_ladder",
    "program_levels",
]
Action = Literal["progress", "hold", "regress", "pause"]


def hold_context(profile: Profile, on: dt.date, tables: RuleTables) -> HoldContext:
    day = toxin_day(profile.treatments.botulinum_toxin, on, tables.toxin)
    hold_days = tables.parameters.medication_hold_days
    changed = any(
        medication.change is not None
        and medication.changed_on is not None
        and 0 <= (on - medication.changed_on).days < hold_days
        for medication in profile.treatments.medications
    )
    return HoldContext(
        neck_toxin_window=day.neck_window,
        acute_illness=profile.symptoms.acute_illness,
        medication_change=changed,
        deload=day.deload,
    )


@dataclass(frozen=True)
class Decision:
    """What to do with one exercise from the next session on. Levels are catalog level numbers (1-based)."""

    exercise_id: str
    action: Action
    from_level: int
    to_level: int
    volume_factor: float
    reasons: tuple[RuleReason, ...]
    alert: Alert | None = None

    def message(self) -> Message:
        return Message(
            " ".join(reason.message.en for reason in self.reasons),
            " ".join(reason.message.fr for reason in self.reasons),
        )


def person_ladder(candidate: Candidate) -> tuple[int, ...]:
    """The usable ladder of a planner candidate as catalog level numbers (the planner uses 0-based indexes)."""
    return tuple(index + 1 for index in candidate.ladder)


def decide(
    exercise: Exercise,
    ladder: Sequence[int],
    current_level: int,
    history: Sequence[SessionOutcome],
    checkins: Sequence[CheckIn],
    hold: HoldContext,
    adherence: Adherence | None,
    tables: RuleTables,
) -> Decision:
    """The decision for one exercise (BRIEF §4.4-4.5); see the module docstring for the order of the rules."""
    if not ladder or list(ladder) != sorted(set(ladder)):
        raise ValueError(f"{exercise.id}: the usable ladder must be ascending level numbers, got {list(ladder)}")
    if current_level not in ladder:
        return _unusable(exercise, tuple(ladder), current_level)
    items = item_logs(exercise.id, history, checkins, tables)
    run: list[ItemLog] = []
    for item in reversed(items):
        if item.level != current_level:
            break
        run.insert(0, item)
    window = run[-tables.adaptation.sessions_to_progress.value :]
    steps = _Steps(exercise, tuple(ladder), list(ladder).index(current_level))
    pause = pause_reasons(items, run, tables)
    if pause:
        back = tables.adaptation.pause_regress_levels.value
        return _with_alert(steps.decision("pause", -back, pause), exercise, run[-1].session.id)
    regress = regress_reasons(window, tables)
    if regress and steps.position == 0:
        factor = tables.adaptation.mild_flare_volume_factor.value
        floor = because(
            rule="adaptation.regress.floor",
            en=f"Already at the first usable level: same level with {percent_less(factor)} % less volume.",
            fr=f"Déjà au premier niveau utilisable : même niveau avec {percent_less(factor)} % de volume en moins.",
        )
        return steps.decision("regress", 0, [*regress, floor], factor)
    if regress:
        return steps.decision("regress", -1, regress)
    factor, volume_reasons = volume_holds(window, history, checkins, tables)
    holds = [
        *evidence_holds(window, tables),
        *volume_reasons,
        *context_holds(exercise, hold, adherence, tables),
        *ladder_holds(exercise, steps.ladder, steps.position),
    ]
    if holds:
        return steps.decision("hold", 0, holds, factor)
    following = steps.ladder[steps.position + 1]
    changed = ", ".join(changed_variables(exercise.levels[current_level - 1], exercise.levels[following - 1]))
    progress = because(
        rule="adaptation.progress",
        en=f"Every progression criterion held over the last {len(window)} sessions at level {current_level}: "
        f"level {following} next (one change: {changed}).",
        fr=f"Tous les critères de progression sont remplis sur les {len(window)} dernières séances au niveau "
        f"{current_level} : niveau {following} ensuite (un seul changement : {changed}).",
        refs=("R32",),
    )
    return steps.decision("progress", 1, [progress])


@dataclass(frozen=True)
class _Steps:
    """Moves along one person's usable ladder, never past either end."""

    exercise: Exercise
    ladder: tuple[int, ...]
    position: int

    def decision(self, action: Action, step: int, reasons: list[RuleReason], factor: float = 1.0) -> Decision:
        target = min(max(self.position + step, 0), len(self.ladder) - 1)
        current = self.ladder[self.position]
        return Decision(self.exercise.id, action, current, self.ladder[target], factor, tuple(_unique(reasons)))


def _unique(reasons: list[RuleReason]) -> list[RuleReason]:
    """One reason per rule (the first, i.e. the oldest session's), in rule-check order."""
    seen: dict[str, RuleReason] = {}
    for reason in reasons:
        seen.setdefault(reason.rule, reason)
    return list(seen.values())


def _unusable(exercise: Exercise, ladder: tuple[int, ...], current_level: int) -> Decision:
    """The level the person is at is not in their usable ladder (limits changed): the nearest lower usable level,
    else the first usable one. Never a progression: nothing was earned."""
    lower = [level for level in ladder if level < current_level]
    to_level = lower[-1] if lower else ladder[0]
    reason = because(
        rule="adaptation.level_unusable",
        en=f"Level {current_level} is not usable for this person now (position, equipment or other limits): "
        f"level {to_level} instead.",
        fr=f"Le niveau {current_level} n'est plus utilisable pour cette personne (position, équipement ou autres "
        f"limites) : niveau {to_level} à la place.",
    )
    action: Action = "regress" if lower else "hold"
    return Decision(exercise.id, action, current_level, to_level, 1.0, (reason,))


def _with_alert(decision: Decision, exercise: Exercise, session_id: str) -> Decision:
    name, text = exercise.name, decision.message()
    alert = Alert(
        kind="item_paused",
        severity="warning",
        message=Message(
            f"{name.en} ({exercise.id}) is paused at level {decision.to_level}. {text.en}",
            f"{name.fr} ({exercise.id}) est suspendu au niveau {decision.to_level}. {text.fr}",
        ),
        key=f"item_paused:{exercise.id}:{session_id}",
        exercise_id=exercise.id,
    )
    return replace(decision, alert=alert)


# --- a whole program ------------------------------------------------------------------------------------------


def adapt(
    profile: Profile,
    catalog: Catalog,
    levels: Mapping[str, int],
    history: Sequence[SessionOutcome],
    checkins: Sequence[CheckIn],
    adherence: Adherence | None,
    *,
    on: dt.date,
) -> list[Decision]:
    """A decision for every exercise of a program (`levels`: exercise id -> current level), by exercise id.

    Ladders come from the same eligibility rules as the planner. Exercises the person may no longer do (now
    excluded) get no decision: the planner leaves them out anyway. Logs and check-ins after `on` are ignored.
    """
    by_id = _eligible(profile, catalog)
    if by_id is None:
        return []
    hold = hold_context(profile, on, catalog.rules)
    logged = [session for session in history if session.performed_on <= on]
    answered = [checkin for checkin in checkins if checkin.on <= on]
    return [
        decide(
            by_id[exercise_id].exercise,
            person_ladder(by_id[exercise_id]),
            level,
            logged,
            answered,
            hold,
            adherence,
            catalog.rules,
        )
        for exercise_id, level in sorted(levels.items())
        if exercise_id in by_id
    ]


# The eligibility of one profile against one catalog, kept for the last few pairs: a stored profile version is
# one object per process, and every logged session asks again. Entries hold the objects they were computed for,
# so a key (object ids) can never answer for another object.
_ELIGIBLE: OrderedDict[tuple[int, int], tuple[Profile, Catalog, dict[str, Candidate] | None]] = OrderedDict()
_ELIGIBLE_LOCK = Lock()
ELIGIBLE_CACHE_SIZE = 256


def _eligible(profile: Profile, catalog: Catalog) -> dict[str, Candidate] | None:
    """The planner's candidates by exercise id, or None when screening gives no weeks (blocked)."""
    key = (id(profile), id(catalog))
    with _ELIGIBLE_LOCK:
        found = _ELIGIBLE.get(key)
    if found is not None and found[0] is profile and found[1] is catalog:
        return found[2]
    facts = derive_facts(profile)
    screening = screen(profile, facts, catalog.rules)
    by_id = None
    if screening.has_weeks:
        candidates, _ = evaluate(catalog, make_person(profile, facts, screening))
        by_id = {candidate.exercise.id: candidate for candidate in candidates}
    with _ELIGIBLE_LOCK:
        _ELIGIBLE[key] = (profile, catalog, by_id)
        while len(_ELIGIBLE) > ELIGIBLE_CACHE_SIZE:
            _ELIGIBLE.popitem(last=False)
    return by_id


def program_levels(plan: Plan, on: dt.date) -> dict[str, int]:
    """Each exercise's level in a plan: that of its latest session on or before `on`, else its first session."""
    levels: dict[str, int] = {}
    for week in plan.weeks:
        for session in week.sessions:
            for block in session.blocks:
                if session.date <= on or block.exercise_id not in levels:
                    levels[block.exercise_id] = block.level
    return dict(sorted(levels.items()))


def as_adjustments(
    decisions: Sequence[Decision], *, from_date: dt.date, volume_until: dt.date | None
) -> list[Adjustment]:
    """Adjustments for the planner: every decision pins its level from `from_date` (progression is then driven by
    the logs); a volume factor below 1 applies until `volume_until` (exclusive: the day after the next session)."""
    return [
        Adjustment(
            exercise_id=decision.exercise_id,
            from_date=from_date,
            level=decision.to_level,
            paused=decision.action == "pause",
            volume_factor=decision.volume_factor,
            volume_until=volume_until if decision.volume_factor < 1 else None,
            reason=decision.message(),
            source="adaptation",
        )
        for decision in decisions
    ]
