"""The composition root: builds the engine, the audit writer and the app services from one `Settings`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import sqlalchemy as sa

from neuromotrix.adapters.db.engine import make_engine, upgrade
from neuromotrix.adapters.security import LoginLimiter
from neuromotrix.services.audit import BatchedAuditWriter
from neuromotrix.services.unit_of_work import UnitOfWork
from neuromotrix.settings import Settings


@dataclass
class Container:
    """Everything a request or a command needs; one per process."""

    settings: Settings = field(default_factory=Settings)
    clock: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))

    @cached_property
    def login_limiter(self) -> LoginLimiter:
        return LoginLimiter(self.settings.login_rate)

    @cached_property
    def engine(self) -> sa.Engine:
        return make_engine(self.settings.database_url, sqlite_synchronous=self.settings.sqlite_synchronous)

    @cached_property
    def audit(self) -> BatchedAuditWriter:
        return BatchedAuditWriter(self.engine, flush_seconds=self.settings.audit_flush_seconds)

    def uow(self, *, write: bool = False) -> UnitOfWork:
        return UnitOfWork(self.engine, write=write)

    def migrate(self) -> None:
        upgrade(self.engine)

    def close(self) -> None:
        """Flush what is buffered and release connections (called on shutdown)."""
        if "audit" in self.__dict__:
            self.audit.close()
        if "engine" in self.__dict__:
            self.engine.dispose()
