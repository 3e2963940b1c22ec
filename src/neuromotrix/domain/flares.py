"""What a logged session and its next-day check-in say (BRIEF §4.5): hard stops, pain, dystonia flares, fatigue.

Plain values in, plain values out. The thresholds BRIEF marks [?] (BRIEF §9 item 6) are in
`catalog/rules/adaptation.yaml`; the adaptation engine (`domain/adaptation.py`) builds its decisions on these
readings. Ratings are 0-10 numeric rating scales: pain, dystonia intensity ("how strong is the pulling/spasm")
and fatigue, before the session, per exercise block, after it and the next day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from neuromotrix.domain.alerts import HARD_STOPS, STOP_LABELS, Alert, Message, StopReason, is_hard_stop
from neuromotrix.domain.ruletables import RuleTables

BlockStatus = Literal["done", "partial", "skipped"]
FlareStatus = Literal["none", "mild", "moderate", "unknown"]
FLARE_ORDER: dict[FlareStatus, int] = {"none": 0, "unknown": 1, "mild": 2, "moderate": 3}
MAX_PAIN = 10  # the top of the 0-10 scale: always worth a trainer's look
SUPPORTED_REST = "RB03"  # BRIEF §4.5: after a provocation, switch to RB03 supported rest


def _check_rating(name: str, value: int | None) -> None:
    if value is not None and not 0 <= value <= 10:
        raise ValueError(f"{name} must be a 0-10 rating, got {value}")


@dataclass(frozen=True)
class RuleReason:
    """Why something was decided: a rule code (documented in docs/clinical-rules.md), a bilingual text, refs."""

    rule: str
    message: Message
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class BlockOutcome:
    """One logged exercise block. `level` is the plan's level (catalog level number, 1-based); `completion` is
    the share of the prescribed sets x reps (or hold, or minutes) achieved, above 1 when more was done; `effort`
    and `effort_target` (the prescribed high end) are on the block's effort scale; `dystonia` (an extension) is
    the intensity rated right after the block, for provocation during the item."""

    exercise_id: str
    level: int
    status: BlockStatus
    completion: float
    effort: float | None = None
    effort_target: float | None = None
    pain: int | None = None
    sustained_posture: bool = False  # a sustained dystonic posture or spasm during the item
    quality_ok: bool = True  # False: overflow or compensation
    dystonia: int | None = None

    def __post_init__(self) -> None:
        if self.level < 1:
            raise ValueError(f"level is a catalog level number (1 or more), got {self.level}")
        if self.completion < 0:
            raise ValueError(f"completion is a share of the prescribed work (0 or more), got {self.completion}")
        _check_rating("pain", self.pain)
        _check_rating("dystonia", self.dystonia)


@dataclass(frozen=True)
class SessionOutcome:
    """A logged session: ratings before and after, why it stopped (if it did), and its blocks."""

    id: str
    performed_on: dt.date
    pre_pain: int
    pre_dystonia: int
    pre_fatigue: int
    post_pain: int | None = None
    post_dystonia: int | None = None
    post_fatigue: int | None = None
    stop_reason: StopReason | None = None
    blocks: tuple[BlockOutcome, ...] = ()

    def __post_init__(self) -> None:
        for name in ("pre_pain", "pre_dystonia", "pre_fatigue", "post_pain", "post_dystonia", "post_fatigue"):
            _check_rating(name, getattr(self, name))

    def blocks_of(self, exercise_id: str) -> tuple[BlockOutcome, ...]:
        return self._by_exercise.get(exercise_id, ())

    @cached_property
    def _by_exercise(self) -> dict[str, tuple[BlockOutcome, ...]]:
        """Blocks by exercise id, built once: the engine asks for every exercise of every session."""
        grouped: dict[str, list[BlockOutcome]] = {}
        for block in self.blocks:
            grouped.setdefault(block.exercise_id, []).append(block)
        return {key: tuple(blocks) for key, blocks in grouped.items()}


@dataclass(frozen=True)
class CheckIn:
    """The next-day check-in of one session (BRIEF §4.5 24-hour rule)."""

    session_id: str
    on: dt.date
    pain: int
    dystonia: int
    fatigue: int
    new_stiffness: bool = False

    def __post_init__(self) -> None:
        for name in ("pain", "dystonia", "fatigue"):
            _check_rating(name, getattr(self, name))


@dataclass(frozen=True)
class SessionAssessment:
    """What a session's log means now: end it?, alerts for the trainer, items not to resume, what may go on."""

    ends_session: bool
    alerts: tuple[Alert, ...]
    stopped_items: tuple[str, ...]  # exercise ids not to resume in this session
    allowed_items: tuple[str, ...]  # prescribed exercise ids that may still be done, in order
    rest_item: str | None  # the supported rest to switch to after a provocation
    findings: tuple[RuleReason, ...]


