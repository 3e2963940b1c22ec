"""Trunk & core catalog items (BRIEF §3.2, TC01-TC07): validity, relevance rules and contraindications."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import EXERCISE_DIR, category_items, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "trunk_core.yaml"
EXPECTED_IDS = [f"TC{number:02d}" for number in range(1, 8)]


def test_every_item_validates_with_expected_ids() -> None:
    items = category_items(FILE, EXPECTED_IDS)
    for item in items:
        assert item.direction is None
        assert not item.resisted


def test_tc04_not_with_painful_wrist_extension() -> None:
    painful = facts_for(symptoms={"painful_movements": ["wrist_extension"]})
    other_pain = facts_for(symptoms={"painful_movements": ["wrist_flexion"]})
    assert "wrist_pain" in contraindication_codes("TC04", painful)
    assert "wrist_pain" not in contraindication_codes("TC04", other_pain)


@pytest.mark.parametrize("exercise_id", ["TC01", "TC02", "TC03"])
def test_back_lying_levels_are_supine(exercise_id: str) -> None:
    lying = [level for level in exercise(exercise_id).exercise.levels if level.position == "lying"]
    assert lying and all(level.supine for level in lying)


def test_tc07_side_lying_is_not_supine() -> None:
    assert not any(level.supine for level in exercise("TC07").exercise.levels)


def test_tc01_walking_level_is_tagged_walking() -> None:
    walking = [level for level in exercise("TC01").exercise.levels if level.position == "walking"]
    assert walking and all("walking" in level.tasks for level in walking)


@pytest.mark.parametrize("exercise_id", ["TC03", "TC05"])
def test_axial_items_suit_parkinson_cerebral_palsy_and_trunk_dystonia(exercise_id: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    assert indication(facts_for({"conditions": [{"kind": "parkinson"}]}))
    assert indication(facts_for({"conditions": [{"kind": "cerebral_palsy"}]}))
    assert indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["trunk"]}]}))
    assert not indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["neck"]}]}))
