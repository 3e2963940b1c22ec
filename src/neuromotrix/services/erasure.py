"""Erasure requests (Québec Law 25, s. 28.1; docs/privacy.md "Erasure and retention").

A clinic admin records a participant's request, then processes it:

- within the clinic's retention period (its `retention_years` after the participant's last recorded activity,
  which the clinic sets from its professional order's rules), the professional record must be kept, so the
  participant is **de-identified**: name replaced, login account deleted (with its sessions, tokens and
  messages), caregiver links and invitations removed, every typed note and reason cleared, the name removed
  from the stored profiles, clearance documents (scanned letters naming the person) removed, the person's email
  and name removed from the audit log; the clinical numbers (ratings, doses, dates, programs) are kept;
- after it, every row about the participant is **deleted** (the database cascades from the participant).

The request row keeps what was done (`status`, `retention_until`, `outcome`), and the audit log keeps a record
of it: neither has a foreign key to the participant, so both outlive a deletion. A de-identified participant is
deleted by processing the request again once the retention period has ended.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db import tables as t
from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
from neuromotrix.services import privacy
from neuromotrix.services.access import Actor, lock_participant, participant_row, require_admin
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

REQUESTED_BY = ("participant", "guardian", "representative")
ERASED = "[erased]"
# Where the participant's activity is dated: the last of these starts the retention period.
ACTIVITY = (
    t.profile_versions.c.created_at, t.program_versions.c.created_at, t.program_versions.c.approved_at,
    t.session_logs.c.created_at, t.checkins.c.created_at, t.clearances.c.created_at, t.injections.c.created_at,
    t.screenings.c.created_at, t.assessments.c.created_at,
)  # fmt: skip
KEPT_WITH_THE_REQUEST = frozenset({"audit_log", "erasure_requests"})


@dataclass(frozen=True)
class Retention:
    last_activity_on: dt.date
    years: int
    until: dt.date  # from this day on, the participant may be deleted

    def ended(self, today: dt.date) -> bool:
        return today >= self.until


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def retention(uow: UnitOfWork, participant: sa.Row[Any]) -> Retention:
    """The clinic's retention period, counted from the participant's last recorded activity (their local day)."""
    participant_id = int(participant.id)
    latest: dt.datetime = participant.created_at
    for column in ACTIVITY:
        found = uow.connection.execute(
            sa.select(sa.func.max(column)).where(column.table.c.participant_id == participant_id)
        ).scalar_one_or_none()
        if found is not None and found > latest:
            latest = found
    settings = privacy.clinic_settings(uow, int(participant.clinic_id))
    day = latest.astimezone(ZoneInfo(settings.time_zone)).date()
    return Retention(day, settings.retention_years, add_years(day, settings.retention_years))


# Requests -----------------------------------------------------------------------------------------------


def record_request(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, requested_on: dt.date, requested_by: str,
    now: dt.datetime, today: dt.date,
) -> int:  # fmt: skip
    """Record a request made by the participant (or their guardian or representative) on `requested_on`."""
    require_admin(actor)
    participant_row(uow, actor, participant_id)
    if requested_by not in REQUESTED_BY:
        raise InvalidRequest(
            f"Say who made the request: one of {', '.join(REQUESTED_BY)}.",
            fr=f"Indiquez qui a fait la demande : l'une de ces valeurs : {', '.join(REQUESTED_BY)}.",
            field=("requested_by",),
        )
    if requested_on > today:
        raise InvalidRequest(
            "The request date is after today; give the day the request was made.",
            fr="La date de la demande est après aujourd'hui; donnez le jour où la demande a été faite.",
            field=("requested_on",),
        )
    pending = uow.connection.execute(
        sa.select(t.erasure_requests.c.id).where(
            t.erasure_requests.c.participant_id == participant_id, t.erasure_requests.c.status == "pending"
        )
    ).first()
    if pending is not None:
        raise Conflict(
            f"Request {pending.id} for this participant is still waiting; process it instead.",
            fr=f"La demande {pending.id} pour ce participant est toujours en attente; traitez-la plutôt.",
        )
    request_id = int(
        uow.connection.execute(
            t.erasure_requests.insert()
            .values(
                clinic_id=actor.clinic_id, participant_id=participant_id, requested_on=requested_on,
                requested_by=requested_by, recorded_by=actor.user_id, created_at=now, status="pending",
            )
            .returning(t.erasure_requests.c.id)
        ).scalar_one()
    )  # fmt: skip
    audit_change(
        uow,
        AuditRecord(
            now, actor.user_id, actor.email, "create", "erasure_request", str(request_id), participant_id,
            f"requested by the {requested_by} on {requested_on.isoformat()}",
        ),
    )  # fmt: skip
    return request_id


def list_requests(uow: UnitOfWork, actor: Actor, *, today: dt.date) -> list[dict[str, Any]]:
    """The clinic's requests: waiting ones first, then the most recent; `due` marks a de-identified participant
    whose retention period has ended."""
    require_admin(actor)
    rows = uow.connection.execute(
        sa.select(t.erasure_requests, t.participants.c.display_name)
        .outerjoin(t.participants, t.participants.c.id == t.erasure_requests.c.participant_id)
        .where(t.erasure_requests.c.clinic_id == actor.clinic_id)
        .order_by((t.erasure_requests.c.status == "pending").desc(), t.erasure_requests.c.id.desc())
    ).all()
    return [_view(row, today) for row in rows]


def get_request(uow: UnitOfWork, actor: Actor, request_id: int, *, today: dt.date) -> dict[str, Any]:
    require_admin(actor)
    row = uow.connection.execute(
        sa.select(t.erasure_requests, t.participants.c.display_name)
        .outerjoin(t.participants, t.participants.c.id == t.erasure_requests.c.participant_id)
        .where(t.erasure_requests.c.id == request_id, t.erasure_requests.c.clinic_id == actor.clinic_id)
    ).first()
    if row is None:
        raise NotFound("erasure request")
    return _view(row, today)


def _view(row: sa.Row[Any], today: dt.date) -> dict[str, Any]:
    item = dict(row._mapping)
    until = item["retention_until"]
    item["due"] = item["status"] == "deidentified" and until is not None and today >= until
    return item


@dataclass(frozen=True)
class ErasurePlan:
    """What processing a request would do now: `deidentify` or `delete` (or nothing, when `action` is None)."""

    request: dict[str, Any]
    action: str | None
    retention: Retention | None


def plan(uow: UnitOfWork, actor: Actor, request_id: int, *, today: dt.date) -> ErasurePlan:
    request = get_request(uow, actor, request_id, today=today)
    if request["status"] == "deleted":
        return ErasurePlan(request, None, None)
    participant = _participant(uow, actor, request)
    kept = retention(uow, participant)
    if kept.ended(today):
        return ErasurePlan(request, "delete", kept)
    return ErasurePlan(request, None if request["status"] == "deidentified" else "deidentify", kept)


def _participant(uow: UnitOfWork, actor: Actor, request: dict[str, Any]) -> sa.Row[Any]:
    try:
        return participant_row(uow, actor, int(request["participant_id"]))
    except NotFound:
        raise Conflict(
            "This participant's data is no longer in the database; there is nothing left to erase.",
            fr="Les données de ce participant ne sont plus dans la base de données; il ne reste rien à effacer.",
        ) from None


def process(uow: UnitOfWork, actor: Actor, request_id: int, *, now: dt.datetime, today: dt.date) -> dict[str, Any]:
    """De-identify or delete, as the retention period decides; the request row records what was done."""
    decided = plan(uow, actor, request_id, today=today)
    request, kept = decided.request, decided.retention
    if decided.action is None or kept is None:
        if request["status"] == "deleted":
            raise Conflict(
                "This request was already carried out: the participant's data was deleted.",
                fr="Cette demande a déjà été traitée : les données du participant ont été supprimées.",
            )
        raise Conflict(
            f"The participant is already de-identified; their record must be kept until "
            f"{kept.until.isoformat() if kept else '?'}. Process the request again from that day on to delete it.",
            fr=(
                f"Le participant est déjà dépersonnalisé; son dossier doit être conservé jusqu'au "
                f"{kept.until.isoformat() if kept else '?'}. Traitez de nouveau la demande à partir de ce jour pour le supprimer."
            ),
        )
    participant_id = int(request["participant_id"])
    lock_participant(uow, participant_id)
    participant = _participant(uow, actor, request)
    removed = _remove_identity(uow, participant)
    if decided.action == "delete":
        counts = removed | _delete(uow, participant_id)
        status, verb = "deleted", "delete"
    else:
        counts = removed | _deidentify(uow, participant, now=now)
        status, verb = "deidentified", "deidentify"
    outcome = {
        "action": status,
        "last_activity_on": kept.last_activity_on.isoformat(),
        "retention_years": kept.years,
        "retention_until": kept.until.isoformat(),
        "counts": counts,
    }
    uow.connection.execute(
        t.erasure_requests.update()
        .where(t.erasure_requests.c.id == request_id)
        .values(
            status=status, retention_until=kept.until, processed_by=actor.user_id, processed_at=now, outcome=outcome
        )
    )
    detail = f"erasure request {request_id}: {status}; retention until {kept.until.isoformat()}"
    audit_change(
        uow,
        AuditRecord(now, actor.user_id, actor.email, verb, "participant", str(participant_id), participant_id, detail),
    )
    return outcome


# What processing does --------------------------------------------------------------------------------------


def _remove_identity(uow: UnitOfWork, participant: sa.Row[Any]) -> dict[str, int]:
    """Both ways: the login account and what names the person outside the health records (emails waiting in the
    outbox, their email and name in the audit log)."""
    participant_id = int(participant.id)
    login = None
    if participant.user_id is not None:
        login = uow.connection.execute(sa.select(t.users).where(t.users.c.id == participant.user_id)).first()
    names = {str(participant.display_name)} - {f"#{participant_id}"}
    scope = t.audit_log.c.participant_id == participant_id
    emails_removed = 0
    if login is not None:
        names.add(str(login.name))
        scope = sa.or_(scope, t.audit_log.c.actor_id == login.id)
        uow.connection.execute(
            t.audit_log.update().where(t.audit_log.c.actor_id == login.id).values(actor=f"{ERASED} user {login.id}")
        )
        _scrub_audit(uow, scope, str(login.email))
        emails_removed = uow.connection.execute(t.outbox.delete().where(t.outbox.c.to_address == login.email)).rowcount
        uow.connection.execute(
            t.participants.update().where(t.participants.c.id == participant_id).values(user_id=None)
        )
        uow.connection.execute(t.users.delete().where(t.users.c.id == login.id))
    for name in sorted(names, key=len, reverse=True):
        if len(name.strip()) >= 2:
            _scrub_audit(uow, scope, name)
    return {"login_deleted": int(login is not None), "emails_removed": int(emails_removed)}


def _scrub_audit(uow: UnitOfWork, scope: sa.ColumnElement[bool], text: str) -> None:
    uow.connection.execute(
        t.audit_log.update().where(scope).values(detail=sa.func.replace(t.audit_log.c.detail, text, ERASED))
    )


def _delete(uow: UnitOfWork, participant_id: int) -> dict[str, int]:
    """Every row about the participant: counted per table, then deleted through the participant's cascade."""
    counts: dict[str, int] = {}
    for table in t.metadata.sorted_tables:
        if table.name in KEPT_WITH_THE_REQUEST or "participant_id" not in table.c:
            continue
        found = uow.connection.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.participant_id == participant_id)
        ).scalar_one()
        if found:
            counts[table.name] = int(found)
    uow.connection.execute(t.participants.delete().where(t.participants.c.id == participant_id))
    return counts


