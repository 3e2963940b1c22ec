"""Relaxation & breathing catalog items (BRIEF §3.2, RB01-RB04): validity, doses and relevance rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import EXERCISE_DIR, category_items, exercise, facts_for

FILE: Path = EXERCISE_DIR / "relaxation_breathing.yaml"
EXPECTED_IDS = ["RB01", "RB02", "RB03", "RB04"]


def test_every_item_validates_with_expected_ids() -> None:
    category_items(FILE, EXPECTED_IDS)


@pytest.mark.parametrize("exercise_id", EXPECTED_IDS)
def test_relaxation_items_are_effortless_starters(exercise_id: str) -> None:
    item = exercise(exercise_id).exercise
    assert item.starter and not item.resisted and item.direction is None
    for level in item.levels:
        assert level.dose.effort is not None
        assert (level.dose.effort.scale, level.dose.effort.target) == ("cr10", (0, 1))
        assert level.supine == (level.position == "lying")


@pytest.mark.parametrize("exercise_id", ["RB01", "RB02", "RB03"])
def test_general_relaxation_suits_every_condition(exercise_id: str) -> None:
    item = exercise(exercise_id)
    assert set(item.exercise.conditions) == {"dystonia", "parkinson", "cerebral_palsy"}
    assert item.indication is None


def test_rb01_walking_level_is_tagged() -> None:
    levels = exercise("RB01").exercise.levels
    assert [level.tasks for level in levels if level.position == "walking"] == [("walking",)]
    assert all(level.tasks == () for level in levels if level.position != "walking")


def test_rb04_only_for_eye_or_jaw_dystonia() -> None:
    indication = exercise("RB04").indication
    assert indication is not None
    eyes = facts_for({"conditions": [{"kind": "dystonia", "regions": ["eyes"]}]})
    mouth = facts_for({"conditions": [{"kind": "dystonia", "regions": ["mouth"]}]})
    neck_only = facts_for({"conditions": [{"kind": "dystonia", "regions": ["neck"]}]})
    parkinson = facts_for({"conditions": [{"kind": "parkinson"}]})
    assert indication(eyes) and indication(mouth)
    assert not indication(neck_only) and not indication(parkinson)


@pytest.mark.parametrize(
    ("exercise_id", "keyword"),
    [("RB01", "light-headed"), ("RB01", "breathing condition"), ("RB02", "Never tense"), ("RB04", "glaucoma")],
)
def test_unexpressible_cautions_are_kept_as_text(exercise_id: str, keyword: str) -> None:
    item = exercise(exercise_id).exercise
    assert item.contraindications == ()
    assert any(keyword in caution.en for caution in item.cautions)
