"""Every route of the app, found at run time, against the people who must not use it (DESIGN.md personas).

- A route whose path names a participant (`{participant_id}`) answers 404 to everyone who may not see Alice:
  Charlie (a trainer not assigned to her), Pat (another participant of her clinic), Cleo (Pat's caregiver),
  Olga (a participant of another clinic) and Otto (the admin of another clinic); 401 to an anonymous caller.
  The refused calls change nothing in the database.
- Every other route is classified in `ROUTES` (public, any signed-in user, staff, admin); the first test fails
  on a route nobody classified, so a new route cannot slip in without saying who may call it.

Each call carries a plausible request: path parameters naming Alice's own objects, and a body built from the
route's OpenAPI schema (or written out below when a generic one would be refused before any permission check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import alerts, auth_sessions, users
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.entrypoints.web.errors import is_page_path
from neuromotrix.services import accounts, participants
from neuromotrix.settings import Settings
from tests import dbutil
from tests.api.conftest import NOW, PASSWORD, TOTP_SECRET, World, example_profile, session_log_body

Who = Literal["public", "signed-in", "staff", "admin"]
PARTICIPANT = "{participant_id}"
SKIPPED_METHODS = frozenset({"HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Rule:
    who: Who
    # The path names an object of Alice's circle (her alert, her trainer Bob, Bob's token or session): callers
    # with the right role who may not see it get 404, like a participant route.
    names_alices: bool = False


PUBLIC, SIGNED_IN, STAFF, ADMIN = Rule("public"), Rule("signed-in"), Rule("staff"), Rule("admin")

# Every route without a participant in its path (a new one must be added here), and the few participant routes
# that are refused by role before the participant is looked at.
ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("POST", "/api/v1/auth/login"): PUBLIC,
    ("POST", "/api/v1/auth/invitations/accept"): PUBLIC,
    ("POST", "/api/v1/auth/password-reset"): PUBLIC,
    ("POST", "/api/v1/auth/password-reset/confirm"): PUBLIC,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("GET", "/api/v1/auth/me"): SIGNED_IN,
    ("GET", "/api/v1/auth/sessions"): SIGNED_IN,
    ("DELETE", "/api/v1/auth/sessions/{session_id}"): Rule("signed-in", names_alices=True),
    ("POST", "/api/v1/auth/totp/setup"): SIGNED_IN,
    ("POST", "/api/v1/auth/totp/confirm"): SIGNED_IN,
    ("POST", "/api/v1/auth/password"): SIGNED_IN,
    ("POST", "/api/v1/tokens"): SIGNED_IN,
    ("GET", "/api/v1/tokens"): SIGNED_IN,
    ("DELETE", "/api/v1/tokens/{token_id}"): Rule("signed-in", names_alices=True),
    ("POST", "/api/v1/invitations"): SIGNED_IN,  # participants invite their own caregiver
    ("GET", "/api/v1/invitations"): SIGNED_IN,
    ("DELETE", "/api/v1/invitations/{invitation_id}"): SIGNED_IN,
    ("GET", "/api/v1/users"): ADMIN,
    ("GET", "/api/v1/users/{user_id}"): Rule("admin", names_alices=True),
    ("PATCH", "/api/v1/users/{user_id}"): Rule("admin", names_alices=True),
    ("POST", "/api/v1/users/{user_id}/assignments"): Rule("admin", names_alices=True),
    # User administration that names a participant: a role refusal (403) comes first, whatever the participant.
    ("DELETE", f"/api/v1/users/{{user_id}}/assignments/{PARTICIPANT}"): Rule("admin", names_alices=True),
    ("GET", "/api/v1/participants"): SIGNED_IN,
    ("POST", "/api/v1/participants"): STAFF,
    ("GET", "/api/v1/alerts"): SIGNED_IN,
    ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): Rule("staff", names_alices=True),
    ("GET", "/api/v1/notifications"): SIGNED_IN,
    ("POST", "/api/v1/notifications/read-all"): SIGNED_IN,
    ("POST", "/api/v1/notifications/{notification_id}/read"): SIGNED_IN,
    ("GET", "/api/v1/exercises"): SIGNED_IN,
    ("GET", "/api/v1/exercises/{exercise_id}"): SIGNED_IN,
    ("GET", "/api/v1/consent"): SIGNED_IN,  # every user reads and accepts their own clinic's consent text
    ("POST", "/api/v1/consent"): SIGNED_IN,
    ("GET", "/api/v1/instruments"): SIGNED_IN,  # outcome instruments, with the caller's clinic's licensed wording
    ("PUT", "/api/v1/instruments/{key}/texts"): STAFF,
}

CHECKIN = {"checked_on": "2026-11-24", "pain": 2, "dystonia": 3, "fatigue": 2}
FHIR_PAIN_RATING = {
    "resourceType": "QuestionnaireResponse",
    "questionnaire": "https://neuromotrix.org/fhir/Questionnaire/pain_nrs",
    "status": "completed",
    "authored": "2026-11-23",
    "item": [{"linkId": "now", "answer": [{"valueInteger": 2}]}],
}
# Bodies a schema-built one would not pass (refused as invalid before any permission check is made).
BODIES: dict[tuple[str, str], Callable[[World], Any]] = {
    ("POST", "/api/v1/auth/login"): lambda world: {"email": "alice@example.org", "password": PASSWORD},
    ("POST", "/api/v1/participants"): lambda world: {"display_name": "Zoé", "profile": example_profile()},
    ("POST", f"/api/v1/participants/{PARTICIPANT}/session-logs"): session_log_body,
    ("POST", f"/api/v1/participants/{PARTICIPANT}/checkins"): lambda world: CHECKIN,
    ("PUT", f"/api/v1/participants/{PARTICIPANT}/profile"): lambda world: {"profile": example_profile(), "reason": "r"},
    # The FHIR import (docs/fhir.md) is a participant route: a plausible file is one pain rating of Alice's.
    ("POST", f"/api/v1/participants/{PARTICIPANT}/fhir"): lambda world: FHIR_PAIN_RATING,
}

ROLE_RANK = {"participant": 0, "caregiver": 0, "trainer": 1, "admin": 2}
NEEDED_RANK = {"signed-in": 0, "staff": 1, "admin": 2}


def routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path) of every route the app serves, read from the app itself at run time."""
    for route in iter_route_contexts(app.routes):
        if route.path is None or is_page_path(route.path):
            continue  # pages are classified in tests/web/test_page_routes.py
        for method in sorted(set(route.methods or ()) - SKIPPED_METHODS):
            yield method, route.path


