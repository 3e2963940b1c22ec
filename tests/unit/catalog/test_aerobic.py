"""Aerobic catalog items (BRIEF §3.2, AE01-AE05): validity, bout ladders and contraindications."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuromotrix.domain.facts import derive_facts
from tests.factories import EXERCISE_DIR, category_items, cervical_profile, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "aerobic.yaml"
EXPECTED_IDS = [f"AE0{number}" for number in range(1, 6)]
PARKINSON = {"conditions": [{"kind": "parkinson"}]}


def test_every_item_validates_with_expected_ids() -> None:
    items = category_items(FILE, EXPECTED_IDS, max_start_seconds=None)  # aerobic bouts run 10+ min
    for item in items:
        assert not item.resisted and item.direction is None


@pytest.mark.parametrize("exercise_id", EXPECTED_IDS)
def test_one_continuous_bout_per_level_with_rpe(exercise_id: str) -> None:
    item = exercise(exercise_id).exercise
    for index, level in enumerate(item.levels, start=1):
        dose = level.dose
        assert (dose.sets, dose.reps, dose.minutes) == (1, 0, 0)
        assert dose.continuous_minutes > 0
        assert dose.effort is not None and dose.effort.scale == "rpe"
        expected = (11, 13) if index >= item.start_level else None
        if expected is not None:
            assert dose.effort.target == expected
        else:
            assert dose.effort.target in {(9, 11), (11, 13)}
    start = item.levels[item.start_level - 1].dose
    assert start.continuous_minutes <= 10  # ACSM start 10-15 min (BRIEF §4.1), at the short end


@pytest.mark.parametrize("exercise_id", ["AE02", "AE03", "AE04"])
def test_walking_items_are_tagged_walking(exercise_id: str) -> None:
    assert exercise(exercise_id).exercise.tasks == ("walking",)


def test_ae05_is_a_starter_item_with_supported_seated_levels() -> None:
    item = exercise("AE05").exercise
    assert item.starter
    assert item.levels[0].position == "sitting_supported"
    assert {level.position for level in item.levels} <= {"sitting", "sitting_supported"}


@pytest.mark.parametrize(
    "symptoms", [{"swallowing_difficulty": True}, {"chronic": ["swallowing"]}], ids=["new", "chronic"]
)
def test_ae03_not_with_swallowing_problems(symptoms: dict[str, object]) -> None:
    swallowing = facts_for({**PARKINSON, "symptoms": symptoms})
    assert "swallowing_problem" in contraindication_codes("AE03", swallowing)


def test_ae03_allowed_without_swallowing_problems() -> None:
    speech_only = facts_for({**PARKINSON, "symptoms": {"chronic": ["speech"]}})
    assert "swallowing_problem" not in contraindication_codes("AE03", speech_only)


@pytest.mark.parametrize("stability", ["unstable", "unknown"])
def test_ae04_not_for_unstable_cervical_pattern(stability: str) -> None:
    unstable = derive_facts(cervical_profile(tilt={"toward": "right"}, stability=stability))
    stable = derive_facts(cervical_profile(tilt={"toward": "right"}, stability="stable"))
    assert "unstable_cervical_pattern" in contraindication_codes("AE04", unstable)
    assert "unstable_cervical_pattern" not in contraindication_codes("AE04", stable)
    assert "unstable_cervical_pattern" not in contraindication_codes("AE04", facts_for(PARKINSON))
