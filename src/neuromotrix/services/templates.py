"""Program templates: save a participant's program as a clinic template, and start another person from one.

What a template holds (and nothing else; never a person's health data, nor the reasons a trainer wrote for
one person): per exercise, the pinned dose edits (sets, reps, hold, rest, minutes; later edits win) and the
trainer's level or pause, plus the profile preferences (days or sessions per week, minutes per session, weeks,
equipment, setting).

`apply_template` starts a participant from one after enrolment: each item goes through the same services a
trainer uses (`program_changes.override` for a level or a pause, `programs.edit` for a dose), so every safety rule
still applies. An item the person may not do is skipped with the reason: left out of their program by a rule
(contraindication, trigger task, toxin phase, clearance, equipment, position...), not in their program, a level
beyond the exercise's ladder, or a dose that would break their session time budget.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import clinics, program_templates
from neuromotrix.domain.errors import Conflict, Forbidden, InvalidRequest, NotFound
from neuromotrix.domain.profile import Profile
from neuromotrix.services import clinic_catalog, participants, program_changes, programs
from neuromotrix.services.access import Actor, participant_row, require_staff
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

PREFERENCE_FIELDS = ("days", "sessions_per_week", "minutes_per_session", "weeks", "equipment", "setting")
MAX_NAME = 200
MAX_DESCRIPTION = 2000


class NoActiveProgram(Conflict):
    """The participant has no approved program to save as a template."""


@dataclass(frozen=True)
class TemplateItem:
    """One exercise of a template: a dose edit (empty: none) and/or a trainer's level or pause."""

    exercise_id: str
    dose: dict[str, int | float] = field(default_factory=dict)
    held: bool = False  # a trainer's level or pause is part of the item
    level: int | None = None
    paused: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "exercise_id": self.exercise_id,
            "dose": self.dose,
            "held": self.held,
            "level": self.level,
            "paused": self.paused,
        }

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> TemplateItem:
        return cls(
            item["exercise_id"],
            dict(item.get("dose") or {}),
            bool(item.get("held")),
            item.get("level"),
            bool(item.get("paused")),
        )


@dataclass(frozen=True)
class TemplateContent:
    items: tuple[TemplateItem, ...]
    preferences: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"items": [item.to_json() for item in self.items], "preferences": self.preferences}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> TemplateContent:
        items = tuple(TemplateItem.from_json(item) for item in document.get("items", []))
        return cls(items, dict(document.get("preferences") or {}))


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    description: str
    content: TemplateContent
    created_by: int | None
    created_at: dt.datetime


# Saving ---------------------------------------------------------------------------------------------------


def content_of_program(uow: UnitOfWork, actor: Actor, participant_id: int) -> TemplateContent:
    """What a template made from this participant's active program would hold."""
    participant_row(uow, actor, participant_id)  # 404 before 403: nothing about others leaks
    require_staff(actor)
    active = programs.active_version(uow, participant_id)
    if active is None:
        raise NoActiveProgram(
            "This participant has no approved program yet; approve one, then save it as a template.",
            fr=(
                "Ce participant n'a pas encore de programme approuvé; approuvez-en un, puis enregistrez-le comme modèle."
            ),
        )
    doses: dict[str, dict[str, int | float]] = {}
    for edit in programs.edits_of(active):
        doses.setdefault(edit.exercise_id, {}).update(edit.changes())
    held = {key: value for key, value in programs.carried_adjustments(active).items() if value.source == "trainer"}
    items = tuple(
        TemplateItem(
            exercise_id,
            doses.get(exercise_id, {}),
            exercise_id in held,
            held[exercise_id].level if exercise_id in held else None,
            held[exercise_id].paused if exercise_id in held else False,
        )
        for exercise_id in sorted(doses.keys() | held.keys())
    )
    preferences = programs.profile_of(uow, active.profile_version_id).preferences
    chosen = preferences.model_dump(mode="json", include=set(PREFERENCE_FIELDS), exclude_none=True)
    return TemplateContent(items, chosen)


def save_template(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, name: str, description: str, now: dt.datetime
) -> int:
    """Save the participant's active program as a template of the clinic; its id."""
    content = content_of_program(uow, actor, participant_id)
    clean_name = " ".join(name.split())
    if not clean_name:
        raise InvalidRequest(
            "Give the template a name, e.g. “Cervical dystonia, first month”.",
            fr="Donnez un nom au modèle, p. ex. « Dystonie cervicale, premier mois ».",
            field=("name",),
        )
    if len(clean_name) > MAX_NAME:
        raise InvalidRequest(
            f"Keep the name under {MAX_NAME} characters.",
            fr=f"Gardez le nom sous {MAX_NAME} caractères.",
            field=("name",),
        )
    if len(description) > MAX_DESCRIPTION:
        raise InvalidRequest(
            f"Keep the description under {MAX_DESCRIPTION} characters.",
            fr=f"Gardez la description sous {MAX_DESCRIPTION} caractères.",
            field=("description",),
        )
    taken = uow.connection.execute(
        sa.select(program_templates.c.id).where(
            program_templates.c.clinic_id == actor.clinic_id, program_templates.c.name == clean_name
        )
    ).first()
    if taken is not None:
        raise Conflict(
            "The clinic already has a template with this name; choose another name.",
            fr="La clinique a déjà un modèle portant ce nom; choisissez un autre nom.",
        )
    template_id = uow.connection.execute(
        program_templates.insert()
        .values(
            clinic_id=actor.clinic_id,
            name=clean_name,
            description=description.strip(),
            document=content.to_json(),
            created_by=actor.user_id,
            created_at=now,
        )
        .returning(program_templates.c.id)
    ).scalar_one()
    _audit(uow, actor, "create", int(template_id), None, now)
    return int(template_id)