def served_app(world: World) -> FastAPI:
    app = world.client("anonymous").app
    assert isinstance(app, FastAPI)
    return app


def test_every_route_is_classified(tmp_path: Path) -> None:
    app = create_app(Container(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}", jobs=False)))
    served = set(routes(app))
    unclassified = sorted(route for route in served if PARTICIPANT not in route[1] and route not in ROUTES)
    assert not unclassified, f"classify these routes in ROUTES (public, signed-in, staff or admin): {unclassified}"
    stale = sorted(set(ROUTES) - served)
    assert not stale, f"ROUTES names routes the app does not serve (renamed or removed?): {stale}"


# The people and objects of the story --------------------------------------------------------------------


@dataclass
class Outsiders:
    clients: dict[str, TestClient]  # charlie, pat, cleo, olga, otto
    roles: dict[str, str]
    path_values: dict[str, str]


def add_outsiders(world: World) -> Outsiders:
    """Pat and his caregiver Cleo (Alice's clinic), another clinic with participant Olga and admin Otto."""
    container = world.container
    with container.uow(write=True) as uow:
        other_clinic = accounts.create_clinic(uow, "Clinique Autre", now=NOW)
        created = {
            "pat": accounts.create_user(uow, clinic_id=1, email="pat@example.org", name="Pat", role="participant", now=NOW),
            "cleo": accounts.create_user(uow, clinic_id=1, email="cleo@example.org", name="Cleo", role="caregiver", now=NOW),
            "olga": accounts.create_user(
                uow, clinic_id=other_clinic, email="olga@example.org", name="Olga", role="participant", now=NOW
            ),
            "otto": accounts.create_user(
                uow, clinic_id=other_clinic, email="otto@example.org", name="Otto", role="admin", now=NOW
            ),
            "owen": accounts.create_user(
                uow, clinic_id=other_clinic, email="owen@example.org", name="Owen", role="trainer", now=NOW
            ),
        }  # fmt: skip
        uow.connection.execute(
            users.update().where(users.c.id == created["otto"]).values(totp_secret=TOTP_SECRET, totp_enabled=True)
        )
        tokens = {}
        for name, user_id in created.items():
            row = uow.connection.execute(sa.select(users).where(users.c.id == user_id)).one()
            tokens[name] = accounts.create_api_token(
                uow, accounts.actor_from_row(row, second_factor=True), "t", now=NOW
            )[1]
        enrolled = {}
        for name, staff in (("pat", world.ids["bob"]), ("olga", created["owen"])):
            row = uow.connection.execute(sa.select(users).where(users.c.id == staff)).one()
            enrolled[name] = participants.enrol(
                uow, accounts.actor_from_row(row, second_factor=True), display_name=name.title(), language="en",
                profile=parse_profile(example_profile()), now=NOW, today=NOW.date(), user_id=created[name],
            )  # fmt: skip
        participants.link_caregiver(
            uow, caregiver_id=created["cleo"], participant_id=enrolled["pat"], consent_by="participant",
            consent_name="Pat", now=NOW,
        )  # fmt: skip
        bob = uow.connection.execute(sa.select(users).where(users.c.id == world.ids["bob"])).one()
        bobs_token, _ = accounts.create_api_token(uow, accounts.actor_from_row(bob, second_factor=True), "b", now=NOW)
        uow.commit()
    app = served_app(world)
    clients = {"charlie": world.client("charlie")}
    for name in ("pat", "cleo", "olga", "otto"):
        clients[name] = TestClient(app, headers={"Authorization": f"Bearer {tokens[name]}"})
    bob_client = world.client("bob")
    base = f"/api/v1/participants/{world.alice_id}"
    log = bob_client.post(f"{base}/session-logs", json=session_log_body(world))
    assert log.status_code == 201, log.text
    pain = {"instrument": "pain_nrs", "taken_on": NOW.date().isoformat(), "answers": {"now": 2}}
    assessment = bob_client.post(f"{base}/assessments", json=pain)  # to correct and withdraw
    assert assessment.status_code == 201, assessment.text
    with container.uow() as uow:
        alert_id = uow.connection.execute(
            sa.select(sa.func.min(alerts.c.id)).where(alerts.c.participant_id == world.alice_id)
        ).scalar_one()
        session_id = uow.connection.execute(
            sa.select(sa.func.min(auth_sessions.c.id)).where(auth_sessions.c.user_id == world.ids["bob"])
        ).scalar_one()
    path_values = {
        "participant_id": str(world.alice_id),
        "version": "1",
        "log_id": str(log.json()["id"]),
        "assessment_id": str(assessment.json()["id"]),
        "alert_id": str(alert_id),
        "user_id": str(world.ids["bob"]),
        "token_id": str(bobs_token),
        "session_id": str(session_id),
        "exercise_id": "RB01",
    }
    roles = {"charlie": "trainer", "pat": "participant", "cleo": "caregiver", "olga": "participant", "otto": "admin"}
    return Outsiders(clients=clients, roles=roles, path_values=path_values)


# Plausible requests from the OpenAPI document --------------------------------------------------------------


def example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A small valid instance of a JSON Schema: required properties only, lowest allowed numbers."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for keyword in ("const", "default"):
        if keyword in schema and schema[keyword] is not None:
            return schema[keyword]
    if "enum" in schema:
        return schema["enum"][0]
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            branches = [branch for branch in schema[keyword] if branch.get("type") != "null"]
            return example(branches[0], components) if branches else None
    kind = schema.get("type", "object")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties.get(name, {}), components) for name in schema.get("required", [])}
    if kind == "array":
        return [example(schema.get("items", {}), components) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1 if "exclusiveMinimum" in schema else 1)
        return min(low, schema.get("maximum", low)) if kind == "integer" else float(low)
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return NOW.date().isoformat()
    if schema.get("format") == "date-time":
        return NOW.isoformat()
    if schema.get("format") == "email":
        return "someone@example.org"
    text = "plausible value"
    return (text * 10)[: max(schema.get("minLength", 1), min(len(text), schema.get("maxLength", len(text))))]