def _deidentify(uow: UnitOfWork, participant: sa.Row[Any], *, now: dt.datetime) -> dict[str, int]:
    participant_id = int(participant.id)
    run = uow.connection.execute
    counts = {
        "caregiver_links": run(t.caregiver_links.delete().where(t.caregiver_links.c.participant_id == participant_id)),
        "invitations": run(t.invitations.delete().where(t.invitations.c.participant_id == participant_id)),
        "notifications": run(t.notifications.delete().where(t.notifications.c.participant_id == participant_id)),
        "session_notes": run(
            t.session_logs.update()
            .where(t.session_logs.c.participant_id == participant_id, t.session_logs.c.notes != "")
            .values(notes="")
        ),
        "block_notes": run(
            t.block_logs.update()
            .where(
                t.block_logs.c.session_log_id.in_(
                    sa.select(t.session_logs.c.id).where(t.session_logs.c.participant_id == participant_id)
                ),
                t.block_logs.c.notes != "",
            )
            .values(notes="")
        ),
        "checkin_notes": run(
            t.checkins.update()
            .where(t.checkins.c.participant_id == participant_id, t.checkins.c.notes != "")
            .values(notes="")
        ),
        "documents": run(
            t.clearances.update()
            .where(t.clearances.c.participant_id == participant_id, t.clearances.c.document.is_not(None))
            .values(document=None, document_name=None, document_type=None)
        ),
    }
    counted = {name: int(result.rowcount) for name, result in counts.items()}
    counted["profile_versions"] = _clear_profiles(uow, participant_id)
    counted["program_versions"] = _clear_programs(uow, participant_id)
    run(
        t.participants.update()
        .where(t.participants.c.id == participant_id)
        .values(display_name=f"#{participant_id}", deidentified_at=now)
    )
    return counted


