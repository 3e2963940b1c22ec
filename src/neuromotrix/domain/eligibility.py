"""Which catalog exercises suit this person, at which levels, in which direction — and why others are ruled out.

Only exercises relevant to the person (one of their conditions, and the item's indication) are considered;
a relevant item that a rule rules out is reported in `excluded` with its reasons (PRODUCT.md "Contracts").
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from neuromotrix.domain import texts, vocab
from neuromotrix.domain.catalog import Catalog
from neuromotrix.domain.exercise import CompiledExercise, Contraindication, Exercise, Level, Text
from neuromotrix.domain.plan import PlanDirection, Reason
from neuromotrix.domain.profile import Profile
from neuromotrix.domain.screening import ScreeningResult

NECK_CATEGORIES = frozenset({"neck_motor_control", "neck_isometrics"})
FAST_SPEEDS = frozenset({"fast", "faster", "on_cue", "quick"})
OUTDOOR_OR_TREADMILL = frozenset({"AE02", "AE04"})


@dataclass(frozen=True)
class Person:
    """What eligibility needs to know, derived once per plan."""

    language: str
    facts: Mapping[str, Any]
    conditions: frozenset[str]
    equipment: frozenset[str]
    triggers: frozenset[str]
    painful: frozenset[str]
    affected_regions: frozenset[str]
    pull: Mapping[str, str]  # plane -> toward ("none" when that plane has no pull)
    confirmed: bool
    effects: frozenset[str]
    restrictions: frozenset[str]
    starter_only: bool


@dataclass(frozen=True)
class Candidate:
    """An eligible exercise: its usable ladder (contiguous level indexes) and resolved direction."""

    compiled: CompiledExercise
    exercise: Exercise
    ladder: tuple[int, ...]
    start: int  # position in `ladder`
    direction: PlanDirection | None
    regions: tuple[vocab.Region, ...]


def make_person(profile: Profile, facts: Mapping[str, Any], screening: ScreeningResult) -> Person:
    cervical = profile.cervical
    pull = {"rotation": "none", "tilt": "none", "sagittal": "none", "shift": "none", "sagittal_shift": "none"}
    if cervical is not None:
        pull["rotation"] = cervical.rotation.toward if cervical.rotation else "none"
        pull["tilt"] = cervical.tilt.toward if cervical.tilt else "none"
        pull["sagittal"] = cervical.sagittal.toward if cervical.sagittal else "none"
        pull["shift"] = cervical.lateral_shift
        pull["sagittal_shift"] = cervical.sagittal_shift
    return Person(
        language=profile.language,
        facts=facts,
        conditions=frozenset(facts["conditions"]),
        equipment=frozenset(profile.preferences.equipment),
        triggers=frozenset(facts["dystonia.task_triggers"]),
        painful=frozenset(facts["symptoms.painful_movements"]),
        affected_regions=frozenset(facts["dystonia.regions"]),
        pull=pull,
        confirmed=cervical is not None and cervical.confirmed_by_clinician,
        effects=screening.effects,
        restrictions=screening.restrictions,
        starter_only=screening.starter_only,
    )


def _reason(rule: str, text: Text, language: str, refs: tuple[str, ...] = (), **values: str) -> Reason:
    return _cached_reason(rule, text, language, refs, tuple(sorted(values.items())))


@functools.lru_cache(maxsize=4096)
def _cached_reason(
    rule: str, text: Text, language: str, refs: tuple[str, ...], values: tuple[tuple[str, str], ...]
) -> Reason:
    """Exclusion reasons repeat across people and plans; they are immutable, so one object serves all."""
    return Reason(rule=rule, text=text.in_language(language).format(**dict(values)), refs=refs)


# --- direction (BRIEF §1.3, §3.1 principle 2) -------------------------------------------------------------


def _pull_for(direction_plane: str, toward: str | None, person: Person) -> str:
    """The person's pull in the dimension this movement works in."""
    if direction_plane == "shift" and toward in {"forward", "backward"}:
        return person.pull["sagittal_shift"]
    if direction_plane == "shift" and person.pull["shift"] == "none":
        return person.pull["sagittal_shift"]
    return person.pull[direction_plane]


