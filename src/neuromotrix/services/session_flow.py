"""What happens when a session or a check-in is logged: store it, raise alerts, adapt the program.

BRIEF §4.5: a hard stop ends the session and alerts the trainer with guidance; pain 10/10 and a dystonia flare
alert the trainer; the adaptation engine (domain/adaptation.py) then decides, per exercise, whether to
progress, hold, regress or pause, and an approved program changes at once with the trainer notified.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import clinics, participants, scheduled_sessions
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain import attention
from neuromotrix.domain.alerts import HARD_STOPS, STOP_LABELS, Alert
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.flares import SessionOutcome
from neuromotrix.services import adaptation_flow, attendance, program_changes
from neuromotrix.services.access import Actor, participant_row
from neuromotrix.services.alerts import raise_alerts
from neuromotrix.services.session_logs import SessionEntry, record_checkin, record_session
from neuromotrix.services.unit_of_work import UnitOfWork

_CLINIC_OF = (
    sa.select(clinics)
    .join(participants, participants.c.clinic_id == clinics.c.id)
    .where(participants.c.id == sa.bindparam("participant_id"))
)


def _clinic(uow: UnitOfWork, participant_id: int) -> sa.Row[Any]:
    return uow.connection.execute(_CLINIC_OF, {"participant_id": participant_id}).one()


def guidance(reason: str | None, clinic: sa.Row[Any], language: str) -> dict[str, str] | None:
    """What to do now after a hard stop, with the clinic's numbers (BRIEF §6.3)."""
    stop = next((known for known in HARD_STOPS if known == reason), None)
    if stop is None:
        return None
    severity = HARD_STOPS[stop]
    label = STOP_LABELS[stop].in_language(language)
    if severity == "emergency":
        en = f"{label}: stop now and call {clinic.emergency_number}. Do not drive yourself."
        fr = f"{label} : arrêtez maintenant et appelez le {clinic.emergency_number}. Ne conduisez pas vous-même."
    else:
        en = (
            f"{label}: stop the session and rest. Call {clinic.health_line} or your care team today; "
            f"call {clinic.emergency_number} if it gets worse."
        )
        fr = (
            f"{label} : arrêtez la séance et reposez-vous. Appelez le {clinic.health_line} ou votre équipe de "
            f"soins aujourd'hui; appelez le {clinic.emergency_number} si cela s'aggrave."
        )
    notice_en = " This service is not monitored around the clock."
    notice_fr = " Ce service n'est pas surveillé en tout temps."
    return {"severity": severity, "text": (fr + notice_fr) if language == "fr" else (en + notice_en)}


def log_session(
    uow: UnitOfWork, actor: Actor, participant_id: int, entry: SessionEntry, *, now: dt.datetime
) -> dict[str, Any]:
    recorded = record_session(uow, actor, participant_id, entry, now=now)
    prescribed = [block["exercise_id"] for block in recorded.planned["blocks"]]
    assessment = adaptation_flow.assess_outcome(recorded.outcome, prescribed)
    raised = list(assessment.alerts)
    raise_alerts(uow, participant_id, raised, now=now)
    clinic = _clinic(uow, participant_id)
    adapted = _adapt(uow, participant_id, clinic, now, active=recorded.version, fresh=recorded.outcome)
    return {
        "id": recorded.log_id,
        "session_ended": entry.stop_reason is not None,
        "guidance": guidance(entry.stop_reason, clinic, actor.language),
        "alerts": [_alert_json(alert) for alert in raised],
        "stopped_items": list(assessment.stopped_items),
        "adaptation": adapted,
    }


def _adapt(
    uow: UnitOfWork,
    participant_id: int,
    clinic: sa.Row[Any],
    now: dt.datetime,
    *,
    active: sa.Row[Any] | None = None,
    fresh: SessionOutcome | None = None,
) -> dict[str, Any] | None:
    """Run the adaptation engine; what changed, for the caller to show (the trainer is notified by an alert)."""
    today = now.astimezone(ZoneInfo(clinic.time_zone)).date()
    row = program_changes.adapt_active(uow, participant_id, now=now, today=today, active=active, fresh=fresh)
    if row is None:
        return None
    return {"program_version": row.version, "changes": row.changes}


