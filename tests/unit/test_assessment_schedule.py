"""When outcome instruments are due (BRIEF §7 last paragraph; BRIEF §5.1): baseline, every 4 weeks, the week before
an expected injection, and nothing asked twice once done.

Alice starts on Monday 5 January 2026 with the dystonia battery.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuromotrix.catalog.instruments import load_instruments
from neuromotrix.domain.assessment_schedule import (
    DEFAULT_RULES,
    DueAssessment,
    ScheduleRules,
    due_assessments,
    expected_next_injection,
)

START = date(2026, 1, 5)
BATTERY = ("pain_nrs", "pgic", "dystonia_diary", "rand36", "chair_stand_30s", "tug")


def day(n: int) -> date:
    return START + timedelta(days=n)


def due(
    today: date, *, done: dict[str, list[date]] | None = None, injection: date | None = None
) -> list[DueAssessment]:
    return due_assessments(battery=BATTERY, start=START, today=today, next_injection=injection, done=done or {})


def test_the_defaults_are_the_briefs_and_match_the_shipped_schedule() -> None:
    assert (DEFAULT_RULES.every_days, DEFAULT_RULES.pre_injection_days, DEFAULT_RULES.injection_interval_days) == (
        28,
        7,
        84,
    )
    assert load_instruments().schedule == DEFAULT_RULES


def test_baseline_is_due_at_the_start_except_pgic() -> None:
    assert due(day(-1)) == []
    expected = [DueAssessment(key, "baseline", START, day(6)) for key in BATTERY if key != "pgic"]
    assert due(START) == expected
    assert due(day(10)) == expected  # overdue but still the baseline until the first 4-weekly occasion


def test_a_done_baseline_is_not_asked_again() -> None:
    done = {key: [day(1)] for key in BATTERY}
    assert due(day(1), done=done) == []
    assert due(day(20), done=done) == []
    done_later = {"rand36": [day(3)]}
    assert "rand36" not in [item.instrument for item in due(day(3), done=done_later)]
    assert [item.instrument for item in due(day(2), done=done_later)].count("rand36") == 1  # not yet done on day 2


def test_every_four_weeks_including_pgic() -> None:
    done = {key: [START] for key in BATTERY}
    occasion = due(day(28), done=done)
    assert occasion == [DueAssessment(key, "four_weekly", day(28), day(34)) for key in BATTERY]
    assert due(day(27), done=done) == []
    assert due(day(40), done=done) == occasion  # missed: still due until the next occasion
    assert [item.due_from for item in due(day(56), done=done)] == [day(56)] * len(BATTERY)


def test_a_four_weekly_assessment_done_a_few_days_early_counts() -> None:
    done = {key: [START, day(25)] for key in BATTERY}
    assert due(day(28), done=done) == []
    assert due(day(55), done=done) == []
    assert len(due(day(56), done=done)) == len(BATTERY)


def test_pre_injection_reassessment_in_the_week_before_the_expected_injection() -> None:
    done = {key: [START, day(28)] for key in BATTERY}
    injection = day(50)
    assert due(day(42), done=done, injection=injection) == []
    window = due(day(43), done=done, injection=injection)
    assert window == [DueAssessment(key, "pre_injection", day(43), day(49)) for key in BATTERY]
    assert due(day(49), done=done, injection=injection) == window
    assert due(day(50), done=done, injection=injection) == []  # injected: the window has closed
    after = {key: [*dates, day(45)] for key, dates in done.items()}
    assert due(day(46), done=after, injection=injection) == []


def test_one_entry_per_instrument_when_reasons_coincide() -> None:
    done = {key: [START] for key in BATTERY}
    injection = day(31)  # window day 24–30 overlaps the 4-weekly occasion on day 28
    listed = due(day(28), done=done, injection=injection)
    assert [(item.instrument, item.reason) for item in listed] == [(key, "pre_injection") for key in BATTERY]
    done_now = {key: [START, day(28)] for key in BATTERY}
    assert due(day(28), done=done_now, injection=injection) == []
    assert due(day(33), done=done_now) == []  # the same answers satisfied the 4-weekly occasion


def test_a_missed_baseline_gives_way_to_the_first_four_weekly_occasion() -> None:
    listed = due(day(28))
    assert {item.reason for item in listed} == {"four_weekly"}


def test_rules_come_from_data() -> None:
    rules = ScheduleRules(every_days=14, window_days=3, pre_injection_days=5, not_at_baseline=frozenset())
    listed = due_assessments(battery=["pgic"], start=START, today=day(14), next_injection=None, done={}, rules=rules)
    assert listed == [DueAssessment("pgic", "four_weekly", day(14), day(16))]
    with pytest.raises(ValueError, match="window_days must not be longer than every_days"):
        ScheduleRules(every_days=7, window_days=8)


def test_expected_next_injection() -> None:
    assert expected_next_injection([], interval_days=84) is None
    assert expected_next_injection([day(0), day(90), day(5)], interval_days=84) == day(174)


@settings(max_examples=40, deadline=None)
@given(
    first_injection=st.none() | st.integers(-30, 60),
    interval=st.integers(70, 120),
    skipped=st.sets(st.integers(0, 200), max_size=40),
)
def test_nothing_is_due_twice_once_done(first_injection: int | None, interval: int, skipped: set[int]) -> None:
    """Follow 200 days, doing whatever is due (except on days the person skips): nothing is due again the same
    day, and no instrument is done twice within the completion window."""
    done: dict[str, list[date]] = {key: [] for key in BATTERY}
    injections = [] if first_injection is None else [day(first_injection + k * interval) for k in range(4)]
    for n in range(200):
        today = day(n)
        past = [when for when in injections if when < today]
        upcoming = [when for when in injections if when >= today]
        next_injection = upcoming[0] if upcoming else expected_next_injection(past, interval_days=interval)
        listed = due(today, done=done, injection=next_injection)
        assert len({item.instrument for item in listed}) == len(listed)
        assert all(item.due_from <= today for item in listed)
        if n in skipped:
            continue
        for item in listed:
            done[item.instrument].append(today)
        assert due(today, done=done, injection=next_injection) == []
    for dates in done.values():
        gaps = [(later - earlier).days for earlier, later in itertools.pairwise(dates)]
        assert all(gap >= DEFAULT_RULES.window_days for gap in gaps)
    assert done["rand36"], "the baseline at least was done"
