"""Helpers of the administration page tests (tests/web/test_admin_*.py): Dana signed in through the pages with
her two-factor code, and a look at the audit log."""

from __future__ import annotations

from typing import Any

import pyotp
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import audit_log
from tests.api.conftest import PASSWORD, TOTP_SECRET
from tests.web.conftest import Web, csrf_of, post_form


def dana(web: Web) -> TestClient:
    """Dana, the clinic admin (English), signed in through `/login` with her password and the code of her app."""
    browser = web.browser()
    first = post_form(browser, "/login", {"email": "dana@example.org", "password": PASSWORD})
    code = pyotp.TOTP(TOTP_SECRET).at(web.world.clock.now)
    data = {"csrf_token": csrf_of(first), "email": "dana@example.org", "password": PASSWORD, "totp": code}
    signed = browser.post("/login", data=data)
    assert signed.status_code == 303, signed.text
    return browser


def audit_rows(web: Web, **where: Any) -> list[Any]:
    """Audit records matching the column values given (after the batched reads are written)."""
    web.container.audit.flush()
    with web.container.uow() as uow:
        query = sa.select(audit_log).order_by(audit_log.c.id)
        for column, value in where.items():
            query = query.where(audit_log.c[column] == value)
        return list(uow.connection.execute(query))


def through_consent(browser: TestClient, path: str) -> None:
    """Accept the clinic's current consent text if `path` asks for it first (as a published text makes it)."""
    response = browser.get(path)
    if response.status_code == 303 and response.headers["location"].startswith("/consent"):
        page = browser.get(response.headers["location"])
        version = page.text.split('name="version" value="', 1)[1].split('"', 1)[0]
        answered = browser.post(
            "/consent", data={"csrf_token": csrf_of(page), "decision": "accept", "version": version}
        )
        assert answered.status_code == 303, answered.text
