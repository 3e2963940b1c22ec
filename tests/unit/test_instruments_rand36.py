"""RAND-36 1.0 against RAND's published scoring (Hays, Sherbourne & Mazel 1993 [R112]; RAND scoring instructions).

Step 1: every answer is recoded to 0–100 by RAND's table (written out below independently of the YAML).
Step 2: each scale is the mean of the items the respondent answered ("items left blank are not taken into
account": a scale with at least one answered item is scored).
"""

from __future__ import annotations

import pytest

from neuromotrix.catalog.instruments import load_instruments
from neuromotrix.domain.instruments import AnswerError, Instrument, score

# RAND step 1: item numbers → response 1, 2, 3… → recoded value.
RECODE: dict[tuple[int, ...], tuple[int, ...]] = {
    (1, 2, 20, 22, 34, 36): (100, 75, 50, 25, 0),
    (3, 4, 5, 6, 7, 8, 9, 10, 11, 12): (0, 50, 100),
    (13, 14, 15, 16, 17, 18, 19): (0, 100),
    (21, 23, 26, 27, 30): (100, 80, 60, 40, 20, 0),
    (24, 25, 28, 29, 31): (0, 20, 40, 60, 80, 100),
    (32, 33, 35): (0, 25, 50, 75, 100),
}
# RAND step 2: scale → items.
SCALES: dict[str, tuple[int, ...]] = {
    "physical_functioning": (3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    "role_physical": (13, 14, 15, 16),
    "role_emotional": (17, 18, 19),
    "energy_fatigue": (23, 27, 29, 31),
    "emotional_wellbeing": (24, 25, 26, 28, 30),
    "social_functioning": (20, 32),
    "pain": (21, 22),
    "general_health": (1, 33, 34, 35, 36),
    "health_change": (2,),
}
CASES = [
    (number, response, recoded)
    for numbers, row in RECODE.items()
    for number in numbers
    for response, recoded in enumerate(row, start=1)
]


def key(number: int) -> str:
    return f"q{number:02d}"


@pytest.fixture(scope="module")
def rand36() -> Instrument:
    return load_instruments().get("rand36")


def test_the_table_covers_all_36_items_once() -> None:
    numbers = sorted(number for numbers in RECODE for number in numbers)
    assert numbers == list(range(1, 37))
    assert sorted(number for items in SCALES.values() for number in items) == list(range(1, 37))


@pytest.mark.parametrize(("number", "response", "recoded"), CASES)
def test_every_response_of_every_item_recodes_as_rand_publishes(
    rand36: Instrument, number: int, response: int, recoded: int
) -> None:
    item = rand36.item(key(number))
    assert item.score_of(response) == recoded
    # Through the public scoring: the item alone scores its scale with that value (mean of one answered item).
    scale = next(name for name, items in SCALES.items() if number in items)
    result = score(rand36, {key(number): response})
    assert result.value(scale) == recoded


def test_each_item_offers_exactly_the_published_responses(rand36: Instrument) -> None:
    for numbers, row in RECODE.items():
        for number in numbers:
            assert [option.value for option in rand36.item(key(number)).options] == list(range(1, len(row) + 1))


def test_scales_are_the_published_item_groups(rand36: Instrument) -> None:
    assert {scale.key: tuple(scale.items) for scale in rand36.scales} == {
        name: tuple(key(n) for n in items) for name, items in SCALES.items()
    }
    for scale in rand36.scales:
        assert (scale.minimum, scale.maximum, scale.direction) == (0, 100, "higher_is_better")
        assert scale.mcid is None and scale.mdc is None  # the brief's [R47] MCIDs are for SF-36 summaries


# A complete questionnaire, scored by hand from the table above.
WORKED = {
    1: 2, 2: 3,  # 75; 50
    3: 1, 4: 2, 5: 2, 6: 3, 7: 3, 8: 2, 9: 1, 10: 2, 11: 3, 12: 3,  # 0 50 50 100 100 50 0 50 100 100
    13: 1, 14: 2, 15: 2, 16: 1,  # 0 100 100 0
    17: 2, 18: 2, 19: 1,  # 100 100 0
    20: 2, 32: 4,  # 75; 75
    21: 3, 22: 2,  # 60; 75
    23: 3, 27: 4, 29: 3, 31: 2,  # 60 40 40 20
    24: 5, 25: 6, 26: 2, 28: 5, 30: 3,  # 80 100 80 80 60
    33: 4, 34: 2, 35: 5, 36: 3,  # 75 75 100 50 (+ item 1: 75)
}  # fmt: skip
WORKED_SCORES = {
    "physical_functioning": 60.0,  # 600 / 10
    "role_physical": 50.0,  # 200 / 4
    "role_emotional": 66.6667,  # 200 / 3
    "energy_fatigue": 40.0,  # 160 / 4
    "emotional_wellbeing": 80.0,  # 400 / 5
    "social_functioning": 75.0,  # 150 / 2
    "pain": 67.5,  # 135 / 2
    "general_health": 75.0,  # 375 / 5
    "health_change": 50.0,
}


def test_a_complete_questionnaire_gives_the_hand_computed_scale_scores(rand36: Instrument) -> None:
    assert len(WORKED) == 36
    result = score(rand36, {key(n): value for n, value in WORKED.items()})
    assert {s.key: s.value for s in result.scales} == WORKED_SCORES
    assert all(s.missing == 0 and s.answered == len(SCALES[s.key]) for s in result.scales)
    assert (result.instrument, result.version) == ("rand36", "1.0")


def test_missing_items_are_left_out_of_the_mean(rand36: Instrument) -> None:
    answers: dict[str, float | None] = {key(n): value for n, value in WORKED.items()}
    answers[key(3)] = None  # blank (recoded 0)
    del answers[key(4)]  # absent (recoded 50)
    answers[key(21)] = None
    del answers[key(22)]
    result = score(rand36, answers)
    physical = next(s for s in result.scales if s.key == "physical_functioning")
    assert (physical.value, physical.answered, physical.missing) == (68.75, 8, 2)  # 550 / 8
    pain = next(s for s in result.scales if s.key == "pain")
    assert (pain.value, pain.answered, pain.missing) == (None, 0, 2)  # no item answered: not scored
    assert result.value("general_health") == 75.0


def test_one_answered_item_is_enough_for_a_scale(rand36: Instrument) -> None:
    result = score(rand36, {key(17): 1})
    assert result.value("role_emotional") == 0.0
    assert result.value("physical_functioning") is None


def test_a_response_outside_the_item_names_the_item_and_the_choices(rand36: Instrument) -> None:
    with pytest.raises(
        AnswerError, match=r"Item q21: 7 is not an allowed answer\. Answer one of 1, 2, 3, 4, 5, 6\."
    ) as info:
        score(rand36, {key(21): 7})
    assert info.value.field == ("answers", "q21")


def test_french_texts_are_marked_unvalidated(rand36: Instrument) -> None:
    assert rand36.french == "unvalidated"
    assert all(item.text is not None and item.text.fr and item.text.en != item.text.fr for item in rand36.items)
