"""The BRIEF §4.4-4.5 criteria of the adaptation engine, each returning the reasons it fires.

`domain/adaptation.py` decides with them: a pause reason pauses, a regress reason regresses, any hold reason
holds, and no reason at all progresses. Every reason has a rule code documented in docs/clinical-rules.md
("Adaptation") and a text in English and French; the numbers are in `catalog/rules/adaptation.yaml`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from neuromotrix.domain.alerts import Message
from neuromotrix.domain.attention import Adherence
from neuromotrix.domain.exercise import Exercise, changed_variables
from neuromotrix.domain.flares import (
    BlockOutcome,
    CheckIn,
    FlareStatus,
    RuleReason,
    SessionOutcome,
    fatigue_rose,
    item_provoked,
    session_provoked,
    worst_flare,
)
from neuromotrix.domain.planner import NECK_SHOULDER_CATEGORIES
from neuromotrix.domain.ruletables import RuleTables

FLARED: frozenset[FlareStatus] = frozenset({"mild", "moderate"})


@dataclass(frozen=True)
class HoldContext:
    """BRIEF §4.4 hold windows on the day of the decision."""

    neck_toxin_window: bool = False  # days 0-14 after a neck injection; holds neck-loading items only
    acute_illness: bool = False
    medication_change: bool = False  # a medication started, stopped or changed less than 7 days ago
    deload: bool = False  # the week after any injection


def loads_neck(exercise: Exercise) -> bool:
    """Neck loading (BRIEF §4.4 "BoNT days 0-14 for neck loading"): neck isometrics and any resisted neck or
    shoulder-girdle item (the `neck` injection region stands for the whole girdle, as in the planner)."""
    neck_work = exercise.category in NECK_SHOULDER_CATEGORIES or "neck" in exercise.regions
    return exercise.category == "neck_isometrics" or (exercise.resisted and neck_work)


T = TypeVar("T")


class _computed_once(Generic[T]):  # noqa: N801 -- used as a decorator, like property
    """A reading computed on first use and kept on the instance (functools.cached_property without its lock,
    which Python 3.11 takes on every first use: the engine reads hundreds of these per logged session)."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> T:
        value = self.compute(instance)
        instance.__dict__[self.name] = value  # later reads find it on the instance, not here
        return value


class ItemLog:
    """One exercise in one logged session (its blocks merged: several bouts are one item): completion is the
    mean over the blocks (a skipped block counts 0), pain the highest, effort over target if any block was,
    quality failed if any block failed; the 24-hour status is the worst over the session's check-ins.

    Readings are computed when first asked for: the whole history is read for pauses (flares, postures), only
    the last sessions for the other rules."""

    def __init__(
        self, session: SessionOutcome, blocks: tuple[BlockOutcome, ...], own: Sequence[CheckIn], tables: RuleTables
    ) -> None:
        self.session = session
        self.blocks = blocks
        self.own = own
        self.tables = tables
        self.level = max(block.level for block in blocks)

    @_computed_once
    def _done(self) -> list[BlockOutcome]:
        return [block for block in self.blocks if block.status != "skipped"]

    @_computed_once
    def completion(self) -> float:
        return sum(block.completion for block in self._done) / len(self.blocks)

    @_computed_once
    def effort_over(self) -> bool | None:
        """None: effort or target not rated."""
        rated = [
            (b.effort, b.effort_target) for b in self._done if b.effort is not None and b.effort_target is not None
        ]
        return any(effort > target for effort, target in rated) if rated else None

    @_computed_once
    def pain(self) -> int | None:
        pains = [block.pain for block in self._done if block.pain is not None]
        return max(pains) if pains else None

    @_computed_once
    def sustained_posture(self) -> bool:
        return any(block.sustained_posture for block in self.blocks)

    @_computed_once
    def quality_ok(self) -> bool:
        return all(block.quality_ok for block in self._done)

    @_computed_once
    def provoked(self) -> bool:
        return any(item_provoked(self.session, block, self.tables) for block in self.blocks)

    @_computed_once
    def flare(self) -> FlareStatus:
        return worst_flare(self.session, self.own, self.tables)

    @_computed_once
    def next_day_pain(self) -> int | None:
        return max((checkin.pain for checkin in self.own), default=None)

    @property
    def date(self) -> str:
        return self.session.performed_on.isoformat()


def because(*, rule: str, en: str, fr: str, refs: tuple[str, ...] = ()) -> RuleReason:
    return RuleReason(rule=rule, message=Message(en, fr), refs=refs)