# Reading and deleting -------------------------------------------------------------------------------------


def _template(row: sa.Row[Any]) -> Template:
    content = TemplateContent.from_json(row.document)
    return Template(row.id, row.name, row.description, content, row.created_by, row.created_at)


def list_templates(uow: UnitOfWork, actor: Actor) -> list[Template]:
    require_staff(actor)
    rows = uow.connection.execute(
        sa.select(program_templates)
        .where(program_templates.c.clinic_id == actor.clinic_id)
        .order_by(program_templates.c.name, program_templates.c.id)
    )
    return [_template(row) for row in rows]


def get_template(uow: UnitOfWork, actor: Actor, template_id: int) -> Template:
    require_staff(actor)
    row = uow.connection.execute(
        sa.select(program_templates).where(
            program_templates.c.id == template_id, program_templates.c.clinic_id == actor.clinic_id
        )
    ).first()
    if row is None:
        raise NotFound("template")
    return _template(row)


def delete_template(uow: UnitOfWork, actor: Actor, template_id: int, *, now: dt.datetime) -> None:
    """The person who saved it, or a clinic admin. Programs started from it keep their changes."""
    found = get_template(uow, actor, template_id)
    if actor.role != "admin" and found.created_by != actor.user_id:
        raise Forbidden(
            "Only the person who saved this template, or a clinic admin, may delete it.",
            fr="Seule la personne qui a enregistré ce modèle, ou un administrateur de la clinique, peut le supprimer.",
        )
    uow.connection.execute(program_templates.delete().where(program_templates.c.id == template_id))
    _audit(uow, actor, "delete", template_id, None, now)


def _audit(uow: UnitOfWork, actor: Actor, action: str, template_id: int, pid: int | None, now: dt.datetime) -> None:
    audit_change(uow, AuditRecord(now, actor.user_id, actor.email, action, "program_template", str(template_id), pid))


# Applying -------------------------------------------------------------------------------------------------

# Why an item was not applied (the page words each one in the reader's language).
SKIP_EXCLUDED = "excluded"  # a rule left the exercise out of this person's program; `details` gives the rule's words
SKIP_NOT_PLANNED = "not_planned"  # the exercise is not in this person's program
SKIP_UNKNOWN = "unknown_exercise"  # no longer in the catalog
SKIP_LEVEL = "level_out_of_range"
SKIP_TIME = "time_budget"  # the dose would make a session longer than the person's minutes per session
SKIP_BLOCKED = "blocked"  # screening blocks the program: nothing is planned
SKIP_ALREADY = "already"  # the program already has this change


@dataclass(frozen=True)
class Skipped:
    exercise_id: str
    reason: str
    details: tuple[str, ...] = ()  # the planner's own words (in the program's language) or the service's message


@dataclass(frozen=True)
class Application:
    participant_id: int
    template: Template
    applied: tuple[TemplateItem, ...]
    skipped: tuple[Skipped, ...]
    preferences_changed: bool
    program_version: int  # the version now carrying the changes (a draft waits for approval)
    program_status: str
    language: str  # of the program, and so of the planner's words in `Skipped.details`


def clinic_time_zone(uow: UnitOfWork, clinic_id: int) -> str:
    zone: str = uow.connection.execute(sa.select(clinics.c.time_zone).where(clinics.c.id == clinic_id)).scalar_one()
    return zone


def clinic_today(uow: UnitOfWork, clinic_id: int, now: dt.datetime) -> dt.date:
    """Today where the clinic is: program changes start on the clinic's day."""
    return now.astimezone(ZoneInfo(clinic_time_zone(uow, clinic_id))).date()


