"""Portable backups: one gzip'd JSON-lines file that restores into SQLite or PostgreSQL alike.

Layout (one JSON value per line, UTF-8, gzip-compressed):

    {"format": "neuromotrix-backup", "format_version": 1, "revision": "0002", "created_at": "...",
     "source": "sqlite", "tables": ["clinics", "users", ...]}             the header (on one line)
    {"table": "clinics", "columns": ["id", "name", ...], "kinds": ["int", "str", ...]}
    [1, "Clinique du Parc", ...]                                          one array per row, primary-key order
    ...                                                                   every table, parents before children
    {"end": {"clinics": 2, "users": 5, ...}}                              row counts: a cut file is detected

Values by kind: `bytes` → base64; `date`, `datetime` (UTC, with its offset) and `time` → ISO 8601; `decimal` →
text; `json` → the JSON value itself; `int`, `float`, `bool`, `str` → themselves; SQL NULL → null.

Both directions stream: rows are read and written in batches (`BATCH_SIZE`), never a whole table in memory.
`restore` reads the file twice: once to check all of it before touching the database, once to insert.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import gzip
import json
import zlib
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from neuromotrix.adapters.db import portable, revisions
from neuromotrix.adapters.db.portable import Kind, TableShape
from neuromotrix.domain.errors import Conflict, InvalidRequest
from neuromotrix.services.audit import AuditRecord, audit_change
from neuromotrix.services.unit_of_work import UnitOfWork

FORMAT = "neuromotrix-backup"
FORMAT_VERSION = 1
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Header:
    format_version: int
    revision: str
    created_at: dt.datetime
    source: str
    tables: tuple[str, ...]


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    revision: str
    created_at: dt.datetime
    rows: Mapping[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass(frozen=True)
class RestoreSummary:
    revision: str
    created_at: dt.datetime
    replaced: bool  # rows that were in the database were deleted first (force)
    rows: Mapping[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# --- values -------------------------------------------------------------------------------------------------


def _same(value: Any) -> Any:
    return value


def _iso(value: dt.date | dt.time) -> str:
    return value.isoformat()


def _utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def _base64(value: bytes | memoryview) -> str:
    return base64.b64encode(bytes(value)).decode("ascii")


ENCODERS: dict[Kind, Callable[[Any], Any]] = {
    "int": _same,
    "float": _same,
    "decimal": str,
    "bool": _same,
    "str": _same,
    "bytes": _base64,
    "json": _same,
    "date": _iso,
    "datetime": _utc_iso,
    "time": _iso,
}


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected an integer")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    return float(value)


def _decimal(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise ValueError("expected a decimal number as text")
    try:
        return Decimal(value)
    except InvalidOperation as error:
        raise ValueError("expected a decimal number as text") from error


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _bytes(value: Any) -> bytes:
    try:
        return base64.b64decode(_str(value), validate=True)
    except binascii.Error as error:
        raise ValueError("expected base64 text") from error


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(_str(value))


def _datetime(value: Any) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(_str(value))
    if parsed.tzinfo is None:
        raise ValueError("expected a date and time with its UTC offset")
    return parsed.astimezone(dt.UTC)


def _time(value: Any) -> dt.time:
    return dt.time.fromisoformat(_str(value))


DECODERS: dict[Kind, Callable[[Any], Any]] = {
    "int": _int,
    "float": _float,
    "decimal": _decimal,
    "bool": _bool,
    "str": _str,
    "bytes": _bytes,
    "json": _same,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
}


# --- backup -------------------------------------------------------------------------------------------------


def backup(
    engine: sa.Engine, out_path: Path, *, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE
) -> BackupSummary:
    """Write every row of the database to `out_path`, as one consistent snapshot; the database stays online.

    The file appears only when complete (written beside it, then renamed), so a failed backup never leaves a
    file that looks usable.
    """
    missing = revisions.missing_sqlite_file(engine.url)
    if missing is not None:
        raise Conflict(
            f"There is no database at {missing}: nothing to back up. Check the database URL.",
            fr=f"Il n'y a pas de base de données à {missing} : rien à sauvegarder. Vérifiez l'URL de la base de données.",
        )
    if not out_path.parent.is_dir():
        raise InvalidRequest(
            f"The folder {out_path.parent} does not exist. Create it or choose another path.",
            fr=f"Le dossier {out_path.parent} n'existe pas. Créez-le ou choisissez un autre chemin.",
        )
    created_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    partial = out_path.with_name(f".{out_path.name}.partial")
    try:
        with portable.snapshot(engine) as connection:
            revision = revisions.revision_of(connection)
            if revision is None:
                raise Conflict(
                    "The database has no schema yet (no migration applied): nothing to back up. "
                    "Check the database URL, or create the schema with `neuromotrix db upgrade`.",
                    fr=(
                        "La base de données n'a pas encore de schéma (aucune migration appliquée) : rien à sauvegarder. "
                        "Vérifiez l'URL de la base de données, ou créez le schéma avec `neuromotrix db upgrade`."
                    ),
                )
            tables = portable.reflect(connection)
            with gzip.open(partial, "wt", encoding="utf-8", newline="\n", compresslevel=6) as stream:
                header = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "revision": revision,
                    "created_at": created_at.isoformat(),
                    "source": connection.dialect.name,
                    "tables": [table.name for table in tables],
                }
                _write_line(stream, header)
                rows = {table.name: _write_table(stream, connection, table, batch_size) for table in tables}
                _write_line(stream, {"end": rows})
        partial.replace(out_path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(path=out_path, revision=revision, created_at=created_at, rows=rows)


def _write_table(stream: IO[str], connection: sa.Connection, table: sa.Table, batch_size: int) -> int:
    table_shape = portable.shape(table)
    _write_line(stream, {"table": table.name, "columns": table_shape.columns, "kinds": table_shape.kinds})
    encoders = [ENCODERS[kind] for kind in table_shape.kinds]
    count = 0
    for row in portable.read_rows(connection, table, batch_size=batch_size):
        values = [None if value is None else encode(value) for encode, value in zip(encoders, row, strict=True)]
        _write_line(stream, values)
        count += 1
    return count


def _write_line(stream: IO[str], value: Any) -> None:
    stream.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    stream.write("\n")


# --- reading a backup file ----------------------------------------------------------------------------------

Batch = list[dict[str, Any]]


class _Reader:
    """Walks a backup file once, checking everything; yields each table's shape, then its rows in batches."""

    def __init__(self, path: Path, *, batch_size: int) -> None:
        self.path = path
        self.batch_size = batch_size
        self.line = 0

    def bad(self, problem: str, problem_fr: str) -> InvalidRequest:
        where = f" (line {self.line})" if self.line else ""
        where_fr = f" (ligne {self.line})" if self.line else ""
        return InvalidRequest(
            f"{self.path} is not a usable NeuroMotrix backup{where}: {problem}.",
            fr=f"{self.path} n'est pas une sauvegarde NeuroMotrix utilisable{where_fr} : {problem_fr}.",
        )

    def lines(self) -> Generator[Any]:
        if not self.path.is_file():
            raise InvalidRequest(
                f"There is no backup file at {self.path}. Check the path.",
                fr=f"Il n'y a pas de fichier de sauvegarde à {self.path}. Vérifiez le chemin.",
            )
        try:
            with gzip.open(self.path, "rt", encoding="utf-8", newline="\n") as stream:
                for text in stream:
                    self.line += 1
                    yield json.loads(text)
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            raise self.bad(
                f"the file is not gzip-compressed or is cut short ({error})",
                f"le fichier n'est pas compressé en gzip ou est tronqué ({error})",
            ) from error
        except UnicodeDecodeError as error:
            raise self.bad("the file is not UTF-8 text", "le fichier n'est pas du texte UTF-8") from error
        except json.JSONDecodeError as error:
            raise self.bad(
                f"a line is not valid JSON ({error.msg})", f"une ligne n'est pas du JSON valide ({error.msg})"
            ) from error

    def header(self, first: Any) -> Header:
        if not isinstance(first, dict) or first.get("format") != FORMAT:
            raise self.bad(
                "the first line is not a NeuroMotrix backup header",
                "la première ligne n'est pas un en-tête de sauvegarde NeuroMotrix",
            )
        version = first.get("format_version")
        if isinstance(version, int) and version > FORMAT_VERSION:
            raise self.bad(
                f"it uses backup format {version}, newer than this NeuroMotrix reads; upgrade NeuroMotrix",
                f"elle utilise le format de sauvegarde {version}, plus récent que ce que lit cette version de NeuroMotrix; mettez NeuroMotrix à jour",
            )
        if version != FORMAT_VERSION:
            raise self.bad(
                f"unknown backup format version {version!r}", f"version de format de sauvegarde inconnue : {version!r}"
            )
        revision, tables, created_at = first.get("revision"), first.get("tables"), first.get("created_at")
        if not isinstance(revision, str) or not revision:
            raise self.bad(
                "the header has no database revision", "l'en-tête n'indique aucune révision de base de données"
            )
        if not isinstance(tables, list) or not all(isinstance(name, str) for name in tables):
            raise self.bad(
                "the header's table list is not a list of names",
                "la liste des tables de l'en-tête n'est pas une liste de noms",
            )
        if len(set(tables)) != len(tables):
            raise self.bad("the header lists a table twice", "l'en-tête énumère une table deux fois")
        try:
            created = _datetime(created_at)
        except ValueError as error:
            raise self.bad(
                "the header's created_at is not an ISO date and time with offset",
                "le created_at de l'en-tête n'est pas une date et heure ISO avec décalage horaire",
            ) from error
        return Header(version, revision, created, str(first.get("source", "")), tuple(tables))

    def section(self, record: dict[str, Any], expected: str | None) -> TableShape:
        name, columns, kinds = record.get("table"), record.get("columns"), record.get("kinds")
        if expected is None:
            raise self.bad(
                f"table {name!r} is not in the header's list, or comes twice",
                f"la table {name!r} n'est pas dans la liste de l'en-tête, ou apparaît deux fois",
            )
        if name != expected:
            raise self.bad(
                f"found table {name!r} where {expected!r} was expected (the header's order)",
                f"table {name!r} trouvée là où {expected!r} était attendue (l'ordre de l'en-tête)",
            )
        if not isinstance(columns, list) or not all(isinstance(column, str) for column in columns):
            raise self.bad(
                f"table {name}: the column list is not a list of names",
                f"table {name} : la liste des colonnes n'est pas une liste de noms",
            )
        if not isinstance(kinds, list) or len(kinds) != len(columns) or not all(k in portable.KINDS for k in kinds):
            raise self.bad(
                f"table {name}: the column kinds are missing or unknown",
                f"table {name} : les types de colonnes sont absents ou inconnus",
            )
        if len(set(columns)) != len(columns):
            raise self.bad(
                f"table {name}: a column is listed twice", f"table {name} : une colonne est énumérée deux fois"
            )
        return TableShape(expected, tuple(columns), tuple(kinds))

    def row(self, table: TableShape, values: list[Any]) -> dict[str, Any]:
        if len(values) != len(table.columns):
            raise self.bad(
                f"table {table.name}: a row has {len(values)} values for {len(table.columns)} columns",
                f"table {table.name} : une ligne a {len(values)} valeurs pour {len(table.columns)} colonnes",
            )
        decoded: dict[str, Any] = {}
        for column, kind, value in zip(table.columns, table.kinds, values, strict=True):
            try:
                decoded[column] = None if value is None else DECODERS[kind](value)
            except ValueError as error:
                raise self.bad(
                    f"table {table.name}, column {column}: {error} for kind {kind}",
                    f"table {table.name}, colonne {column} : {error} pour le type {kind}",
                ) from error
        return decoded

    def read(self) -> Generator[Header | TableShape | Batch]:
        """The header, then per table its shape and its row batches; raises InvalidRequest on any flaw."""
        lines = self.lines()
        try:
            yield from self._records(lines)
        finally:
            lines.close()  # closes the file now, also when the caller stops early

    def _records(self, lines: Iterator[Any]) -> Iterator[Header | TableShape | Batch]:
        header = self.header(next(lines, None))
        yield header
        waiting = list(header.tables)
        counts: dict[str, int] = {}
        current: TableShape | None = None
        batch: Batch = []
        for record in lines:
            if isinstance(record, list):
                if current is None:
                    raise self.bad("a row comes before any table", "une ligne vient avant toute table")
                batch.append(self.row(current, record))
                counts[current.name] += 1
                if len(batch) >= self.batch_size:
                    yield batch
                    batch = []
                continue
            if batch:
                yield batch
                batch = []
            if isinstance(record, dict) and "table" in record:
                current = self.section(record, waiting.pop(0) if waiting else None)
                counts[current.name] = 0
                yield current
            elif isinstance(record, dict) and "end" in record:
                self.end(record["end"], waiting, counts)
                if next(lines, None) is not None:
                    raise self.bad(
                        "there is data after the end record", "il y a des données après l'enregistrement de fin"
                    )
                return
            else:
                raise self.bad(
                    "a line is neither a table, a row nor the end record",
                    "une ligne n'est ni une table, ni une ligne de données, ni l'enregistrement de fin",
                )
        raise self.bad(
            "the end record is missing: the file is cut short (the backup did not finish?)",
            "l'enregistrement de fin manque : le fichier est tronqué (la sauvegarde ne s'est-elle pas terminée?)",
        )

    def end(self, declared: Any, waiting: list[str], counts: dict[str, int]) -> None:
        if waiting:
            raise self.bad(
                f"tables listed in the header are missing: {', '.join(waiting)}",
                f"des tables énumérées dans l'en-tête manquent : {', '.join(waiting)}",
            )
        if declared != counts:
            raise self.bad(
                "the row counts in the end record do not match the rows in the file",
                "le nombre de lignes de l'enregistrement de fin ne correspond pas aux lignes du fichier",
            )


