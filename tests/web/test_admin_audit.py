"""Dana reads the audit log: newest first, filtered by who, participant, action, kind of record and days, 50 a
page; her reading is recorded too; another clinic's records never show."""

from __future__ import annotations

import datetime as dt
import html
import re

from neuromotrix.adapters.db.tables import audit_log
from neuromotrix.services import accounts
from tests.api.conftest import NOW
from tests.web.admin_support import audit_rows, dana
from tests.web.conftest import Web


def add_records(web: Web, rows: list[dict[str, object]]) -> None:
    with web.container.uow(write=True) as uow:
        uow.connection.execute(audit_log.insert(), rows)
        uow.commit()


def test_newest_first_and_page_by_page(web: Web) -> None:
    bob = web.world.ids["bob"]
    add_records(
        web,
        [
            {"at": NOW + dt.timedelta(minutes=n), "actor_id": bob, "actor": "bob@example.org", "action": "read",
             "object_type": "session", "object_id": str(n), "participant_id": web.world.alice_id, "detail": f"n{n}"}
            for n in range(60)
        ],
    )  # fmt: skip
    browser = dana(web)
    first = browser.get("/admin/audit?object_type=session")
    assert first.status_code == 200
    assert first.text.index(">n59<") < first.text.index(">n58<"), "newest first"
    assert ">n9<" not in first.text and "60 records" in first.text and "Newer records" not in first.text
    older = re.search(r'href="(/admin/audit\?object_type=session&amp;before=\d+)">Older records', first.text)
    assert older is not None, "the filters are kept"
    second = browser.get(html.unescape(older.group(1)))
    assert ">n9<" in second.text and ">n10<" not in second.text and "Older records" not in second.text
    newer = re.search(r'href="(/admin/audit\?object_type=session&amp;after=\d+)">Newer records', second.text)
    assert newer is not None and 'href="/admin/audit?object_type=session">Newest records' in second.text
    again = browser.get(html.unescape(newer.group(1)))
    assert ">n59<" in again.text and ">n10<" in again.text and ">n9<" not in again.text


def test_filters(web: Web) -> None:
    web.world.client("bob").get(f"/api/v1/participants/{web.world.alice_id}/profile")
    browser = dana(web)
    by_bob = browser.get("/admin/audit?actor=BOB")
    assert "bob@example.org" in by_bob.text and "carl@example.org" not in by_bob.text
    logins = browser.get("/admin/audit?action=login")
    assert "dana@example.org" in logins.text and ">read<" not in logins.text
    assert '<option value="login" selected>' in logins.text
    of_alice = browser.get(f"/admin/audit?participant={web.world.alice_id}&action=read")
    assert ">profile<" in of_alice.text
    today = browser.get("/admin/audit?from=2026-11-23&to=2026-11-23")
    assert "No record matches" not in today.text
    before = browser.get("/admin/audit?to=2026-11-22")
    assert "No record matches these filters." in before.text
    wrong = browser.get("/admin/audit?participant=alice&from=2026-11-30&to=2026-11-01")
    assert wrong.status_code == 422
    assert 'href="#participant"' in wrong.text and 'href="#from"' in wrong.text
    bad_date = browser.get("/admin/audit?from=yesterday")
    assert bad_date.status_code == 422 and "written like 2026-11-23" in bad_date.text


def test_reading_the_log_is_recorded(web: Web) -> None:
    browser = dana(web)
    browser.get(f"/admin/audit?actor=bob&participant={web.world.alice_id}")
    read = audit_rows(web, object_type="audit_log")[-1]
    assert (read.actor, read.action, read.participant_id) == ("dana@example.org", "read", web.world.alice_id)
    assert read.detail == f"actor=bob; participant={web.world.alice_id}"


def test_another_clinic_stays_out_of_sight(web: Web) -> None:
    with web.container.uow(write=True) as uow:
        other = accounts.create_clinic(uow, "Clinique Autre", now=NOW)
        olga = accounts.create_user(
            uow, clinic_id=other, email="olga@example.org", name="Olga", role="trainer", now=NOW
        )
        uow.commit()
    add_records(
        web,
        [{"at": NOW, "actor_id": olga, "actor": "olga@example.org", "action": "read", "object_type": "participant",
          "object_id": "77", "participant_id": 77, "detail": "elsewhere"}],
    )  # fmt: skip
    page = dana(web).get("/admin/audit")
    assert "olga@example.org" not in page.text and "elsewhere" not in page.text
