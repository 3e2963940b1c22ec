"""Balance & functional strength catalog items (BRIEF §3.2, BA01-BA07): validity, support and contraindications."""

from __future__ import annotations

from pathlib import Path

from tests.factories import EXERCISE_DIR, category_items, contraindication_codes, exercise, facts_for

FILE: Path = EXERCISE_DIR / "balance_functional.yaml"
EXPECTED_IDS = [f"BA0{number}" for number in range(1, 8)]


def _dystonia(*regions: str) -> dict[str, object]:
    return facts_for({"conditions": [{"kind": "dystonia", "regions": list(regions)}]})


def test_every_item_validates_with_expected_ids() -> None:
    items = category_items(FILE, EXPECTED_IDS)
    for item in items:
        assert not item.resisted and item.direction is None


def test_ba01_starter_subset_keeps_a_supported_sitting_level() -> None:
    item = exercise("BA01").exercise
    assert item.starter
    assert item.levels[0].position == "sitting_supported"
    assert item.levels[item.start_level - 1].position == "sitting"


def test_ba02_hand_on_counter_levels_are_supported_and_hands_free_levels_are_not() -> None:
    levels = exercise("BA02").exercise.levels
    assert [level.is_supported for level in levels] == [True, True, False, False, False, False]
    assert levels[-1].variant.get("complexity") == "head_turns"


def test_ba04_has_no_held_weight_level() -> None:
    item = exercise("BA04").exercise
    assert all("load" not in level.variant for level in item.levels)
    assert any("weight" in caution.en for caution in item.cautions)
    assert any("dizzy" in caution.en for caution in item.cautions)


def test_ba07_not_for_foot_or_leg_dystonia() -> None:
    assert "foot_dystonia_plantarflexion" in contraindication_codes("BA07", _dystonia("foot_left"))
    assert "foot_dystonia_plantarflexion" in contraindication_codes("BA07", _dystonia("neck", "leg_right"))
    assert "foot_dystonia_plantarflexion" not in contraindication_codes("BA07", _dystonia("neck", "hand_right"))
    parkinson_only = facts_for({"conditions": [{"kind": "parkinson"}]})
    assert "foot_dystonia_plantarflexion" not in contraindication_codes("BA07", parkinson_only)
