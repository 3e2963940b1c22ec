"""Journeys through the account pages, as people do them: by keyboard only, in both languages, with two-step
sign-in, with a forgotten password, and with JavaScript turned off.

Journeys that change something (a language setting, a password, two-step sign-in) get a server of their own
(`fresh_server()`); the others use the shared `demo_server`.
"""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from neuromotrix.entrypoints.web.pages.notices import NOTICES
from neuromotrix.services.accounts import MIN_PASSWORD
from neuromotrix.services.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.e2e.audit import Watch, audit, watch, with_axe
from tests.e2e.conftest import Browse, ServerFactory
from tests.e2e.people import PERSONAS, expect_signed_in, is_focused, sign_in, sign_out, tab_to, words
from tests.e2e.server import DemoServer

pytestmark = pytest.mark.e2e

LINK_PATH = re.compile(r"https?://[^/\s]+(/reset/[A-Za-z0-9_-]+)")
NEW_PASSWORD = "a-brand-new-password"
assert len(NEW_PASSWORD) >= MIN_PASSWORD


def heading(page: Page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def assert_clean(page: Page, language: str, watcher: Watch) -> None:
    """The page as it is now (an error state, say) passes every check of tests/e2e/audit.py."""
    problems = audit(page, language, watcher)
    assert not problems, "\n".join(problems)


def test_sign_in_and_out_by_keyboard_only(demo_server: DemoServer, browse: Browse) -> None:
    bob = PERSONAS["bob"]
    say = words(bob.language)
    page = browse(demo_server, language=bob.language).new_page()
    page.goto("/login")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=say("Skip to main content"))
    assert is_focused(skip), "the first Tab stop is the skip link"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the skip link shows itself when it has the focus"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_label(say("Email address"))), "after the skip link, Tab goes to the first field"

    page.keyboard.type(bob.email)
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_label(say("Password"), exact=True))
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(bob.home) + "$"))

    tab_to(page, page.get_by_role("button", name=say("Sign out")))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login\?notice=signed_out$"))
    expect(page.get_by_role("status")).to_have_text(say(NOTICES["signed_out"]))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sign_in_mistakes_are_summarised_and_lead_to_the_field(
    demo_server: DemoServer, browse: Browse, language: str
) -> None:
    say = words(language)
    context = browse(demo_server, language=language)
    with_axe(context)
    page = context.new_page()
    watcher = watch(page, demo_server.base_url)
    page.goto("/login")
    page.get_by_role("button", name=say("Sign in")).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()  # app.js moves the focus there: a screen reader reads it first
    expect(page).to_have_title(re.compile("^" + re.escape(say("Error:"))))
    summary.get_by_role("link", name=say("Enter your email address, like name@example.org.")).press("Enter")
    expect(page.get_by_label(say("Email address"))).to_be_focused()
    assert_clean(page, language, watcher)

    page.get_by_label(say("Email address")).fill("paul@example.org")
    page.get_by_label(say("Password"), exact=True).fill("not-the-password")
    page.get_by_role("button", name=say("Sign in")).click()
    expect(summary).to_contain_text(
        say("The email address or the password is not right. Check both and try again, or ask for a new password.")
    )
    expect(page.get_by_label(say("Email address"))).to_have_value("paul@example.org")  # kept; the password is not
    expect(page.get_by_label(say("Password"), exact=True)).to_have_value("")


def test_language_switch_follows_the_visitor_and_the_account(fresh_server: ServerFactory, browse: Browse) -> None:
    server = fresh_server()
    paul = PERSONAS["paul"]  # his account is in English
    page = browse(server, language="en").new_page()
    page.goto("/login")
    assert heading(page) == "Sign in"

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert heading(page) == words("fr")("Sign in")
    page.goto("/forgot")
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # the choice is remembered on this browser

    sign_in(page, paul)
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the account's own language wins
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
    page.get_by_role("button", name=words("fr")("Sign out")).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    other_browser = browse(server, language="en").new_page()
    sign_in(other_browser, paul, language="fr")  # the setting is saved on the account


