"""Neck motor control catalog items (BRIEF §3.2, NM01-NM09): validity, direction, relevance and contraindications."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from neuromotrix.domain.facts import derive_facts
from tests.factories import EXERCISE_DIR, category_items, cervical_profile, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "neck_motor_control.yaml"
EXPECTED_IDS = [f"NM{number:02d}" for number in range(1, 10)]
TRICKS = ["hand_on_chin", "hand_on_cheek", "hand_on_back_of_head", "head_support", "other"]
NO_NECK: dict[str, Any] = {"conditions": [{"kind": "dystonia", "regions": ["hand_right"]}]}


def _pattern(**cervical: Any) -> dict[str, Any]:
    return derive_facts(cervical_profile(**cervical))


def test_every_item_validates_with_expected_ids() -> None:
    category_items(FILE, EXPECTED_IDS)


@pytest.mark.parametrize("exercise_id", EXPECTED_IDS)
def test_neck_control_is_light_unresisted_dystonia_work(exercise_id: str) -> None:
    item = exercise(exercise_id).exercise
    assert item.conditions == ("dystonia",)
    assert item.regions == ("neck",)
    assert not item.resisted
    for level in item.levels:
        assert level.dose.effort is not None
        assert (level.dose.effort.scale, level.dose.effort.target) == ("cr10", (1, 2))
        assert level.tasks == (("walking",) if level.position == "walking" else ())


@pytest.mark.parametrize(
    ("exercise_id", "direction"),
    [
        ("NM01", ("sagittal", "fixed", "forward")),
        ("NM02", ("shift", "fixed", "backward")),
        ("NM03", ("rotation", "counter", None)),
        ("NM04", ("rotation", "counter", None)),
        ("NM05", ("tilt", "counter", None)),
        ("NM06", ("rotation", "bilateral", None)),
        ("NM07", ("rotation", "bilateral", None)),
        ("NM08", None),
        ("NM09", None),
    ],
)
def test_head_direction(exercise_id: str, direction: tuple[str, str, str | None] | None) -> None:
    item = exercise(exercise_id).exercise
    found = None if item.direction is None else (item.direction.plane, item.direction.semantics, item.direction.toward)
    assert found == direction


@pytest.mark.parametrize("exercise_id", ["NM01", "NM02", "NM06", "NM07", "NM08"])
def test_general_neck_items_need_a_cervical_pattern(exercise_id: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    assert indication(_pattern(sagittal={"toward": "backward"}))
    assert not indication(facts_for(NO_NECK))


@pytest.mark.parametrize(("exercise_id", "plane"), [("NM03", "rotation"), ("NM04", "rotation"), ("NM05", "tilt")])
def test_counter_direction_items_need_their_plane(exercise_id: str, plane: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    other_plane = "tilt" if plane == "rotation" else "rotation"
    assert indication(_pattern(**{plane: {"toward": "left", "level": "caput", "severity": 2}}))
    assert not indication(_pattern(**{other_plane: {"toward": "left", "level": "caput", "severity": 2}}))
    assert not indication(facts_for(NO_NECK))


def test_nm09_needs_shoulder_elevation() -> None:
    indication = exercise("NM09").indication
    assert indication is not None
    assert indication(_pattern(shoulder_elevation="right"))
    assert not indication(_pattern(rotation={"toward": "right"}))


def test_nm01_not_for_anterocollis() -> None:
    pulled_forward = _pattern(sagittal={"toward": "forward", "level": "collis", "severity": 2})
    pulled_back = _pattern(sagittal={"toward": "backward", "level": "collis", "severity": 2})
    assert "anterocollis" in contraindication_codes("NM01", pulled_forward)
    assert "anterocollis" not in contraindication_codes("NM01", pulled_back)
    assert "anterocollis" not in contraindication_codes("NM01", facts_for(NO_NECK))


def test_nm02_anterocollis_is_left_to_the_clinician() -> None:
    pulled_forward = _pattern(sagittal={"toward": "forward", "level": "caput", "severity": 1})
    shifted_forward = _pattern(sagittal_shift="forward")
    assert "anterocollis_clinician_choice" in contraindication_codes("NM02", pulled_forward)
    assert "anterocollis_clinician_choice" not in contraindication_codes("NM02", shifted_forward)


def test_nm06_not_with_dizziness() -> None:
    neck = {"conditions": [{"kind": "dystonia", "regions": ["neck"], "cervical": {"stability": "stable"}}]}
    dizzy = facts_for(neck, screening={"parq": {"dizziness_or_fainting": True}})
    steady = facts_for(neck, screening={"parq": {"dizziness_or_fainting": False}})
    unanswered = facts_for(neck)
    assert "dizziness" in contraindication_codes("NM06", dizzy)
    assert "dizziness" not in contraindication_codes("NM06", steady)
    assert "dizziness" not in contraindication_codes("NM06", unanswered)


@pytest.mark.parametrize("trick", TRICKS)
def test_nm07_allowed_with_any_documented_trick(trick: str) -> None:
    assert "no_sensory_trick" not in contraindication_codes("NM07", _pattern(sensory_tricks=[trick]))


def test_nm07_needs_a_sensory_trick() -> None:
    assert "no_sensory_trick" in contraindication_codes("NM07", _pattern(rotation={"toward": "left"}))
    assert "no_sensory_trick" not in contraindication_codes("NM07", facts_for(NO_NECK))


@pytest.mark.parametrize(("stability", "excluded"), [("stable", False), ("unstable", True), ("unknown", True)])
def test_nm08_only_for_a_stable_pattern(stability: str, excluded: bool) -> None:
    codes = contraindication_codes("NM08", _pattern(stability=stability))
    assert ("unstable_pattern" in codes) is excluded
    assert "unstable_pattern" not in contraindication_codes("NM08", facts_for(NO_NECK))


def test_nm08_ball_only_at_the_top_level() -> None:
    levels = exercise("NM08").exercise.levels
    assert [level.equipment for level in levels] == [(), (), (), ("ball",)]


def test_nm03_closes_the_eyes_only_when_still() -> None:
    item = exercise("NM03").exercise
    assert item.equipment == ("mirror",)
    walking = [level for level in item.levels if level.position == "walking"]
    assert len(walking) == 1
    assert "standing still" in walking[0].text.en
