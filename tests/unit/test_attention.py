"""Stories for the needs-attention rules (domain/attention.py): Alice trains at home, Bob is her trainer.

TODAY (2026-11-23) is a Monday. The numbers come from catalog/rules/attention.yaml, read without the exercise
catalog, so a change of a default there shows up here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuromotrix.catalog.loader import read_yaml
from neuromotrix.domain.alerts import AlertSeverity
from neuromotrix.domain.attention import (
    POST_INJECTION_SYMPTOMS,
    Adherence,
    LoggedDay,
    OpenAlert,
    PostInjectionAnswers,
    ScheduledSession,
    Skip,
    adherence,
    adherence_drop,
    adherence_summary,
    attendance,
    checkin_deadline,
    clearance_alerts,
    dropped,
    escalations,
    missed_checkins,
    post_injection_checkin_alerts,
    red_flag_alerts,
    wearing_off_excused,
)
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.facts import clearance_is_valid, derive_facts
from neuromotrix.domain.profile import Clearance
from neuromotrix.domain.ruletables import RuleTables
from neuromotrix.domain.screening import RaisedFlag, screen
from tests.factories import make_profile

RULES_DIR = Path(__file__).resolve().parents[2] / "src" / "neuromotrix" / "catalog" / "rules"
RULES = RuleTables.from_documents({p.stem: read_yaml(p) for p in sorted(RULES_DIR.glob("*.yaml"))})
TABLE = RULES.attention
DROP = TABLE.adherence_drop_percent.value
TODAY = dt.date(2026, 11, 23)
MONTREAL = ZoneInfo("America/Montreal")


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def sessions(*offsets: int) -> list[ScheduledSession]:
    return [(f"s{offset}", day(offset)) for offset in offsets]


def ids(scheduled: list[ScheduledSession]) -> set[str]:
    return {session_id for session_id, _ in scheduled}


# --- adherence -------------------------------------------------------------------------------------------------


def test_the_yaml_table_gives_every_value_a_reason_and_the_documented_defaults() -> None:
    assert TABLE.adherence_windows_days.value == (7, 30, 90)
    assert TABLE.adherence_drop_windows_days.value == (7, 30)
    assert DROP == 20
    assert TABLE.checkin_grace == dt.timedelta(0)
    assert TABLE.clearance_notice_days.value == 30
    for name in type(TABLE).model_fields:
        assert len(getattr(TABLE, name).why) > 40, f"attention.yaml {name}: the why is too thin"


def test_alice_attended_two_of_her_three_sessions_this_week() -> None:
    week = sessions(-6, -3, 0)
    result = adherence(week, {"s-6", "s0"}, today=TODAY, days=7)
    assert result == Adherence(days=7, start=day(-6), end=TODAY, scheduled=3, attended=2)
    assert result.rate == pytest.approx(2 / 3)


def test_the_window_holds_exactly_days_days_ending_today_and_ignores_the_future() -> None:
    planned = sessions(-7, -6, 0, 1)
    result = adherence(planned, ids(planned), today=TODAY, days=7)
    assert result.scheduled == 2, "day -7 is just outside, day 1 is tomorrow"


def test_nothing_scheduled_is_no_data_not_zero_adherence() -> None:
    result = adherence(sessions(-20), set(), today=TODAY, days=7)
    assert result.scheduled == 0 and result.rate is None


def test_a_session_done_on_another_day_counts_for_its_scheduled_day() -> None:
    assert adherence(sessions(-2), {"s-2"}, today=TODAY, days=1).scheduled == 0
    assert adherence(sessions(-2), {"s-2"}, today=TODAY, days=7).rate == 1.0


def test_excused_sessions_leave_the_count() -> None:
    result = adherence(sessions(-3, -1), {"s-1"}, today=TODAY, days=7, excused={"s-3"})
    assert (result.scheduled, result.attended, result.rate) == (1, 1, 1.0)


def test_the_summary_covers_7_30_and_90_days() -> None:
    planned = sessions(-80, -25, -5)
    summary = adherence_summary(planned, {"s-5"}, today=TODAY, windows=TABLE.adherence_windows_days.value)
    assert [(a.days, a.scheduled, a.attended) for a in summary] == [(7, 1, 1), (30, 2, 1), (90, 3, 1)]


def test_a_window_needs_at_least_one_day() -> None:
    with pytest.raises(ValueError, match="at least 1 day"):
        adherence([], set(), today=TODAY, days=0)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    offsets=st.lists(st.integers(-120, 10), max_size=40),
    attended_mask=st.lists(st.booleans(), max_size=40),
    days=st.integers(1, 120),
)
def test_adherence_is_always_between_0_and_1(offsets: list[int], attended_mask: list[bool], days: int) -> None:
    planned = [(f"s{index}", day(offset)) for index, offset in enumerate(offsets)]
    attended = {session_id for (session_id, _), done in zip(planned, attended_mask, strict=False) if done}
    result = adherence(planned, attended, today=TODAY, days=days)
    assert 0 <= result.attended <= result.scheduled
    if result.scheduled == 0:
        assert result.rate is None
    else:
        assert result.rate is not None and 0.0 <= result.rate <= 1.0


# --- adherence drop ------------------------------------------------------------------------------------------


def two_weeks(previous: int, current: int, *, planned: int = 5) -> tuple[list[ScheduledSession], set[str]]:
    """`planned` sessions in each of the last two 7-day windows; the first `previous` / `current` attended."""
    earlier = sessions(*range(-13, -13 + planned))
    later = sessions(*range(-6, -6 + planned))
    return earlier + later, ids(earlier[:previous]) | ids(later[:current])


def test_exactly_20_percent_down_warns_bob() -> None:
    planned, attended = two_weeks(5, 4)
    (alert,) = adherence_drop(planned, attended, today=TODAY, windows=(7,), drop_percent=DROP)
    assert (alert.kind, alert.severity) == ("adherence_drop", "warning")
    assert alert.key == "adherence_drop:7:2026-11-23"
    assert "100 %" in alert.message.en and "80 %" in alert.message.en and "80 %" in alert.message.fr


def test_from_all_to_three_quarters_is_a_25_percent_drop() -> None:
    planned, attended = two_weeks(4, 3, planned=4)
    assert len(adherence_drop(planned, attended, today=TODAY, windows=(7,), drop_percent=DROP)) == 1


def test_a_smaller_fall_is_not_a_drop() -> None:
    earlier, later = sessions(*range(-59, -29, 3)), sessions(*range(-29, 1, 3))  # 10 sessions in each 30 days
    attended = ids(earlier) | ids(later[1:])  # 10/10 then 9/10: 10 %
    assert adherence_drop(earlier + later, attended, today=TODAY, windows=(30,), drop_percent=DROP) == []
    attended -= {later[1][0]}  # 8/10: 20 %
    (alert,) = adherence_drop(earlier + later, attended, today=TODAY, windows=(7, 30), drop_percent=DROP)
    assert alert.key.startswith("adherence_drop:30:")


@pytest.mark.parametrize(
    ("previous", "current"),
    [
        (Adherence(7, day(-13), day(-7), 0, 0), Adherence(7, day(-6), TODAY, 3, 0)),  # nothing scheduled before
        (Adherence(7, day(-13), day(-7), 3, 0), Adherence(7, day(-6), TODAY, 3, 0)),  # rate 0 before
        (Adherence(7, day(-13), day(-7), 3, 3), Adherence(7, day(-6), TODAY, 0, 0)),  # nothing scheduled now
    ],
)
def test_no_drop_without_data_or_from_zero(previous: Adherence, current: Adherence) -> None:
    assert not dropped(previous, current, drop_percent=DROP)


def test_a_lasting_drop_raises_one_alert_per_week_not_one_per_day() -> None:
    planned = sessions(*range(-20, 8))
    attended = {session_id for session_id, on in planned if on < day(-3)}  # Alice stopped on Thursday
    keys = {
        alert.key
        for offset in range(0, 7)  # Monday to Sunday
        for alert in adherence_drop(planned, attended, today=day(offset), windows=(7,), drop_percent=DROP)
    }
    assert keys == {"adherence_drop:7:2026-11-23"}
    next_monday = adherence_drop(planned, attended, today=day(7), windows=(7,), drop_percent=DROP)
    assert [alert.key for alert in next_monday] == ["adherence_drop:7:2026-11-30"]


def test_skipping_for_pulling_while_the_toxin_wears_off_is_not_non_adherence() -> None:
    injected = day(-70)  # day 70 of the cycle: wearing off (days 57-140)
    skips: list[Skip] = [("s-2", day(-2), "pulling"), ("s-1", day(-1), "fatigue"), ("s0", TODAY, "pain")]
    assert wearing_off_excused(skips, injections=[injected], toxin=RULES.toxin) == {"s-2", "s0"}
    # Last week 3 of 3; this week Alice did Friday's session and skipped Saturday's and today's for pulling/pain.
    planned = sessions(-13, -12, -11, -3, -2, 0)
    attended = {"s-13", "s-12", "s-11", "s-3"}
    excused = wearing_off_excused(skips, injections=[injected], toxin=RULES.toxin)
    assert adherence_drop(planned, attended, today=TODAY, windows=(7,), drop_percent=DROP), "1/3 without the rule"
    assert adherence_drop(planned, attended, today=TODAY, windows=(7,), drop_percent=DROP, excused=excused) == []


def test_the_same_pulling_skip_at_peak_effect_counts() -> None:
    pulling: list[Skip] = [("s0", TODAY, "pulling")]
    assert wearing_off_excused(pulling, injections=[day(-30)], toxin=RULES.toxin) == frozenset()
    assert wearing_off_excused(pulling, injections=[], toxin=RULES.toxin) == frozenset()


def test_a_log_with_something_done_is_attendance_and_a_log_with_every_block_skipped_is_a_skip() -> None:
    injected = day(-70)  # wearing off
    logs: list[LoggedDay] = [
        (day(-3), True, None),  # done
        (day(-2), True, "pulling"),  # stopped early for pulling, but something was done: attended
        (day(-1), False, "pulling"),  # nothing done, pulling, wearing off: excused
        (TODAY, False, "fatigue"),  # nothing done for fatigue: a missed session, not excused
    ]
    found = attendance(logs, injections=[injected], toxin=RULES.toxin)
    assert found.attended == {day(-3).isoformat(), day(-2).isoformat()}
    assert found.excused == {day(-1).isoformat()}
    assert found.skipped == {TODAY.isoformat()}, "missed, even on the day itself"
    planned = sessions(-3, -2, -1, 0)
    as_dates = [(on.isoformat(), on) for _, on in planned]
    week = adherence(as_dates, found.attended, today=TODAY, days=7, excused=found.excused, skipped=found.skipped)
    assert (week.scheduled, week.attended) == (3, 2), "the excused day leaves the count; today's skip counts"


def test_a_day_with_one_done_log_and_one_skipped_log_is_attended() -> None:
    logs: list[LoggedDay] = [(TODAY, False, "pain"), (TODAY, True, None)]
    found = attendance(logs, injections=[day(-70)], toxin=RULES.toxin)
    assert found.attended == {TODAY.isoformat()} and found.excused == found.skipped == frozenset()


def test_a_skip_for_pain_outside_wearing_off_still_counts_as_missed() -> None:
    logs: list[LoggedDay] = [(TODAY, False, "pain")]
    for injected in ([day(-30)], []):
        found = attendance(logs, injections=injected, toxin=RULES.toxin)
        assert found.skipped == {TODAY.isoformat()} and found.excused == frozenset()


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-120, max_value=0).map(day),
            st.booleans(),
            st.sampled_from([None, "pain", "pulling", "fatigue", "other"]),
        ),
        max_size=30,
    ),
    st.lists(st.integers(min_value=-300, max_value=0).map(day), max_size=4),
)
def test_attended_and_excused_days_never_overlap_and_come_from_the_logs(
    logs: list[LoggedDay], injected: list[dt.date]
) -> None:
    found = attendance(logs, injections=injected, toxin=RULES.toxin)
    assert not found.attended & found.excused and not found.attended & found.skipped
    assert not found.skipped & found.excused
    assert found.attended == {on.isoformat() for on, done, _ in logs if done}
    assert found.attended | found.skipped | found.excused == {on.isoformat() for on, _, _ in logs}
    skipped_for_pulling_or_pain = {on.isoformat() for on, _, reason in logs if reason in {"pain", "pulling"}}
    assert found.excused <= skipped_for_pulling_or_pain


# --- missed next-day check-in --------------------------------------------------------------------------------


def at(local_day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(local_day.year, local_day.month, local_day.day, hour, minute, tzinfo=MONTREAL)


def test_the_check_in_is_due_through_the_next_day_in_the_clinic_time_zone() -> None:
    deadline = checkin_deadline(day(-1), tz=MONTREAL, grace=dt.timedelta(0))
    assert deadline == dt.datetime(2026, 11, 24, 5, tzinfo=dt.UTC), "midnight EST is 05:00 UTC"
    logged = [("s1", day(-1))]
    assert (
        missed_checkins(logged, set(), now=at(TODAY, 23, 59), tz=MONTREAL, grace=TABLE.checkin_grace, warning_after=2)
        == []
    )
    (alert,) = missed_checkins(logged, set(), now=at(day(1), 0), tz=MONTREAL, grace=dt.timedelta(0), warning_after=2)
    assert (alert.kind, alert.severity, alert.key) == ("missed_checkin", "info", "missed_checkin:s1")
    assert "2026-11-22" in alert.message.en and "2026-11-22" in alert.message.fr


def test_grace_hours_push_the_deadline() -> None:
    grace = dt.timedelta(hours=2)
    logged = [("s1", day(-1))]
    assert missed_checkins(logged, set(), now=at(day(1), 1, 59), tz=MONTREAL, grace=grace, warning_after=2) == []
    assert missed_checkins(logged, set(), now=at(day(1), 2), tz=MONTREAL, grace=grace, warning_after=2)


def test_a_check_in_entered_means_no_alert() -> None:
    assert (
        missed_checkins(
            [("s1", day(-5))], {"s1"}, now=at(TODAY, 12), tz=MONTREAL, grace=dt.timedelta(0), warning_after=2
        )
        == []
    )


def test_two_missed_in_a_row_warn_and_a_check_in_in_between_resets_the_count() -> None:
    logged = [("s3", day(-3)), ("s1", day(-6)), ("s2", day(-5))]
    alerts = missed_checkins(logged, {"s2"}, now=at(TODAY, 12), tz=MONTREAL, grace=dt.timedelta(0), warning_after=2)
    assert [(a.key, a.severity) for a in alerts] == [("missed_checkin:s1", "info"), ("missed_checkin:s3", "info")]
    alerts = missed_checkins(logged, set(), now=at(TODAY, 12), tz=MONTREAL, grace=dt.timedelta(0), warning_after=2)
    assert [a.severity for a in alerts] == ["info", "warning", "warning"]
    assert "24-hour rule" in alerts[1].message.en and "24 heures" in alerts[1].message.fr


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="time-zone-aware"):
        missed_checkins(
            [], set(), now=dt.datetime(2026, 11, 23, 12), tz=MONTREAL, grace=dt.timedelta(0), warning_after=2
        )


# --- clearance -----------------------------------------------------------------------------------------------

NOTICE = TABLE.clearance_notice_days.value


def test_no_clearance_or_a_future_one_raises_nothing_here() -> None:
    assert clearance_alerts(None, today=TODAY, notice_days=NOTICE) == []
    assert clearance_alerts(day(3), today=TODAY, notice_days=NOTICE) == []


def test_bob_is_told_30_days_before_alices_clearance_ends_and_not_31() -> None:
    cleared = dt.date(2025, 12, 23)  # ends 2026-12-23
    assert clearance_alerts(cleared, today=dt.date(2026, 11, 22), notice_days=NOTICE) == []
    (alert,) = clearance_alerts(cleared, today=TODAY, notice_days=NOTICE)
    assert (alert.kind, alert.severity, alert.key) == ("clearance_expiring", "info", "clearance_expiring:2025-12-23")
    assert "in 30 days" in alert.message.en and "dans 30 jours" in alert.message.fr
    (last,) = clearance_alerts(cleared, today=dt.date(2026, 12, 22), notice_days=NOTICE)
    assert "in 1 day)" in last.message.en and "dans 1 jour)" in last.message.fr


def test_the_clearance_expires_on_its_anniversary() -> None:
    (alert,) = clearance_alerts(dt.date(2025, 11, 23), today=TODAY, notice_days=NOTICE)
    assert (alert.kind, alert.severity, alert.key) == ("clearance_expired", "warning", "clearance_expired:2025-11-23")


def test_a_leap_day_clearance_ends_on_the_last_day_of_february() -> None:
    cleared = dt.date(2024, 2, 29)
    (alert,) = clearance_alerts(cleared, today=dt.date(2025, 2, 28), notice_days=NOTICE)
    assert alert.kind == "clearance_expired"
    (alert,) = clearance_alerts(cleared, today=dt.date(2025, 2, 27), notice_days=NOTICE)
    assert alert.kind == "clearance_expiring"


@settings(derandomize=True, max_examples=300, deadline=None)
@given(age_days=st.integers(0, 800))
def test_expired_exactly_when_the_screening_says_the_clearance_is_not_valid(age_days: int) -> None:
    cleared = TODAY - dt.timedelta(days=age_days)
    kinds = {alert.kind for alert in clearance_alerts(cleared, today=TODAY, notice_days=NOTICE)}
    valid = clearance_is_valid(Clearance(by="Dr Tremblay", on=cleared), TODAY)
    assert ("clearance_expired" in kinds) is (not valid)


# --- post-injection check-in ----------------------------------------------------------------------------------

NOTHING = PostInjectionAnswers(
    breathing_difficulty=False,
    choking=False,
    swallowing_difficulty=False,
    new_weakness=False,
    double_vision=False,
    drooping_eyelid=False,
    voice_change=False,
)


def report(**answers: bool) -> list[str]:
    alerts = post_injection_checkin_alerts(
        dataclasses.replace(NOTHING, **answers), checkin_id="c1", emergency_number="911", health_line="Info-Santé 811"
    )
    return [f"{a.kind}|{a.severity}|{a.key}|{a.message.en}|{a.message.fr}" for a in alerts]


def test_every_answer_has_a_severity_and_a_label() -> None:
    assert set(POST_INJECTION_SYMPTOMS) == {field.name for field in dataclasses.fields(PostInjectionAnswers)}


def test_all_no_raises_nothing() -> None:
    assert report() == []


def test_trouble_breathing_or_choking_means_call_911_now() -> None:
    for answer in ("breathing_difficulty", "choking"):
        (line,) = report(**{answer: True})
        assert line.startswith("post_injection_symptom|emergency|post_injection_symptom:c1|")
        assert "Call 911 now" in line and "Appelez le 911 maintenant" in line


@pytest.mark.parametrize(
    "answer", ["swallowing_difficulty", "new_weakness", "double_vision", "drooping_eyelid", "voice_change"]
)
def test_other_new_symptoms_are_urgent_with_the_health_line(answer: str) -> None:
    (line,) = report(**{answer: True})
    assert "|urgent|" in line
    assert "call Info-Santé 811" in line and "appelez Info-Santé 811" in line
    assert "Stop neck and jaw exercises" in line


def test_one_alert_names_every_symptom_at_the_highest_severity() -> None:
    (line,) = report(swallowing_difficulty=True, choking=True)
    assert "|emergency|" in line and "choking; new trouble swallowing" in line
    assert "étouffement; nouvelle difficulté à avaler" in line


# --- escalation ------------------------------------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC)
DELAY = TABLE.escalation_delay


def raised(
    alert_id: str, severity: AlertSeverity, minutes_ago: int, *, acknowledged: bool = False, escalated: bool = False
) -> OpenAlert:
    created = NOW - dt.timedelta(minutes=minutes_ago)
    later = created + dt.timedelta(minutes=1)
    return (alert_id, severity, created, later if acknowledged else None, later if escalated else None)


def test_unacknowledged_urgent_alerts_escalate_after_the_delay_oldest_first() -> None:
    delay_minutes = TABLE.escalation_delay_minutes.value
    open_alerts = [
        raised("a-late", "urgent", delay_minutes),  # exactly at the delay
        raised("a-old", "emergency", delay_minutes + 60),
        raised("a-young", "urgent", delay_minutes - 1),
        raised("a-seen", "urgent", delay_minutes + 60, acknowledged=True),
        raised("a-done", "emergency", delay_minutes + 60, escalated=True),
        raised("a-warning", "warning", delay_minutes + 60),
        raised("a-info", "info", delay_minutes + 60),
    ]
    assert escalations(open_alerts, now=NOW, delay=DELAY) == ["a-old", "a-late"]


# --- red flags -----------------------------------------------------------------------------------------------


def test_alices_emergency_and_urgent_screening_flags_become_alerts_for_bob() -> None:
    profile = make_profile(
        {"conditions": [{"kind": "dystonia", "regions": ["neck"]}]},
        symptoms={"escalating_spasms": True, "tremor": True},
        treatments={"dbs": {"implanted_on": "2020-05-01", "target": "GPi", "problem": "battery_low"}},
    )
    result = screen(profile, derive_facts(profile), RULES)
    alerts = red_flag_alerts(result.flags, screening_id="v3")
    by_key = {alert.key: alert for alert in alerts}
    assert set(by_key) == {"red_flag:v3:status_dystonicus", "red_flag:v3:dbs_problem"}, "new_tremor is a pause"
    assert by_key["red_flag:v3:status_dystonicus"].severity == "emergency"
    assert by_key["red_flag:v3:dbs_problem"].severity == "urgent"
    assert all(alert.kind == "red_flag" and alert.message.en and alert.message.fr for alert in alerts)


def test_a_red_flag_alert_carries_the_flag_message_and_action() -> None:
    flag = RaisedFlag(
        code="toxin_spread_breathing",
        severity="emergency",
        message=Text(en="Breathing difficulty.", fr="Difficulté à respirer."),
        action=Text(en="Call 911.", fr="Appelez le 911."),
    )
    (alert,) = red_flag_alerts([flag], screening_id="v1")
    assert alert.message.en == "Breathing difficulty. Call 911."
    assert alert.message.fr == "Difficulté à respirer. Appelez le 911."


def test_todays_session_is_not_missed_before_the_day_is_over() -> None:
    today = dt.date(2026, 11, 23)
    sessions = [("a", today - dt.timedelta(days=2)), ("b", today)]
    pending = adherence(sessions, {"a"}, today=today, days=7)
    assert (pending.attended, pending.scheduled) == (1, 1)
    done = adherence(sessions, {"a", "b"}, today=today, days=7)
    assert (done.attended, done.scheduled) == (2, 2)
    tomorrow = adherence(sessions, {"a"}, today=today + dt.timedelta(days=1), days=7)
    assert (tomorrow.attended, tomorrow.scheduled) == (1, 2)
