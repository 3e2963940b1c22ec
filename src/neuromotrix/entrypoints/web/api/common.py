"""Small helpers shared by the API routers: profile parsing with field paths, read audit."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pydantic import ValidationError

from neuromotrix.adapters.db.tables import clinics
from neuromotrix.bootstrap import Container
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.profile import Profile
from neuromotrix.entrypoints.web.deps import Caller
from neuromotrix.services.audit import AuditRecord
from neuromotrix.services.profiles import format_validation_error
from neuromotrix.services.unit_of_work import UnitOfWork


def parse_profile(document: dict[str, Any], *, field: str = "profile") -> Profile:
    """The profile contract; a bad document is a 422 naming the field path and the allowed values."""
    try:
        return Profile.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        location = tuple(first.get("loc", ()))
        raise InvalidRequest(
            format_validation_error(error, "profile"),
            fr=format_validation_error(error, "profile", "fr"),
            field=(field, *location),
        ) from error


def audit_read(box: Container, who: Caller, object_type: str, object_id: object, participant_id: int | None) -> None:
    """Reads of health data are audited in batches (flushed within a second)."""
    actor = who.actor
    box.audit.record(
        AuditRecord(box.clock(), actor.user_id, actor.email, "read", object_type, str(object_id), participant_id)
    )


def clinic_today(uow: UnitOfWork, clinic_id: int, now: dt.datetime) -> dt.date:
    """Today's date where the clinic is (America/Montreal unless the clinic set another zone)."""
    zone = uow.connection.execute(sa.select(clinics.c.time_zone).where(clinics.c.id == clinic_id)).scalar_one()
    return now.astimezone(ZoneInfo(zone)).date()
