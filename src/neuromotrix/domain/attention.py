"""What needs a trainer's attention: adherence, check-ins, clearance, post-injection symptoms, red flags, escalation.

Pure rules over plain values (BRIEF §4.4-4.5, §5, §6). The services read sessions, check-ins and open alerts
from storage, pass the clinic's numbers (catalog/rules/attention.yaml, clinic settings) and the current time,
and store what comes back. Every alert has a deterministic `key`; storage keeps one alert per participant and
key, so running the rules again, or on several workers at once, never raises the same alert twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from neuromotrix.domain.alerts import Alert, AlertSeverity, Message, StopReason
from neuromotrix.domain.facts import CLEARANCE_VALID_MONTHS, add_months
from neuromotrix.domain.ruletables import ToxinTable
from neuromotrix.domain.screening import RaisedFlag

ScheduledSession = tuple[str, dt.date]  # (session id, scheduled date)
LoggedSession = tuple[str, dt.date]  # (session id, date performed)
Skip = tuple[str, dt.date, StopReason]  # (session id, scheduled date, reason given for skipping it)
# A logged session as adherence sees it: (performed on, at least one block done or partly done, stop reason).
LoggedDay = tuple[dt.date, bool, StopReason | None]
# (alert id, severity, created at, acknowledged at, escalated at)
OpenAlert = tuple[str, AlertSeverity, dt.datetime, dt.datetime | None, dt.datetime | None]

# Drop alerts are keyed by calendar period so a drop that lasts several days raises one alert per period, not
# one per day. Periods are counted from a Monday, so 7-day periods are ISO weeks.
PERIOD_ANCHOR = dt.date(2001, 1, 1)
ESCALATING: frozenset[AlertSeverity] = frozenset({"emergency", "urgent"})
# BRIEF §5.2 wearing-off: "expect more pulling/pain — do not count as non-adherence".
EXPECTED_WHILE_WEARING_OFF: frozenset[StopReason] = frozenset({"pulling", "pain"})


def _require_aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a time-zone-aware datetime, got {moment.isoformat()}")


# --- Adherence (BRIEF §4.4 "weekly adherence") ------------------------------------------------------------------


@dataclass(frozen=True)
class Adherence:
    """Sessions attended out of sessions scheduled from `start` to `end`, both days included."""

    days: int
    start: dt.date
    end: dt.date
    scheduled: int
    attended: int

    @property
    def rate(self) -> float | None:
        """None when nothing was scheduled: no data, which is not zero adherence."""
        return None if self.scheduled == 0 else self.attended / self.scheduled


def adherence(
    scheduled: Iterable[ScheduledSession],
    attended: Collection[str],
    *,
    today: dt.date,
    days: int,
    excused: Collection[str] = frozenset(),
    skipped: Collection[str] = frozenset(),
) -> Adherence:
    """Adherence over the `days` days ending `today`. Sessions are matched by id, so a session done on another
    day still counts for its scheduled date; excused sessions leave the count altogether; today's session counts
    only once it is done or `skipped` (it is not missed before the day is over, unless the person skipped it)."""
    if days < 1:
        raise ValueError(f"an adherence window has at least 1 day, got {days}")
    start = today - dt.timedelta(days=days - 1)
    in_window = {
        session_id
        for session_id, on in scheduled
        if start <= on <= today
        and session_id not in excused
        and (on < today or session_id in attended or session_id in skipped)
    }  # today's session counts once done or skipped: until the day is over it is not missed
    done = sum(1 for session_id in in_window if session_id in attended)
    return Adherence(days=days, start=start, end=today, scheduled=len(in_window), attended=done)


def adherence_summary(
    scheduled: Sequence[ScheduledSession],
    attended: Collection[str],
    *,
    today: dt.date,
    windows: Sequence[int],
    excused: Collection[str] = frozenset(),
    skipped: Collection[str] = frozenset(),
) -> tuple[Adherence, ...]:
    """Adherence for each window length (attention.yaml `adherence_windows_days`: 7, 30 and 90 days)."""
    return tuple(
        adherence(scheduled, attended, today=today, days=days, excused=excused, skipped=skipped) for days in windows
    )


def dropped(previous: Adherence, current: Adherence, *, drop_percent: int) -> bool:
    """True when the rate fell by at least `drop_percent` % of the previous rate (1.0 -> 0.8 is exactly 20 %).

    No previous data, a previous rate of 0 or no current data is never a drop. Integer arithmetic keeps the
    boundary exact."""
    if previous.scheduled == 0 or previous.attended == 0 or current.scheduled == 0:
        return False
    # current/previous <= 1 - p/100, with both rates written as fractions.
    current_side = 100 * current.attended * previous.scheduled
    return current_side <= (100 - drop_percent) * previous.attended * current.scheduled


def adherence_drop(
    scheduled: Sequence[ScheduledSession],
    attended: Collection[str],
    *,
    today: dt.date,
    windows: Sequence[int],
    drop_percent: int,
    excused: Collection[str] = frozenset(),
    skipped: Collection[str] = frozenset(),
) -> list[Alert]:
    """Compare each window ending `today` with the period of the same length just before it."""
    alerts: list[Alert] = []
    for days in windows:
        current = adherence(scheduled, attended, today=today, days=days, excused=excused, skipped=skipped)
        previous_end = current.start - dt.timedelta(days=1)
        previous = adherence(scheduled, attended, today=previous_end, days=days, excused=excused, skipped=skipped)
        if dropped(previous, current, drop_percent=drop_percent):
            alerts.append(_drop_alert(previous, current))
    return alerts


def _percent(window: Adherence) -> str:
    return f"{round(100 * window.attended / window.scheduled)} %"


def _drop_alert(previous: Adherence, current: Adherence) -> Alert:
    days = current.days
    period = PERIOD_ANCHOR + dt.timedelta(days=(current.end - PERIOD_ANCHOR).days // days * days)
    before, now = _percent(previous), _percent(current)
    counts = f"{previous.attended}/{previous.scheduled} → {current.attended}/{current.scheduled}"
    return Alert(
        kind="adherence_drop",
        severity="warning",
        message=Message(
            en=f"Adherence over the last {days} days fell from {before} to {now} ({counts} sessions).",
            fr=f"L'assiduité des {days} derniers jours est passée de {before} à {now} ({counts} séances).",
        ),
        key=f"adherence_drop:{days}:{period.isoformat()}",
    )


def wearing_off_excused(skips: Iterable[Skip], *, injections: Collection[dt.date], toxin: ToxinTable) -> frozenset[str]:
    """Sessions skipped for pulling or pain during the toxin wearing-off phase (BRIEF §5.2): expected, so they
    are not counted as missed. Pass the result as `excused`. Other skips, and any skip in another phase, count."""
    excused: set[str] = set()
    for session_id, on, reason in skips:
        if reason not in EXPECTED_WHILE_WEARING_OFF:
            continue
        last = max((day for day in injections if day <= on), default=None)
        if last is not None and toxin.phase_on((on - last).days) == "wearing_off":
            excused.add(session_id)
    return frozenset(excused)


@dataclass(frozen=True)
class Attendance:
    """Days (ISO dates: adherence matches sessions by date) attended, skipped (missed, even today) and excused."""

    attended: frozenset[str]
    skipped: frozenset[str]
    excused: frozenset[str]


def attendance(logs: Iterable[LoggedDay], *, injections: Collection[dt.date], toxin: ToxinTable) -> Attendance:
    """What the logs say about attendance.

    A day is attended when a log of that day did at least one block, even partly or before stopping early (a log
    without block detail counts as done). A log whose every block was skipped is a skip, not attendance: it counts as missed (today's too), unless it was
    skipped for pulling or pain while the toxin wears off (BRIEF §5.2, `wearing_off_excused`), which leaves the
    count."""
    logged = list(logs)
    attended = frozenset(on.isoformat() for on, done, _ in logged if done)
    skipped = frozenset(on.isoformat() for on, done, _ in logged if not done) - attended
    reasons: list[Skip] = [
        (on.isoformat(), on, reason)
        for on, done, reason in logged
        if not done and reason is not None and on.isoformat() in skipped
    ]
    excused = wearing_off_excused(reasons, injections=injections, toxin=toxin)
    return Attendance(attended, skipped - excused, excused)


# --- Next-day check-in (BRIEF §4.5 "24-hour rule") -------------------------------------------------------------


def checkin_deadline(performed_on: dt.date, *, tz: ZoneInfo, grace: dt.timedelta) -> dt.datetime:
    """The check-in is due the day after the session: missing at the end of that local day plus `grace`."""
    local_midnight = dt.datetime.combine(performed_on + dt.timedelta(days=2), dt.time(0), tzinfo=tz)
    return local_midnight.astimezone(dt.UTC) + grace


def missed_checkins(
    sessions_logged: Sequence[LoggedSession],
    checkins: Collection[str],
    *,
    now: dt.datetime,
    tz: ZoneInfo,
    grace: dt.timedelta,
    warning_after: int,
) -> list[Alert]:
    """One `missed_checkin` alert per logged session whose check-in is overdue: `info`, or `warning` from the
    `warning_after`-th overdue check-in in a row (the 24-hour rule then cannot be applied)."""
    _require_aware(now, "now")
    alerts: list[Alert] = []
    in_a_row = 0
    for session_id, performed_on in sorted(sessions_logged, key=lambda session: (session[1], session[0])):
        if session_id in checkins:
            in_a_row = 0
            continue
        if now < checkin_deadline(performed_on, tz=tz, grace=grace):
            break  # this check-in and every later one are still open
        in_a_row += 1
        alerts.append(_missed_checkin_alert(session_id, performed_on, in_a_row, warning_after))
    return alerts


def _missed_checkin_alert(session_id: str, performed_on: dt.date, in_a_row: int, warning_after: int) -> Alert:
    due = (performed_on + dt.timedelta(days=1)).isoformat()
    message = Message(
        en=f"No next-day check-in for the session of {performed_on.isoformat()} (due {due}).",
        fr=f"Aucun suivi du lendemain pour la séance du {performed_on.isoformat()} (attendu le {due}).",
    )
    severity: AlertSeverity = "info"
    if in_a_row >= warning_after:
        severity = "warning"
        message = Message(
            en=f"{message.en} {in_a_row} check-ins in a row are missing: the 24-hour rule cannot be applied.",
            fr=f"{message.fr} {in_a_row} suivis de suite manquent : la règle des 24 heures ne peut pas s'appliquer.",
        )
    return Alert(kind="missed_checkin", severity=severity, message=message, key=f"missed_checkin:{session_id}")


# --- Clearance (BRIEF §6.1: valid up to 12 months) ----------------------------------------------------------


def clearance_alerts(
    cleared_on: dt.date | None,
    *,
    today: dt.date,
    notice_days: int,
    validity_months: int = CLEARANCE_VALID_MONTHS,
) -> list[Alert]:
    """`clearance_expired` from the day the clearance stops counting (the same day `clearance_is_valid` turns
    false); `clearance_expiring` during the `notice_days` days before it. No clearance, or one dated after
    today, raises nothing here (screening reports it)."""
    if cleared_on is None or cleared_on > today:
        return []
    ends_on = add_months(cleared_on, validity_months)
    cleared, ends = cleared_on.isoformat(), ends_on.isoformat()
    if today >= ends_on:
        return [
            Alert(
                kind="clearance_expired",
                severity="warning",
                message=Message(
                    en=f"The clearance dated {cleared} expired on {ends}: record a new one (its restrictions still apply).",
                    fr=f"L'autorisation datée du {cleared} a expiré le {ends} : consignez-en une nouvelle (ses restrictions s'appliquent toujours).",
                ),
                key=f"clearance_expired:{cleared}",
            )
        ]
    days_left = (ends_on - today).days
    if days_left > notice_days:
        return []
    plural = "" if days_left == 1 else "s"
    return [
        Alert(
            kind="clearance_expiring",
            severity="info",
            message=Message(
                en=f"The clearance dated {cleared} expires on {ends} (in {days_left} day{plural}): plan a new one.",
                fr=f"L'autorisation datée du {cleared} expire le {ends} (dans {days_left} jour{plural}) : prévoyez-en une nouvelle.",
            ),
            key=f"clearance_expiring:{cleared}",
        )
    ]


# --- Post-injection check-in (BRIEF §5 "Software rules", §5.1 distant spread, §6.3 row 2) -------------------


@dataclass(frozen=True, kw_only=True)
class PostInjectionAnswers:
    """The daily check-in after a neck or face injection; True means new or worse since the injection.
    Every answer is required: an unanswered question is never read as no."""

    breathing_difficulty: bool
    choking: bool
    swallowing_difficulty: bool
    new_weakness: bool
    double_vision: bool
    drooping_eyelid: bool
    voice_change: bool


# BRIEF §6.3: EMERGENCY if breathing or choking; otherwise URGENT clinician contact.
POST_INJECTION_SYMPTOMS: dict[str, tuple[AlertSeverity, Message]] = {
    "breathing_difficulty": ("emergency", Message("trouble breathing", "difficulté à respirer")),
    "choking": ("emergency", Message("choking", "étouffement")),
    "swallowing_difficulty": ("urgent", Message("new trouble swallowing", "nouvelle difficulté à avaler")),
    "new_weakness": ("urgent", Message("new weakness", "nouvelle faiblesse")),
    "double_vision": ("urgent", Message("double vision", "vision double")),
    "drooping_eyelid": ("urgent", Message("drooping eyelid", "paupière tombante")),
    "voice_change": ("urgent", Message("voice change", "changement de la voix")),
}


def post_injection_checkin_alerts(
    answers: PostInjectionAnswers, *, checkin_id: str, emergency_number: str, health_line: str
) -> list[Alert]:
    """One `post_injection_symptom` alert naming every symptom reported and what to do now, or none.
    `emergency_number` (e.g. "911") and `health_line` (e.g. "Info-Santé 811") are the clinic's."""
    reported = [(name, *POST_INJECTION_SYMPTOMS[name]) for name in POST_INJECTION_SYMPTOMS if getattr(answers, name)]
    if not reported:
        return []
    severity: AlertSeverity = "emergency" if any(level == "emergency" for _, level, _ in reported) else "urgent"
    symptoms_en = "; ".join(label.en for _, _, label in reported)
    symptoms_fr = "; ".join(label.fr for _, _, label in reported)
    if severity == "emergency":
        todo = Message(
            en=f"Call {emergency_number} now. Stop exercising.",
            fr=f"Appelez le {emergency_number} maintenant. Cessez l'exercice.",
        )
    else:
        todo = Message(
            en=f"Stop neck and jaw exercises. Contact the injecting clinic or your care team today; if you cannot "
            f"reach them, call {health_line}. If breathing becomes difficult or you choke, call {emergency_number}.",
            fr=f"Cessez les exercices du cou et de la mâchoire. Communiquez aujourd'hui avec la clinique qui a fait "
            f"l'injection ou votre équipe de soins; si vous ne pouvez pas les joindre, appelez {health_line}. Si "
            f"la respiration devient difficile ou si vous vous étouffez, appelez le {emergency_number}.",
        )
    return [
        Alert(
            kind="post_injection_symptom",
            severity=severity,
            message=Message(
                en=f"Reported after a neck or face botulinum toxin injection: {symptoms_en}. {todo.en}",
                fr=f"Signalé après une injection de toxine botulique au cou ou au visage : {symptoms_fr}. {todo.fr}",
            ),
            key=f"post_injection_symptom:{checkin_id}",
        )
    ]


# --- Escalation and red flags (BRIEF §6.3 "notify care team") -------------------------------------------------


def escalations(open_alerts: Iterable[OpenAlert], *, now: dt.datetime, delay: dt.timedelta) -> list[str]:
    """Ids of emergency and urgent alerts still unacknowledged `delay` after they were raised and not yet
    escalated, oldest first."""
    _require_aware(now, "now")
    due = [
        (created_at, alert_id)
        for alert_id, severity, created_at, acknowledged_at, escalated_at in open_alerts
        if severity in ESCALATING and acknowledged_at is None and escalated_at is None and now - created_at >= delay
    ]
    return [alert_id for _, alert_id in sorted(due)]


def red_flag_alerts(flags: Iterable[RaisedFlag], *, screening_id: str) -> list[Alert]:
    """A `red_flag` alert for every emergency or urgent flag of a screening (`ScreeningResult.flags`); the key
    names the screening, so the same flag in the same screening is one alert."""
    return [
        Alert(
            kind="red_flag",
            severity="emergency" if flag.severity == "emergency" else "urgent",
            message=Message(en=f"{flag.message.en} {flag.action.en}", fr=f"{flag.message.fr} {flag.action.fr}"),
            key=f"red_flag:{screening_id}:{flag.code}",
        )
        for flag in flags
        if flag.severity in ESCALATING
    ]
