"""The audit log viewer at any size: the count stops at a cap ("more than ..."), pages follow record ids both
ways with the filters kept, and no statement of a page view reads the log without a LIMIT (the filter lists are
read once and kept for a few minutes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db.tables import audit_log, users
from neuromotrix.services import audit_search
from neuromotrix.services.access import Actor
from tests.api.conftest import NOW
from tests.web.admin_support import dana
from tests.web.conftest import Web


def add_reads(web: Web, count: int) -> None:
    bob = web.world.ids["bob"]
    rows = [
        {"at": NOW + dt.timedelta(seconds=n), "actor_id": bob, "actor": "bob@example.org", "action": "read",
         "object_type": "session", "object_id": str(n), "participant_id": web.world.alice_id, "detail": f"n{n}"}
        for n in range(count)
    ]  # fmt: skip
    with web.container.uow(write=True) as uow:
        uow.connection.execute(audit_log.insert(), rows)
        uow.commit()


def admin(web: Web) -> Actor:
    with web.container.uow() as uow:
        row = uow.connection.execute(sa.select(users).where(users.c.id == web.world.ids["dana"])).one()
    return Actor(row.id, row.clinic_id, row.role, row.email, row.name, row.language, True)


def sessions(web: Web, **cursor: Any) -> audit_search.AuditPage:
    with web.container.uow() as uow:
        return audit_search.search(
            uow, admin(web), audit_search.AuditFilter(object_type="session"), time_zone="UTC", limit=10, **cursor
        )


def details(page: audit_search.AuditPage) -> list[str]:
    return [str(item["detail"]) for item in page.items]


def test_the_count_stops_at_the_cap(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    add_reads(web, 25)
    monkeypatch.setattr(audit_search, "COUNT_CAP", 20)
    capped = sessions(web)
    assert (capped.total, capped.more) == (20, True)
    assert "More than 20 records" in dana(web).get("/admin/audit?object_type=session").text
    monkeypatch.setattr(audit_search, "COUNT_CAP", 25)
    assert (sessions(web).total, sessions(web).more) == (25, False)


def test_keyset_pages_both_ways(web: Web) -> None:
    add_reads(web, 25)
    first = sessions(web)
    assert details(first) == [f"n{n}" for n in range(24, 14, -1)] and first.newer is None
    second = sessions(web, before=first.older)
    assert details(second) == [f"n{n}" for n in range(14, 4, -1)]
    last = sessions(web, before=second.older)
    assert details(last) == [f"n{n}" for n in range(4, -1, -1)] and last.older is None
    back = sessions(web, after=last.newer)
    assert details(back) == details(second) and back.newer == second.newer
    assert details(sessions(web, after=back.newer)) == details(first)


@pytest.fixture
def statements(web: Web) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = web.container.engine

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()).lower())

    sa.event.listen(engine, "before_cursor_execute", remember)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", remember)


def test_a_page_view_never_reads_the_whole_log(web: Web, statements: list[str]) -> None:
    add_reads(web, 60)
    browser = dana(web)
    browser.get("/admin/audit")  # reads the filter lists once
    statements.clear()
    for path in ("/admin/audit", "/admin/audit?object_type=session", "/admin/audit?action=read&actor=bob"):
        assert browser.get(path).status_code == 200
    reads = [sql for sql in statements if sql.startswith("select") and "from audit_log" in sql]
    assert reads, "the viewer reads the log"
    assert all(" limit " in sql for sql in reads), [sql for sql in reads if " limit " not in sql]
