"""Fine motor & sensorimotor catalog items (BRIEF §3.2, FM01-FM06): validity, relevance and the writing task."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuromotrix.adapters.yamlio import load_yaml
from neuromotrix.catalog.loader import read_yaml
from neuromotrix.domain.exercise import Exercise
from tests.factories import EXERCISE_DIR, exercise, facts_for

FILE: Path = EXERCISE_DIR / "fine_motor.yaml"
EXPECTED_IDS = [f"FM0{number}" for number in range(1, 7)]
REFERENCES = read_yaml(EXERCISE_DIR.parent / "references.yaml")


def _start_seconds(item: Exercise) -> float:
    dose = item.levels[item.start_level - 1].dose
    return (
        dose.sets * dose.reps * (dose.hold_s + item.movement_s)
        + dose.sets * dose.rest_s
        + 60 * (dose.minutes + dose.continuous_minutes)
    )


def _dystonia(*regions: str) -> dict[str, object]:
    return facts_for({"conditions": [{"kind": "dystonia", "regions": list(regions)}]})


def test_every_item_validates_with_expected_ids() -> None:
    raw_items = load_yaml(FILE.read_text(encoding="utf-8"))["exercises"]
    items = [Exercise.model_validate(raw) for raw in raw_items]
    assert [item.id for item in items] == EXPECTED_IDS
    assert {item.category for item in items} == {"fine_motor"}
    for item in items:
        assert exercise(item.id).exercise == item
        cited = set(item.refs) | {ref for rule in item.contraindications for ref in rule.refs}
        assert cited <= REFERENCES.keys()
        assert _start_seconds(item) <= 5 * 60  # BRIEF: bouts of 5 minutes or less
        assert item.regions == ("hand",) and item.conditions == ("dystonia",)
        assert {level.position for level in item.levels} <= {"sitting", "sitting_supported"}
        assert any("overflow" in caution.en for caution in item.cautions)


@pytest.mark.parametrize("exercise_id", EXPECTED_IDS)
def test_relevant_only_for_hand_or_arm_dystonia(exercise_id: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    assert indication(_dystonia("hand_right"))
    assert indication(_dystonia("arm_left"))
    assert not indication(_dystonia("neck", "foot_left"))


def test_only_fm04_is_writing_practice() -> None:
    tagged = {item_id for item_id in EXPECTED_IDS if "writing" in exercise(item_id).exercise.tasks}
    assert tagged == {"FM04"}


def test_fm03_putty_is_resisted_at_light_effort() -> None:
    item = exercise("FM03").exercise
    assert item.resisted and item.equipment == ("putty",)
    assert all(level.dose.effort is not None and level.dose.effort.scale == "percent_max" for level in item.levels)
