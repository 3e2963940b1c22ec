"""The register of confidentiality incidents (Québec Law 25, s. 3.8): every incident the clinic learns of, with
what happened, how many people it concerns, whether it presents a risk of serious injury, what was done, and
when the Commission d'accès à l'information and the people concerned were notified. Clinic admins only; every
entry and change is audited. Entries are corrected, never deleted: the register is kept as a record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import privacy_incidents, users
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.services.access import Actor, require_admin
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

MAX_TEXT = 20_000
MAX_PEOPLE = 10_000_000


@dataclass(frozen=True)
class IncidentEntry:
    """What an admin records or corrects. Dates are the clinic's calendar days."""

    occurred_on: dt.date
    description: str
    people_concerned: int
    serious_risk: bool
    measures: str = ""
    discovered_on: dt.date | None = None
    cai_notified_on: dt.date | None = None
    people_notified_on: dt.date | None = None


def check(entry: IncidentEntry, *, today: dt.date) -> IncidentEntry:
    """The entry cleaned; InvalidRequest names the first wrong field and says what to do."""
    description = entry.description.strip()
    if not description:
        raise InvalidRequest(
            "Describe the incident: what happened and which personal information it concerns.",
            fr=("Décrivez l'incident : ce qui s'est passé et quels renseignements personnels sont en cause."),
            field=("description",),
        )
    if len(description) > MAX_TEXT or len(entry.measures) > MAX_TEXT:
        field = "description" if len(description) > MAX_TEXT else "measures"
        raise InvalidRequest(
            f"The {field} is too long: {MAX_TEXT} characters at most.",
            fr=f"Le champ {field} est trop long : {MAX_TEXT} caractères au plus.",
            field=(field,),
        )
    if not 0 <= entry.people_concerned <= MAX_PEOPLE:
        raise InvalidRequest(
            "Give the number of people concerned, 0 or more (your best estimate if it is not known yet).",
            fr=(
                "Donnez le nombre de personnes concernées, 0 ou plus (votre meilleure estimation s'il n'est pas encore connu)."
            ),
            field=("people_concerned",),
        )
    dates = {
        "occurred_on": entry.occurred_on,
        "discovered_on": entry.discovered_on,
        "cai_notified_on": entry.cai_notified_on,
        "people_notified_on": entry.people_notified_on,
    }
    for field, value in dates.items():
        if value is not None and value > today:
            raise InvalidRequest(
                f"{field} is after today; give the date it happened.",
                fr=f"{field} est après aujourd'hui; donnez la date où c'est arrivé.",
                field=(field,),
            )
    if entry.discovered_on is not None and entry.discovered_on < entry.occurred_on:
        raise InvalidRequest(
            "The clinic cannot have learned of the incident before it happened; check both dates.",
            fr=("La clinique ne peut pas avoir appris l'incident avant qu'il se produise; vérifiez les deux dates."),
            field=("discovered_on",),
        )
    return IncidentEntry(
        occurred_on=entry.occurred_on,
        description=description,
        people_concerned=entry.people_concerned,
        serious_risk=entry.serious_risk,
        measures=entry.measures.strip(),
        discovered_on=entry.discovered_on,
        cai_notified_on=entry.cai_notified_on,
        people_notified_on=entry.people_notified_on,
    )


def record(uow: UnitOfWork, actor: Actor, entry: IncidentEntry, *, now: dt.datetime, today: dt.date) -> int:
    require_admin(actor)
    values = asdict(check(entry, today=today))
    incident_id = int(
        uow.connection.execute(
            privacy_incidents.insert()
            .values(
                clinic_id=actor.clinic_id,
                recorded_by=actor.user_id,
                created_at=now,
                updated_by=actor.user_id,
                updated_at=now,
                **values,
            )
            .returning(privacy_incidents.c.id)
        ).scalar_one()
    )
    detail = f"{entry.people_concerned} people; serious risk {'yes' if entry.serious_risk else 'no'}"
    audit_change(
        uow, AuditRecord(now, actor.user_id, actor.email, "create", "incident", str(incident_id), None, detail)
    )
    return incident_id


def update(
    uow: UnitOfWork, actor: Actor, incident_id: int, entry: IncidentEntry, *, now: dt.datetime, today: dt.date
) -> None:
    """Correct or complete an entry (notifications sent later, measures taken since...)."""
    before = get(uow, actor, incident_id)
    values = asdict(check(entry, today=today))
    changed = sorted(name for name, value in values.items() if before[name] != value)
    uow.connection.execute(
        privacy_incidents.update()
        .where(privacy_incidents.c.id == incident_id)
        .values(updated_by=actor.user_id, updated_at=now, **values)
    )
    detail = "changed: " + (", ".join(changed) if changed else "nothing")
    audit_change(
        uow, AuditRecord(now, actor.user_id, actor.email, "update", "incident", str(incident_id), None, detail)
    )


def get(uow: UnitOfWork, actor: Actor, incident_id: int) -> dict[str, Any]:
    """One incident of the admin's clinic; NotFound for another clinic's."""
    require_admin(actor)
    row = uow.connection.execute(
        _with_names().where(privacy_incidents.c.id == incident_id, privacy_incidents.c.clinic_id == actor.clinic_id)
    ).first()
    if row is None:
        raise NotFound("incident")
    return dict(row._mapping)


def list_incidents(uow: UnitOfWork, actor: Actor, *, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The clinic's register, the most recent incident first."""
    require_admin(actor)
    where = privacy_incidents.c.clinic_id == actor.clinic_id
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(privacy_incidents).where(where)).scalar_one()
    rows = uow.connection.execute(
        _with_names()
        .where(where)
        .order_by(privacy_incidents.c.occurred_on.desc(), privacy_incidents.c.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [dict(row._mapping) for row in rows], int(total)


def _with_names() -> sa.Select[Any]:
    recorder = users.alias("recorder")
    return sa.select(privacy_incidents, recorder.c.name.label("recorded_by_name")).outerjoin(
        recorder, recorder.c.id == privacy_incidents.c.recorded_by
    )
