"""Stories for the reminders (domain/reminders.py): Alice lives in Montréal (America/Montreal).

In 2026 Montréal moves to daylight time on Sunday 8 March (02:00 -> 03:00) and back on Sunday 1 November
(02:00 -> 01:00). Reminder times come from catalog/rules/attention.yaml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuromotrix.catalog.loader import read_yaml
from neuromotrix.domain.reminders import (
    InjectionEvent,
    PlannedSession,
    Reminder,
    checkin_reminders,
    parse_clock,
    personalise,
    post_injection_reminders,
    session_reminders,
)
from neuromotrix.domain.ruletables import RuleTables

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "neuromotrix" / "catalog" / "rules"
TABLE = RuleTables.from_documents({p.stem: read_yaml(p) for p in sorted(RULES_DIR.glob("*.yaml"))}).attention
CHECKIN_AT = TABLE.checkin_reminder_time.value
POST_INJECTION_AT = TABLE.post_injection_reminder_time.value
MONTREAL = ZoneInfo("America/Montreal")
UTC = dt.UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def whole_year() -> tuple[dt.datetime, dt.datetime]:
    return utc(2026, 1, 1), utc(2027, 1, 1)


def due(reminders: list[Reminder]) -> list[dt.datetime]:
    return [reminder.due_at for reminder in reminders]


# --- sessions ----------------------------------------------------------------------------------------------------


def test_a_session_reminder_is_at_the_local_session_time_in_utc_winter_and_summer() -> None:
    planned = [("s1", dt.date(2026, 1, 15), "18:00"), ("s2", dt.date(2026, 7, 15), "18:00")]
    reminders = session_reminders(planned, tz=MONTREAL, window_start=whole_year()[0], window_end=whole_year()[1])
    assert due(reminders) == [utc(2026, 1, 15, 23), utc(2026, 7, 15, 22)]
    assert all(reminder.due_at.tzinfo is UTC for reminder in reminders)
    assert [reminder.key for reminder in reminders] == ["session:s1:2026-01-15T18:00", "session:s2:2026-07-15T18:00"]
    assert reminders[0].kind == "session"
    assert "18:00" in reminders[0].body.en and "18 h 00" in reminders[0].body.fr


def test_on_the_spring_forward_day_a_time_in_the_missing_hour_moves_an_hour_later() -> None:
    planned = [("s1", dt.date(2026, 3, 8), "02:30"), ("s2", dt.date(2026, 3, 8), "18:00")]
    reminders = session_reminders(planned, tz=MONTREAL, window_start=whole_year()[0], window_end=whole_year()[1])
    assert due(reminders) == [utc(2026, 3, 8, 7, 30), utc(2026, 3, 8, 22)]
    assert reminders[0].due_at.astimezone(MONTREAL).strftime("%H:%M") == "03:30"


def test_on_the_fall_back_day_a_repeated_time_is_its_first_occurrence() -> None:
    planned = [("s1", dt.date(2026, 11, 1), "01:30"), ("s2", dt.date(2026, 10, 31), "18:00")]
    reminders = session_reminders(planned, tz=MONTREAL, window_start=whole_year()[0], window_end=whole_year()[1])
    assert due(reminders) == [utc(2026, 10, 31, 22), utc(2026, 11, 1, 5, 30)]


def test_the_window_includes_its_start_and_excludes_its_end() -> None:
    planned = [("s1", dt.date(2026, 1, 15), "18:00"), ("s2", dt.date(2026, 1, 16), "18:00")]
    reminders = session_reminders(
        planned, tz=MONTREAL, window_start=utc(2026, 1, 15, 23), window_end=utc(2026, 1, 16, 23)
    )
    assert [reminder.key for reminder in reminders] == ["session:s1:2026-01-15T18:00"]


def test_a_rescheduled_session_gets_a_new_key() -> None:
    before = session_reminders(
        [("s1", dt.date(2026, 1, 15), "18:00")], tz=MONTREAL, window_start=whole_year()[0], window_end=whole_year()[1]
    )
    after = session_reminders(
        [("s1", dt.date(2026, 1, 15), "19:30")], tz=MONTREAL, window_start=whole_year()[0], window_end=whole_year()[1]
    )
    assert before[0].key != after[0].key


@pytest.mark.parametrize("clock", ["24:00", "7:00", "07:60", "0700", "", "07:00:00"])
def test_a_session_time_must_be_hh_mm(clock: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_clock(clock)


def test_a_naive_window_is_refused() -> None:
    with pytest.raises(ValueError, match="window_start must be a time-zone-aware"):
        session_reminders([], tz=MONTREAL, window_start=dt.datetime(2026, 1, 1), window_end=utc(2026, 1, 2))


# --- next-day check-in ----------------------------------------------------------------------------------------


def test_the_check_in_reminder_comes_the_morning_after_a_logged_session() -> None:
    logged = [("s1", dt.date(2026, 11, 23)), ("s2", dt.date(2026, 11, 23)), ("s3", dt.date(2026, 11, 25))]
    reminders = checkin_reminders(
        logged, checked_in={"s3"}, tz=MONTREAL, at=CHECKIN_AT, window_start=whole_year()[0], window_end=whole_year()[1]
    )
    assert [(r.kind, r.key, r.due_at) for r in reminders] == [
        ("checkin", "checkin:2026-11-23", utc(2026, 11, 24, 14))  # 09:00 EST, one reminder for both sessions
    ]


def test_a_check_in_after_the_fall_back_night_is_still_at_nine_local() -> None:
    reminders = checkin_reminders(
        [("s1", dt.date(2026, 10, 31))],
        checked_in=set(),
        tz=MONTREAL,
        at=CHECKIN_AT,
        window_start=whole_year()[0],
        window_end=whole_year()[1],
    )
    assert reminders[0].due_at.astimezone(MONTREAL).hour == 9
    assert reminders[0].due_at == utc(2026, 11, 1, 14)


# --- post-injection check-in (BRIEF §5 "Software rules": daily for 21 days) -----------------------------------


def injected(regions: list[str], on: dt.date = dt.date(2026, 3, 1)) -> list[Reminder]:
    start, end = whole_year()
    return post_injection_reminders(
        [(on, regions)], tz=MONTREAL, at=POST_INJECTION_AT, window_start=start, window_end=end
    )


def test_a_neck_injection_gets_a_check_in_each_morning_from_day_1_to_day_21() -> None:
    reminders = injected(["neck"])
    local_days = [reminder.due_at.astimezone(MONTREAL).date() for reminder in reminders]
    assert local_days[0] == dt.date(2026, 3, 2), "day 1 is the day after the injection"
    assert local_days[-1] == dt.date(2026, 3, 22), "day 21 is the last"
    assert len(reminders) == 21 and dt.date(2026, 3, 23) not in local_days
    assert {reminder.due_at.astimezone(MONTREAL).strftime("%H:%M") for reminder in reminders} == {"09:00"}
    assert reminders[6].due_at == utc(2026, 3, 8, 13), "9:00 EDT on the spring-forward day"
    assert reminders[0].key == "post_injection_checkin:2026-03-02"


@pytest.mark.parametrize("region", ["neck", "mouth", "larynx", "eyes"])
def test_neck_and_face_injections_get_check_ins(region: str) -> None:
    assert len(injected([region])) == 21


@pytest.mark.parametrize("regions", [["arm_right"], ["hand_left", "foot_right"], ["trunk"]])
def test_an_arm_hand_foot_or_trunk_injection_gets_none(regions: list[str]) -> None:
    assert injected(regions) == []


def test_overlapping_injections_share_one_reminder_a_day() -> None:
    start, end = whole_year()
    events: list[InjectionEvent] = [(dt.date(2026, 3, 1), ["neck"]), (dt.date(2026, 3, 11), ["eyes", "arm_left"])]
    reminders = post_injection_reminders(events, tz=MONTREAL, at=POST_INJECTION_AT, window_start=start, window_end=end)
    assert len(reminders) == 31  # 2 March to 1 April
    assert len({reminder.key for reminder in reminders}) == 31


# --- texts -------------------------------------------------------------------------------------------------------

CLINICAL_WORDS = ("injection", "toxin", "botul", "swallow", "breath", "dystonia", "pain", "avaler", "douleur")


def test_texts_name_only_the_first_name_and_make_no_clinical_statement() -> None:
    start, end = whole_year()
    reminders = (
        session_reminders([("s1", dt.date(2026, 3, 2), "18:00")], tz=MONTREAL, window_start=start, window_end=end)
        + checkin_reminders(
            [("s1", dt.date(2026, 3, 2))],
            checked_in=set(),
            tz=MONTREAL,
            at=CHECKIN_AT,
            window_start=start,
            window_end=end,
        )
        + injected(["neck"])[:1]
    )
    for reminder in reminders:
        for text in (reminder.subject, reminder.body):
            for language in ("en", "fr"):
                rendered = personalise(text, language=language, first_name="Alice")
                assert "{" not in rendered and not any(word in rendered.lower() for word in CLINICAL_WORDS)
        assert "Alice" in personalise(reminder.body, language="fr", first_name="Alice")


# --- properties: several workers, overlapping windows ---------------------------------------------------------

clock = st.builds(lambda hour, minute: f"{hour:02d}:{minute:02d}", st.integers(0, 23), st.integers(0, 59))
local_day = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))
planned_sessions = st.lists(st.tuples(st.integers(0, 50).map(lambda n: f"s{n}"), local_day, clock), max_size=30)
injections = st.lists(
    st.tuples(
        local_day, st.lists(st.sampled_from(["neck", "eyes", "mouth", "larynx", "arm_left", "trunk"]), min_size=1)
    ),
    max_size=4,
)
instant = st.datetimes(min_value=dt.datetime(2025, 12, 1), max_value=dt.datetime(2027, 2, 1)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)


def all_reminders(
    sessions: list[PlannedSession], events: list[InjectionEvent], start: dt.datetime, end: dt.datetime
) -> list[Reminder]:
    logged = [(session_id, day) for session_id, day, _ in sessions]
    return (
        session_reminders(sessions, tz=MONTREAL, window_start=start, window_end=end)
        + checkin_reminders(logged, checked_in=set(), tz=MONTREAL, at=CHECKIN_AT, window_start=start, window_end=end)
        + post_injection_reminders(events, tz=MONTREAL, at=POST_INJECTION_AT, window_start=start, window_end=end)
    )


@settings(derandomize=True, max_examples=150, deadline=None)
@given(sessions=planned_sessions, events=injections, cut=instant)
def test_keys_are_unique_stable_and_splitting_the_window_neither_loses_nor_doubles(
    sessions: list[PlannedSession], events: list[InjectionEvent], cut: dt.datetime
) -> None:
    sessions = list({(session_id, day): (session_id, day, at) for session_id, day, at in sessions}.values())
    start, end = whole_year()
    whole = all_reminders(sessions, events, start, end)
    keys = [reminder.key for reminder in whole]
    assert len(keys) == len(set(keys))
    assert whole == all_reminders(sessions, events, start, end), "same input, same reminders"
    assert whole == all_reminders(sessions[::-1], events[::-1], start, end), "input order does not matter"
    assert all(start <= reminder.due_at < end and reminder.due_at.tzinfo is UTC for reminder in whole)
    cut = min(max(cut, start), end)
    halves = all_reminders(sessions, events, start, cut) + all_reminders(sessions, events, cut, end)
    assert sorted(halves, key=lambda r: r.key) == sorted(whole, key=lambda r: r.key)
