"""Face & jaw catalog items (BRIEF §3.2, FJ01-FJ02): validity, relevance and cautions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import EXERCISE_DIR, category_items, exercise, facts_for

FILE: Path = EXERCISE_DIR / "face_jaw.yaml"
EXPECTED_IDS = ["FJ01", "FJ02"]


def _dystonia(*regions: str) -> dict[str, object]:
    return facts_for({"conditions": [{"kind": "dystonia", "regions": list(regions)}]})


def test_every_item_validates_with_expected_ids() -> None:
    items = category_items(FILE, EXPECTED_IDS)
    for item in items:
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