# --- in the session (BRIEF §4.5 "During exercise", "Dystonia provocation", "Hard stop") ------------------


def item_provoked(session: SessionOutcome, block: BlockOutcome, tables: RuleTables) -> bool:
    """A sustained posture during the item, or dystonia >= provocation_rise above the pre-session value."""
    rise = tables.adaptation.provocation_rise.value
    return block.sustained_posture or (block.dystonia is not None and block.dystonia - session.pre_dystonia >= rise)


def session_provoked(session: SessionOutcome, tables: RuleTables) -> bool:
    """Dystonia rose by provocation_rise or more after the session or during any item (a flare in the session)."""
    rise = tables.adaptation.provocation_rise.value
    after = session.post_dystonia is not None and session.post_dystonia - session.pre_dystonia >= rise
    return after or any(item_provoked(session, block, tables) for block in session.blocks)


def assess_session(session: SessionOutcome, prescribed: Sequence[str], tables: RuleTables) -> SessionAssessment:
    """Assess a session, during it (after each block) or at its end.

    `prescribed` is the planned session's exercise ids in order (`[block.exercise_id for block in
    plan_session.blocks]`; repeated ids, e.g. bouts, count once).
    A hard stop always ends the session and alerts the trainer; pain 10/10 alerts; a provocation alerts and
    stops the item for the rest of the session; pain above `regress_above_pain` stops the item.
    """
    date = session.performed_on.isoformat()
    alerts: list[Alert] = []
    findings: list[RuleReason] = []
    stop = session.stop_reason
    if stop is not None and is_hard_stop(stop):
        alert, finding = _hard_stop(session.id, stop, date)
        alerts.append(alert)
        findings.append(finding)
    pains = (session.pre_pain, session.post_pain, *(block.pain for block in session.blocks))
    if MAX_PAIN in pains:
        message = Message(
            f"Pain 10/10 reported in the session of {date}.", f"Douleur 10/10 signalée à la séance du {date}."
        )
        alerts.append(Alert(kind="max_pain", severity="urgent", message=message, key=f"max_pain:{session.id}"))
        findings.append(RuleReason(rule="session.max_pain", message=message, refs=("R39",)))
    provoked = _ordered(block.exercise_id for block in session.blocks if item_provoked(session, block, tables))
    if session_provoked(session, tables):
        alert, finding = _provocation(session, date, provoked)
        alerts.append(alert)
        findings.append(finding)
    painful = _pain_stops(session, provoked, tables)
    findings += painful.values()
    stopped = (*provoked, *painful)
    ends = session.stop_reason is not None
    allowed = () if ends else tuple(item for item in _ordered(prescribed) if item not in stopped)
    return SessionAssessment(
        ends_session=ends,
        alerts=tuple(alerts),
        stopped_items=stopped,
        allowed_items=allowed,
        rest_item=SUPPORTED_REST if provoked and not ends else None,
        findings=tuple(findings),
    )