def test_forgotten_password_by_email_link(fresh_server: ServerFactory, browse: Browse) -> None:
    server = fresh_server()
    lea = PERSONAS["lea"]
    say = words("fr")
    page = browse(server, language="fr").new_page()
    watcher = watch(page, server.base_url)
    page.goto("/login")
    page.get_by_role("link", name=say("Forgot your password?")).click()
    page.get_by_label(say("Email address")).fill(lea.email)
    page.get_by_role("button", name=say("Send me a link")).click()
    expect(page.get_by_role("status")).to_contain_text(lea.email)
    assert_clean(page, "fr", watcher)

    emails = server.emails_to(lea.email, "password_reset")
    assert len(emails) == 1, emails
    found = LINK_PATH.search(emails[0])
    assert found is not None, emails[0]
    page.goto(found.group(1))
    assert_clean(page, "fr", watcher)
    page.get_by_label(say("New password")).fill(NEW_PASSWORD)
    page.get_by_role("button", name=say("Save my new password")).click()
    expect(page.get_by_role("status")).to_have_text(say(NOTICES["password_reset"]))

    sign_in(page, lea, password=NEW_PASSWORD)
    page.goto(found.group(1))  # the link works once
    page.get_by_label(say("New password")).fill(NEW_PASSWORD + "-again")
    page.get_by_role("button", name=say("Save my new password")).click()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        say(
            "This link does not work any more: it was already used, it has expired, or part of it is missing. "
            "Ask for a new link from the “Forgot your password?” page."
        )
    )


def wrong_code() -> str:
    """A 6-digit code the server refuses: valid at no step it accepts (the one before, now, the one after), even
    if a step ends between here and the server's check."""
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    now = time.time()
    accepted = {totp.at(now + step * totp.interval) for step in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def test_two_step_sign_in_for_the_clinic_admin(demo_server: DemoServer, browse: Browse) -> None:
    dana = PERSONAS["dana"]
    say = words(dana.language)
    context = browse(demo_server, language=dana.language)
    with_axe(context)
    page = context.new_page()
    watcher = watch(page, demo_server.base_url)
    page.goto("/login")
    page.get_by_label(say("Email address")).fill(dana.email)
    page.get_by_label(say("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=say("Sign in")).click()

    code = page.get_by_label(say("Code from your authenticator app"))
    expect(code).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        say("Your account uses two-step sign-in. Enter your password again and the code from your authenticator app.")
    )
    assert_clean(page, dana.language, watcher)

    page.get_by_label(say("Password"), exact=True).fill(DEMO_PASSWORD)
    code.fill(wrong_code())
    page.get_by_role("button", name=say("Sign in")).click()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        say("That code is not right. Enter your password again and the code your app shows now.")
    )

    page.get_by_label(say("Password"), exact=True).fill(DEMO_PASSWORD)
    code.fill(pyotp.TOTP(DEMO_TOTP_SECRET).now())
    page.get_by_role("button", name=say("Sign in")).click()
    expect(page).to_have_url(re.compile(re.escape(dana.home) + "$"))


def test_a_trainer_turns_on_two_step_sign_in(fresh_server: ServerFactory, browse: Browse) -> None:
    server = fresh_server()
    bob = PERSONAS["bob"]
    say = words(bob.language)
    page = browse(server, language=bob.language).new_page()
    watcher = watch(page, server.base_url)
    sign_in(page, bob)
    page.goto("/account/two-factor")
    page.get_by_role("button", name=say("Show my key")).click()
    secret_shown = page.locator("#totp-secret")
    expect(secret_shown).to_be_visible()
    assert_clean(page, bob.language, watcher)
    secret = secret_shown.inner_text().replace(" ", "")
    page.get_by_label(say("Code from your authenticator app")).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name=say("Turn on two-step sign-in")).click()
    expect(page.get_by_role("status")).to_have_text(say(NOTICES["two_factor_on"]))

    sign_out(page, bob)
    page.get_by_label(say("Email address")).fill(bob.email)
    page.get_by_label(say("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=say("Sign in")).click()
    expect(page.get_by_label(say("Code from your authenticator app"))).to_be_visible()


def test_everything_above_works_without_javascript(fresh_server: ServerFactory, browse: Browse) -> None:
    server = fresh_server()
    paul = PERSONAS["paul"]
    say = words("en")
    page = browse(server, language="en", javascript=False).new_page()
    page.goto("/login")
    page.get_by_role("button", name=say("Sign in")).click()
    expect(page).to_have_title(re.compile("^" + re.escape(say("Error:"))))  # heard first, even without the script
    expect(page.locator("[data-error-summary]")).to_contain_text(say("Enter your password."))

    page.get_by_label(say("Email address")).fill(paul.email)
    page.get_by_label(say("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=say("Sign in")).click()
    expect_signed_in(page, paul)

    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    sign_out(page, paul)
    expect(page.get_by_role("status")).to_have_text(say(NOTICES["signed_out"]))

    page.get_by_role("link", name=say("Forgot your password?")).click()
    page.get_by_label(say("Email address")).fill(paul.email)
    page.get_by_role("button", name=say("Send me a link")).click()
    expect(page.get_by_role("status")).to_contain_text(paul.email)
