"""Schemathesis over the published OpenAPI document, in process, on SQLite: every operation the app serves.

The operations are read from the app's own `/openapi.json` when the tests are collected, so a new route is
fuzzed as soon as it exists (one test per operation, named by its method and path). The calls go to an app on
a populated database, as Bob, a trainer with a bearer token, in the persona world: Alice, her program and her
caregiver exist, and half of the generated participant ids are Alice's, so her routes are fuzzed past the
permission check too. Valid and invalid requests are generated (schemathesis positive and negative modes).
Each response must not be a server error, and must match its documented schema and content type.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.errors import InvalidSchema
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from neuromotrix.adapters.db.tables import users
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.services import accounts
from neuromotrix.settings import Settings
from tests.api.conftest import NOW, build_world

EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
ALICE_ID = 1  # the first participant of a fresh persona world
CONFIG = schemathesis.Config.from_dict(
    {
        "dictionaries": {"alice": {"values": [ALICE_ID]}},
        "parameters": {"path.participant_id": {"dictionary": "alice", "probability": 0.5}},
    }
)
# Reading the document needs no database (the app connects when a route uses one) and no setting: the settings
# are built without reading the environment, which the test fixtures have not cleaned yet at collection time.
DOCUMENT_ONLY = Settings.model_construct(database_url="sqlite:///:memory:", jobs=False)
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", create_app(Container(DOCUMENT_ONLY)), config=CONFIG)


def read_operations() -> dict[str, APIOperation[Any, Any, Any, Any] | InvalidSchema]:
    """Every operation of the document by label; one the fuzzer cannot read is kept as its error, to fail."""
    found: dict[str, APIOperation[Any, Any, Any, Any] | InvalidSchema] = {}
    for result in SCHEMA.get_all_operations():
        if isinstance(result, Ok):
            found[result.ok().label] = result.ok()
        else:
            found[result.err().label] = result.err()
    return found


OPERATIONS = read_operations()


@dataclass(frozen=True)
class Fuzzed:
    app: FastAPI
    headers: dict[str, str]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    """The persona world on a SQLite file, shared by the whole module (the fuzzer's writes accumulate)."""
    folder = tmp_path_factory.mktemp("fuzz")
    container = Container(Settings(database_url=f"sqlite:///{folder / 'fuzz.db'}", jobs=False))
    container.migrate()
    world = build_world(container)
    assert world.alice_id == ALICE_ID
    with container.uow(write=True) as uow:
        bob = uow.connection.execute(sa.select(users).where(users.c.id == world.ids["bob"])).one()
        _, token = accounts.create_api_token(uow, accounts.actor_from_row(bob, second_factor=False), "fuzz", now=NOW)
        uow.commit()
    try:
        app = world.client("anonymous").app
        assert isinstance(app, FastAPI)
        yield Fuzzed(app, {"Authorization": f"Bearer {token}"})
    finally:
        for client in world.clients.values():
            client.close()
        container.close()


def test_the_document_lists_operations() -> None:
    assert len(OPERATIONS) >= 40, sorted(OPERATIONS)


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_operation_as_a_trainer(label: str, fuzzed: Fuzzed) -> None:
    operation = OPERATIONS[label]
    if isinstance(operation, InvalidSchema):
        pytest.fail(f"the fuzzer cannot read this operation of /openapi.json: {operation}")
    cases = st.one_of(
        operation.as_strategy(schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(schemathesis.GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,  # the database changes under the fuzzer: an old example would not replay the same way
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def call(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(app=fuzzed.app, headers=fuzzed.headers, checks=CHECKS)

    call()
