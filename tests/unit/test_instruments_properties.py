"""Invariants of scoring and change labels, for every shipped instrument (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuromotrix.catalog.instruments import load_instruments
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import (
    ChangeLabel,
    ChangeThreshold,
    Instrument,
    Item,
    Scale,
    classify_change,
    score,
)

REGISTRY = load_instruments()


def valid_answer(item: Item) -> st.SearchStrategy[float]:
    if item.options:
        return st.sampled_from([option.value for option in item.options])
    low, high = item.minimum or 0.0, item.maximum or 0.0
    if item.step is None:
        return st.floats(low, high, allow_nan=False)
    step = item.step
    return st.integers(0, round((high - low) / step)).map(lambda n: low + n * step)


def answers(instrument: Instrument, *, blanks: bool = True) -> st.SearchStrategy[dict[str, float | None]]:
    def one(item: Item) -> st.SearchStrategy[float | None]:
        return st.none() | valid_answer(item) if blanks else valid_answer(item)

    return st.fixed_dictionaries({item.key: one(item) for item in instrument.items})


@pytest.mark.parametrize("key", REGISTRY.keys())
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_scores_always_lie_inside_the_scale_range(key: str, data: st.DataObject) -> None:
    instrument = REGISTRY.get(key)
    result = score(instrument, data.draw(answers(instrument)))
    for scale, scored in zip(instrument.scales, result.scales, strict=True):
        assert scored.key == scale.key
        assert scored.value is None or scale.minimum <= scored.value <= scale.maximum
        if not scale.of_scales:
            assert scored.answered + scored.missing == len(scale.items)


@pytest.mark.parametrize("key", REGISTRY.keys())
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_a_complete_questionnaire_always_scores_every_scale(key: str, data: st.DataObject) -> None:
    instrument = REGISTRY.get(key)
    result = score(instrument, data.draw(answers(instrument, blanks=False)))
    assert all(s.value is not None and s.missing == 0 for s in result.scales)


thresholds = st.floats(0.1, 20, allow_nan=False)


@st.composite
def scales(draw: st.DrawFn) -> Scale:
    mdc_up, mdc_down = draw(thresholds), draw(thresholds)
    mcid = None
    if draw(st.booleans()):
        mcid = ChangeThreshold(
            kind="mcid",
            improvement=draw(st.none() | thresholds),
            worsening=draw(thresholds),
            improvement_percent=draw(st.none() | st.floats(5, 80)),
            source="BRIEF §7 [test]",
        )
    return Scale(
        key="s",
        name=Text(en="S", fr="S"),
        items=("a",),
        minimum=0,
        maximum=100,
        direction=draw(st.sampled_from(["higher_is_better", "lower_is_better"])),
        mcid=mcid,
        mdc=ChangeThreshold(kind="mdc", improvement=mdc_up, worsening=mdc_down, source="BRIEF §7 [test]"),
    )


@settings(max_examples=300, deadline=None)
@given(scale=scales(), baseline=st.floats(0, 100), current=st.floats(0, 100))
def test_a_change_smaller_than_the_mdc_never_gets_a_label(scale: Scale, baseline: float, current: float) -> None:
    change = classify_change(scale, baseline, current)
    assert scale.mdc is not None
    if change.improved is None:
        assert change.label == ChangeLabel.NONE
        return
    mdc = scale.mdc.improvement if change.improved else scale.mdc.worsening
    assert mdc is not None
    if abs(change.delta) < mdc - 1e-6:
        assert change.label == ChangeLabel.NONE
    expected_improved = (current > baseline) == (scale.direction == "higher_is_better")
    assert change.improved == expected_improved


@settings(max_examples=200, deadline=None)
@given(baseline=st.integers(0, 10), current=st.integers(0, 10))
def test_pain_labels_only_reductions_of_two_points_or_thirty_percent(baseline: int, current: int) -> None:
    change = classify_change(REGISTRY.get("pain_nrs").scale("now"), baseline, current)
    meaningful = current < baseline and (baseline - current >= 2 or (baseline - current) / baseline >= 0.3)
    assert (change.label == ChangeLabel.CLINICALLY_MEANINGFUL) == meaningful
    assert change.label != ChangeLabel.BEYOND_MEASUREMENT_ERROR  # pain NRS has no MDC in the brief
