"""Health records around the program: botulinum-toxin injections, clearances (with a document), screening results.

Recording an injection or a clearance changes what the planner must know, so each one is stored as a row *and*
as a new profile version, and the program is regenerated as a draft: the active version stays in use until a
trainer approves the draft (services/programs.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, get_args

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import clearances, injections, profile_versions, screenings
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain import vocab
from neuromotrix.domain.errors import Conflict, InvalidRequest, NotFound
from neuromotrix.domain.facts import CLEARANCE_VALID_MONTHS, add_months, derive_facts
from neuromotrix.domain.profile import Profile
from neuromotrix.domain.screening import RaisedFlag, screen
from neuromotrix.services import programs
from neuromotrix.services.access import Actor, lock_participant, participant_row, require_staff
from neuromotrix.services.participants import add_profile_version, audit, current_profile, load_stored
from neuromotrix.services.unit_of_work import UnitOfWork

REGIONS: tuple[str, ...] = get_args(vocab.Region)
RESTRICTIONS: tuple[str, ...] = get_args(vocab.Restriction)
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024  # 5 MiB: a scanned letter fits; larger uploads are refused (422)
MAX_FILE_NAME = 200  # the clearances.document_name column
# Accepted clearance documents, recognised by their first bytes, never by the declared type alone.
DOCUMENT_SIGNATURES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
}
DOCUMENT_TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}
# Declared types that say nothing (a client that does not know): the content decides.
UNSPECIFIC_TYPES = frozenset({"", "application/octet-stream"})


@dataclass(frozen=True)
class Recorded:
    """What recording an injection or a clearance did: the row, the new profile version and the new draft."""

    row: sa.Row[Any]
    profile_version: int
    draft: sa.Row[Any]
    active_version: int | None  # the version still in use until the draft is approved
    outcome: vocab.Status  # the draft's screening outcome
    next_injection_expected_on: dt.date | None


@dataclass(frozen=True)
class Document:
    content: bytes
    content_type: str
    name: str


# Injections ---------------------------------------------------------------------------------------------------


def record_injection(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    injected_on: dt.date,
    regions: list[str],
    product: str | None,
    dose_units: float | None,
    now: dt.datetime,
    today: dt.date,
) -> Recorded:
    """Staff, the participant or a linked caregiver records an injection (anyone who may see the participant)."""
    participant_row(uow, actor, participant_id)
    lock_participant(uow, participant_id)
    regions = _injection_regions(regions)
    product = (product or "").strip() or None
    if product is not None and len(product) > 100:
        raise InvalidRequest(
            "The product name is at most 100 characters.",
            fr="Le nom du produit compte 100 caractères au plus.",
            field=("product",),
        )
    if injected_on > today:
        raise InvalidRequest(
            f"The injection date {injected_on.isoformat()} is in the future (today is {today.isoformat()}). "
            "Record an injection once it has been given, with the date it was given.",
            fr=(
                f"La date d'injection {injected_on.isoformat()} est dans le futur (nous sommes le {today.isoformat()}). "
                "Enregistrez une injection une fois donnée, à la date où elle a été donnée."
            ),
            field=("injected_on",),
        )
    if dose_units is not None and dose_units <= 0:
        raise InvalidRequest(
            "The dose is a number of units greater than 0; leave it out if unknown.",
            fr="La dose est un nombre d'unités supérieur à 0; omettez-la si elle est inconnue.",
            field=("dose_units",),
        )
    profile_row, profile = current_profile(uow, participant_id)
    _refuse_duplicate_injection(uow, participant_id, profile, injected_on, regions)
    row = _insert_returning(
        uow,
        injections,
        participant_id=participant_id,
        injected_on=injected_on,
        regions=regions,
        product=product,
        dose_units=dose_units,
        recorded_by=actor.user_id,
        created_at=now,
    )
    audit(uow, actor, "create", "injection", row.id, participant_id, now)
    entry: dict[str, Any] = {"date": injected_on.isoformat(), "regions": regions}
    if product is not None:
        entry["product"] = product
    if dose_units is not None:
        entry["dose_units"] = dose_units
    document = copy.deepcopy(profile_row.document)
    treatments = document.setdefault("treatments", {})
    treatments["botulinum_toxin"] = sorted([*treatments.get("botulinum_toxin", []), entry], key=lambda i: i["date"])
    explicit = profile.treatments.botulinum_toxin_next_expected_on
    if explicit is not None and explicit <= injected_on:
        # PRODUCT.md contract default: the last injection + 12 weeks. An explicit date later than this injection
        # is a clinician's plan for the next one and stays.
        treatments.pop("botulinum_toxin_next_expected_on", None)
    reason = f"Toxin injection on {injected_on.isoformat()} recorded"
    return _new_version_and_draft(uow, actor, participant_id, row, document, reason, "injection", now, today)


def _injection_regions(regions: list[str]) -> list[str]:
    if not regions:
        raise InvalidRequest(
            f"Give at least one injected region: {', '.join(REGIONS)}.",
            fr=f"Donnez au moins une région injectée : {', '.join(REGIONS)}.",
            field=("regions",),
        )
    for index, region in enumerate(regions):
        if region not in REGIONS:
            raise InvalidRequest(
                f"Unknown region {region!r}; use one of: {', '.join(REGIONS)}.",
                fr=f"Région inconnue : {region!r}; utilisez l'une de celles-ci : {', '.join(REGIONS)}.",
                field=("regions", index),
            )
    return list(dict.fromkeys(regions))


def _refuse_duplicate_injection(
    uow: UnitOfWork, participant_id: int, profile: Profile, injected_on: dt.date, regions: list[str]
) -> None:
    wanted = frozenset(regions)
    in_profile = any(
        i.date == injected_on and frozenset(i.regions) == wanted for i in profile.treatments.botulinum_toxin
    )
    recorded = uow.connection.execute(
        sa.select(injections.c.regions).where(
            injections.c.participant_id == participant_id, injections.c.injected_on == injected_on
        )
    ).scalars()
    if in_profile or any(frozenset(found) == wanted for found in recorded):
        raise Conflict(
            f"An injection on {injected_on.isoformat()} in {', '.join(sorted(wanted))} is already recorded. "
            "Check the date and regions; to correct a recorded injection, change the profile instead.",
            fr=(
                f"Une injection le {injected_on.isoformat()} dans {', '.join(sorted(wanted))} est déjà enregistrée. "
                "Vérifiez la date et les régions; pour corriger une injection enregistrée, modifiez plutôt le profil."
            ),
        )


def list_injections(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """The injection history, newest first: the recorded ones, and those that came with the profile (e.g. at
    intake) and were never recorded here (`source: profile`, no id)."""
    participant_row(uow, actor, participant_id)
    rows = uow.connection.execute(sa.select(injections).where(injections.c.participant_id == participant_id)).all()
    items: list[dict[str, Any]] = [dict(row._mapping) | {"source": "recorded"} for row in rows]
    recorded = {(row.injected_on, frozenset(row.regions)) for row in rows}
    _, profile = current_profile(uow, participant_id)
    for injection in profile.treatments.botulinum_toxin:
        if (injection.date, frozenset(injection.regions)) in recorded:
            continue
        items.append(
            {
                "id": None,
                "injected_on": injection.date,
                "regions": list(injection.regions),
                "product": injection.product,
                "dose_units": injection.dose_units,
                "recorded_by": None,
                "created_at": None,
                "source": "profile",
            }
        )
    items.sort(key=lambda item: (item["injected_on"], item["id"] or 0), reverse=True)
    return items[offset : offset + limit], len(items)


# Clearances ---------------------------------------------------------------------------------------------------


def record_clearance(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    *,
    cleared_by: str,
    cleared_on: dt.date,
    restrictions: list[str],
    document: Document | None,
    now: dt.datetime,
    today: dt.date,
) -> Recorded:
    """A staff member records a clinician's clearance (BRIEF §6.1), valid 12 months from its date."""
    participant_row(uow, actor, participant_id)
    require_staff(actor)
    lock_participant(uow, participant_id)
    cleared_by = " ".join(cleared_by.split())
    if not cleared_by:
        raise InvalidRequest(
            "Name the clinician who gave the clearance (e.g. 'Dr. L. Gagnon, neurologist').",
            fr=("Nommez le clinicien qui a donné l'autorisation (p. ex. « Dre L. Gagnon, neurologue »)."),
            field=("cleared_by",),
        )
    if len(cleared_by) > 200:
        raise InvalidRequest(
            "The clinician's name is at most 200 characters.",
            fr="Le nom du clinicien compte 200 caractères au plus.",
            field=("cleared_by",),
        )
    _check_clearance_date(cleared_on, today)
    restrictions = _clearance_restrictions(restrictions)
    stored = None if document is None else checked_document(document)
    profile_row, profile = current_profile(uow, participant_id)
    on_file = profile.screening.clearance
    if on_file is not None and on_file.on > cleared_on:
        raise Conflict(
            f"A more recent clearance (by {on_file.by}, dated {on_file.on.isoformat()}) is already on file. "
            "Record a clearance dated on or after it.",
            fr=(
                f"Une autorisation plus récente (par {on_file.by}, datée du {on_file.on.isoformat()}) est déjà au dossier. "
                "Enregistrez une autorisation datée de ce jour ou d'après."
            ),
        )
    row = _insert_returning(
        uow,
        clearances,
        participant_id=participant_id,
        cleared_by=cleared_by,
        cleared_on=cleared_on,
        restrictions=restrictions,
        document_name=stored.name if stored else None,
        document_type=stored.content_type if stored else None,
        document=stored.content if stored else None,
        recorded_by=actor.user_id,
        created_at=now,
        returning=_clearance_columns(),
    )
    audit(uow, actor, "create", "clearance", row.id, participant_id, now)
    updated = copy.deepcopy(profile_row.document)
    screening = updated.setdefault("screening", {})
    screening["clearance"] = {"by": cleared_by, "on": cleared_on.isoformat(), "restrictions": restrictions}
    reason = f"Clearance by {cleared_by} on {cleared_on.isoformat()} recorded"
    if profile.start_on < cleared_on:
        # Screening counts a clearance only if it was on file when the program starts (domain/facts.py), so the
        # regenerated program starts on the clearance date.
        updated.setdefault("preferences", {})["start_on"] = cleared_on.isoformat()
        reason += f"; program start moved from {profile.start_on.isoformat()} to {cleared_on.isoformat()}"
    return _new_version_and_draft(uow, actor, participant_id, row, updated, reason, "clearance", now, today)


