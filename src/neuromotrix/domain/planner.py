"""Profile -> screening -> personalised multi-week program (BRIEF §3-§6; PRODUCT.md "Contracts").

Deterministic: the same profile, catalog and adjustments give the same plan, byte for byte. The clock never
enters here: `profile.preferences.start_on` must be resolved by the caller. Adjustments (from the adaptation
engine or a trainer; `domain/adjustments.py`) set an exercise's level, pause it or scale its volume down from a
date on; every safety rule still applies on top of them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

from neuromotrix.domain import dosing, texts, vocab
from neuromotrix.domain.adjustments import ActiveAdjustment, Adjustment, active_on
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.dosing import WorkingDose
from neuromotrix.domain.eligibility import Candidate, Person, evaluate, make_person
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.plan import (
    Block,
    Excluded,
    Flag,
    Plan,
    Reason,
    ScreeningOutcome,
    Session,
    Week,
    build,
    session_minutes,
)
from neuromotrix.domain.profile import Profile
from neuromotrix.domain.screening import ScreeningResult, screen
from neuromotrix.domain.toxin import NO_TOXIN, ToxinDay, toxin_day

CORE_ITEMS = 2  # the best-ranked main items appear in every session; the rest rotate (BRIEF §4.1 frequency)
SESSION_TEMPLATES = 3  # the rest of the main work rotates through three session templates (A, B, C)
MAX_MAIN_BLOCKS = 7
MIN_BLOCK_SECONDS = 60
RESTFUL_CATEGORIES = frozenset({"relaxation_breathing", "flexibility"})
NECK_SHOULDER_CATEGORIES = frozenset({"neck_motor_control", "neck_isometrics", "scapular_posture"})


@dataclass(frozen=True)
class SessionSlot:
    week: int
    date: dt.date
    toxin: ToxinDay


@dataclass
class Planner:
    profile: Profile
    catalog: Catalog
    facts: Mapping[str, Any]
    screening: ScreeningResult
    person: Person
    candidates: list[Candidate]
    toxin_exclusions: dict[str, dict[Text, list[dt.date]]] = field(default_factory=dict)
    ranked_cache: dict[tuple[str, str], list[Candidate]] = field(default_factory=dict)
    situations: dict[tuple[ToxinDay, frozenset[str]], int] = field(default_factory=dict)
    selection_cache: dict[str, list[Reason]] = field(default_factory=dict)
    prepared_cache: dict[tuple[Any, ...], tuple[list[WorkingDose], tuple[Reason, ...], float, float]] = field(
        default_factory=dict
    )
    _block_cache: dict[tuple[Any, ...], Block] = field(default_factory=dict)
    adjustments: Mapping[str, Adjustment] = field(default_factory=dict)  # only for candidates, by exercise id
    paused: dict[str, Adjustment] = field(default_factory=dict)  # pauses in force on some session date

    @property
    def language(self) -> str:
        return self.profile.language

    def text(self, template: Text, **values: Any) -> str:
        return _formatted(template, self.language, tuple(values.items()))


def generate_plan(profile: Profile, catalog: Catalog, *, adjustments: Mapping[str, Adjustment] | None = None) -> Plan:
    """The plan; `adjustments` (exercise id -> adjustment) apply from their dates, under every safety rule."""
    facts = derive_facts(profile)
    screening = screen(profile, facts, catalog.rules)
    person = make_person(profile, facts, screening)
    candidates, excluded = evaluate(catalog, person)
    planner = Planner(profile, catalog, facts, screening, person, candidates)
    if adjustments:
        planner.adjustments = _candidate_adjustments(adjustments, candidates)
    weeks = _build_weeks(planner) if screening.has_weeks else ()
    excluded_out = _excluded(planner, excluded)
    flags = tuple(
        Flag(
            code=flag.code,
            severity=flag.severity,
            message=flag.message.in_language(profile.language),
            action=flag.action.in_language(profile.language),
        )
        for flag in screening.flags
    )
    used_blocks = planner._block_cache.values()  # every cached block is in some session
    cited = _cited_references(used_blocks, excluded_out, (ref for flag in screening.flags for ref in flag.refs))
    return build(
        Plan,
        status=screening.outcome,
        start_on=profile.start_on,
        language=profile.language,
        screening=build(ScreeningOutcome, outcome=screening.outcome, flags=flags),
        weeks=weeks,
        excluded=excluded_out,
        references={key: catalog.references[key] for key in _reference_order(cited)},
    )


def _candidate_adjustments(adjustments: Mapping[str, Adjustment], candidates: list[Candidate]) -> dict[str, Adjustment]:
    """Adjustments of exercises the person may do, by id: an adjustment never brings back an excluded item."""
    for key, adjustment in adjustments.items():
        if key != adjustment.exercise_id:
            raise ValueError(
                f"adjustments[{key!r}] is for exercise {adjustment.exercise_id!r}; key them by exercise id"
            )
    allowed = {candidate.exercise.id for candidate in candidates}
    return {key: adjustments[key] for key in sorted(adjustments) if key in allowed}


@functools.lru_cache(maxsize=8192)
def _formatted(template: Text, language: str, values: tuple[tuple[str, Any], ...]) -> str:
    return template.in_language(language).format(**dict(values))


@functools.lru_cache(maxsize=8192)
def _reason(rule: str, text: str, refs: tuple[str, ...] = ()) -> Reason:
    """Reasons are immutable and repeat across sessions and plans: one object per distinct reason."""
    return build(Reason, rule=rule, text=text, refs=refs)


# --- calendar -----------------------------------------------------------------------------------------------


def session_dates(profile: Profile) -> list[tuple[int, dt.date]]:
    """(week number, date) of every session: named days, or N sessions spread evenly from the start date."""
    preferences = profile.preferences
    start = profile.start_on
    dates: list[tuple[int, dt.date]] = []
    if preferences.days is not None:
        wanted = {vocab.WEEKDAYS.index(day) for day in preferences.days}
        offsets = [offset for offset in range(7) if (start + dt.timedelta(days=offset)).weekday() in wanted]
    else:
        count = preferences.session_count
        offsets = sorted({index * 7 // count for index in range(count)})
    for week in range(1, preferences.weeks + 1):
        week_start = start + dt.timedelta(weeks=week - 1)
        dates.extend((week, week_start + dt.timedelta(days=offset)) for offset in offsets)
    return dates


# --- progression (BRIEF §4.4) ------------------------------------------------------------------------------


def _week_holds(planner: Planner, slots: list[SessionSlot]) -> dict[int, set[str]]:
    """Per week, which holds apply: 'all' (deload, medication change, starter program), 'neck', 'face'."""
    hold_days = planner.catalog.rules.parameters.medication_hold_days
    changes = [m.changed_on for m in planner.profile.treatments.medications if m.change and m.changed_on]
    holds: dict[int, set[str]] = {}
    for slot in slots:
        week_holds = holds.setdefault(slot.week, set())
        if slot.toxin.deload or planner.screening.starter_only:
            week_holds.add("all")
        if any(0 <= (slot.date - changed).days < hold_days for changed in changes):
            week_holds.update({"all", "medication"})
        if slot.toxin.neck_window:
            week_holds.add("neck")
        if slot.toxin.face_window:
            week_holds.add("face")
    return holds


def _hold_kind(candidate: Candidate) -> str:
    category = candidate.exercise.category
    if category in NECK_SHOULDER_CATEGORIES or "neck" in candidate.regions:
        return "neck"
    return "face" if category == "face_jaw" else "other"


def level_schedule(candidate: Candidate, weeks: int, holds: Mapping[int, set[str]], interval: int) -> list[int]:
    """Ladder position for each week (index 0 = week 1): one level every `interval` weeks unless held."""
    position, last_step = candidate.start, 1
    kind = _hold_kind(candidate)
    schedule: list[int] = []
    for week in range(1, weeks + 1):
        week_holds = holds.get(week, set())
        held = "all" in week_holds or kind in week_holds
        if week > 1 and not held and week - last_step >= interval and position + 1 < len(candidate.ladder):
            position, last_step = position + 1, week
        schedule.append(position)
    return schedule


# --- weeks and sessions ------------------------------------------------------------------------------------


def _build_weeks(planner: Planner) -> tuple[Week, ...]:
    profile = planner.profile
    injections = profile.treatments.botulinum_toxin
    table = planner.catalog.rules.toxin
    slots = [
        SessionSlot(week, day, toxin_day(injections, day, table) if injections else NO_TOXIN)
        for week, day in session_dates(profile)
    ]
    holds = _week_holds(planner, slots)
    interval = planner.catalog.rules.parameters.progression_interval_weeks
    levels = {c.exercise.id: level_schedule(c, profile.preferences.weeks, holds, interval) for c in planner.candidates}
    resisted_last_used: dict[str, dt.date] = {}
    index_in_week: dict[int, int] = {}
    by_week: dict[int, list[tuple[SessionSlot, Session]]] = {}
    gap = planner.catalog.rules.parameters.resisted_gap_days
    level_keys = {week: tuple(s[week - 1] for s in levels.values()) for week in range(1, profile.preferences.weeks + 1)}
    memo: dict[tuple[Any, ...], Composition] = {}
    ladders = {c.exercise.id: c.ladder for c in planner.candidates if c.exercise.id in planner.adjustments}
    if slots:
        last = slots[-1].date
        planner.paused = {key: a for key, a in planner.adjustments.items() if a.paused and a.from_date <= last}
    for number, slot in enumerate(slots, start=1):
        position = index_in_week.get(slot.week, 0)
        index_in_week[slot.week] = position + 1
        resting = frozenset(i for i, last in resisted_last_used.items() if (slot.date - last).days < gap)
        active = active_on(planner.adjustments, ladders, slot.date) if planner.adjustments else ()
        # Sessions that share levels, toxin day, rotation, resting items and adjustments in force are identical
        # but for the date.
        week_levels = level_keys[slot.week]
        week_holds = frozenset(holds.get(slot.week, ()))
        key = (week_levels, slot.toxin, position % SESSION_TEMPLATES, week_holds, resting, active)
        composition = memo.get(key)
        if composition is None:
            adjusted = {item.adjustment.exercise_id: item for item in active}
            composition = memo[key] = _compose(planner, slot, position, levels, holds, resting, adjusted)
        for exercise_id in composition.resisted:
            resisted_last_used[exercise_id] = slot.date
        for exercise_id, why in composition.toxin_notes:
            _note_toxin_exclusion(planner, exercise_id, why, slot.date)
        by_week.setdefault(slot.week, []).append((slot, _session(planner, slot, number, composition)))
    weeks = [
        build(
            Week,
            week=week,
            phase=pairs[0][1].phase,
            deload=any(slot.toxin.deload for slot, _ in pairs),
            sessions=tuple(session for _, session in pairs),
        )
        for week, pairs in by_week.items()
    ]
    return tuple(weeks)


def _score(planner: Planner, candidate: Candidate, phase: str) -> int:
    exercise = candidate.exercise
    overlays = planner.catalog.rules.overlays
    score = 0
    for condition in set(exercise.conditions) & planner.person.conditions:
        score += overlays.conditions[condition].weights.get(exercise.category, 0)
    for goal in planner.profile.goals:
        score += overlays.goals.get(goal, {}).get(exercise.category, 0)
    score += 2 * len(set(exercise.goals) & set(planner.profile.goals))
    if exercise.indication is not None:
        score += 3  # chosen because it matches this person's pattern or regions
    if candidate.direction is not None and candidate.direction.relation == "counter":
        score += 2  # counter-direction work is the core of cervical retraining (BRIEF §3.1 principle 2)
    row = planner.catalog.rules.toxin.row(phase)
    if row is not None:
        score += row.emphasis.get(exercise.category, 0)
    return score


def _ranked(planner: Planner, phase: str, role: str) -> list[Candidate]:
    """Candidates for a part of the session, best first; scores depend only on the toxin phase, so cached."""
    key = (phase, role)
    ranked = planner.ranked_cache.get(key)
    if ranked is None:
        pool = [c for c in planner.candidates if role in c.exercise.roles]
        ranked = planner.ranked_cache[key] = sorted(pool, key=lambda c: (-_score(planner, c, phase), c.exercise.id))
    return ranked


@dataclass(frozen=True)
class Composition:
    """The content of one session: its blocks, the resisted items it used, the toxin-phase omissions."""

    blocks: tuple[Block, ...]
    minutes: int
    resisted: frozenset[str]
    toxin_notes: tuple[tuple[str, Text], ...]


def _compose(
    planner: Planner,
    slot: SessionSlot,
    position_in_week: int,
    levels: Mapping[str, list[int]],
    holds: Mapping[int, set[str]],
    resting: frozenset[str],
    adjusted: Mapping[str, ActiveAdjustment],
) -> Composition:
    parameters = planner.catalog.rules.parameters
    budget = float(planner.profile.preferences.minutes_per_session * 60)
    phase = slot.toxin.phase
    context = _BlockContext(planner, slot, levels, holds, adjusted)
    used: set[str] = set()
    warm = _first_fitting(
        context, _ranked(planner, phase, "warm_up"), "warm_up", budget * parameters.warm_up_share, used
    )
    cool = _first_fitting(
        context, _ranked(planner, phase, "cool_down"), "cool_down", budget * parameters.cool_down_share, used
    )
    remaining = budget - sum(b.dose.seconds() for b in warm + cool)
    main_pool = [c for c in _ranked(planner, phase, "main") if c.exercise.id not in used]
    core, rest = main_pool[:CORE_ITEMS], main_pool[CORE_ITEMS:]
    if rest:
        shift = (position_in_week % SESSION_TEMPLATES) * len(rest) // SESSION_TEMPLATES
        rest = rest[shift:] + rest[:shift]
    main: list[Block] = []
    resisted: set[str] = set()
    chosen = 0
    for candidate in core + rest:
        if chosen >= MAX_MAIN_BLOCKS or remaining < MIN_BLOCK_SECONDS:
            break
        exercise = candidate.exercise
        if exercise.resisted and exercise.id in resting:
            continue  # BRIEF §4.5: >= 48 h between resistance sessions for the same muscles
        blocks = context.blocks(candidate, "main", remaining)
        if not blocks:
            continue
        main.extend(blocks)
        chosen += 1
        remaining -= sum(b.dose.seconds() for b in blocks)
        if exercise.resisted:
            resisted.add(exercise.id)
    # Lying, then sitting, then standing: fewer transitions, and the quietest positions first (BRIEF §3.1
    # principle 1); orthostatic hypotension needs exactly this gradual order (BRIEF §6.3).
    main.sort(key=lambda block: vocab.POSITION_RANK[block.position])
    ordered = (*warm, *main, *cool)
    return Composition(
        blocks=ordered, minutes=session_minutes(ordered), resisted=frozenset(resisted), toxin_notes=tuple(context.notes)
    )


def _session(planner: Planner, slot: SessionSlot, number: int, composition: Composition) -> Session:
    return build(
        Session,
        index=number,
        date=slot.date,
        day=vocab.WEEKDAYS[slot.date.weekday()],
        time=planner.profile.preferences.time_of_day,
        phase=slot.toxin.phase,
        minutes=composition.minutes,
        supervised="supervision_required" in planner.person.effects,
        blocks=composition.blocks,
    )


def _note_toxin_exclusion(planner: Planner, exercise_id: str, why: Text, day: dt.date) -> None:
    dates = planner.toxin_exclusions.setdefault(exercise_id, {}).setdefault(why, [])
    if day not in dates:
        dates.append(day)


def _first_fitting(
    context: _BlockContext, ranked: list[Candidate], part: vocab.Part, budget: float, used: set[str]
) -> list[Block]:
    for candidate in ranked:
        if candidate.exercise.id in used:
            continue
        blocks = context.blocks(candidate, part, budget)
        if blocks:
            used.add(candidate.exercise.id)
            return blocks
    return []


# --- one exercise in one session ---------------------------------------------------------------------------


@dataclass
class _BlockContext:
    planner: Planner
    slot: SessionSlot
    levels: Mapping[str, list[int]]
    holds: Mapping[int, set[str]]
    adjusted: Mapping[str, ActiveAdjustment]
    notes: list[tuple[str, Text]] = field(default_factory=list)

    def blocks(self, candidate: Candidate, part: vocab.Part, budget: float) -> list[Block]:
        """The block(s) for this exercise today (several when a continuous bout is split), or [] if not today."""
        adjusted = self.adjusted.get(candidate.exercise.id)
        if adjusted is not None and adjusted.paused:
            return []  # listed once in `excluded` with the pause's reason
        blocked_because = self._toxin_block(candidate)
        if blocked_because is not None:
            if (candidate.exercise.id, blocked_because) not in self.notes:
                self.notes.append((candidate.exercise.id, blocked_because))
            return []
        if adjusted is not None and adjusted.level_index is not None:
            level_index = adjusted.level_index  # held from the adjustment's date: progression follows the logs
        else:
            level_index = candidate.ladder[self.levels[candidate.exercise.id][self.slot.week - 1]]
        level = candidate.exercise.levels[level_index]
        key: tuple[Any, ...] = (candidate.exercise.id, level_index, self.day_key)
        if adjusted is not None:
            key = (*key, adjusted)
        bouts, reasons, total, least = self._prepared(key, candidate, level_index, adjusted)
        if least > budget:
            return []
        if total <= budget:
            return [self._block(key, candidate, part, level_index, level.position, bout, reasons) for bout in bouts]
        fitted = dosing.fit(bouts[0], budget / len(bouts))
        if fitted is None:
            return []
        reasons = (*reasons, _reason("time_budget", self.planner.text(texts.REASON_TRIMMED)))
        return [self._block(key, candidate, part, level_index, level.position, fitted, reasons) for _ in bouts]

    @functools.cached_property
    def day_key(self) -> int:
        """A small number standing for (toxin day, week holds): what doses and reasons depend on besides the level."""
        situation = (self.slot.toxin, frozenset(self.holds.get(self.slot.week, ())))
        return self.planner.situations.setdefault(situation, len(self.planner.situations))

    def _prepared(
        self, key: tuple[Any, ...], candidate: Candidate, level_index: int, adjusted: ActiveAdjustment | None
    ) -> tuple[list[WorkingDose], tuple[Reason, ...], float, float]:
        """Dose and reasons before fitting, the time they take and the least time any fitting could reach.

        They depend only on the level, the toxin day, the week's holds and the adjustment in force, so they are
        computed once per plan.
        """
        cached = self.planner.prepared_cache.get(key)
        if cached is None:
            dose, reasons = self._dose(candidate, level_index, adjusted)
            bouts = self._bouts(dose, candidate.exercise.category)
            if len(bouts) > 1:
                reasons.append(self._bout_reason())
            if adjusted is not None and adjusted.level_index is not None:
                reasons.insert(0, self._adjusted_level_reason(candidate, level_index, adjusted.adjustment))
            else:
                reasons.insert(0, self._level_reason(candidate, level_index))
            selection = self.planner.selection_cache.get(candidate.exercise.id)
            if selection is None:
                selection = self.planner.selection_cache[candidate.exercise.id] = self._selection_reasons(candidate)
            all_reasons = (*selection, *reasons)
            least = len(bouts) * dosing.least_seconds(bouts[0])
            cached = (bouts, all_reasons, sum(bout.seconds() for bout in bouts), least)
            self.planner.prepared_cache[key] = cached
        return cached

    # toxin phase rules (BRIEF §5.2)
    def _toxin_block(self, candidate: Candidate) -> Text | None:
        toxin, exercise = self.slot.toxin, candidate.exercise
        if toxin is NO_TOXIN:
            return None
        if exercise.resisted and set(candidate.regions) & toxin.injected_regions_resting:
            return texts.TOXIN_INJECTED_REGION
        neck_or_shoulder = exercise.category in NECK_SHOULDER_CATEGORIES or "neck" in candidate.regions
        if toxin.neck_window and exercise.resisted and neck_or_shoulder and exercise.category != "neck_isometrics":
            return texts.TOXIN_NECK_WINDOW
        if toxin.face_window and exercise.category == "face_jaw" and "mouth" in candidate.regions:
            return texts.TOXIN_FACE_WINDOW
        return None

    def _dose(
        self, candidate: Candidate, level_index: int, adjusted: ActiveAdjustment | None
    ) -> tuple[WorkingDose, list[Reason]]:
        planner, exercise = self.planner, candidate.exercise
        parameters, effects = planner.catalog.rules.parameters, planner.person.effects
        level = exercise.levels[level_index]
        dose = _base_dose(candidate, level_index)
        reasons: list[Reason] = []
        if self.slot.toxin.deload:
            dose = dosing.deload(dose, planner.catalog.rules.toxin.limits.deload_factor)
            reasons.append(_reason(rule="toxin.deload", text=planner.text(texts.REASON_DELOAD), refs=("R73b",)))
        if adjusted is not None and adjusted.scales_volume:
            dose = dosing.scale_volume(dose, adjusted.adjustment.volume_factor)
            reasons.append(self._volume_reason(adjusted.adjustment))
        if self.slot.toxin.neck_window and exercise.category == "neck_isometrics":
            cap = planner.catalog.rules.toxin.limits.neck_isometric_max_percent
            effort, _ = dosing.cap_percent(dose.effort, cap)
            dose = replace(dose, effort=effort)
            reasons.append(
                _reason(
                    rule="toxin.neck_isometric_cap",
                    text=planner.text(texts.REASON_NECK_ISOMETRIC_CAP, cap=cap),
                    refs=("R79", "R78"),
                )
            )
        if "rpe_only" in effects and dose.effort.scale == "percent_max" and exercise.category == "aerobic":
            dose = replace(dose, effort=dosing.heart_rate_to_rpe(dose.effort))
        if "rpe_only" in effects and exercise.category == "aerobic":
            reasons.append(
                _reason(rule="beta_blocker.rpe_only", text=planner.text(texts.REASON_RPE_ONLY), refs=("R37", "R38"))
            )
        dose, cap_reasons = self._effort_caps(dose)
        reasons += cap_reasons
        if "dyskinetic" in planner.facts["cerebral_palsy.motor_type"]:
            dose = dosing.slow_tempo(dose, parameters.dyskinetic_tempo_factor)
            reasons.append(_reason(rule="cp.dyskinetic_tempo", text=planner.text(texts.REASON_TEMPO), refs=("R31",)))
        reasons += self._context_reasons(candidate, level.position, level.supine)
        return dose, reasons

    def _effort_caps(self, dose: WorkingDose) -> tuple[WorkingDose, list[Reason]]:
        planner = self.planner
        caps = planner.catalog.rules.parameters.effort_caps
        if planner.screening.starter_only:
            effort, _ = dosing.cap_effort(dose.effort, caps["light"])
            reason = _reason(rule="needs_clearance.light_effort", text=planner.text(texts.REASON_LIGHT), refs=("R36",))
            return replace(dose, effort=effort), [reason]
        medication_week = "medication" in self.holds.get(self.slot.week, set())
        if "no_vigorous" in planner.person.effects or medication_week:
            effort, changed = dosing.cap_effort(dose.effort, caps["moderate"])
            if changed:
                reason = _reason(rule="no_vigorous", text=planner.text(texts.REASON_MODERATE), refs=("R35", "R36"))
                return replace(dose, effort=effort), [reason]
        return dose, []

    def _context_reasons(self, candidate: Candidate, position: str, supine: bool) -> list[Reason]:
        planner, effects, exercise = self.planner, self.planner.person.effects, candidate.exercise
        reasons: list[Reason] = []
        if position in vocab.UPRIGHT_POSITIONS and "supported_upright_only" in effects:
            causes = [f.code for f in planner.screening.flags if "supported_upright_only" in f.effects]
            causes += ["clearance.no_unsupported_standing"] * ("no_unsupported_standing" in planner.person.restrictions)
            why = ", ".join(causes)
            reasons.append(
                _reason(
                    rule="supported_upright_only",
                    text=planner.text(texts.REASON_SUPPORTED, why=why),
                    refs=("R102", "R27"),
                )
            )
        if position != "lying" and "slow_transitions" in effects:
            reasons.append(
                _reason(
                    rule="orthostatic.slow_transitions", text=planner.text(texts.REASON_SLOW_TRANSITIONS), refs=("R27",)
                )
            )
        if exercise.category == "aerobic" and "heat_warning" in effects:
            reasons.append(_reason(rule="anticholinergic.heat", text=planner.text(texts.REASON_HEAT), refs=("R67",)))
        if "no_supine" in effects and position == "lying":
            reasons.append(
                _reason(rule="pregnancy.no_supine", text=planner.text(texts.REASON_NO_SUPINE), refs=("R124",))
            )
        if "dbs_precautions" in effects and exercise.category in NECK_SHOULDER_CATEGORIES:
            reasons.append(_reason(rule="dbs.precautions", text=planner.text(texts.REASON_DBS), refs=("R125",)))
        if self.slot.toxin.phase != "none":
            row = planner.catalog.rules.toxin.row(self.slot.toxin.phase)
            if row is not None:
                reasons.append(
                    _reason(rule=f"toxin.phase.{row.phase}", text=row.text.in_language(planner.language), refs=row.refs)
                )
        return reasons

    def _bouts(self, dose: WorkingDose, category: str) -> list[WorkingDose]:
        """Exertion is split into capped bouts; relaxation and stretching are rest, not exertion (BRIEF §1.5)."""
        cap = self._bout_cap()
        if cap is None or category in RESTFUL_CATEGORIES:
            return [dose]
        return dosing.split_bouts(dose, cap, self.planner.catalog.rules.parameters.bout_rest_s)

    def _bout_cap(self) -> int | None:
        caps = [d.max_bout_minutes for d in self.planner.profile.dystonias if d.max_bout_minutes is not None]
        return min(caps) if caps else None

    def _bout_reason(self) -> Reason:
        rest = self.planner.catalog.rules.parameters.bout_rest_s
        text = self.planner.text(texts.REASON_BOUT_CAP, cap=self._bout_cap(), rest=rest)
        return _reason(rule="exercise_induced.bout_cap", text=text, refs=("R52", "R54b"))

    def _level_reason(self, candidate: Candidate, level_index: int) -> Reason:
        planner = self.planner
        week_holds = self.holds.get(self.slot.week, set())
        hold: Text | None = None
        if planner.screening.starter_only:
            hold = texts.REASON_HOLD_STARTER
        elif "medication" in week_holds:
            hold = texts.REASON_HOLD_MEDICATION
        elif _hold_kind(candidate) in week_holds and _hold_kind(candidate) != "other":
            hold = texts.REASON_HOLD_TOXIN
        interval = planner.catalog.rules.parameters.progression_interval_weeks
        key = (level_index, planner.language, interval, hold.en if hold else "")
        reason = candidate.compiled.reason_cache.get(key)
        if reason is None:
            level = candidate.exercise.levels[level_index]
            text = planner.text(
                texts.REASON_LEVEL,
                level=level_index + 1,
                count=len(candidate.exercise.levels),
                text=level.text.in_language(planner.language),
                interval=interval,
            )
            extra = " " + planner.text(hold) if hold else ""
            reason = candidate.compiled.reason_cache[key] = _reason("progression.level", text + extra, ("R32", "R61"))
        return reason

    def _adjusted_level_reason(self, candidate: Candidate, level_index: int, adjustment: Adjustment) -> Reason:
        planner, level = self.planner, candidate.exercise.levels[level_index]
        text = planner.text(
            texts.REASON_ADJUSTED_LEVEL,
            level=level_index + 1,
            count=len(candidate.exercise.levels),
            text=level.text.in_language(planner.language),
            date=adjustment.from_date.isoformat(),
            by=planner.text(texts.BY_TRAINER if adjustment.source == "trainer" else texts.BY_ADAPTATION),
            why=adjustment.reason.in_language(planner.language),
        )
        if adjustment.source == "trainer":
            return _reason(rule="trainer.edit", text=text)
        return _reason(rule="adaptation.level", text=text, refs=("R32",))

    def _volume_reason(self, adjustment: Adjustment) -> Reason:
        planner = self.planner
        until = adjustment.volume_until
        text = planner.text(
            texts.REASON_ADJUSTED_VOLUME if until is None else texts.REASON_ADJUSTED_VOLUME_UNTIL,
            percent=round(100 * (1 - adjustment.volume_factor)),
            date=adjustment.from_date.isoformat(),
            last="" if until is None else (until - dt.timedelta(days=1)).isoformat(),  # `volume_until` is exclusive
            by=planner.text(texts.BY_TRAINER if adjustment.source == "trainer" else texts.BY_ADAPTATION),
            why=adjustment.reason.in_language(planner.language),
        )
        if adjustment.source == "trainer":
            return _reason(rule="trainer.edit", text=text)
        return _reason(rule="adaptation.volume", text=text, refs=("R39",))

    def _selection_reasons(self, candidate: Candidate) -> list[Reason]:
        planner, exercise = self.planner, candidate.exercise
        language = planner.language
        matched = [texts.CONDITION_WORDS[c].in_language(language) for c in exercise.conditions
                   if c in planner.person.conditions]  # fmt: skip
        matched += [texts.GOAL_WORDS[g].in_language(language) for g in exercise.goals if g in planner.profile.goals]
        refs = tuple(dict.fromkeys(ref for ref in exercise.refs))
        reasons = [
            _reason(rule="selection", text=planner.text(texts.REASON_SELECTED, why=", ".join(matched)), refs=refs)
        ]
        direction = candidate.direction
        if direction is not None and direction.relation == "counter" and direction.toward is not None:
            pull = texts.DIRECTION_WORDS[vocab.OPPOSITE[direction.toward]].in_language(language)
            toward = texts.DIRECTION_WORDS[direction.toward].in_language(language)
            reasons.append(
                _reason(
                    rule="cervical.counter_direction",
                    text=planner.text(texts.REASON_COUNTER, pull=pull, toward=toward),
                    refs=("R61", "R3"),
                )
            )
        elif direction is not None:
            reasons.append(_reason(rule="cervical.bilateral", text=planner.text(texts.REASON_BILATERAL), refs=("R61",)))
        return reasons

    def _block(
        self,
        prepared_key: tuple[Any, ...],
        candidate: Candidate,
        part: vocab.Part,
        level_index: int,
        position: vocab.Position,
        dose: WorkingDose,
        reasons: tuple[Reason, ...],
    ) -> Block:
        key = (prepared_key, part, dose.sets, dose.minutes, dose.continuous_minutes, len(reasons))
        cached = self.planner._block_cache.get(key)
        if cached is not None:
            return cached
        exercise, language = candidate.exercise, self.planner.language
        level = exercise.levels[level_index]
        block = build(
            Block,
            exercise_id=exercise.id,
            name=exercise.name.in_language(language),
            category=exercise.category,
            part=part,
            regions=candidate.regions,
            equipment=tuple(sorted(set(exercise.equipment) | set(level.equipment))),
            position=position,
            direction=candidate.direction,
            resisted=exercise.resisted,
            level=level_index + 1,
            dose=dose.to_plan(),
            instructions=f"{exercise.instructions.in_language(language)} ({level.text.in_language(language)})",
            reasons=reasons,
        )
        self.planner._block_cache[key] = block
        return block


def _base_dose(candidate: Candidate, level_index: int) -> WorkingDose:
    """The catalog dose of a level, converted once per process and kept with the compiled exercise."""
    key = ("dose", level_index)
    dose = candidate.compiled.reason_cache.get(key)
    if dose is None:
        exercise = candidate.exercise
        dose = WorkingDose.from_level(exercise.levels[level_index].dose, exercise.movement_s)
        candidate.compiled.reason_cache[key] = dose
    return cast(WorkingDose, dose)


# --- excluded and references --------------------------------------------------------------------------------


def _excluded(planner: Planner, static: list[tuple[str, list[Reason]]]) -> tuple[Excluded, ...]:
    by_id: dict[str, list[Reason]] = {exercise_id: list(reasons) for exercise_id, reasons in static}
    for exercise_id, adjustment in planner.paused.items():
        by_id.setdefault(exercise_id, []).append(_pause_reason(planner, adjustment))
    for exercise_id, by_reason in planner.toxin_exclusions.items():
        for why, dates in by_reason.items():
            shown = ", ".join(day.isoformat() for day in sorted(dates))
            text = planner.text(texts.EXCLUDE_TOXIN, dates=shown, why=why.in_language(planner.language))
            by_id.setdefault(exercise_id, []).append(_reason(rule="toxin_phase", text=text, refs=("R72", "R79")))
    return tuple(
        build(Excluded, exercise_id=exercise_id, reasons=tuple(by_id[exercise_id])) for exercise_id in sorted(by_id)
    )


def _pause_reason(planner: Planner, adjustment: Adjustment) -> Reason:
    text = planner.text(
        texts.EXCLUDE_PAUSED,
        date=adjustment.from_date.isoformat(),
        by=planner.text(texts.BY_TRAINER if adjustment.source == "trainer" else texts.BY_ADAPTATION),
        why=adjustment.reason.in_language(planner.language),
    )
    if adjustment.source == "trainer":
        return _reason(rule="trainer.edit", text=text)
    return _reason(rule="adaptation.pause", text=text, refs=("R39",))


def _cited_references(blocks: Iterable[Block], excluded: Iterable[Excluded], extra: Iterable[str]) -> set[str]:
    cited = set(extra)
    cited.update(ref for block in blocks for reason in block.reasons for ref in reason.refs)
    cited.update(ref for item in excluded for reason in item.reasons for ref in reason.refs)
    return cited


def _reference_order(keys: Iterable[str]) -> list[str]:
    """R2 before R10, R54 before R54b."""

    def sort_key(key: str) -> tuple[int, str]:
        digits = "".join(ch for ch in key[1:] if ch.isdigit())
        return int(digits or 0), key

    return sorted(keys, key=sort_key)
