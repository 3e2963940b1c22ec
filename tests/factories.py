"""Test factories: named personas and small builders for profiles, facts, session logs and check-ins."""

from __future__ import annotations

import copy
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from neuromotrix.adapters.yamlio import load_yaml
from neuromotrix.domain.alerts import StopReason
from neuromotrix.domain.attention import Adherence
from neuromotrix.domain.exercise import CompiledExercise, Exercise
from neuromotrix.domain.facts import derive_facts
from neuromotrix.domain.flares import BlockOutcome, CheckIn, SessionOutcome
from neuromotrix.domain.profile import Profile, resolve_start

START = dt.date(2026, 11, 23)
EXERCISE_DIR = Path(__file__).resolve().parents[1] / "src" / "neuromotrix" / "catalog" / "exercises"

MINIMAL: dict[str, Any] = {"conditions": [{"kind": "dystonia", "regions": ["neck"]}]}


def deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def make_profile(document: dict[str, Any] | None = None, **overrides: Any) -> Profile:
    """A validated profile with start_on resolved to START unless the document gives one."""
    data = deep_merge(document if document is not None else MINIMAL, overrides)
    return resolve_start(Profile.model_validate(data), START)


def cervical_profile(**cervical: Any) -> Profile:
    """Alice: cervical dystonia with the given pattern fields (confirmed by a clinician unless overridden)."""
    pattern = {"confirmed_by_clinician": True, "stability": "stable", **cervical}
    return make_profile({"conditions": [{"kind": "dystonia", "regions": ["neck"], "cervical": pattern}]})


def facts_for(document: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    return derive_facts(make_profile(document, **overrides))


@cache
def exercise(exercise_id: str) -> CompiledExercise:
    """One catalog exercise, read straight from its YAML file (independent of the planner)."""
    for path in sorted(EXERCISE_DIR.glob("*.yaml")):
        for raw in (load_yaml(path.read_text(encoding="utf-8")) or {}).get("exercises", []):
            if raw.get("id") == exercise_id:
                return CompiledExercise(Exercise.model_validate(raw))
    raise KeyError(exercise_id)


def contraindication_codes(exercise_id: str, facts: dict[str, Any]) -> set[str]:
    """Codes of the exercise's contraindications that hold for these facts."""
    return {item.code for item, predicate in exercise(exercise_id).contraindications if predicate(facts)}


def start_level_seconds(item: Exercise) -> float:
    """Time of an item's start level by the session-time formula (docs/plan.md)."""
    from neuromotrix.domain.dosing import WorkingDose

    return WorkingDose.from_level(item.levels[item.start_level - 1].dose, item.movement_s).seconds()


def category_items(path: Path, expected_ids: list[str], *, max_start_seconds: float | None = 6 * 60) -> list[Exercise]:
    """Every item of one category file: valid, in order, in the right category, citing known references,
    and (unless the category's bouts are longer by nature) a start level that fits a 10-minute session."""
    references = load_yaml((EXERCISE_DIR.parent / "references.yaml").read_text(encoding="utf-8"))
    items = [Exercise.model_validate(raw) for raw in load_yaml(path.read_text(encoding="utf-8"))["exercises"]]
    assert [item.id for item in items] == expected_ids
    assert {item.category for item in items} == {path.stem}
    for item in items:
        assert exercise(item.id).exercise == item
        cited = set(item.refs) | {ref for rule in item.contraindications for ref in rule.refs}
        assert cited <= references.keys()
        if max_start_seconds is not None:
            assert start_level_seconds(item) <= max_start_seconds, item.id
    return items


# --- session logs and check-ins (domain/flares.py, domain/adaptation.py) -----------------------------------


def item_log(exercise_id: str = "NM04", level: int = 3, **fields: Any) -> BlockOutcome:
    """A clean block: all the work done, effort within the target, little pain."""
    values: dict[str, Any] = {"status": "done", "completion": 1.0, "effort": 2, "effort_target": 2, "pain": 1}
    return BlockOutcome(exercise_id=exercise_id, level=level, **{**values, **fields})


def session_log(
    session_id: str,
    day: dt.date,
    *blocks: BlockOutcome,
    pre: tuple[int, int, int] = (2, 2, 2),
    post: tuple[int | None, int | None, int | None] = (2, 2, 2),
    stop_reason: StopReason | None = None,
) -> SessionOutcome:
    """A logged session; `pre` and `post` are (pain, dystonia, fatigue)."""
    return SessionOutcome(
        id=session_id,
        performed_on=day,
        pre_pain=pre[0],
        pre_dystonia=pre[1],
        pre_fatigue=pre[2],
        post_pain=post[0],
        post_dystonia=post[1],
        post_fatigue=post[2],
        stop_reason=stop_reason,
        blocks=blocks,
    )


def next_day(session: SessionOutcome, *, rise: tuple[int, int, int] = (0, 0, 0), stiffness: bool = False) -> CheckIn:
    """The next-day check-in, `rise` points (pain, dystonia, fatigue) above the pre-session values."""
    return CheckIn(
        session_id=session.id,
        on=session.performed_on + dt.timedelta(days=1),
        pain=session.pre_pain + rise[0],
        dystonia=session.pre_dystonia + rise[1],
        fatigue=session.pre_fatigue + rise[2],
        new_stiffness=stiffness,
    )


def week_adherence(attended: int = 3, scheduled: int = 3, *, today: dt.date = START) -> Adherence:
    return Adherence(days=7, start=today - dt.timedelta(days=6), end=today, scheduled=scheduled, attended=attended)