def _check_clearance_date(cleared_on: dt.date, today: dt.date) -> None:
    if cleared_on > today:
        raise InvalidRequest(
            f"The clearance date {cleared_on.isoformat()} is in the future (today is {today.isoformat()}). "
            "Give the date written on the clearance.",
            fr=(
                f"La date d'autorisation {cleared_on.isoformat()} est dans le futur (nous sommes le {today.isoformat()}). "
                "Donnez la date inscrite sur l'autorisation."
            ),
            field=("cleared_on",),
        )
    expires_on = add_months(cleared_on, CLEARANCE_VALID_MONTHS)
    if today >= expires_on:
        raise InvalidRequest(
            f"A clearance counts for {CLEARANCE_VALID_MONTHS} months: the one dated {cleared_on.isoformat()} "
            f"expired on {expires_on.isoformat()}. Ask the clinician for a new clearance and record that one.",
            fr=(
                f"Une autorisation vaut {CLEARANCE_VALID_MONTHS} mois : celle datée du {cleared_on.isoformat()} a expiré le "
                f"{expires_on.isoformat()}. Demandez une nouvelle autorisation au clinicien et enregistrez-la."
            ),
            field=("cleared_on",),
        )


def _clearance_restrictions(restrictions: list[str]) -> list[str]:
    for index, restriction in enumerate(restrictions):
        if restriction not in RESTRICTIONS:
            raise InvalidRequest(
                f"Unknown restriction {restriction!r}; use one of: {', '.join(RESTRICTIONS)}.",
                fr=f"Restriction inconnue : {restriction!r}; utilisez l'une de celles-ci : {', '.join(RESTRICTIONS)}.",
                field=("restrictions", index),
            )
    return list(dict.fromkeys(restrictions))


