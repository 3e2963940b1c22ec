"""The persona world of tests/api (Alice, Carl, Bob, Charlie, Dana), seen through the pages.

`web` is that world plus helpers that act as a browser would: read a form's CSRF token from the page, sign in
through `/login`, and read the emails the outbox holds. Every test using it runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import outbox
from neuromotrix.bootstrap import Container
from tests.api.conftest import PASSWORD, World, build_world
from tests.api.conftest import _cheap_password_hashing as _cheap_password_hashing

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
LANG = re.compile(r'<html lang="([a-z]{2})">')
LINK = re.compile(r"http://127\.0\.0\.1:8000(/(?:invitations|reset)/[A-Za-z0-9_-]+)")


def csrf_of(response: httpx.Response) -> str:
    found = CSRF_FIELD.search(response.text)
    assert found is not None, f"no csrf_token field in the page:\n{response.text[:2000]}"
    return found.group(1)


def lang_of(response: httpx.Response) -> str:
    found = LANG.search(response.text)
    assert found is not None, "the page has no <html lang>"
    return found.group(1)


def post_form(client: TestClient, path: str, data: dict[str, str], *, form_page: str | None = None) -> httpx.Response:
    """Open the page holding the form (default: `path`), then post the form with its CSRF token, as a browser."""
    page = client.get(form_page or path)
    return client.post(path, data={"csrf_token": csrf_of(page), **data}, follow_redirects=False)


@dataclass
class Web:
    world: World

    @property
    def container(self) -> Container:
        return self.world.container

    def browser(self, *, language: str | None = None) -> TestClient:
        """A new anonymous browser; `language` is its Accept-Language header."""
        client = TestClient(self.world.client("anonymous").app, follow_redirects=False)
        if language is not None:
            client.headers["Accept-Language"] = language
        self._opened.append(client)
        return client

    def signed_in(self, persona: str, *, password: str = PASSWORD, language: str | None = None) -> TestClient:
        """A browser signed in through the sign-in page (no TOTP: not for Dana)."""
        client = self.browser(language=language)
        response = post_form(client, "/login", {"email": f"{persona}@example.org", "password": password})
        assert response.status_code == 303, response.text
        return client

    def emails(self, purpose: str) -> list[Any]:
        with self.container.uow() as uow:
            return list(
                uow.connection.execute(sa.select(outbox).where(outbox.c.purpose == purpose).order_by(outbox.c.id))
            )

    def link_in_last_email(self, purpose: str) -> str:
        found = LINK.search(self.emails(purpose)[-1].body)
        assert found is not None, "no link in the email"
        return found.group(1)

    def __post_init__(self) -> None:
        self._opened: list[TestClient] = []

    def close(self) -> None:
        for client in [*self._opened, *self.world.clients.values()]:
            client.close()


@pytest.fixture
def web(container: Container) -> Iterator[Web]:
    built = Web(build_world(container))
    yield built
    built.close()