def resolve_direction(exercise: Exercise, person: Person) -> tuple[PlanDirection | None, str | None]:
    """(resolved direction, exclusion code or None). Exclusion codes: not_indicated, toward_pull, unconfirmed."""
    spec = exercise.direction
    if spec is None:
        return None, None
    pull = _pull_for(spec.plane, spec.toward, person)
    if spec.semantics == "bilateral":
        return PlanDirection(plane=spec.plane, toward=None, relation="bilateral"), None
    if spec.semantics == "counter":
        if pull == "none":
            return None, "not_indicated"
        counter = cast(vocab.Toward, vocab.OPPOSITE[pull])
        direction = PlanDirection(plane=spec.plane, toward=counter, relation="counter")
        return direction, (None if person.confirmed else "unconfirmed")
    if spec.toward == pull:
        return None, "toward_pull"
    if pull == "none":
        return PlanDirection(plane=spec.plane, toward=None, relation="bilateral"), None
    direction = PlanDirection(plane=spec.plane, toward=spec.toward, relation="counter")
    return direction, (None if person.confirmed else "unconfirmed")


def neck_movements(direction: PlanDirection | None, exercise: Exercise) -> frozenset[str]:
    """The painful-movement tokens a head movement loads."""
    if direction is None or exercise.direction is None:
        return frozenset()
    plane = direction.plane
    sides = (direction.toward,) if direction.toward else ("left", "right", "forward", "backward")
    names = {
        ("rotation", "left"): "neck_rotation_left",
        ("rotation", "right"): "neck_rotation_right",
        ("tilt", "left"): "neck_tilt_left",
        ("tilt", "right"): "neck_tilt_right",
        ("sagittal", "forward"): "neck_flexion",
        ("sagittal", "backward"): "neck_extension",
    }
    if exercise.direction.semantics == "fixed" and exercise.direction.toward:
        sides = (exercise.direction.toward,)
    return frozenset(names[(plane, side)] for side in sides if (plane, side) in names)


# --- levels -----------------------------------------------------------------------------------------------


def level_blockers(level: Level, person: Person) -> list[str]:
    """Why this level is not usable for the person (empty when usable). Keys of texts.POSITION_LIMIT_WORDS."""
    blockers: list[str] = []
    upright_unsupported = level.position in {"standing", "walking"} and not level.is_supported
    if "supported_upright_only" in person.effects and upright_unsupported:
        blockers.append("supported_upright_only")
    if "lying_sitting_supported_standing_only" in person.effects and level.position in {
        "standing",
        "walking",
    }:
        blockers.append("lying_sitting_supported_standing_only")
    if "seated_only" in person.effects and vocab.POSITION_RANK[level.position] > vocab.POSITION_RANK["sitting"]:
        blockers.append("seated_only")
    if "no_supine" in person.effects and level.supine:
        blockers.append("no_supine")
    if person.starter_only and level.position not in vocab.SUPPORTED_POSITIONS:
        blockers.append("starter")
    if _level_triggers(level, person) or _level_painful(level, person):
        blockers.append("trigger" if _level_triggers(level, person) else "painful")
    if not set(level.equipment) <= person.equipment:
        blockers.append("equipment")
    if "slow_transitions" in person.effects and level.variant.get("speed") in FAST_SPEEDS:
        blockers.append("slow_transitions")
    return blockers


def _level_triggers(level: Level, person: Person) -> bool:
    if set(level.tasks) & person.triggers:
        return True
    return "standing" in person.triggers and level.position in vocab.UPRIGHT_POSITIONS


