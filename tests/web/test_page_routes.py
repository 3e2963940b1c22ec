"""Every page route, found at run time, says who may use it; anonymous visitors are sent to sign in, forms
without the CSRF token are refused. A new page route fails the first test until it is classified here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.entrypoints.web.errors import API_PATHS, API_PREFIXES
from neuromotrix.settings import Settings
from tests.web.conftest import Web

PUBLIC = "public"
SIGNED_IN = "signed-in"
STAFF = "trainer or admin"  # checked in tests/web/test_intake_permissions.py
PAGE_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("GET", "/forgot"): PUBLIC,
    ("POST", "/forgot"): PUBLIC,
    ("GET", "/reset/{token}"): PUBLIC,
    ("POST", "/reset/{token}"): PUBLIC,
    ("GET", "/invitations/{token}"): PUBLIC,
    ("POST", "/invitations/{token}"): PUBLIC,
    ("POST", "/language"): PUBLIC,
    ("POST", "/logout"): SIGNED_IN,
    ("GET", "/account/two-factor"): SIGNED_IN,
    ("POST", "/account/two-factor/start"): SIGNED_IN,
    ("POST", "/account/two-factor/confirm"): SIGNED_IN,
    ("GET", "/today"): "participant",
    ("GET", "/people"): "caregiver",
    # The participant's pages, for them, their caregivers and staff (tests/web/test_participant_*.py: 404 otherwise).
    ("GET", "/p/{participant_id}/today"): SIGNED_IN,
    ("GET", "/p/{participant_id}/session"): SIGNED_IN,
    ("POST", "/p/{participant_id}/session"): SIGNED_IN,
    ("POST", "/p/{participant_id}/session/stop"): SIGNED_IN,
    ("GET", "/p/{participant_id}/checkin"): SIGNED_IN,
    ("POST", "/p/{participant_id}/checkin"): SIGNED_IN,
    ("GET", "/p/{participant_id}/post-injection"): SIGNED_IN,
    ("POST", "/p/{participant_id}/post-injection"): SIGNED_IN,
    ("GET", "/p/{participant_id}/history"): SIGNED_IN,
    ("GET", "/p/{participant_id}/progress"): SIGNED_IN,
    ("GET", "/p/{participant_id}/charts/{kind}.svg"): SIGNED_IN,
    ("GET", "/p/{participant_id}/injections"): SIGNED_IN,
    ("POST", "/p/{participant_id}/injections"): SIGNED_IN,
    # The sessions as a calendar (tests/web/test_calendar_pages.py); the feed is read by calendar apps with its token.
    ("GET", "/p/{participant_id}/calendar"): SIGNED_IN,
    ("POST", "/p/{participant_id}/calendar"): SIGNED_IN,
    ("POST", "/p/{participant_id}/calendar/revoke"): SIGNED_IN,
    ("GET", "/p/{participant_id}/calendar.ics"): SIGNED_IN,
    ("GET", "/calendar/{token}.ics"): PUBLIC,
    ("GET", "/dashboard"): STAFF,  # trainers and clinic admins: tests/web/test_trainer_dashboard.py
    ("GET", "/admin"): "admin",
    # Administration and privacy (tests/web/test_admin_*.py); /privacy is public, /consent for every signed-in user.
    ("GET", "/privacy"): PUBLIC,
    ("GET", "/consent"): SIGNED_IN,
    ("POST", "/consent"): SIGNED_IN,
    ("GET", "/admin/users"): "admin",
    ("GET", "/admin/users/{user_id}"): "admin",
    ("POST", "/admin/users/{user_id}/role"): "admin",
    ("POST", "/admin/users/{user_id}/active"): "admin",
    ("POST", "/admin/users/{user_id}/assignments"): "admin",
    ("POST", "/admin/users/{user_id}/assignments/{participant_id}/end"): "admin",
    ("GET", "/admin/invitations"): "admin",
    ("POST", "/admin/invitations"): "admin",
    ("POST", "/admin/invitations/{invitation_id}/withdraw"): "admin",
    ("GET", "/admin/audit"): "admin",
    ("GET", "/admin/privacy"): "admin",
    ("POST", "/admin/privacy"): "admin",
    ("GET", "/admin/consent"): "admin",
    ("POST", "/admin/consent"): "admin",
    ("GET", "/admin/incidents"): "admin",
    ("GET", "/admin/incidents/new"): "admin",
    ("POST", "/admin/incidents/new"): "admin",
    ("GET", "/admin/incidents/{incident_id}"): "admin",
    ("POST", "/admin/incidents/{incident_id}"): "admin",
    ("GET", "/admin/participants"): "admin",
    ("GET", "/admin/participants/{participant_id}/export"): "admin",
    ("GET", "/admin/erasure"): "admin",
    ("POST", "/admin/erasure"): "admin",
    ("GET", "/admin/erasure/{request_id}"): "admin",
    ("POST", "/admin/erasure/{request_id}/process"): "admin",
    ("GET", "/participants/new"): STAFF,
    ("POST", "/participants/new"): STAFF,
    ("GET", "/participants/{participant_id:int}/enrolled"): STAFF,
    ("POST", "/participants/{participant_id:int}/enrolled"): STAFF,
    ("GET", "/participants/{participant_id:int}/clearance-letter"): STAFF,
    # PDF reports (tests/web/test_report_pages.py): staff for every kind, the handout for whoever sees the person.
    ("GET", "/participants/{participant_id:int}/reports/{kind}.pdf"): STAFF,
    ("GET", "/p/{participant_id}/handout.pdf"): SIGNED_IN,
    # The exercise library (tests/web/test_library_*.py check who may use each page).
    ("GET", "/library"): STAFF,
    ("GET", "/library/{exercise_id}"): STAFF,
    ("GET", "/library/custom/new"): STAFF,
    ("POST", "/library/custom/new"): STAFF,
    ("GET", "/library/custom/{exercise_id}/edit"): STAFF,
    ("POST", "/library/custom/{exercise_id}/edit"): STAFF,
    ("GET", "/library/custom/{exercise_id}/delete"): STAFF,
    ("POST", "/library/custom/{exercise_id}/delete"): STAFF,
    ("POST", "/library/custom/{exercise_id}/restore"): STAFF,
    ("GET", "/library/{exercise_id}/media"): STAFF,
    ("POST", "/library/{exercise_id}/media"): STAFF,
    ("POST", "/library/{exercise_id}/media/{media_id:int}/delete"): STAFF,
    ("GET", "/media/{media_id:int}"): SIGNED_IN,
    ("GET", "/library/templates"): STAFF,
    ("GET", "/library/templates/{template_id:int}"): STAFF,
    ("POST", "/library/templates/{template_id:int}/delete"): STAFF,
    ("POST", "/library/templates/{template_id:int}/apply"): STAFF,
    ("GET", "/participants/{participant_id:int}/save-template"): STAFF,
    ("POST", "/participants/{participant_id:int}/save-template"): STAFF,
    # The trainer's pages (tests/web/test_trainer_*.py: 403 for other roles, 404 for someone else's participant).
    ("POST", "/alerts/{alert_id:int}/acknowledge"): STAFF,
    ("GET", "/participants/{participant_id:int}"): STAFF,
    ("GET", "/participants/{participant_id:int}/profile"): STAFF,
    ("GET", "/participants/{participant_id:int}/screening"): STAFF,
    ("GET", "/participants/{participant_id:int}/clearances"): STAFF,
    ("POST", "/participants/{participant_id:int}/clearances"): STAFF,
    ("GET", "/participants/{participant_id:int}/clearances/{clearance_id:int}/document"): STAFF,
    ("GET", "/participants/{participant_id:int}/injections"): STAFF,
    ("POST", "/participants/{participant_id:int}/injections"): STAFF,
    ("GET", "/participants/{participant_id:int}/program"): STAFF,
    ("POST", "/participants/{participant_id:int}/program/versions/{version:int}/approve"): STAFF,
    ("GET", "/participants/{participant_id:int}/program/exercises/{exercise_id}"): STAFF,
    ("POST", "/participants/{participant_id:int}/program/exercises/{exercise_id}/dose"): STAFF,
    ("POST", "/participants/{participant_id:int}/program/exercises/{exercise_id}/override"): STAFF,
    # Outcome instruments (tests/web/test_assessment_pages.py): questionnaires on the participant's pages, the
    # trainer's Outcomes section and the licensed wording a clinic enters.
    ("GET", "/p/{participant_id}/assessments"): SIGNED_IN,
    ("GET", "/p/{participant_id}/assessments/{instrument}"): SIGNED_IN,
    ("POST", "/p/{participant_id}/assessments/{instrument}"): SIGNED_IN,
    ("GET", "/participants/{participant_id:int}/outcomes"): STAFF,
    ("GET", "/participants/{participant_id:int}/outcomes/charts/{instrument}/{scale}.svg"): STAFF,
    ("GET", "/participants/{participant_id:int}/outcomes/{instrument}"): STAFF,
    ("POST", "/participants/{participant_id:int}/outcomes/{instrument}"): STAFF,
    # Correcting or withdrawing a recorded entry (tests/web/test_assessment_corrections.py).
    ("GET", "/participants/{participant_id:int}/outcomes/entries/{assessment_id:int}/correct"): STAFF,
    ("POST", "/participants/{participant_id:int}/outcomes/entries/{assessment_id:int}/correct"): STAFF,
    ("GET", "/participants/{participant_id:int}/outcomes/entries/{assessment_id:int}/withdraw"): STAFF,
    ("POST", "/participants/{participant_id:int}/outcomes/entries/{assessment_id:int}/withdraw"): STAFF,
    ("GET", "/p/{participant_id}/assessments/entries/{assessment_id}/correct"): SIGNED_IN,
    ("POST", "/p/{participant_id}/assessments/entries/{assessment_id}/correct"): SIGNED_IN,
    ("GET", "/instruments"): STAFF,
    ("GET", "/instruments/{key}"): STAFF,
    ("POST", "/instruments/{key}"): STAFF,
}
# Public forms that an anonymous visitor may post without a token: the language switcher only sets a cookie.
NO_TOKEN_NEEDED = {("POST", "/language")}
PERSONA_OF_ROLE = {"participant": "alice", "caregiver": "carl", "trainer": "bob", "admin": "dana"}


def page_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    for route in iter_route_contexts(app.routes):
        path = route.path
        if path is None or path.startswith(API_PREFIXES) or path in API_PATHS:
            continue
        for method in sorted(set(route.methods or ()) - {"HEAD", "OPTIONS"}):
            yield method, path


def concrete(path: str) -> str:
    path = path.replace("{token}", "some-token").replace("{participant_id:int}", "1").replace("{participant_id}", "1")
    path = path.replace("{kind}", "pain").replace("{assessment_id:int}", "1").replace("{assessment_id}", "1")
    path = path.replace("{alert_id:int}", "1").replace("{clearance_id:int}", "1").replace("{version:int}", "1")
    return path.replace("{exercise_id}", "NM04").replace("{media_id:int}", "1").replace("{template_id:int}", "1")


def test_every_page_route_is_classified() -> None:
    app = create_app(Container(Settings(database_url="sqlite:///:memory:", jobs=False)))
    served = set(page_routes(app))
    assert served - set(PAGE_ROUTES) == set(), "classify the new page routes in PAGE_ROUTES"
    assert set(PAGE_ROUTES) - served == set(), "PAGE_ROUTES names routes the app does not serve"


@pytest.mark.parametrize(("method", "path"), sorted(route for route, who in PAGE_ROUTES.items() if who != PUBLIC))
def test_anonymous_visitors_are_sent_to_sign_in(web: Web, method: str, path: str) -> None:
    response = web.browser().request(method, concrete(path))
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_forms_refuse_a_missing_token(web: Web) -> None:
    bob = web.signed_in("bob")
    for method, path in sorted(PAGE_ROUTES):
        if method != "POST":
            continue
        anonymous = web.browser()
        if PAGE_ROUTES[(method, path)] == PUBLIC and (method, path) not in NO_TOKEN_NEEDED:
            assert anonymous.post(concrete(path), data={}).status_code == 403, path
        assert bob.post(concrete(path), data={}).status_code == 403, path


def test_role_pages_answer_their_role_only(web: Web) -> None:
    browsers = {persona: web.signed_in(persona) for persona in ("alice", "carl", "bob")}
    for (method, path), who in PAGE_ROUTES.items():
        if who not in PERSONA_OF_ROLE or who == "admin":
            continue
        for persona, browser in browsers.items():
            expected = {200, 303} if PERSONA_OF_ROLE[who] == persona else {403}  # /today: to /p/{id}/today
            assert browser.request(method, path).status_code in expected, (persona, path)
