"""Flexibility catalog items (BRIEF §3.2, FL01-FL10): validity, relevance rules and contraindications."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.factories import EXERCISE_DIR, category_items, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "flexibility.yaml"
EXPECTED_IDS = [f"FL{number:02d}" for number in range(1, 11)]
NECK_STRETCHES = ("FL01", "FL02", "FL03", "FL04")


def _cervical(**pattern: Any) -> dict[str, Any]:
    cervical = {"confirmed_by_clinician": True, "stability": "stable", **pattern}
    return {"conditions": [{"kind": "dystonia", "regions": ["neck"], "cervical": cervical}]}


TILTED = _cervical(tilt={"toward": "left", "level": "caput", "severity": 2})


def test_every_item_validates_with_expected_ids() -> None:
    category_items(FILE, EXPECTED_IDS)


@pytest.mark.parametrize("exercise_id", NECK_STRETCHES)
def test_neck_stretches_are_gentle_counter_direction_starters(exercise_id: str) -> None:
    item = exercise(exercise_id).exercise
    assert item.direction is not None and item.direction.semantics == "counter"
    assert not item.resisted and item.starter
    assert all(level.dose.effort is not None and level.dose.effort.target == (1, 2) for level in item.levels)


@pytest.mark.parametrize(("exercise_id", "plane"), [("FL01", "tilt"), ("FL02", "rotation"), ("FL03", "tilt")])
def test_neck_stretches_need_their_plane_in_the_pattern(exercise_id: str, plane: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    pulled = facts_for(_cervical(**{plane: {"toward": "right"}}))
    other_plane = "rotation" if plane == "tilt" else "tilt"
    not_pulled = facts_for(_cervical(**{other_plane: {"toward": "right"}}))
    assert indication(pulled)
    assert not indication(not_pulled)


def test_fl03_not_with_dizziness() -> None:
    dizzy = facts_for(TILTED, screening={"parq": {"dizziness_or_fainting": True}})
    steady = facts_for(TILTED, screening={"parq": {"dizziness_or_fainting": False}})
    unanswered = facts_for(TILTED)
    assert "dizziness" in contraindication_codes("FL03", dizzy)
    assert "dizziness" not in contraindication_codes("FL03", steady)
    assert "dizziness" not in contraindication_codes("FL03", unanswered)


def test_fl03_no_end_range_neck_stretch_with_dbs() -> None:
    with_dbs = facts_for(TILTED, treatments={"dbs": {"implanted_on": dt.date(2024, 3, 1), "target": "GPi"}})
    without_dbs = facts_for(TILTED)
    assert "dbs_end_range_neck" in contraindication_codes("FL03", with_dbs)
    assert "dbs_end_range_neck" not in contraindication_codes("FL03", without_dbs)


def test_fl03_bone_joint_problem_needs_clinician() -> None:
    bone_problem = facts_for(TILTED, screening={"parq": {"bone_joint_problem": True}})
    no_problem = facts_for(TILTED, screening={"parq": {"bone_joint_problem": False}})
    assert "bone_joint_problem" in contraindication_codes("FL03", bone_problem)
    assert "bone_joint_problem" not in contraindication_codes("FL03", no_problem)


def test_fl04_not_with_arm_numbness() -> None:
    numb = facts_for(TILTED, symptoms={"numbness": True})
    not_numb = facts_for(TILTED)
    assert "arm_numbness" in contraindication_codes("FL04", numb)
    assert "arm_numbness" not in contraindication_codes("FL04", not_numb)


def test_fl06_bone_joint_problem_needs_clinician() -> None:
    parkinson = {"conditions": [{"kind": "parkinson", "hoehn_yahr": 2}]}
    bone_problem = facts_for(parkinson, screening={"parq": {"bone_joint_problem": True}})
    no_problem = facts_for(parkinson, screening={"parq": {"bone_joint_problem": False}})
    assert "bone_joint_problem" in contraindication_codes("FL06", bone_problem)
    assert "bone_joint_problem" not in contraindication_codes("FL06", no_problem)


def test_fl06_lying_levels_are_supine() -> None:
    assert all(level.supine for level in exercise("FL06").exercise.levels if level.position == "lying")


def test_fl07_is_for_hand_or_arm_dystonia() -> None:
    indication = exercise("FL07").indication
    assert indication is not None
    assert indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["hand_right"]}]}))
    assert indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["arm_left"]}]}))
    assert not indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["neck"]}]}))


def test_fl09_suits_parkinson_cerebral_palsy_and_trunk_dystonia_only() -> None:
    indication = exercise("FL09").indication
    assert indication is not None
    assert indication(facts_for({"conditions": [{"kind": "parkinson"}]}))
    assert indication(facts_for({"conditions": [{"kind": "cerebral_palsy", "gmfcs": 2}]}))
    assert indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["trunk"]}]}))
    assert not indication(facts_for({"conditions": [{"kind": "dystonia", "regions": ["neck"]}]}))


def test_fl05_suits_parkinson_and_forward_head_pull() -> None:
    indication = exercise("FL05").indication
    assert indication is not None
    assert indication(facts_for({"conditions": [{"kind": "parkinson"}]}))
    assert indication(facts_for(_cervical(sagittal={"toward": "forward"})))
    assert not indication(facts_for(_cervical(sagittal={"toward": "backward"})))