def item_logs(
    exercise_id: str, history: Sequence[SessionOutcome], checkins: Sequence[CheckIn], tables: RuleTables
) -> list[ItemLog]:
    """The sessions that included the exercise, oldest first (see `ItemLog` for how blocks merge)."""
    by_session: dict[str, list[CheckIn]] = {}
    for checkin in checkins:
        by_session.setdefault(checkin.session_id, []).append(checkin)
    # By date; sessions of one day keep the order given (oldest first), since ids need not sort as numbers.
    return [
        ItemLog(session, blocks, by_session.get(session.id, []), tables)
        for session in sorted(history, key=lambda logged: logged.performed_on)
        if (blocks := session.blocks_of(exercise_id))
    ]


def percent_less(factor: float) -> int:
    return round(100 * (1 - factor))


def pause_reasons(items: list[ItemLog], run: list[ItemLog], tables: RuleTables) -> list[RuleReason]:
    """BRIEF §4.4: the 24-hour rule in 2 consecutive sessions, or a sustained posture twice on this exercise.

    Sessions whose check-in is missing are skipped when counting consecutive flares: unknown neither counts as a
    flare nor breaks a chain. The latest session counted must be at the current level (new evidence)."""
    rules = tables.adaptation
    reasons: list[RuleReason] = []
    in_run = {item.session.id for item in run}
    needed = rules.consecutive_flares_to_pause.value
    known: list[ItemLog] = []
    for item in reversed(items):  # newest first, and only as far back as needed
        if len(known) == needed:
            break
        if item.flare != "unknown":
            known.insert(0, item)
    back = rules.pause_regress_levels.value
    if len(known) == needed and all(item.flare in FLARED for item in known) and known[-1].session.id in in_run:
        reasons.append(
            because(
                rule="adaptation.pause.flares",
                en=f"The 24-hour rule fired after each of the last {needed} sessions with this exercise: paused, "
                f"{back} levels back, clinician notified.",
                fr=f"La règle des 24 heures s'est déclenchée après chacune des {needed} dernières séances avec cet "
                f"exercice : suspendu, {back} niveaux plus bas, clinicien avisé.",
                refs=("R39",),
            )
        )
    postures = [item for item in items if item.sustained_posture]
    needed = rules.postures_to_pause.value
    if len(postures) >= needed and postures[-1].session.id in in_run:
        reasons.append(
            because(
                rule="adaptation.pause.postures",
                en=f"This exercise provoked a sustained dystonic posture {len(postures)} times: paused, {back} levels "
                f"back, clinician notified.",
                fr=f"Cet exercice a provoqué une posture dystonique soutenue {len(postures)} fois : suspendu, {back} "
                f"niveaux plus bas, clinicien avisé.",
            )
        )
    return reasons


def regress_reasons(window: list[ItemLog], tables: RuleTables) -> list[RuleReason]:
    """BRIEF §4.4 REGRESS one level: a moderate flare, pain above 5 during the item, failed quality; and (design)
    a provocation during the item: BRIEF §4.5 stops it, the next session starts one level lower."""
    limit = tables.adaptation.regress_above_pain.value
    reasons: list[RuleReason] = []
    for item in window:
        if item.flare == "moderate":
            reasons.append(
                because(
                    rule="adaptation.regress.moderate_flare",
                    en=f"Moderate flare at the next-day check-in after {item.date}: one level back.",
                    fr=f"Poussée modérée au suivi du lendemain après le {item.date} : un niveau plus bas.",
                    refs=("R39",),
                )
            )
        if item.pain is not None and item.pain > limit:
            reasons.append(
                because(
                    rule="adaptation.regress.pain",
                    en=f"Pain {item.pain}/10 during the exercise on {item.date} (above {limit}): one level back.",
                    fr=f"Douleur {item.pain}/10 pendant l'exercice le {item.date} (plus de {limit}) : un niveau plus bas.",
                    refs=("R39",),
                )
            )
        if not item.quality_ok:
            reasons.append(
                because(
                    rule="adaptation.regress.quality",
                    en=f"Quality failed on {item.date} (overflow or compensation): one level back.",
                    fr=f"Qualité insuffisante le {item.date} (débordement ou compensation) : un niveau plus bas.",
                )
            )
        if item.provoked:
            reasons.append(
                because(
                    rule="adaptation.regress.provocation",
                    en=f"Dystonia was provoked during this exercise on {item.date}: one level back.",
                    fr=f"La dystonie a été provoquée pendant cet exercice le {item.date} : un niveau plus bas.",
                )
            )
    return reasons


