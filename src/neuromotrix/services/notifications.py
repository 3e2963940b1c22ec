"""Notifications: who is told what, in their language, and the in-app list of the signed-in user.

- Every open alert: a notification to each trainer assigned to the participant; emailed when it is urgent or an
  emergency. The text names the participant and the severity, never the clinical detail: email is not a safe
  place for it, and the alert itself is one tap away in the app.
- An escalated alert: a notification to every admin of the clinic, always emailed.
- A reminder (session, next-day check-in, post-injection check-in): a notification to the participant's own
  login and to every caregiver linked to them, emailed.

Keys are unique per user (`alert:<id>`, `escalation:<id>`, `reminder:<participant>:<reminder key>`), so storing
the same notification again, from another pass or another worker, changes nothing. Only active accounts are
notified. A notification is shown from its `due_at`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from neuromotrix.adapters.db.tables import alerts, assignments, caregiver_links, notifications, participants, users
from neuromotrix.domain.alerts import Message
from neuromotrix.domain.errors import NotFound
from neuromotrix.domain.reminders import Reminder, personalise
from neuromotrix.services.access import Actor
from neuromotrix.services.scans import Escalated, Facts
from neuromotrix.services.unit_of_work import UnitOfWork

EMAILED_SEVERITIES = frozenset({"emergency", "urgent"})
# An open alert older than this raises no notification for a trainer assigned later: it is in their alert list.
ALERT_NOTICE = dt.timedelta(days=7)

ALERT_SUBJECTS: dict[str, Message] = {
    "emergency": Message("Emergency alert: {name}", "Alerte d'urgence : {name}"),
    "urgent": Message("Urgent alert: {name}", "Alerte urgente : {name}"),
    "warning": Message("Needs attention: {name}", "À surveiller : {name}"),
    "info": Message("For information: {name}", "Pour information : {name}"),
}
SEVERITY_WORDS: dict[str, Message] = {
    "emergency": Message("emergency", "urgence"),
    "urgent": Message("urgent", "urgente"),
    "warning": Message("warning", "avertissement"),
    "info": Message("information", "information"),
}
ALERT_BODY = Message(
    en="New alert about {name} ({severity}). Sign in to NeuroMotrix to read it and acknowledge it.",
    fr="Nouvelle alerte concernant {name} ({severity}). Connectez-vous à NeuroMotrix pour la lire et en accuser "
    "réception.",
)
ESCALATION_SUBJECT = Message("Not acknowledged: alert about {name}", "Sans réponse : alerte concernant {name}")
ESCALATION_BODY = Message(
    en="The alert about {name} ({severity}), raised on {raised}, has not been acknowledged within {minutes} minutes. "
    "Make sure someone on the care team handles it now.",
    fr="L'alerte concernant {name} ({severity}), émise le {raised}, n'a pas reçu d'accusé de réception en {minutes} "
    "minutes. Assurez-vous qu'une personne de l'équipe de soins s'en occupe maintenant.",
)
CAREGIVER_INTRO = Message(
    en="Hello {caregiver}, this reminder is for {name}, whom you help:",
    fr="Bonjour {caregiver}, ce rappel s'adresse à {name}, que vous aidez :",
)
CAREGIVER_SUBJECT = Message("{name}: {subject}", "{name} : {subject}")
FOOTER = Message("Open NeuroMotrix: {url}", "Ouvrir NeuroMotrix : {url}")


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name


def _text(message: Message, language: str, **values: str) -> str:
    return message.in_language(language).format(**values)


def _body(text: str, language: str, base_url: str) -> str:
    return f"{text}\n\n{_text(FOOTER, language, url=base_url)}"


def _row(
    user_id: int, participant_id: int, kind: str, key: str, subject: str, body: str, *, due_at: dt.datetime,
    now: dt.datetime, email: bool,
) -> dict[str, Any]:  # fmt: skip
    return {
        "user_id": user_id,
        "participant_id": participant_id,
        "kind": kind,
        "key": key[:200],
        "subject": subject[:300],
        "body": body,
        "due_at": due_at,
        "created_at": now,
        "email": email,
    }


def store(uow: UnitOfWork, rows: list[dict[str, Any]]) -> int:
    """Insert notifications, skipping those already stored; returns how many are new.

    In a fixed order, so two workers inserting the same rows at once never deadlock on PostgreSQL. The new rows
    are counted with RETURNING: psycopg reports no row count (-1) for a statement run with many rows."""
    if not rows:
        return 0
    ordered = sorted(rows, key=lambda row: (row["user_id"], row["key"]))
    dialect = postgresql if uow.dialect == "postgresql" else sqlite
    statement = dialect.insert(notifications).on_conflict_do_nothing().returning(notifications.c.id)
    return len(uow.connection.execute(statement, ordered).all())


def notify_open_alerts(uow: UnitOfWork, *, now: dt.datetime, base_url: str) -> int:
    """A notification for each assigned, active trainer of every open alert that has none yet."""
    key = sa.literal("alert:") + sa.cast(alerts.c.id, sa.String)
    already = sa.exists().where(notifications.c.user_id == users.c.id, notifications.c.key == key)
    pending = uow.connection.execute(
        sa.select(
            alerts.c.id,
            alerts.c.participant_id,
            alerts.c.severity,
            participants.c.display_name,
            users.c.id.label("trainer_id"),
            users.c.language,
        )
        .join(participants, participants.c.id == alerts.c.participant_id)
        .join(assignments, assignments.c.participant_id == alerts.c.participant_id)
        .join(users, users.c.id == assignments.c.trainer_id)
        .where(
            alerts.c.acknowledged_at.is_(None),
            alerts.c.created_at >= now - ALERT_NOTICE,
            users.c.active.is_(True),
            ~already,
        )
    ).all()
    rows = []
    for alert in pending:
        language, name = alert.language, alert.display_name
        severity = _text(SEVERITY_WORDS.get(alert.severity, SEVERITY_WORDS["info"]), language)
        subject = _text(ALERT_SUBJECTS.get(alert.severity, ALERT_SUBJECTS["info"]), language, name=name)
        body = _text(ALERT_BODY, language, name=name, severity=severity)
        rows.append(
            _row(alert.trainer_id, alert.participant_id, "alert", f"alert:{alert.id}", subject,
                 _body(body, language, base_url), due_at=now, now=now, email=alert.severity in EMAILED_SEVERITIES)
        )  # fmt: skip
    return store(uow, rows)


def notify_escalations(uow: UnitOfWork, escalated: Sequence[Escalated], *, now: dt.datetime, base_url: str) -> int:
    """Tell every active admin of the clinic about each escalated alert, by email too."""
    rows = []
    for item in escalated:
        admins = uow.connection.execute(
            sa.select(users.c.id, users.c.language).where(
                users.c.clinic_id == item.clinic_id, users.c.role == "admin", users.c.active.is_(True)
            )
        ).all()
        raised = item.created_at.astimezone(item.zone).strftime("%Y-%m-%d %H:%M")
        for admin in admins:
            language = admin.language
            values = {"name": item.display_name, "raised": raised, "minutes": str(item.delay_minutes)}
            values["severity"] = _text(SEVERITY_WORDS.get(item.severity, SEVERITY_WORDS["urgent"]), language)
            subject = _text(ESCALATION_SUBJECT, language, **values)
            body = _body(_text(ESCALATION_BODY, language, **values), language, base_url)
            rows.append(
                _row(admin.id, item.participant_id, "escalation", f"escalation:{item.alert_id}", subject, body,
                     due_at=now, now=now, email=True)
            )  # fmt: skip
    return store(uow, rows)


def reminder_recipients(uow: UnitOfWork, participant_ids: Sequence[int]) -> dict[int, list[sa.Row[Any]]]:
    """Per participant: their own active login first, then their active linked caregivers."""
    found: dict[int, list[sa.Row[Any]]] = {participant_id: [] for participant_id in participant_ids}
    if not participant_ids:
        return found
    own: sa.Select[Any] = (
        sa.select(participants.c.id.label("participant_id"), users.c.id, users.c.name, users.c.language, users.c.role)
        .join(users, users.c.id == participants.c.user_id)
        .where(participants.c.id.in_(participant_ids), users.c.active.is_(True))
    )
    helpers: sa.Select[Any] = (
        sa.select(caregiver_links.c.participant_id, users.c.id, users.c.name, users.c.language, users.c.role)
        .join(users, users.c.id == caregiver_links.c.caregiver_id)
        .where(caregiver_links.c.participant_id.in_(participant_ids), users.c.active.is_(True))
    )
    for query in (own, helpers):
        for row in uow.connection.execute(query.order_by(users.c.id)):
            found[row.participant_id].append(row)
    return found


def reminder_rows(facts: Facts, due: Sequence[Reminder], recipients: Sequence[sa.Row[Any]], *, now: dt.datetime,
                  base_url: str) -> list[dict[str, Any]]:  # fmt: skip
    """Each reminder for each recipient, in the recipient's language; a caregiver's copy says whom it is for."""
    name = first_name(facts.display_name)
    rows = []
    for reminder in due:
        for person in recipients:
            language = person.language
            subject = personalise(reminder.subject, language=language, first_name=name)
            body = personalise(reminder.body, language=language, first_name=name)
            if person.role == "caregiver":
                intro = _text(CAREGIVER_INTRO, language, caregiver=first_name(person.name), name=name)
                body = f"{intro}\n\n{body}"
                subject = _text(CAREGIVER_SUBJECT, language, name=name, subject=subject)
            key = f"reminder:{facts.participant_id}:{reminder.key}"
            rows.append(
                _row(person.id, facts.participant_id, reminder.kind, key, subject, _body(body, language, base_url),
                     due_at=reminder.due_at, now=now, email=True)
            )  # fmt: skip
    return rows


# --- The in-app list -------------------------------------------------------------------------------------------


def _mine(actor: Actor, now: dt.datetime) -> list[sa.ColumnElement[bool]]:
    return [notifications.c.user_id == actor.user_id, notifications.c.due_at <= now]


def list_notifications(
    uow: UnitOfWork, actor: Actor, *, unread_only: bool, now: dt.datetime, offset: int, limit: int
) -> tuple[list[sa.Row[Any]], int]:
    """The caller's own notifications that are due, newest first."""
    where = _mine(actor, now)
    if unread_only:
        where.append(notifications.c.read_at.is_(None))
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(notifications).where(*where)).scalar_one()
    rows = uow.connection.execute(
        sa.select(notifications)
        .where(*where)
        .order_by(notifications.c.due_at.desc(), notifications.c.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def mark_read(uow: UnitOfWork, actor: Actor, notification_id: int, *, now: dt.datetime) -> sa.Row[Any]:
    """Mark one of the caller's notifications read (once: the first time is kept); anyone else's is not found."""
    where = [notifications.c.id == notification_id, *_mine(actor, now)]
    row = uow.connection.execute(sa.select(notifications).where(*where)).first()
    if row is None:
        raise NotFound("notification")
    if row.read_at is None:
        uow.connection.execute(notifications.update().where(*where).values(read_at=now))
    return uow.connection.execute(sa.select(notifications).where(*where)).one()


def mark_all_read(uow: UnitOfWork, actor: Actor, *, now: dt.datetime) -> int:
    """Mark every due, unread notification of the caller read; returns how many changed."""
    where = [*_mine(actor, now), notifications.c.read_at.is_(None)]
    return int(uow.connection.execute(notifications.update().where(*where).values(read_at=now)).rowcount)
