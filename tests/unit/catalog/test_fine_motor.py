"""Fine motor & sensorimotor catalog items (BRIEF §3.2, FM01-FM06): validity, relevance and the writing task."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import EXERCISE_DIR, category_items, exercise, facts_for, start_level_seconds

FILE: Path = EXERCISE_DIR / "fine_motor.yaml"
EXPECTED_IDS = [f"FM0{number}" for number in range(1, 7)]


def _dystonia(*regions: str) -> dict[str, object]:
    return facts_for({"conditions": [{"kind": "dystonia", "regions": list(regions)}]})


def test_every_item_validates_with_expected_ids() -> None:
    items = category_items(FILE, EXPECTED_IDS)
    for item in items:
        assert start_level_seconds(item) <= 5 * 60  # BRIEF: bouts of 5 minutes or less
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
