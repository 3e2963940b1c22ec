"""Signing in and out through the pages: the form, its error summary, safe `next` addresses, CSRF, rate limit."""

from __future__ import annotations

import html

import pyotp
import pytest
from fastapi.testclient import TestClient

from neuromotrix.bootstrap import Container
from neuromotrix.services import accounts
from tests.api.conftest import NOW, PASSWORD, TOTP_SECRET, build_world
from tests.web.conftest import Web, csrf_of, post_form


def test_alice_signs_in_and_lands_on_her_page(web: Web) -> None:
    browser = web.browser(language="fr-CA")
    response = post_form(browser, "/login", {"email": "Alice@Example.org ", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "nmx_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    home = browser.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/today"
    today = browser.get("/today", follow_redirects=True)  # to /p/{id}/today
    assert today.status_code == 200
    assert "Session de Alice" in today.text
    assert 'aria-current="page"' in today.text, "the header marks the current section"


def test_a_wrong_password_says_what_to_do_and_is_not_echoed(web: Web) -> None:
    browser = web.browser(language="en")
    wrong = "not-the-password-at-all"
    response = post_form(browser, "/login", {"email": "bob@example.org", "password": wrong})
    assert response.status_code == 401
    page = response.text
    assert 'class="error-summary"' in page and "There is a problem" in page
    assert '<a href="#email">The email address or the password is not right.' in page
    assert 'id="email" name="email" type="email" value="bob@example.org"' in page, "the email is kept"
    assert 'aria-invalid="true" aria-describedby="email-error"' in page
    assert wrong not in page, "the password is never sent back"
    assert "<title>Error: Sign in" in page
    assert "nmx_session" not in response.headers.get("set-cookie", "")


def test_empty_fields_are_listed_in_the_summary_with_links(web: Web) -> None:
    response = post_form(web.browser(language="fr"), "/login", {"email": "", "password": ""})
    assert response.status_code == 422
    assert '<a href="#email">Entrez votre adresse courriel, par exemple nom@exemple.org.</a>' in response.text
    assert '<a href="#password">Entrez votre mot de passe.</a>' in response.text
    assert response.text.count('aria-invalid="true"') == 2


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("/dashboard", "/dashboard"),
        ("/people?week=2", "/people?week=2"),
        ("https://evil.example/", "/"),
        ("//evil.example/path", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("dashboard", "/"),
    ],
)
def test_after_sign_in_next_only_leads_to_this_site(web: Web, given: str, expected: str) -> None:
    browser = web.browser()
    response = post_form(
        browser, "/login", {"email": "bob@example.org", "password": PASSWORD, "next": given}, form_page="/login"
    )
    assert response.status_code == 303
    assert response.headers["location"] == expected


def test_a_page_that_needs_sign_in_sends_to_login_and_back(web: Web) -> None:
    browser = web.browser()
    response = browser.get("/dashboard")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fdashboard"
    form = browser.get(response.headers["location"])
    assert 'name="next" value="/dashboard"' in form.text
    unsafe = browser.get("/login?next=//evil.example")
    assert 'name="next" value="/"' in unsafe.text
    signed = browser.post(
        "/login",
        data={"csrf_token": csrf_of(form), "email": "bob@example.org", "password": PASSWORD, "next": "/dashboard"},
    )
    assert signed.headers["location"] == "/dashboard"
    assert browser.get("/dashboard").status_code == 200
    assert browser.get("/login").headers["location"] == "/", "signed in: the sign-in page moves on"


def test_sign_out_ends_the_session(web: Web) -> None:
    browser = web.signed_in("bob")
    response = post_form(browser, "/logout", {}, form_page="/dashboard")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?notice=signed_out"
    cookies = response.headers.get_list("set-cookie")
    assert any(cookie.startswith("nmx_session=") and "Max-Age=0" in cookie for cookie in cookies)
    assert any(cookie.startswith("nmx_lang=en") for cookie in cookies), "signed out, Bob still reads English"
    page = browser.get("/login?notice=signed_out")
    assert "You are signed out." in page.text and 'role="status"' in page.text
    assert browser.get("/dashboard").status_code == 303, "the session no longer works"


def test_forms_without_the_csrf_token_are_refused(web: Web) -> None:
    bob = web.signed_in("bob", language="en")
    refused = bob.post("/logout", data={})
    assert refused.status_code == 403
    assert "This form could not be sent" in refused.text and 'href="/logout"' in refused.text
    wrong = bob.post("/logout", data={"csrf_token": "forged"})
    assert wrong.status_code == 403
    assert bob.get("/dashboard").status_code == 200, "still signed in"

    anonymous = web.browser(language="fr")
    anonymous.get("/login")  # has the cookie half of the token, not the form half
    login = anonymous.post("/login", data={"email": "bob@example.org", "password": PASSWORD})
    assert login.status_code == 403
    assert "Ce formulaire n'a pas pu être envoyé" in html.unescape(login.text)
    stranger = web.browser()
    cross_site = stranger.post("/login", data={"email": "bob@example.org", "password": PASSWORD, "csrf_token": "x"})
    assert cross_site.status_code == 403, "no cookie: a form posted from another site"


def test_the_csrf_header_works_for_scripts(web: Web) -> None:
    bob = web.signed_in("bob")
    token = csrf_of(bob.get("/dashboard"))
    response = bob.post("/logout", headers={"X-CSRF-Token": token})
    assert response.status_code == 303


def test_the_session_cookie_is_secure_when_the_settings_say_so(container: Container) -> None:
    secure = Container(container.settings.model_copy(update={"cookie_secure": True}))
    try:
        web = Web(build_world(secure))
        with TestClient(web.world.client("anonymous").app, base_url="https://testserver") as browser:
            form = browser.get("/login")
            assert "Secure" in form.headers["set-cookie"], "the form's CSRF cookie too"
            response = browser.post(
                "/login",
                data={"csrf_token": csrf_of(form), "email": "bob@example.org", "password": PASSWORD},
                follow_redirects=False,
            )
        assert response.status_code == 303
        cookies = response.headers.get_list("set-cookie")
        assert any(cookie.startswith("nmx_session=") and "Secure" in cookie for cookie in cookies)
        web.close()
    finally:
        secure.close()


def test_a_form_sent_after_the_session_ended_leads_to_sign_in(web: Web) -> None:
    bob = web.signed_in("bob")
    form = bob.get("/account/two-factor")
    bob.cookies.delete("nmx_session")
    response = bob.post("/account/two-factor/start", data={"csrf_token": csrf_of(form)})
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_too_many_failures_are_explained(container: Container) -> None:
    limited = Container(container.settings.model_copy(update={"login_rate": "2/15 minutes"}))
    try:
        web = Web(build_world(limited))
        browser = web.browser(language="fr")
        for _ in range(2):
            assert post_form(browser, "/login", {"email": "bob@example.org", "password": "wrong"}).status_code == 401
        blocked = post_form(browser, "/login", {"email": "bob@example.org", "password": PASSWORD})
        assert blocked.status_code == 429
        assert "Trop de tentatives. Attendez 15 minutes, puis réessayez" in blocked.text
        web.close()
    finally:
        limited.close()


def test_admin_without_two_factor_is_sent_to_set_it_up(web: Web) -> None:
    """Erin, a second admin, has no two-factor yet: every page leads to the set-up page until it is on."""
    with web.container.uow(write=True) as uow:
        clinic = accounts.user_by_email(uow, "dana@example.org")
        assert clinic is not None
        accounts.create_user(
            uow, clinic_id=clinic.clinic_id, email="erin@example.org", name="Erin", role="admin", now=NOW,
            password=PASSWORD, language="en",
        )  # fmt: skip
        uow.commit()
    erin = web.signed_in("erin")
    assert erin.get("/").headers["location"] == "/admin"
    assert erin.get("/admin").headers["location"] == "/account/two-factor"
    setup = erin.get("/account/two-factor")
    assert setup.status_code == 200 and "Clinic administrators must turn on two-step sign-in" in setup.text
    started = post_form(erin, "/account/two-factor/start", {}, form_page="/account/two-factor")
    assert started.status_code == 200
    secret = started.text.split('id="totp-secret">', 1)[1].split("<", 1)[0].replace(" ", "")
    assert "otpauth://totp/" in started.text
    wrong = erin.post("/account/two-factor/confirm", data={"csrf_token": csrf_of(started), "code": "000000"})
    assert wrong.status_code == 422 and 'href="#code"' in wrong.text
    code = pyotp.TOTP(secret).at(web.world.clock.now)
    confirmed = erin.post("/account/two-factor/confirm", data={"csrf_token": csrf_of(started), "code": code})
    assert confirmed.headers["location"] == "/account/two-factor?notice=two_factor_on"
    assert "Two-step sign-in is on." in erin.get(confirmed.headers["location"]).text
    assert erin.get("/admin").status_code == 200


def test_dana_signs_in_with_her_code(web: Web) -> None:
    browser = web.browser(language="en")
    first = post_form(browser, "/login", {"email": "dana@example.org", "password": PASSWORD})
    assert first.status_code == 401
    assert 'id="totp"' in first.text and "Your account uses two-step sign-in" in first.text
    code = pyotp.TOTP(TOTP_SECRET).at(web.world.clock.now)
    second = browser.post(
        "/login",
        data={"csrf_token": csrf_of(first), "email": "dana@example.org", "password": PASSWORD, "totp": code},
    )
    assert second.status_code == 303
    assert browser.get("/admin").status_code == 200


def test_roles_keep_to_their_own_start_page(web: Web) -> None:
    bob = web.signed_in("bob", language="en")
    refused = bob.get("/admin")
    assert refused.status_code == 403
    assert "Your account (bob@example.org) may not do this." in refused.text
    assert web.signed_in("carl").get("/").headers["location"] == "/people"
    assert web.signed_in("carl").get("/people").status_code == 200