@dataclass(frozen=True)
class Call:
    method: str
    template: str
    path: str
    json: Any = None
    form: dict[str, Any] | None = None

    def send(self, client: TestClient) -> tuple[int, str]:
        try:
            if self.form is not None:
                response = client.request(self.method, self.path, data=self.form)
            else:
                response = client.request(self.method, self.path, json=self.json)
        except Exception as error:  # a server error raised through a world client
            return 500, repr(error)
        return response.status_code, response.text[:300]


def plausible_call(world: World, app: FastAPI, method: str, template: str, path_values: dict[str, str]) -> Call:
    path = template
    for name, value in path_values.items():
        path = path.replace("{" + name + "}", value)
    while "{" in path:  # a parameter this story has no object for
        start = path.index("{")
        path = path[:start] + "1" + path[path.index("}", start) + 1 :]
    openapi = app.openapi()
    operation = openapi["paths"].get(template, {}).get(method.lower(), {})
    components = openapi.get("components", {}).get("schemas", {})
    query = [
        f"{parameter['name']}={example(parameter.get('schema', {}), components)}"
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "query" and parameter.get("required")
    ]
    if query:
        path += "?" + "&".join(query)
    override = BODIES.get((method, template))
    if override is not None:
        return Call(method, template, path, json=override(world))
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return Call(method, template, path, json=example(content["application/json"]["schema"], components))
    for form_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if form_type in content:
            return Call(method, template, path, form=example(content[form_type]["schema"], components))
    return Call(method, template, path)