def _level_painful(level: Level, person: Person) -> bool:
    if "standing" in person.painful and level.position in {"standing_supported", "standing"}:
        return True
    return "walking" in person.painful and level.position == "walking"


LADDER_EFFECTS = frozenset(
    {"supported_upright_only", "lying_sitting_supported_standing_only", "seated_only", "no_supine", "slow_transitions"}
)


def cached_usable_ladder(compiled: CompiledExercise, person: Person) -> tuple[tuple[int, ...], int, list[str]]:
    """usable_ladder, memoised on exactly the parts of the person that level usability reads."""
    key = (
        person.effects & LADDER_EFFECTS,
        person.starter_only,
        person.triggers & (compiled.level_tasks | {"standing"}),
        person.painful & {"standing", "walking"},
        person.equipment & compiled.level_equipment,
    )
    cached = compiled.ladder_cache.get(key)
    if cached is None:
        cached = compiled.ladder_cache[key] = usable_ladder(compiled.exercise, person)
    return cached


def usable_ladder(exercise: Exercise, person: Person) -> tuple[tuple[int, ...], int, list[str]]:
    """The contiguous run of usable levels around the start level, the start's place in it, and the blockers.

    A gap would join two levels differing in more than one variable, so progression stops at the first
    unusable level (BRIEF §4.4 one variable at a time). When the start level itself is unusable the nearest
    usable level below it is taken, else the nearest above.
    """
    blockers = [level_blockers(level, person) for level in exercise.levels]
    usable = [not reasons for reasons in blockers]
    start = exercise.start_level - 1
    below = [index for index in range(start, -1, -1) if usable[index]]
    above = [index for index in range(start, len(usable)) if usable[index]]
    chosen = below[0] if below else (above[0] if above else None)
    all_blockers = sorted({reason for reasons in blockers for reason in reasons})
    if chosen is None:
        return (), 0, all_blockers
    low = chosen
    while low > 0 and usable[low - 1]:
        low -= 1
    high = chosen
    while high + 1 < len(usable) and usable[high + 1]:
        high += 1
    return tuple(range(low, high + 1)), chosen - low, all_blockers


# --- relevance and exclusion ------------------------------------------------------------------------------


def is_relevant(compiled: CompiledExercise, person: Person) -> bool:
    if compiled.conditions.isdisjoint(person.conditions):
        return False
    return compiled.indication is None or compiled.indication(person.facts)


def resolve_regions(exercise: Exercise, person: Person) -> tuple[vocab.Region, ...]:
    regions: list[str] = []
    for token in exercise.regions:
        if token in {"arm", "hand", "leg", "foot"}:
            sided = sorted(region for region in person.affected_regions if region.startswith(f"{token}_"))
            regions.extend(sided or [f"{token}_left", f"{token}_right"])
        else:
            regions.append(token)
    return cast(tuple[vocab.Region, ...], tuple(dict.fromkeys(regions)))


def exclusion_reasons(
    compiled: CompiledExercise, person: Person, direction: PlanDirection | None, direction_code: str | None
) -> list[Reason]:
    """Every rule that rules this exercise out for the person (empty when it is allowed)."""
    exercise, language = compiled.exercise, person.language
    reasons = [
        _contraindication_reason(compiled, item, language)
        for item, predicate in compiled.contraindications
        if predicate(person.facts)
    ]
    if not compiled.equipment <= person.equipment:
        missing = ", ".join(sorted(compiled.equipment - person.equipment))
        reasons.append(_reason("equipment", texts.EXCLUDE_EQUIPMENT, language, items=missing))
    if not compiled.tasks.isdisjoint(person.triggers):
        triggers = ", ".join(sorted(compiled.tasks & person.triggers))
        reasons.append(_reason("trigger_task", texts.EXCLUDE_TRIGGER, language, ("R1",), items=triggers))
    if person.painful:
        painful = sorted((compiled.movements | neck_movements(direction, exercise)) & person.painful)
        if painful:
            reasons.append(_reason("painful_movement", texts.EXCLUDE_PAINFUL, language, items=", ".join(painful)))
    reasons += _direction_reasons(exercise, person, direction_code)
    reasons += _restriction_reasons(exercise, person)
    return reasons


