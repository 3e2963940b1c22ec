"""A unit of work: one connection, one transaction, rolled back unless committed (Cosmic Python)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

import sqlalchemy as sa


class UnitOfWork:
    """`with UnitOfWork(engine, write=True) as uow: ...; uow.commit()`.

    `write=True` takes SQLite's write lock at the start (BEGIN IMMEDIATE) so two writers queue instead of
    deadlocking on a lock upgrade; PostgreSQL ignores it.
    """

    def __init__(self, engine: sa.Engine, *, write: bool = False) -> None:
        self._engine = engine
        self._write = write
        self._connection: sa.Connection | None = None
        self._after_commit: list[Callable[[], None]] = []

    def __enter__(self) -> Self:
        connection = self._engine.connect()
        connection.info["write"] = self._write
        connection.begin()
        self._connection = connection
        return self

    @property
    def connection(self) -> sa.Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open; use it in a `with` block")
        return self._connection

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the transaction has committed (never on a rollback): e.g. caching what it wrote."""
        self._after_commit.append(callback)

    def commit(self) -> None:
        connection = self.connection
        connection.commit()
        # Anything read after the commit runs in a new, plain transaction that is rolled back at the end.
        connection.info["write"] = False
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        connection = self.connection
        try:
            if connection.in_transaction():
                connection.rollback()
        finally:
            connection.info["write"] = False
            connection.close()
            self._connection = None
            self._after_commit = []
