"""Neck isometrics catalog items (BRIEF §3.2, NI01-NI04): validity, low effort, direction and contraindications."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from neuromotrix.domain.facts import derive_facts
from tests.factories import EXERCISE_DIR, category_items, cervical_profile, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "neck_isometrics.yaml"
EXPECTED_IDS = ["NI01", "NI02", "NI03", "NI04"]
NO_NECK: dict[str, Any] = {"conditions": [{"kind": "dystonia", "regions": ["hand_right"]}]}


def _pattern(**cervical: Any) -> dict[str, Any]:
    return derive_facts(cervical_profile(**cervical))


def test_every_item_validates_with_expected_ids() -> None:
    category_items(FILE, EXPECTED_IDS)


@pytest.mark.parametrize("exercise_id", EXPECTED_IDS)
def test_isometrics_are_resisted_low_effort_and_not_starters(exercise_id: str) -> None:
    item = exercise(exercise_id).exercise
    assert item.resisted and not item.starter
    assert item.conditions == ("dystonia",)
    start = item.levels[item.start_level - 1].dose.effort
    assert start is not None and (start.scale, start.target) == ("percent_max", (10, 20))
    for level in item.levels:
        effort = level.dose.effort
        assert effort is not None and effort.scale == "percent_max"
        assert isinstance(effort.target, tuple) and effort.target[0] >= 10 and effort.target[1] <= 30


@pytest.mark.parametrize("exercise_id", ["NI01", "NI02"])
def test_counter_isometrics_start_from_intention_only(exercise_id: str) -> None:
    levels = exercise(exercise_id).exercise.levels
    assert levels[0].variant["load"] == "intention"
    assert all(level.variant["load"] == "press" for level in levels[1:])


@pytest.mark.parametrize(
    ("exercise_id", "direction"),
    [
        ("NI01", ("rotation", "counter", None)),
        ("NI02", ("tilt", "counter", None)),
        ("NI03", ("sagittal", "fixed", "backward")),
        ("NI04", ("sagittal", "fixed", "forward")),
    ],
)
def test_press_direction(exercise_id: str, direction: tuple[str, str, str | None]) -> None:
    found = exercise(exercise_id).exercise.direction
    assert found is not None
    assert (found.plane, found.semantics, found.toward) == direction


@pytest.mark.parametrize(("exercise_id", "plane"), [("NI01", "rotation"), ("NI02", "tilt")])
def test_counter_isometrics_need_their_plane(exercise_id: str, plane: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    other_plane = "tilt" if plane == "rotation" else "rotation"
    assert indication(_pattern(**{plane: {"toward": "right", "level": "collis", "severity": 2}}))
    assert not indication(_pattern(**{other_plane: {"toward": "right", "level": "collis", "severity": 2}}))
    assert not indication(facts_for(NO_NECK))


@pytest.mark.parametrize("exercise_id", ["NI03", "NI04"])
def test_sagittal_isometrics_need_a_cervical_pattern(exercise_id: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    assert indication(_pattern(rotation={"toward": "left"}))
    assert not indication(facts_for(NO_NECK))


def test_ni03_not_for_retrocollis() -> None:
    pulled_back = _pattern(sagittal={"toward": "backward", "level": "caput", "severity": 2})
    pulled_forward = _pattern(sagittal={"toward": "forward", "level": "caput", "severity": 2})
    assert "retrocollis" in contraindication_codes("NI03", pulled_back)
    assert "retrocollis" not in contraindication_codes("NI03", pulled_forward)
    assert "retrocollis" not in contraindication_codes("NI03", facts_for(NO_NECK))


def test_ni04_not_for_anterocollis() -> None:
    pulled_forward = _pattern(sagittal={"toward": "forward", "level": "collis", "severity": 2})
    pulled_back = _pattern(sagittal={"toward": "backward", "level": "collis", "severity": 2})
    assert "anterocollis" in contraindication_codes("NI04", pulled_forward)
    assert "anterocollis" not in contraindication_codes("NI04", pulled_back)
    assert "anterocollis" not in contraindication_codes("NI04", facts_for(NO_NECK))