def volume_holds(
    window: list[ItemLog],
    history: Sequence[SessionOutcome],
    checkins: Sequence[CheckIn],
    tables: RuleTables,
) -> tuple[float, list[RuleReason]]:
    """Less volume next session: after a mild flare in the latest session with this exercise (BRIEF §4.5 24-hour
    rule) and after a next-day fatigue rise following the latest session of all (BRIEF §4.5 Fatigue). Both hold
    the level: the level and the volume never change together (one variable at a time)."""
    rules = tables.adaptation
    factors: list[float] = []
    reasons: list[RuleReason] = []
    mild = [item for item in window if item.flare == "mild"]
    if mild:
        item, latest = mild[-1], mild[-1] is window[-1]
        factor = rules.mild_flare_volume_factor.value
        less = f", {percent_less(factor)} % less volume next session" if latest else ""
        moins = f", {percent_less(factor)} % de volume en moins à la prochaine séance" if latest else ""
        reasons.append(
            because(
                rule="adaptation.hold.mild_flare",
                en=f"Mild flare at the next-day check-in after {item.date}: same level{less}.",
                fr=f"Poussée légère au suivi du lendemain après le {item.date} : même niveau{moins}.",
                refs=("R39",),
            )
        )
        if latest:
            factors.append(factor)
    if history:
        latest_day = max(logged.performed_on for logged in history)
        last = [logged for logged in history if logged.performed_on == latest_day][-1]  # given oldest first
        rose = any(fatigue_rose(last, checkin, tables) for checkin in checkins if checkin.session_id == last.id)
        if rose:
            factor = rules.fatigue_volume_factor.value
            factors.append(factor)
            reasons.append(
                because(
                    rule="adaptation.hold.fatigue",
                    en=f"Next-day fatigue rose by {rules.fatigue_rise.value} or more after the session of "
                    f"{last.performed_on.isoformat()}: same level, {percent_less(factor)} % less volume next session.",
                    fr=f"La fatigue du lendemain a augmenté de {rules.fatigue_rise.value} ou plus après la séance du "
                    f"{last.performed_on.isoformat()} : même niveau, {percent_less(factor)} % de volume en moins à la "
                    f"prochaine séance.",
                )
            )
    return min(factors, default=1.0), reasons


def evidence_holds(window: list[ItemLog], tables: RuleTables) -> list[RuleReason]:
    """BRIEF §4.4 PROGRESS criteria over the window; anything borderline or missing holds."""
    rules = tables.adaptation
    needed = rules.sessions_to_progress.value
    reasons: list[RuleReason] = []
    if len(window) < needed:
        reasons.append(
            because(
                rule="adaptation.hold.sessions",
                en=f"Fewer than {needed} logged sessions at this level: the level is held.",
                fr=f"Moins de {needed} séances consignées à ce niveau : le niveau est maintenu.",
            )
        )
    for item in window:
        reasons += _item_holds(item, tables)
    return reasons


def _item_holds(item: ItemLog, tables: RuleTables) -> list[RuleReason]:
    rules = tables.adaptation
    session, date = item.session, item.date
    reasons: list[RuleReason] = []
    if item.flare == "unknown":
        reasons.append(
            because(
                rule="adaptation.hold.missing_checkin",
                en=f"The next-day check-in after the session of {date} is missing: progression waits for it.",
                fr=f"Le suivi du lendemain de la séance du {date} manque : la progression l'attend.",
            )
        )
    minimum = rules.min_completion_to_progress.value
    if item.completion < minimum:
        reasons.append(
            because(
                rule="adaptation.hold.completion",
                en=f"Less than {round(100 * minimum)} % of the prescribed work was done on {date}.",
                fr=f"Moins de {round(100 * minimum)} % du travail prescrit a été fait le {date}.",
                refs=("R32",),
            )
        )
    if item.effort_over is not False:
        reasons.append(
            because(
                rule="adaptation.hold.effort",
                en=f"Effort above the target, or not rated, on {date}.",
                fr=f"Effort au-dessus de la cible, ou non évalué, le {date}.",
                refs=("R37",),
            )
        )
    highest = rules.progress_max_pain.value
    if item.pain is None or item.pain > highest:
        rated = "not rated" if item.pain is None else f"{item.pain}/10"
        evalue = "non évaluée" if item.pain is None else f"{item.pain}/10"
        reasons.append(
            because(
                rule="adaptation.hold.pain",
                en=f"Pain during the exercise on {date}: {rated} (progression needs {highest}/10 or less).",
                fr=f"Douleur pendant l'exercice le {date} : {evalue} (la progression demande {highest}/10 ou moins).",
                refs=("R39",),
            )
        )
    margin = rules.next_day_pain_margin.value
    if item.next_day_pain is not None and item.next_day_pain > session.pre_pain + margin:
        reasons.append(
            because(
                rule="adaptation.hold.next_day_pain",
                en=f"Next-day pain after {date} was more than {margin} above the pre-session value.",
                fr=f"La douleur du lendemain après le {date} dépassait de plus de {margin} la valeur d'avant la séance.",
                refs=("R39",),
            )
        )
    if not item.provoked and session_provoked(session, tables):
        reasons.append(
            because(
                rule="adaptation.hold.session_flare",
                en=f"Dystonia rose during or after the session of {date}.",
                fr=f"La dystonie a augmenté pendant ou après la séance du {date}.",
            )
        )
    if session.stop_reason is not None:
        reasons.append(
            because(
                rule="adaptation.hold.stopped",
                en=f"The session of {date} was stopped early.",
                fr=f"La séance du {date} a été arrêtée avant la fin.",
            )
        )
    return reasons


