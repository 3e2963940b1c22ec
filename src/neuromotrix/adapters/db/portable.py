"""The database side of portable backups: the schema as the database holds it, rows streamed out in key order,
batched inserts, and PostgreSQL sequences put back after explicit ids were inserted.

The schema is reflected from the database, not taken from `tables.metadata`: a backup made at an older revision
is restored into a schema migrated to that same revision, whose tables and columns may differ from today's.
Every column gets a portable *kind* (int, str, datetime, ...), the same on SQLite and PostgreSQL, so a file
written from one restores into the other. Datetimes cross this boundary as aware UTC values whatever the backend
stores (SQLite keeps them naive, in UTC: see `tables.UtcDateTime`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, get_args

import sqlalchemy as sa

Kind = Literal["int", "float", "decimal", "bool", "str", "bytes", "json", "date", "datetime", "time"]
KINDS: frozenset[str] = frozenset(get_args(Kind))

VERSION_TABLE = "alembic_version"  # Alembic's bookkeeping: the revision travels in the backup header instead

# Checked in this order: Float before Numeric and DateTime before Date matter (subclasses first).
_KIND_OF_TYPE: tuple[tuple[type[sa.types.TypeEngine[Any]], Kind], ...] = (
    (sa.JSON, "json"),
    (sa.Boolean, "bool"),
    (sa.Integer, "int"),
    (sa.Float, "float"),
    (sa.Numeric, "decimal"),
    (sa.DateTime, "datetime"),
    (sa.Date, "date"),
    (sa.Time, "time"),
    (sa.LargeBinary, "bytes"),
    (sa.String, "str"),
)


@dataclass(frozen=True)
class TableShape:
    name: str
    columns: tuple[str, ...]
    kinds: tuple[Kind, ...]


class UnsupportedColumnError(TypeError):
    """A column type backups do not know how to carry (a programming error: teach `_KIND_OF_TYPE`)."""


def column_kind(column: sa.Column[Any]) -> Kind:
    for type_class, kind in _KIND_OF_TYPE:
        if isinstance(column.type, type_class):
            return kind
    raise UnsupportedColumnError(
        f"column {column.table.name}.{column.name} has type {column.type!r}, which backups cannot carry; "
        "add it to _KIND_OF_TYPE in neuromotrix/adapters/db/portable.py"
    )


def shape(table: sa.Table) -> TableShape:
    columns = tuple(table.columns)
    return TableShape(table.name, tuple(column.name for column in columns), tuple(map(column_kind, columns)))


def reflect(connection: sa.Connection) -> list[sa.Table]:
    """The application's tables as the database holds them, parents before children (foreign-key order)."""
    reflected = sa.MetaData()
    reflected.reflect(bind=connection)
    tables = [table for table in reflected.sorted_tables if table.name != VERSION_TABLE]
    for table in tables:
        for column in table.columns:
            if isinstance(column.type, sa.JSON):
                # Python None cannot say whether it was SQL NULL or JSON null; nullable columns get SQL NULL.
                column.type.none_as_null = bool(column.nullable)
    return tables


@contextmanager
def snapshot(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One read-only transaction that sees every table at the same instant while writers carry on.

    SQLite in WAL mode gives a read transaction a stable snapshot; PostgreSQL needs REPEATABLE READ for that
    (READ COMMITTED would let each table's query see a different moment).
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with connection.begin():
            yield connection


def read_rows(connection: sa.Connection, table: sa.Table, *, batch_size: int) -> Iterator[tuple[Any, ...]]:
    """Every row in primary-key order, fetched `batch_size` at a time (a server-side cursor on PostgreSQL)."""
    datetimes = [index for index, column in enumerate(table.columns) if isinstance(column.type, sa.DateTime)]
    query = sa.select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=batch_size).execute(query)
    for partition in result.partitions():
        for row in partition:
            values = list(row)
            for index in datetimes:
                values[index] = _aware_utc(values[index])
            yield tuple(values)


def first_table_with_rows(connection: sa.Connection, tables: Sequence[sa.Table]) -> str | None:
    for table in tables:
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None:
            return table.name
    return None


def delete_all(connection: sa.Connection, tables: Sequence[sa.Table]) -> None:
    """Empty `tables` (given in foreign-key order), children first."""
    for table in reversed(tables):
        connection.execute(table.delete())


def insert_rows(connection: sa.Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert one batch; datetimes arrive aware (UTC) and are stored the way the column keeps them."""
    if not rows:
        return
    naive = [
        column.name for column in table.columns if isinstance(column.type, sa.DateTime) and not column.type.timezone
    ]
    if naive:
        rows = [_naive_utc(row, naive) for row in rows]
    connection.execute(table.insert(), list(rows))


def reset_sequences(connection: sa.Connection, tables: Sequence[sa.Table]) -> None:
    """PostgreSQL: move each serial sequence past the largest id restored, so the next insert gets a fresh one.

    SQLite needs nothing: an INTEGER PRIMARY KEY takes max(id) + 1.
    """
    if connection.dialect.name != "postgresql":
        return
    preparer = connection.dialect.identifier_preparer
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, sa.Integer):
            continue
        key = keys[0]
        largest = sa.func.max(key)
        # setval(sequence, largest, true) or, for an empty table, setval(sequence, 1, false): next id is 1.
        # pg_get_serial_sequence is NULL for a column without a sequence, and setval(NULL, ...) does nothing.
        sequence = sa.func.pg_get_serial_sequence(preparer.format_table(table), key.name)
        statement = sa.select(sa.func.setval(sequence, sa.func.coalesce(largest, 1), largest.is_not(None)))
        connection.execute(statement.select_from(table))


def _aware_utc(value: Any) -> Any:
    if not isinstance(value, dt.datetime):
        return value
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _naive_utc(row: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    converted = dict(row)
    for name in names:
        value = converted.get(name)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            converted[name] = value.astimezone(dt.UTC).replace(tzinfo=None)
    return converted