def checked_document(document: Document) -> Document:
    """The document if it is a PDF, PNG or JPEG file of at most MAX_DOCUMENT_BYTES, with a safe file name.

    The type is read from the content's first bytes; a declared type that disagrees is refused."""
    size = len(document.content)
    if size == 0:
        raise InvalidRequest(
            "The document is empty. Attach the clearance as a PDF, PNG or JPEG file.",
            fr="Le document est vide. Joignez l'autorisation en fichier PDF, PNG ou JPEG.",
            field=("document",),
        )
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidRequest(
            f"The document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB. "
            "Attach a smaller file (a PDF, or a PNG or JPEG scan at a lower resolution).",
            fr=(
                f"Le document dépasse {MAX_DOCUMENT_BYTES // (1024 * 1024)} Mio. "
                "Joignez un fichier plus petit (un PDF, ou une numérisation PNG ou JPEG à plus basse résolution)."
            ),
            field=("document",),
        )
    found = next((kind for kind, magic in DOCUMENT_SIGNATURES.items() if document.content.startswith(magic)), None)
    if found is None:
        raise InvalidRequest(
            "The document is not a PDF, PNG or JPEG file (its content says otherwise). Attach the clearance in "
            "one of these formats.",
            fr=(
                "Le document n'est pas un fichier PDF, PNG ou JPEG (son contenu dit autre chose). Joignez l'autorisation "
                "dans l'un de ces formats."
            ),
            field=("document",),
        )
    declared = (document.content_type or "").split(";")[0].strip().lower()
    declared = DOCUMENT_TYPE_ALIASES.get(declared, declared)
    if declared not in UNSPECIFIC_TYPES and declared != found:
        raise InvalidRequest(
            f"The document is declared as {declared} but its content is {found}. Attach the file again with its "
            "real type.",
            fr=(
                f"Le document est déclaré comme {declared}, mais son contenu est {found}. Joignez de nouveau le fichier avec "
                "son vrai type."
            ),
            field=("document",),
        )
    return Document(content=document.content, content_type=found, name=safe_file_name(document.name, found))


