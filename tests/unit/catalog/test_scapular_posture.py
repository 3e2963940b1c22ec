"""Scapular & posture catalog items (BRIEF §3.2, SP01-SP04): validity and contraindications."""

from __future__ import annotations

from pathlib import Path

from tests.factories import EXERCISE_DIR, category_items, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "scapular_posture.yaml"
EXPECTED_IDS = ["SP01", "SP02", "SP03", "SP04"]


def test_every_item_validates_with_expected_ids() -> None:
    items = category_items(FILE, EXPECTED_IDS)
    for item in items:
        assert item.direction is None


def test_sp02_band_only_at_band_levels_and_light_effort() -> None:
    item = exercise("SP02").exercise
    assert item.resisted
    assert "resistance_band" not in item.equipment
    assert item.levels[0].equipment == ()
    assert all("resistance_band" in level.equipment for level in item.levels[1:])
    for level in item.levels:
        effort = level.dose.effort
        assert effort is not None and effort.scale == "cr10"
        highest = effort.target[1] if isinstance(effort.target, tuple) else effort.target
        assert highest <= 4


def test_sp03_not_with_painful_shoulder_elevation() -> None:
    painful = facts_for(symptoms={"painful_movements": ["shoulder_elevation"]})
    other_pain = facts_for(symptoms={"painful_movements": ["wrist_extension"]})
    assert "shoulder_pain" in contraindication_codes("SP03", painful)
    assert "shoulder_pain" not in contraindication_codes("SP03", other_pain)


def test_supported_lying_levels_are_supine() -> None:
    for exercise_id in ("SP01", "SP04"):
        lying = [level for level in exercise(exercise_id).exercise.levels if level.position == "lying"]
        assert lying and all(level.supine for level in lying)