def _clear_profiles(uow: UnitOfWork, participant_id: int) -> int:
    """The stored profiles lose the person's name and the typed reasons of each version."""
    rows = uow.connection.execute(
        sa.select(t.profile_versions.c.id, t.profile_versions.c.document).where(
            t.profile_versions.c.participant_id == participant_id
        )
    ).all()
    for row in rows:
        document = {key: value for key, value in dict(row.document).items() if key != "name"}
        uow.connection.execute(
            t.profile_versions.update().where(t.profile_versions.c.id == row.id).values(document=document, reason="")
        )
    return len(rows)


def _clear_programs(uow: UnitOfWork, participant_id: int) -> int:
    """What people typed in the program history is cleared (edit and override reasons, and each version's reason,
    which may quote a profile change's); what the planner and the adaptation engine wrote is kept."""
    rows = uow.connection.execute(
        sa.select(t.program_versions).where(t.program_versions.c.participant_id == participant_id)
    ).all()
    for row in rows:
        values: dict[str, Any] = {
            "plan": json.dumps(_cleared(json.loads(row.plan)), ensure_ascii=False, separators=(",", ":")),
            "adjustments": _cleared(row.adjustments),
            "edits": [{key: "" if key == "reason" else value for key, value in edit.items()} for edit in row.edits],
            "changes": _cleared(row.changes),
        }
        if row.source != "adaptation":  # a version's reason may quote what a person typed (a profile change...)
            values["reason"] = ""
        uow.connection.execute(t.program_versions.update().where(t.program_versions.c.id == row.id).values(values))
    return len(rows)


def _cleared(node: Any) -> Any:
    """A stored JSON value with the typed reasons blanked: a trainer's adjustment (`source: trainer`), a trainer's
    change (`action: trainer_...`) and the plan's `trainer.edit` reasons."""
    if isinstance(node, list):
        return [_cleared(item) for item in node]
    if not isinstance(node, dict):
        return node
    typed = (
        node.get("source") == "trainer"
        or str(node.get("action", "")).startswith("trainer")
        or node.get("rule") == "trainer.edit"
    )
    cleared: dict[str, Any] = {}
    for key, value in node.items():
        if typed and key in ("reason", "text"):
            cleared[key] = dict.fromkeys(value, "") if isinstance(value, dict) else ""
        else:
            cleared[key] = _cleared(value)
    return cleared
