"""The catalog as a whole: BRIEF §3.2 complete, bilingual, valid ladders; bad data fails at load, named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from neuromotrix.catalog.loader import CATALOG_DIR, CatalogError, load_catalog
from neuromotrix.domain.exercise import changed_variables
from neuromotrix.domain.vocab import CATEGORIES

# BRIEF §3.2, item by item.
BRIEF_IDS = {
    "relaxation_breathing": 4, "neck_motor_control": 9, "neck_isometrics": 4, "flexibility": 10,
    "scapular_posture": 4, "trunk_core": 7, "balance_functional": 7, "gait": 5, "fine_motor": 6,
    "lower_limb_foot": 4, "aerobic": 5, "face_jaw": 2,
}  # fmt: skip
PREFIX = {
    "relaxation_breathing": "RB", "neck_motor_control": "NM", "neck_isometrics": "NI", "flexibility": "FL",
    "scapular_posture": "SP", "trunk_core": "TC", "balance_functional": "BA", "gait": "GA", "fine_motor": "FM",
    "lower_limb_foot": "LF", "aerobic": "AE", "face_jaw": "FJ",
}  # fmt: skip


def test_every_brief_item_is_in_the_catalog_under_its_id() -> None:
    exercises = load_catalog().exercises
    expected = {f"{PREFIX[c]}{n:02d}" for c, count in BRIEF_IDS.items() for n in range(1, count + 1)}
    assert set(exercises) == expected
    assert len(exercises) == 67
    assert {e.exercise.category for e in exercises.values()} == set(CATEGORIES)


def test_every_item_is_bilingual_with_three_or_more_one_variable_levels() -> None:
    for compiled in load_catalog().exercises.values():
        exercise = compiled.exercise
        for text in (exercise.name, exercise.purpose, exercise.instructions):
            assert text.en.strip() and text.fr.strip() and text.en != text.fr, exercise.id
        assert len(exercise.levels) >= 3
        for lower, upper in zip(exercise.levels, exercise.levels[1:], strict=False):
            assert len(changed_variables(lower, upper)) == 1, exercise.id
            assert upper.text.fr.strip() and upper.text.en.strip()


def test_neck_items_have_direction_semantics_and_other_items_do_not() -> None:
    for compiled in load_catalog().exercises.values():
        exercise = compiled.exercise
        if exercise.direction is not None:
            assert "neck" in exercise.regions, exercise.id


def test_every_cited_reference_has_a_full_citation() -> None:
    catalog = load_catalog()
    for compiled in catalog.exercises.values():
        for key in compiled.exercise.refs:
            assert catalog.references[key].strip()


def _copy_catalog(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def test_a_level_pair_differing_in_two_variables_fails_at_load_naming_file_and_field(tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    path = catalog / "exercises" / "neck_isometrics.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sets: 1", "sets: 3", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"neck_isometrics\.yaml: exercises\[0\]"):
        load_catalog.__wrapped__(catalog)


def test_an_unknown_fact_in_a_rule_fails_at_load(tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    path = catalog / "rules" / "red_flags.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("symptoms.escalating_spasms", "symptoms.nope", 1),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(CatalogError, match=r"unknown fact 'symptoms\.nope'"):
        load_catalog.__wrapped__(catalog)


def test_an_unknown_reference_fails_at_load(tmp_path: Path) -> None:
    catalog = _copy_catalog(tmp_path)
    path = catalog / "exercises" / "face_jaw.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("refs: [", "refs: [R999, ", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match="R999"):
        load_catalog.__wrapped__(catalog)