def read_header(path: Path) -> Header:
    """Only the header (cheap): what `restore` would restore, from which revision and when."""
    items = _Reader(path, batch_size=BATCH_SIZE).read()
    try:
        return _first_header(items)
    finally:
        items.close()


def check_file(path: Path) -> Header:
    """Read the whole file and check every line and value; raises InvalidRequest on the first flaw."""
    items = _Reader(path, batch_size=BATCH_SIZE).read()
    header = _first_header(items)
    for _ in items:
        pass
    return header


def _first_header(items: Iterator[Header | TableShape | Batch]) -> Header:
    first = next(items)
    if not isinstance(first, Header):
        raise RuntimeError("the backup reader must yield the header first")
    return first


# --- restore ------------------------------------------------------------------------------------------------


def restore(engine: sa.Engine, path: Path, *, force: bool = False, batch_size: int = BATCH_SIZE) -> RestoreSummary:
    """Restore a backup into an empty database (or, with `force`, into one emptied first).

    The database is first moved to the backup's revision (upgraded, or downgraded when it is empty), so the rows
    go back into exactly the schema they came from; upgrade to head afterwards (`revisions.upgrade_to_head`).
    The file is checked in full before anything is touched; the rows go in within one transaction, so a failure
    leaves the database as it was (with `force` and another revision, the emptying is committed first: the
    schema cannot move with rows in it).
    """
    header = check_file(path)
    known = [migration.revision for migration in revisions.migrations(engine)]
    if header.revision not in known:
        raise InvalidRequest(
            f"{path} was made at database revision {header.revision}, which this version of NeuroMotrix does not "
            f"know (its newest is {known[-1]}): it comes from a newer version. Install that version or a newer "
            "one to restore it.",
            fr=(
                f"{path} a été fait à la révision {header.revision} de la base de données, que cette version de NeuroMotrix "
                f"ne connaît pas (sa plus récente est {known[-1]}) : il provient d'une version plus récente. Installez cette "
                "version ou une plus récente pour le restaurer."
            ),
        )
    with engine.connect() as connection:
        current = revisions.revision_of(connection)
        occupied = portable.first_table_with_rows(connection, portable.reflect(connection))
    revisions.require_known(engine, current)
    if occupied is not None and not force:
        raise _not_empty(occupied)
    if current != header.revision:
        if occupied is not None:
            with UnitOfWork(engine, write=True) as uow:
                portable.delete_all(uow.connection, portable.reflect(uow.connection))
                uow.commit()
        revisions.move_to(engine, header.revision)
    with UnitOfWork(engine, write=True) as uow:
        rows = _restore_rows(uow.connection, path, header, force=force, batch_size=batch_size)
        uow.commit()
    return RestoreSummary(header.revision, header.created_at, replaced=occupied is not None, rows=rows)