def expected_status(role: str, rule: Rule | None) -> int | None:
    """What an outsider gets; None when their role may use the route and it names nothing of Alice's."""
    if rule is None:  # a participant route
        return 404
    if rule.who == "public":
        return None
    if ROLE_RANK[role] < NEEDED_RANK[rule.who]:
        return 403
    return 404 if rule.names_alices else None


# The matrix -------------------------------------------------------------------------------------------------


def test_outsiders_are_refused_on_every_route(world: World) -> None:
    outsiders = add_outsiders(world)
    app = served_app(world)
    anonymous = world.client("anonymous")
    checked = [
        (ROUTES.get((method, template)), plausible_call(world, app, method, template, outsiders.path_values))
        for method, template in sorted(routes(app))
        if PARTICIPANT in template or (method, template) in ROUTES  # the others fail test_every_route_is_classified
    ]
    world.container.audit.flush()
    before = dbutil.table_contents(world.container.engine)
    wrong = []
    for rule, call in checked:
        if rule is None or rule.who != "public":
            status, text = call.send(anonymous)
            if status != 401:
                wrong.append(f"anonymous {call.method} {call.path}: {status}, expected 401: {text}")
        for persona, client in outsiders.clients.items():
            expected = expected_status(outsiders.roles[persona], rule)
            if expected is None:
                continue
            status, text = call.send(client)
            if status != expected:
                wrong.append(f"{persona} {call.method} {call.path}: {status}, expected {expected}: {text}")
    world.container.audit.flush()
    after = dbutil.table_contents(world.container.engine)
    changed = sorted(name for name in before if before[name] != after[name])
    assert not wrong, "\n".join(wrong)
    assert not changed, f"refused calls changed these tables: {changed}"


def test_public_routes_answer_without_signing_in(world: World) -> None:
    app = served_app(world)
    anonymous = world.client("anonymous")
    wrong = []
    for (method, template), rule in sorted(ROUTES.items()):
        if rule.who != "public":
            continue
        call = plausible_call(world, app, method, template, {})
        status, text = call.send(anonymous)
        if status in (401, 403) or status >= 500:
            wrong.append(f"{method} {call.path}: {status}: {text}")
    assert not wrong, "\n".join(wrong)