def apply_template(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    template_id: int,
    *,
    with_preferences: bool,
    now: dt.datetime,
) -> Application:
    """Apply a template to a participant's program (the waiting draft, else the active program)."""
    participant_row(uow, actor, participant_id)  # 404 before 403
    require_staff(actor)
    template = get_template(uow, actor, template_id)
    today = clinic_today(uow, actor.clinic_id, now)
    if (
        programs.latest_version(uow, participant_id, "draft") is None
        and programs.active_version(uow, participant_id) is None
    ):
        raise Conflict(
            "This participant has no program yet; generate one, then apply the template.",
            fr="Ce participant n'a pas encore de programme; générez-en un, puis appliquez le modèle.",
        )
    reason = f"From the template “{template.name}”"
    changed = with_preferences and _apply_preferences(uow, actor, participant_id, template, reason, now, today)
    applied: list[TemplateItem] = []
    skipped: list[Skipped] = []
    for item in template.content.items:
        outcome = _apply_item(uow, actor, participant_id, item, reason=reason, now=now, today=today)
        if outcome is None:
            applied.append(item)
        else:
            skipped.append(outcome)
    base = _base(uow, participant_id)
    assert base is not None  # there was a program, and changes only add versions
    _audit(uow, actor, "apply", template.id, participant_id, now)
    language = str(programs.parsed_plan(uow, base)["language"])
    return Application(
        participant_id, template, tuple(applied), tuple(skipped), changed, base.version, base.status, language
    )


def _base(uow: UnitOfWork, participant_id: int) -> sa.Row[Any] | None:
    return programs.latest_version(uow, participant_id, "draft") or programs.active_version(uow, participant_id)


def _apply_preferences(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    template: Template,
    reason: str,
    now: dt.datetime,
    today: dt.date,
) -> bool:
    """A new profile version with the template's preferences (the person's start date kept) and a new draft."""
    wanted = template.content.preferences
    if not wanted:
        return False
    _, profile = participants.current_profile(uow, participant_id)
    document = participants.stored_document(profile)
    current = dict(document.get("preferences") or {})
    merged = {key: value for key, value in current.items() if key not in PREFERENCE_FIELDS} | wanted
    if merged == current:
        return False
    updated = Profile.model_validate(document | {"preferences": merged})
    participants.change_profile(uow, actor, participant_id, updated, reason=reason, now=now, today=today)
    programs.generate(uow, actor, participant_id, now=now, reason=reason)
    return True


def _apply_item(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    item: TemplateItem,
    *,
    reason: str,
    now: dt.datetime,
    today: dt.date,
) -> Skipped | None:
    """None when applied; else why not."""
    # The participant's clinic catalog: a template may hold the clinic's own exercises (a retired one is unknown).
    compiled = clinic_catalog.planning_catalog(uow, participant_id).exercises.get(item.exercise_id)
    if compiled is None:
        return Skipped(item.exercise_id, SKIP_UNKNOWN)
    base = _base(uow, participant_id)
    assert base is not None  # checked by apply_template
    plan = programs.parsed_plan(uow, base)
    held = programs.carried_adjustments(base).get(item.exercise_id)
    holds = item.held and (item.level is not None or item.paused)
    same_hold = not holds or (
        held is not None and held.source == "trainer" and (held.level, held.paused) == (item.level, item.paused)
    )
    pinned: dict[str, int | float] = {}
    for edit in programs.edits_of(base):
        if edit.exercise_id == item.exercise_id:
            pinned.update(edit.changes())
    same_dose = all(pinned.get(name) == value for name, value in item.dose.items())
    if same_hold and same_dose:
        return Skipped(item.exercise_id, SKIP_ALREADY)
    if plan["status"] == "blocked":
        return Skipped(item.exercise_id, SKIP_BLOCKED)
    excluded = {entry["exercise_id"]: entry["reasons"] for entry in plan["excluded"]}
    if item.exercise_id in excluded:
        return Skipped(item.exercise_id, SKIP_EXCLUDED, tuple(reason["text"] for reason in excluded[item.exercise_id]))
    if item.exercise_id not in _planned(plan):
        return Skipped(item.exercise_id, SKIP_NOT_PLANNED)
    if item.level is not None and item.level > len(compiled.exercise.levels):
        return Skipped(item.exercise_id, SKIP_LEVEL)
    # One item is all or nothing: a level held without its dose (or the reverse) is not what the template says.
    savepoint = uow.connection.begin_nested()
    try:
        if not same_hold:
            program_changes.override(
                uow,
                actor,
                participant_id,
                exercise_id=item.exercise_id,
                level=item.level,
                paused=item.paused,
                release=False,
                reason=reason,
                now=now,
                today=today,
            )
        if not same_dose:
            programs.edit(
                uow,
                actor,
                participant_id,
                exercise_id=item.exercise_id,
                reason=reason,
                dose=item.dose,
                now=now,
                today=today,
            )
    except InvalidRequest as error:  # the only refusal left once the checks above passed: the time budget
        savepoint.rollback()
        return Skipped(item.exercise_id, SKIP_TIME, (str(error),))
    savepoint.commit()
    return None


def _planned(plan: dict[str, Any]) -> set[str]:
    return {block["exercise_id"] for session in plan["_sessions_by_date"].values() for block in session["blocks"]}