def _restore_rows(
    connection: sa.Connection, path: Path, header: Header, *, force: bool, batch_size: int
) -> dict[str, int]:
    tables = portable.reflect(connection)
    by_name = {table.name: table for table in tables}
    missing, unknown = sorted(set(by_name) - set(header.tables)), sorted(set(header.tables) - set(by_name))
    if missing or unknown:
        raise InvalidRequest(
            f"{path} does not match the schema of revision {header.revision}: "
            f"tables missing from the file: {missing or 'none'}; tables the database does not have: "
            f"{unknown or 'none'}. The file was edited or comes from another program.",
            fr=(
                f"{path} ne correspond pas au schéma de la révision {header.revision} : "
                f"tables absentes du fichier : {missing or 'aucune'}; tables que la base de données n'a pas : "
                f"{unknown or 'aucune'}. Le fichier a été modifié ou provient d'un autre programme."
            ),
        )
    if force:
        portable.delete_all(connection, tables)
    elif (occupied := portable.first_table_with_rows(connection, tables)) is not None:
        raise _not_empty(occupied)  # someone wrote in the meantime
    rows: dict[str, int] = {}
    table: sa.Table | None = None
    with closing(_Reader(path, batch_size=batch_size).read()) as items:
        for item in items:
            if isinstance(item, TableShape):
                table = by_name[item.name]
                _require_same_shape(path, item, portable.shape(table))
                rows[item.name] = 0
            elif isinstance(item, list) and table is not None:
                _insert(connection, table, item, path)
                rows[table.name] += len(item)
    portable.reset_sequences(connection, tables)
    return rows


