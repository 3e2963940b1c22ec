"""Face & jaw catalog items (BRIEF §3.2, FJ01-FJ02): validity, relevance and cautions."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuromotrix.adapters.yamlio import load_yaml
from neuromotrix.catalog.loader import read_yaml
from neuromotrix.domain.exercise import Exercise
from tests.factories import EXERCISE_DIR, exercise, facts_for

FILE: Path = EXERCISE_DIR / "face_jaw.yaml"
EXPECTED_IDS = ["FJ01", "FJ02"]
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
    assert {item.category for item in items} == {"face_jaw"}
    for item in items:
        assert exercise(item.id).exercise == item
        cited = set(item.refs) | {ref for rule in item.contraindications for ref in rule.refs}
        assert cited <= REFERENCES.keys()
        assert _start_seconds(item) <= 6 * 60
        assert item.starter and not item.resisted and item.direction is None


@pytest.mark.parametrize(("exercise_id", "region"), [("FJ01", "mouth"), ("FJ02", "eyes")])
def test_face_items_need_their_region(exercise_id: str, region: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    assert indication(_dystonia(region, "neck"))
    assert not indication(_dystonia("neck"))
    assert not indication(facts_for({"conditions": [{"kind": "parkinson"}]}))


def test_fj01_speech_practice_only_at_the_top_level() -> None:
    levels = exercise("FJ01").exercise.levels
    assert [level.tasks for level in levels] == [(), (), (), (), ("speaking",)]
    assert exercise("FJ01").exercise.equipment == ("mirror",)


@pytest.mark.parametrize(
    ("exercise_id", "keyword"),
    [("FJ01", "jaw-opening type"), ("FJ01", "jaw joint"), ("FJ02", "Never force")],
)
def test_unexpressible_cautions_are_kept_as_text(exercise_id: str, keyword: str) -> None:
    item = exercise(exercise_id).exercise
    assert item.contraindications == ()
    assert any(keyword in caution.en for caution in item.cautions)
