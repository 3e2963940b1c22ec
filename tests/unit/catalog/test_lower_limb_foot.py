"""Lower limb & foot catalog items (BRIEF §3.2, LF01-LF04): validity, relevance and contraindications."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import EXERCISE_DIR, category_items, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "lower_limb_foot.yaml"
EXPECTED_IDS = [f"LF0{number}" for number in range(1, 5)]


def _dystonia(*regions: str) -> dict[str, object]:
    return facts_for({"conditions": [{"kind": "dystonia", "regions": list(regions)}]})


def test_every_item_validates_with_expected_ids() -> None:
    items = category_items(FILE, EXPECTED_IDS)
    for item in items:
        assert item.direction is None


@pytest.mark.parametrize("exercise_id", ["LF01", "LF02", "LF03"])
def test_foot_pattern_items_need_foot_or_leg_dystonia(exercise_id: str) -> None:
    indication = exercise(exercise_id).indication
    assert indication is not None
    assert indication(_dystonia("foot_right"))
    assert indication(_dystonia("leg_left"))
    assert not indication(_dystonia("neck", "hand_left"))


def test_lf01_is_a_starter_item_and_lf02_is_resisted_with_the_band_as_level_equipment() -> None:
    assert exercise("LF01").exercise.starter
    lf02 = exercise("LF02").exercise
    assert lf02.resisted and not lf02.starter
    assert lf02.levels[0].equipment == ()
    assert all(level.equipment == ("resistance_band",) for level in lf02.levels[1:])


def test_lf04_not_for_foot_or_leg_dystonia() -> None:
    assert "foot_dystonia_plantarflexion" in contraindication_codes("LF04", _dystonia("foot_right"))
    assert "foot_dystonia_plantarflexion" in contraindication_codes("LF04", _dystonia("leg_left"))
    assert "foot_dystonia_plantarflexion" not in contraindication_codes("LF04", _dystonia("neck"))
    cerebral_palsy = facts_for({"conditions": [{"kind": "cerebral_palsy", "gmfcs": 2}]})
    assert "foot_dystonia_plantarflexion" not in contraindication_codes("LF04", cerebral_palsy)
