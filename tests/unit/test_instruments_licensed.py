"""Licensed instruments (BRIEF §7): scoring definitions only, checked against worked examples of their published
scoring rules (TWSTRS subscale sums [R40]; PDQ-39 domain = sum / (4 × items) × 100, index = mean of domains
[R115]; PDQ-8 = sum / 32 × 100; CDIP-58 scales transformed 0–100 [R44]; MDS-UPDRS part sums [R49])."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from neuromotrix.catalog.instruments import load_instruments
from neuromotrix.domain.instruments import AnswerError, Instrument, score


def get(key: str) -> Instrument:
    return load_instruments().get(key)


def by_scale(instrument: str, answers: Mapping[str, float | None]) -> dict[str, float | None]:
    return {s.key: s.value for s in score(get(instrument), answers).scales}


SEVERITY: dict[str, float] = {
    "rotation": 2, "laterocollis": 1, "anterocollis_retrocollis": 0, "lateral_shift": 1, "sagittal_shift": 0,
    "duration": 3, "sensory_trick": 1, "shoulder_elevation": 2, "range_of_motion": 2, "time_at_midline": 1,
}  # fmt: skip
DISABILITY: dict[str, float] = {
    "work": 2, "activities_of_daily_living": 1, "driving": 0, "reading": 3, "television": 1,
    "activities_outside_home": 2,
}  # fmt: skip
PAIN: dict[str, float] = {"pain_severity": 5.25, "pain_duration": 3, "pain_disability": 2}


def test_twstrs_subscales_and_total() -> None:
    result = by_scale("twstrs", SEVERITY | DISABILITY | PAIN)
    # Severity: 2+1+0+1+0 + duration 3×2 + 1+2+2+1 = 16; disability 9; pain 10.25.
    assert result == {"severity": 16, "disability": 9, "pain": 10.25, "total": 35.25}


def test_twstrs_maxima_are_the_briefs_and_stored_as_data() -> None:
    twstrs = get("twstrs")
    maxima = {scale.key: scale.maximum for scale in twstrs.scales}
    assert maxima == {"severity": 35, "disability": 30, "pain": 20, "total": 85}
    worst = {item.key: item.maximum for item in twstrs.items}
    assert by_scale("twstrs", worst) == maxima
    assert twstrs.item("duration").weight == 2


def test_twstrs_answers_out_of_range_and_missing() -> None:
    with pytest.raises(
        AnswerError, match=r"Item duration: 6 is out of range\. Answer a number from 0 to 5 in steps of 1\."
    ):
        score(get("twstrs"), {"duration": 6})
    with pytest.raises(AnswerError, match=r"Item pain_severity: 5\.1 is out of range\. .* in steps of 0\.25"):
        score(get("twstrs"), {"pain_severity": 5.1})
    partial = score(get("twstrs"), SEVERITY | PAIN)  # disability not asked
    assert [(s.key, s.value, s.missing) for s in partial.scales] == [
        ("severity", 16, 0),
        ("disability", None, 6),
        ("pain", 10.25, 0),
        ("total", None, 6),
    ]


def test_twstrs2_has_motor_disability_pain_and_total() -> None:
    twstrs2 = get("twstrs2")
    answers = {item.key: 1 for item in twstrs2.items if item.key != "pain_severity"} | {"pain_severity": 2.5}
    result = by_scale("twstrs2", answers)
    assert result == {"motor_severity": 12, "disability": 6, "pain": 4.5, "total": 22.5}
    assert all(scale.mcid is None and scale.mdc is None for scale in twstrs2.scales)  # "not established"


def test_pdq39_domains_and_summary_index() -> None:
    groups = [
        ("mobility", [1] * 10, 25.0),  # 10 / 40
        ("activities_of_daily_living", [2] * 6, 50.0),  # 12 / 24
        ("emotional_wellbeing", [0] * 6, 0.0),
        ("stigma", [4] * 4, 100.0),
        ("social_support", [1, 2, 3], 50.0),  # 6 / 12
        ("cognition", [0, 1, 0, 1], 12.5),  # 2 / 16
        ("communication", [3, 3, 3], 75.0),  # 9 / 12
        ("bodily_discomfort", [2, 2, 2], 50.0),
    ]
    answers = [value for _, group, _ in groups for value in group]
    assert len(answers) == 39
    result = by_scale("pdq39", {f"q{n:02d}": value for n, value in enumerate(answers, start=1)})
    expected = {name: value for name, _, value in groups} | {"summary_index": 45.3125}  # 362.5 / 8
    assert result == expected


def test_pdq39_domain_with_a_missing_item_and_the_index_are_not_scored() -> None:
    answers: dict[str, float | None] = {f"q{n:02d}": 1 for n in range(1, 40)}
    answers["q37"] = None  # bodily discomfort
    result = by_scale("pdq39", answers)
    assert result["bodily_discomfort"] is None and result["summary_index"] is None
    assert result["mobility"] == 25.0


def test_pdq8_index() -> None:
    answers = dict(zip([f"q{n}" for n in range(1, 9)], [1, 2, 3, 4, 0, 1, 2, 3], strict=True))
    assert by_scale("pdq8", answers) == {"summary_index": 50.0}  # 16 / 32


def test_cdip58_scales_are_transformed_to_0_100() -> None:
    cdip = get("cdip58")
    sizes = {scale.key: len(scale.items) for scale in cdip.scales}
    assert sizes == {
        "head_neck": 6, "pain_discomfort": 5, "upper_limb": 9, "walking": 9, "sleep": 4, "annoyance": 8,
        "mood": 5, "psychosocial": 12,
    }  # fmt: skip
    answers: dict[str, float | None] = {item.key: 3 for item in cdip.items}
    answers.update({"q01": 1, "q02": 2, "q03": 3, "q04": 4, "q05": 5, "q06": 5})  # head and neck: sum 20
    result = by_scale("cdip58", answers)
    assert result["head_neck"] == 58.3333  # (20 − 6) / 24 × 100
    assert result["walking"] == 50.0  # (27 − 9) / 36 × 100
    assert by_scale("cdip58", {item.key: 1 for item in cdip.items})["mood"] == 0.0
    with pytest.raises(AnswerError, match=r"Item q10: 0 is out of range\. Answer a number from 1 to 5"):
        score(cdip, {"q10": 0})


@pytest.mark.parametrize(
    ("key", "items", "maximum"),
    [("mds_updrs_1", 13, 52), ("mds_updrs_2", 13, 52), ("mds_updrs_3", 33, 132), ("mds_updrs_4", 6, 24)],
)
def test_mds_updrs_parts_are_sums_of_0_4_items(key: str, items: int, maximum: int) -> None:
    part = get(key)
    assert len(part.items) == items and part.scale("total").maximum == maximum  # BRIEF §7 ranges
    answers: dict[str, float | None] = {item.key: n % 5 for n, item in enumerate(part.items)}
    assert by_scale(key, answers) == {"total": sum(n % 5 for n in range(items))}
    answers[part.items[0].key] = None
    total = score(part, answers).scales[0]
    assert (total.value, total.missing) == (None, 1)