def _pain_stops(session: SessionOutcome, provoked: tuple[str, ...], tables: RuleTables) -> dict[str, RuleReason]:
    """Items with pain above `regress_above_pain` during them: stop that exercise (BRIEF §4.5), by exercise id."""
    limit = tables.adaptation.regress_above_pain.value
    painful = (block.exercise_id for block in session.blocks if block.pain is not None and block.pain > limit)
    return {
        exercise_id: RuleReason(
            rule="session.pain_stop",
            message=Message(
                f"{exercise_id}: pain above {limit}/10 during the exercise; stop it for today.",
                f"{exercise_id} : douleur au-dessus de {limit}/10 pendant l'exercice; arrêtez-le pour aujourd'hui.",
            ),
            refs=("R39",),
        )
        for exercise_id in _ordered(painful)
        if exercise_id not in provoked
    }


def _ordered(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _hard_stop(session_id: str, reason: StopReason, date: str) -> tuple[Alert, RuleReason]:
    label = STOP_LABELS[reason]
    message = Message(
        f"Session of {date} stopped: {label.en}. The session ended; the person was shown what to do now.",
        f"Séance du {date} arrêtée : {label.fr}. La séance a pris fin; la personne a vu quoi faire maintenant.",
    )
    alert = Alert(kind="hard_stop", severity=HARD_STOPS[reason], message=message, key=f"hard_stop:{session_id}")
    return alert, RuleReason(rule="session.hard_stop", message=message, refs=("R33",))


def _provocation(session: SessionOutcome, date: str, provoked: tuple[str, ...]) -> tuple[Alert, RuleReason]:
    after = "?" if session.post_dystonia is None else str(session.post_dystonia)
    items = ", ".join(provoked)
    detail = (
        Message(
            f" Stopped for the rest of the session: {items} (switch to {SUPPORTED_REST} supported rest).",
            f" Arrêté pour le reste de la séance : {items} (passer au repos soutenu {SUPPORTED_REST}).",
        )
        if provoked
        else Message("", "")
    )
    message = Message(
        f"Dystonia flare in the session of {date} (pulling {session.pre_dystonia} before, {after} after).{detail.en}",
        f"Poussée dystonique à la séance du {date} (tiraillement {session.pre_dystonia} avant, {after} après).{detail.fr}",
    )
    alert = Alert(kind="flare", severity="warning", message=message, key=f"flare:{session.id}")
    return alert, RuleReason(rule="session.provocation", message=message)


# --- the next day (BRIEF §4.5 "24-hour rule", "Fatigue") ------------------------------------------------


def _matching(session: SessionOutcome, checkin: CheckIn) -> None:
    if checkin.session_id != session.id:
        raise ValueError(f"check-in of session {checkin.session_id!r} given for session {session.id!r}")


def flare_status(session: SessionOutcome, checkin: CheckIn | None, tables: RuleTables) -> FlareStatus:
    """The 24-hour rule. No check-in is "unknown": it holds progression and never counts as no flare.

    Pain or dystonia >= `checkin_rise` above the pre-session value, or new stiffness, is a flare; a rise of
    `moderate_flare_rise` or more is moderate, anything less is mild (BRIEF §4.4 does not define the line [?]).
    """
    if checkin is None:
        return "unknown"
    _matching(session, checkin)
    rules = tables.adaptation
    rise = max(checkin.pain - session.pre_pain, checkin.dystonia - session.pre_dystonia)
    if rise >= rules.moderate_flare_rise.value:
        return "moderate"
    if rise >= rules.checkin_rise.value or checkin.new_stiffness:
        return "mild"
    return "none"


def worst_flare(session: SessionOutcome, checkins: Sequence[CheckIn], tables: RuleTables) -> FlareStatus:
    """The worst 24-hour status over a session's check-ins (several check-ins never hide a flare)."""
    statuses = [flare_status(session, checkin, tables) for checkin in checkins if checkin.session_id == session.id]
    return max(statuses, key=FLARE_ORDER.__getitem__, default="unknown")


def fatigue_rose(session: SessionOutcome, checkin: CheckIn | None, tables: RuleTables) -> bool:
    """Next-day fatigue >= `fatigue_rise` above the pre-session value: reduce the next session's volume."""
    if checkin is None:
        return False
    _matching(session, checkin)
    return checkin.fatigue - session.pre_fatigue >= tables.adaptation.fatigue_rise.value