def _insert(connection: sa.Connection, table: sa.Table, batch: Batch, path: Path) -> None:
    try:
        portable.insert_rows(connection, table, batch)
    except (sa.exc.IntegrityError, sa.exc.DataError) as error:
        reason = " ".join(str(error.orig).split())
        raise InvalidRequest(
            f"The rows of table {table.name} in {path} do not fit the database ({reason}). Nothing was restored.",
            fr=(
                f"Les lignes de la table {table.name} de {path} ne conviennent pas à la base de données ({reason}). Rien n'a "
                "été restauré."
            ),
        ) from error


def _require_same_shape(path: Path, found: TableShape, expected: TableShape) -> None:
    found_kinds = dict(zip(found.columns, found.kinds, strict=True))
    expected_kinds = dict(zip(expected.columns, expected.kinds, strict=True))
    if found_kinds != expected_kinds:
        raise InvalidRequest(
            f"Table {found.name} in {path} does not match the database: the file has columns {found_kinds}, "
            f"the database {expected_kinds}. The file was edited or comes from another program.",
            fr=(
                f"La table {found.name} de {path} ne correspond pas à la base de données : le fichier a les colonnes "
                f"{found_kinds}, la base de données {expected_kinds}. Le fichier a été modifié ou provient d'un autre programme."
            ),
        )


def audit(engine: sa.Engine, *, actor: str, action: str, detail: str, now: dt.datetime) -> None:
    """Record a backup (every health record read) or a restore (every one replaced) in the audit log.

    Only on a database at the head revision: an older schema's audit table may be missing or differ.
    """
    with UnitOfWork(engine, write=True) as uow:
        if revisions.revision_of(uow.connection) != revisions.migrations(engine)[-1].revision:
            return
        audit_change(uow, AuditRecord(now, None, actor, action, "database", detail=detail[:500]))
        uow.commit()


def _not_empty(table: str) -> Conflict:
    return Conflict(
        f"The database is not empty (table {table} has rows). Restore into an empty database, or use --force "
        "to delete everything in it first.",
        fr=(
            f"La base de données n'est pas vide (la table {table} contient des lignes). Restaurez dans une base de données "
            "vide, ou utilisez --force pour d'abord tout y supprimer."
        ),
    )