def _contraindication_reason(compiled: CompiledExercise, item: Contraindication, language: str) -> Reason:
    """One Reason per catalog contraindication and language, kept with the compiled exercise."""
    key = (item.code, language)
    reason = compiled.reason_cache.get(key)
    if reason is None:
        reason = Reason(rule=f"contraindication.{item.code}", text=item.text.in_language(language), refs=item.refs)
        compiled.reason_cache[key] = reason
    return reason


def _direction_reasons(exercise: Exercise, person: Person, direction_code: str | None) -> list[Reason]:
    language = person.language
    if direction_code == "toward_pull" and exercise.direction is not None:
        toward = texts.DIRECTION_WORDS[exercise.direction.toward or "forward"].in_language(language)
        return [_reason("toward_pull", texts.EXCLUDE_TOWARD_PULL, language, ("R61", "R3"), toward=toward)]
    if direction_code == "unconfirmed":
        return [_reason("pattern_unconfirmed", texts.EXCLUDE_UNCONFIRMED, language, ("R61",))]
    return []


def _restriction_reasons(exercise: Exercise, person: Person) -> list[Reason]:
    language = person.language
    reasons: list[Reason] = []
    neck_work = exercise.category in NECK_CATEGORIES or "neck" in exercise.regions
    if "no_resisted_neck" in person.restrictions and exercise.resisted and neck_work:
        reasons.append(_reason("clearance.no_resisted_neck", texts.EXCLUDE_NO_RESISTED_NECK, language, ("R36",)))
    if "no_aerobic" in person.restrictions and exercise.category == "aerobic":
        reasons.append(_reason("clearance.no_aerobic", texts.EXCLUDE_NO_AEROBIC, language, ("R36",)))
    if person.starter_only and (not exercise.starter or exercise.resisted):
        reasons.append(_reason("needs_clearance.starter_subset", texts.EXCLUDE_STARTER, language, ("R36",)))
    indoor_only = "indoor_aerobic" in person.effects
    if indoor_only and (exercise.id in OUTDOOR_OR_TREADMILL or "treadmill" in exercise.equipment):
        reasons.append(_reason("blepharospasm.indoor_aerobic", texts.EXCLUDE_INDOOR, language, ("R74",)))
    return reasons


def evaluate(catalog: Catalog, person: Person) -> tuple[list[Candidate], list[tuple[str, list[Reason]]]]:
    """Split relevant exercises into candidates and exclusions (sorted by id, so output is deterministic)."""
    candidates: list[Candidate] = []
    excluded: list[tuple[str, list[Reason]]] = []
    for exercise_id in sorted(catalog.exercises):
        compiled = catalog.exercises[exercise_id]
        if not is_relevant(compiled, person):
            continue
        exercise = compiled.exercise
        direction, direction_code = resolve_direction(exercise, person)
        if direction_code == "not_indicated":
            continue
        reasons = exclusion_reasons(compiled, person, direction, direction_code)
        ladder, start, blockers = cached_usable_ladder(compiled, person)
        if not ladder and not reasons:
            limits = ", ".join(texts.POSITION_LIMIT_WORDS[item].in_language(person.language) for item in blockers)
            reasons.append(_reason("position_limit", texts.EXCLUDE_POSITION, person.language, ("R61",), limits=limits))
        if reasons:
            excluded.append((exercise_id, reasons))
            continue
        candidates.append(
            Candidate(
                compiled=compiled,
                exercise=exercise,
                ladder=ladder,
                start=start,
                direction=direction,
                regions=resolve_regions(exercise, person),
            )
        )
    return candidates, excluded