def check_in(
    uow: UnitOfWork, actor: Actor, participant_id: int, answers: dict[str, Any], *, now: dt.datetime
) -> dict[str, Any]:
    kind = answers.pop("kind")
    checked_on = answers.pop("checked_on")
    session_log_id = answers.pop("session_log_id")
    notes = answers.pop("notes")
    if kind == "next_day":
        _require_ratings(answers)
    checkin_id = record_checkin(
        uow,
        actor,
        participant_id,
        kind=kind,
        checked_on=checked_on,
        session_log_id=session_log_id,
        answers=answers,
        notes=notes,
        now=now,
    )
    raised: list[Alert] = []
    if kind == "post_injection":
        clinic = _clinic(uow, participant_id)
        symptoms = attention.PostInjectionAnswers(
            breathing_difficulty=answers["breathing"],
            choking=answers["choking"],
            swallowing_difficulty=answers["swallowing"],
            new_weakness=answers["weakness"],
            double_vision=answers["double_vision"],
            drooping_eyelid=answers["drooping_eyelid"],
            voice_change=answers["voice_change"],
        )
        raised = attention.post_injection_checkin_alerts(
            symptoms,
            checkin_id=str(checkin_id),
            emergency_number=clinic.emergency_number,
            health_line=clinic.health_line,
        )
        raise_alerts(uow, participant_id, raised, now=now)
    adapted = None
    if kind == "next_day" and session_log_id is not None:
        adapted = _adapt(uow, participant_id, _clinic(uow, participant_id), now)
    return {"id": checkin_id, "alerts": [_alert_json(alert) for alert in raised], "adaptation": adapted}


def _require_ratings(answers: dict[str, Any]) -> None:
    """The 24-hour rule compares next-day pain, dystonia and fatigue with the session's (BRIEF §4.5)."""
    for name in ("pain", "dystonia", "fatigue"):
        if answers.get(name) is None:
            raise InvalidRequest(
                f"A next-day check-in needs {name} (0-10); rate how it is today compared with before the session.",
                fr=(
                    f"Un suivi du lendemain demande {name} (0 à 10); évaluez comment c'est aujourd'hui par rapport à avant la "
                    "séance."
                ),
                field=(name,),
            )


def _alert_json(alert: Alert) -> dict[str, Any]:
    return {"kind": alert.kind, "severity": alert.severity, "message": {"en": alert.message.en, "fr": alert.message.fr}}


def adherence(uow: UnitOfWork, actor: Actor, participant_id: int, *, now: dt.datetime) -> dict[str, Any]:
    participant_row(uow, actor, participant_id)
    zone = _clinic(uow, participant_id).time_zone
    today = now.astimezone(ZoneInfo(zone)).date()
    since = today - dt.timedelta(days=180)
    scheduled = uow.connection.execute(
        sa.select(scheduled_sessions.c.session_index, scheduled_sessions.c.scheduled_on).where(
            scheduled_sessions.c.participant_id == participant_id, scheduled_sessions.c.scheduled_on >= since
        )
    ).all()
    sessions = [(row.scheduled_on.isoformat(), row.scheduled_on) for row in scheduled]
    found = attendance.read(uow, participant_id, since=since)
    windows = load_catalog().rules.attention.adherence_windows_days.value
    summary = attention.adherence_summary(
        sessions, found.attended, today=today, windows=windows, excused=found.excused, skipped=found.skipped
    )
    return {
        "today": today,
        "windows": [
            {
                "days": a.days,
                "start": a.start,
                "end": a.end,
                "scheduled": a.scheduled,
                "attended": a.attended,
                "rate": a.rate,
            }
            for a in summary
        ],
    }
