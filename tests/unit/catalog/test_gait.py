"""Gait catalog items (BRIEF §3.2, GA01-GA05): validity, walking tags, indication and contraindications."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuromotrix.domain.facts import derive_facts
from tests.factories import EXERCISE_DIR, category_items, cervical_profile, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "gait.yaml"
EXPECTED_IDS = [f"GA0{number}" for number in range(1, 6)]
PARKINSON = {"conditions": [{"kind": "parkinson"}]}


def test_every_item_validates_with_expected_ids() -> None:
    items = category_items(FILE, EXPECTED_IDS)
    for item in items:
        assert {level.position for level in item.levels} == {"walking"}
        assert not item.resisted and item.direction is None


@pytest.mark.parametrize("exercise_id", ["GA01", "GA02", "GA03", "GA04"])
def test_forward_walking_items_are_tagged_walking(exercise_id: str) -> None:
    assert exercise(exercise_id).exercise.tasks == ("walking",)


def test_ga05_backward_sideways_walking_is_not_tagged_walking() -> None:
    item = exercise("GA05").exercise
    assert item.tasks == ()
    assert all(level.tasks == () for level in item.levels)
    assert [level.is_supported for level in item.levels] == [True, True, True, True, False]


def test_ga05_indication_foot_or_leg_dystonia_or_parkinson() -> None:
    indication = exercise("GA05").indication
    assert indication is not None
    assert indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["foot_left"]}]}))
    assert indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["leg_right"]}]}))
    assert indication(facts_for(PARKINSON))
    assert not indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["neck", "hand_right"]}]}))


@pytest.mark.parametrize("stability", ["unstable", "unknown"])
def test_ga01_not_for_unstable_cervical_pattern(stability: str) -> None:
    unstable = derive_facts(cervical_profile(rotation={"toward": "left"}, stability=stability))
    stable = derive_facts(cervical_profile(rotation={"toward": "left"}, stability="stable"))
    assert "unstable_cervical_pattern" in contraindication_codes("GA01", unstable)
    assert "unstable_cervical_pattern" not in contraindication_codes("GA01", stable)
    assert "unstable_cervical_pattern" not in contraindication_codes("GA01", facts_for(PARKINSON))


@pytest.mark.parametrize(
    "document",
    [
        {"conditions": [{"kind": "parkinson", "freezing": True}]},
        {"conditions": [{"kind": "parkinson"}], "symptoms": {"falls_last_12_months": 2}},
        {
            "conditions": [{"kind": "parkinson"}],
            "symptoms": {"falls_last_12_months": 1, "injurious_fall_last_12_months": True},
        },
    ],
)
def test_ga04_not_when_single_task_gait_is_unsafe(document: dict[str, object]) -> None:
    assert "gait_not_safe_for_dual_task" in contraindication_codes("GA04", facts_for(document))


def test_ga04_allowed_when_single_task_gait_is_safe() -> None:
    one_fall = facts_for({"conditions": [{"kind": "parkinson"}], "symptoms": {"falls_last_12_months": 1}})
    assert "gait_not_safe_for_dual_task" not in contraindication_codes("GA04", one_fall)