def context_holds(
    exercise: Exercise, hold: HoldContext, adherence: Adherence | None, tables: RuleTables
) -> list[RuleReason]:
    """BRIEF §4.4: weekly adherence >= 2/3, and not inside a hold window."""
    reasons: list[RuleReason] = []
    ratio = tables.adaptation.adherence_to_progress.value
    if adherence is None or adherence.scheduled == 0:
        reasons.append(
            because(
                rule="adaptation.hold.adherence",
                en="No sessions planned in the last 7 days: weekly adherence is unknown.",
                fr="Aucune séance prévue dans les 7 derniers jours : l'assiduité de la semaine est inconnue.",
            )
        )
    elif not ratio.reached(adherence.attended, adherence.scheduled):
        counts = f"{adherence.attended}/{adherence.scheduled}"
        reasons.append(
            because(
                rule="adaptation.hold.adherence",
                en=f"Weekly adherence {counts} is below {ratio} of the planned sessions.",
                fr=f"L'assiduité de la semaine, {counts}, est sous {ratio} des séances prévues.",
                refs=("R32",),
            )
        )
    days, medication_days = tables.toxin.limits.neck_window_days, tables.parameters.medication_hold_days
    windows = [
        (
            hold.neck_toxin_window and loads_neck(exercise),
            because(
                rule="adaptation.hold.toxin",
                en=f"Within {days} days after a neck injection: neck loading does not progress.",
                fr=f"Dans les {days} jours suivant une injection au cou : le travail en charge du cou ne progresse pas.",
                refs=("R79",),
            ),
        ),
        (
            hold.deload,
            because(
                rule="adaptation.hold.deload",
                en="Deload week after an injection: no progression.",
                fr="Semaine d'allègement après une injection : aucune progression.",
                refs=("R73b",),
            ),
        ),
        (
            hold.acute_illness,
            because(
                rule="adaptation.hold.illness",
                en="Acute illness: no progression until it is over.",
                fr="Maladie aiguë : aucune progression avant la guérison.",
            ),
        ),
        (
            hold.medication_change,
            because(
                rule="adaptation.hold.medication",
                en=f"A medication changed less than {medication_days} days ago: no progression.",
                fr=f"Un médicament a changé il y a moins de {medication_days} jours : aucune progression.",
                refs=("R83",),
            ),
        ),
    ]
    reasons += [reason for applies, reason in windows if applies]
    return reasons


def ladder_holds(exercise: Exercise, ladder: tuple[int, ...], position: int) -> list[RuleReason]:
    """At the top, or (defensively: usable ladders are contiguous) a next usable level that changes more than one
    variable: a clinician decides, the engine never makes that jump (BRIEF §4.4 one variable at a time)."""
    current = ladder[position]
    if position + 1 >= len(ladder):
        return [
            because(
                rule="adaptation.hold.top",
                en=f"Already at the highest usable level ({current}).",
                fr=f"Déjà au plus haut niveau utilisable ({current}).",
            )
        ]
    following = ladder[position + 1]
    changed = changed_variables(exercise.levels[current - 1], exercise.levels[following - 1])
    if len(changed) > 1:
        names = ", ".join(changed)
        return [
            because(
                rule="adaptation.hold.ladder_gap",
                en=f"The next usable level ({following}) changes more than one thing ({names}): a clinician decides.",
                fr=f"Le prochain niveau utilisable ({following}) change plus d'une chose ({names}) : un clinicien décide.",
            )
        ]
    return []