def safe_file_name(name: str, content_type: str) -> str:
    """The last path component, letters, digits, '.', '-' and '_' only, with the extension of the real type."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    cleaned = "".join(ch if ch.isalnum() or ch in ".-_" else "_" for ch in base)
    cleaned = re.sub(r"_{2,}", "_", cleaned).strip("._-") or "clearance"
    extension = EXTENSIONS[content_type][0]
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and stem and f".{suffix.lower()}" in EXTENSIONS[content_type]:
        cleaned, extension = stem, f".{suffix}"
    return cleaned[: MAX_FILE_NAME - len(extension)] + extension


def _clearance_columns() -> list[sa.ColumnElement[Any]]:
    """Every column but the document bytes, plus whether there is a document and its size."""
    return [
        *(column for column in clearances.c if column.name != "document"),
        sa.func.coalesce(sa.func.length(clearances.c.document), 0).label("document_bytes"),
    ]


def list_clearances(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, offset: int, limit: int, today: dt.date
) -> tuple[list[dict[str, Any]], int]:
    """Clearances, newest first, with the date each stops counting and whether it has; no document bytes."""
    participant_row(uow, actor, participant_id)
    where = clearances.c.participant_id == participant_id
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(clearances).where(where)).scalar_one()
    rows = uow.connection.execute(
        sa.select(*_clearance_columns())
        .where(where)
        .order_by(clearances.c.cleared_on.desc(), clearances.c.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [clearance_view(row, today) for row in rows], int(total)


def clearance_view(row: sa.Row[Any], today: dt.date) -> dict[str, Any]:
    expires_on = add_months(row.cleared_on, CLEARANCE_VALID_MONTHS)
    return dict(row._mapping) | {
        "expires_on": expires_on,
        "expired": today >= expires_on,
        "has_document": row.document_type is not None,
    }


def get_clearance_document(uow: UnitOfWork, actor: Actor, participant_id: int, clearance_id: int) -> Document:
    participant_row(uow, actor, participant_id)
    row = uow.connection.execute(
        sa.select(clearances.c.document, clearances.c.document_type, clearances.c.document_name).where(
            clearances.c.id == clearance_id, clearances.c.participant_id == participant_id
        )
    ).first()
    if row is None or row.document is None:
        raise NotFound("clearance document")
    return Document(content=bytes(row.document), content_type=row.document_type, name=row.document_name)


# Screening results --------------------------------------------------------------------------------------------


def latest_screening(uow: UnitOfWork, actor: Actor, participant_id: int) -> dict[str, Any]:
    items, _ = list_screenings(uow, actor, participant_id, offset=0, limit=1)
    if not items:
        raise NotFound("screening result")
    return items[0]


def list_screenings(
    uow: UnitOfWork, actor: Actor, participant_id: int, *, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Screening results, newest first (one per generated program), flags in English and French."""
    participant_row(uow, actor, participant_id)
    where = screenings.c.participant_id == participant_id
    total = uow.connection.execute(sa.select(sa.func.count()).select_from(screenings).where(where)).scalar_one()
    rows = uow.connection.execute(
        sa.select(screenings, profile_versions.c.version.label("profile_version"), profile_versions.c.document)
        .join(profile_versions, profile_versions.c.id == screenings.c.profile_version_id)
        .where(where)
        .order_by(screenings.c.created_at.desc(), screenings.c.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    texts: dict[int, dict[str, RaisedFlag]] = {}
    items = []
    for row in rows:
        if row.profile_version_id not in texts:
            texts[row.profile_version_id] = _flag_texts(row.document)
        items.append(
            {
                "id": row.id,
                "outcome": row.outcome,
                "screened_on": row.screened_on,
                "created_at": row.created_at,
                "profile_version": row.profile_version,
                "flags": [_bilingual(flag, texts[row.profile_version_id]) for flag in row.flags],
            }
        )
    return items, int(total)


def _flag_texts(document: dict[str, Any]) -> dict[str, RaisedFlag]:
    """The screened profile version screened again: the domain is deterministic and has both languages."""
    profile = load_stored(document)
    result = screen(profile, derive_facts(profile), load_catalog().rules)
    return {flag.code: flag for flag in result.flags}


def _bilingual(stored: dict[str, Any], by_code: dict[str, RaisedFlag]) -> dict[str, Any]:
    """The flag as recorded (in the program's language), with its English and French texts."""
    flag = by_code.get(stored["code"])
    return stored | {
        "message_en": flag.message.en if flag else None,
        "message_fr": flag.message.fr if flag else None,
        "action_en": flag.action.en if flag else None,
        "action_fr": flag.action.fr if flag else None,
    }


# Shared -------------------------------------------------------------------------------------------------------


def _insert_returning(
    uow: UnitOfWork, table: sa.Table, *, returning: list[sa.ColumnElement[Any]] | None = None, **values: Any
) -> sa.Row[Any]:
    new_id = uow.connection.execute(table.insert().values(values).returning(table.c.id)).scalar_one()
    columns = returning or list(table.c)
    return uow.connection.execute(sa.select(*columns).where(table.c.id == new_id)).one()


def _new_version_and_draft(
    uow: UnitOfWork,
    actor: Actor,
    participant_id: int,
    row: sa.Row[Any],
    document: dict[str, Any],
    reason: str,
    source: str,
    now: dt.datetime,
    today: dt.date,
) -> Recorded:
    profile = load_stored(document)
    version_id = add_profile_version(uow, actor, participant_id, profile, reason=reason, now=now, today=today)
    version = uow.connection.execute(
        sa.select(profile_versions.c.version).where(profile_versions.c.id == version_id)
    ).scalar_one()
    draft = programs.generate(uow, actor, participant_id, now=now, reason=reason, source=source)
    active = programs.active_version(uow, participant_id)
    return Recorded(
        row=row,
        profile_version=int(version),
        draft=draft,
        active_version=None if active is None else int(active.version),
        outcome=programs.parsed_plan(uow, draft)["status"],
        next_injection_expected_on=profile.treatments.next_injection_expected_on,
    )
