"""Who may see which participant (object-level permissions). Anything else answers 404, never 403.

- a participant sees only themself;
- a caregiver only the participants linked to them;
- a trainer only the participants assigned to them;
- an admin every participant of their clinic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import assignments, caregiver_links, participants
from neuromotrix.domain.errors import Forbidden, NotFound
from neuromotrix.services.unit_of_work import UnitOfWork

Role = Literal["admin", "trainer", "participant", "caregiver"]
ROLES: tuple[Role, ...] = ("admin", "trainer", "participant", "caregiver")
STAFF: frozenset[str] = frozenset({"admin", "trainer"})


@dataclass(frozen=True)
class Actor:
    """The signed-in user a request acts for."""

    user_id: int
    clinic_id: int
    role: Role
    email: str
    name: str
    language: str
    second_factor: bool = False  # TOTP verified in this session (or not required)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


def visible_participants(actor: Actor) -> sa.ColumnElement[bool]:
    """A WHERE clause on `participants` selecting exactly what the actor may see."""
    return _visible_where(actor.role, actor.clinic_id, actor.user_id)


def _visible_where(
    role: str, clinic: int | sa.BindParameter[int], user: int | sa.BindParameter[int]
) -> sa.ColumnElement[bool]:
    """The visibility rule for a role; `clinic` and `user` are values or bound parameters."""
    table = participants.c
    if role == "admin":
        return table.clinic_id == clinic
    if role == "trainer":
        assigned = sa.select(assignments.c.participant_id).where(assignments.c.trainer_id == user)
        return sa.and_(table.clinic_id == clinic, table.id.in_(assigned))
    if role == "caregiver":
        linked = sa.select(caregiver_links.c.participant_id).where(caregiver_links.c.caregiver_id == user)
        return sa.and_(table.clinic_id == clinic, table.id.in_(linked))
    return table.user_id == user


def _visibility_query(role: str) -> sa.Select[Any]:
    where = _visible_where(role, sa.bindparam("clinic_id", type_=sa.Integer), sa.bindparam("user_id", type_=sa.Integer))
    return sa.select(participants).where(participants.c.id == sa.bindparam("participant_id"), where)


# The same rules as `visible_participants`, as one statement per role built once: every request about a
# participant runs it, and building a statement costs more than running it (values arrive as parameters).
_PARTICIPANT_BY_ROLE: dict[str, sa.Select[Any]] = {role: _visibility_query(role) for role in ROLES}


def participant_row(uow: UnitOfWork, actor: Actor, participant_id: int) -> sa.Row[tuple[object, ...]]:
    """The participant if the actor may see them; NotFound otherwise (also when it does not exist)."""
    row = uow.connection.execute(
        _PARTICIPANT_BY_ROLE[actor.role],
        {"participant_id": participant_id, "clinic_id": actor.clinic_id, "user_id": actor.user_id},
    ).first()
    if row is None:
        raise NotFound("participant")
    return row


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise Forbidden(
            "Only the participant's trainer or a clinic admin may do this.",
            fr="Seul l'entraîneur du participant ou un administrateur de la clinique peut faire ceci.",
        )


def require_admin(actor: Actor) -> None:
    if actor.role != "admin":
        raise Forbidden("Only a clinic admin may do this.", fr="Seul un administrateur de la clinique peut faire ceci.")


_LOCK_PARTICIPANT = (
    sa.select(participants.c.id).where(participants.c.id == sa.bindparam("participant_id")).with_for_update()
)


def lock_participant(uow: UnitOfWork, participant_id: int) -> None:
    """Serialise writes about one participant on PostgreSQL (a row lock until the transaction ends): version
    numbers and idempotency keys are read then written. SQLite's write transaction (BEGIN IMMEDIATE) already
    serialises every writer, and `FOR UPDATE` is left out there."""
    uow.connection.execute(_LOCK_PARTICIPANT, {"participant_id": participant_id}).first()
