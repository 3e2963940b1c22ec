"""The demo clinic's people (services/demo.py) as the browser tests sign them in, the keyboard helpers, and
`Hands`: a journey's actions done with the mouse or with the keyboard alone.

Texts on the pages are looked up through the project's own catalog (`words("fr")("Sign in")`), so one
journey is written once, in English msgids, and runs in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
from playwright.sync_api import Locator, Page, expect

from neuromotrix.adapters.i18n import translator
from neuromotrix.entrypoints.web.pages.navigation import HOME_BY_ROLE
from neuromotrix.services.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, PEOPLE


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    name: str
    role: str
    language: str  # the account's setting: the language of every page once signed in

    @property
    def home(self) -> str:
        return HOME_BY_ROLE[self.role]

    @property
    def two_factor(self) -> bool:
        return self.key == "dana"


PERSONAS = {
    person.key: Persona(person.key, person.email, person.name, person.role, person.language) for person in PEOPLE
}


def words(language: str) -> Callable[..., str]:
    """English msgid → the text the page shows in `language` (the same catalog the server uses);
    `say("Level %(level)s", level=2)` fills the placeholders as the page does."""
    return translator(language).gettext


def totp_now() -> str:
    return pyotp.TOTP(DEMO_TOTP_SECRET).now()


def sign_in(page: Page, persona: Persona, *, password: str = DEMO_PASSWORD, language: str | None = None) -> None:
    """Through the sign-in form, its fields found by id (the page's language may not be known yet).

    Dana has two-step sign-in: the first answer asks for the code, the second sends password and code again.
    """
    page.goto("/login")
    page.locator("#email").fill(persona.email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    if persona.two_factor:
        expect(page.locator("#totp")).to_be_visible()
        page.locator("#password").fill(password)
        page.locator("#totp").fill(totp_now())
        page.locator("main form button[type=submit]").click()
    expect_signed_in(page, persona, language=language)


def expect_signed_in(page: Page, persona: Persona, *, language: str | None = None) -> None:
    """A page of the site with the sign-out button, in the account's language (`language` once it changed)."""
    language = language or persona.language
    expect(page.get_by_role("button", name=words(language)("Sign out"))).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", language)


def sign_out(page: Page, persona: Persona) -> None:
    page.get_by_role("button", name=words(persona.language)("Sign out")).click()
    expect(page).to_have_url(re.compile(r"/login\?notice=signed_out$"))


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, target: Locator, *, limit: int = 40) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(target):
            return
    raise AssertionError(f"{target} never got the focus in {limit} presses of Tab: is it in the tab order?")


def tab_into(page: Page, container: Locator, *, limit: int = 60) -> None:
    """Press Tab until the focus is inside `container` (a radio group takes one Tab stop)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if container.evaluate("element => element.contains(document.activeElement)"):
            return
    raise AssertionError(f"the focus never reached {container} in {limit} presses of Tab")


class Hands:
    """How a journey acts on the page: with the mouse (and a pointer), or with the keyboard alone."""

    def __init__(self, page: Page, *, keyboard: bool) -> None:
        self.page = page
        self.keyboard = keyboard

    def press(self, target: Locator, *, navigates: bool = True) -> None:
        """A button or a link; unless told otherwise, wait for the page it leads to (a click waits by itself,
        a key press does not)."""
        if not self.keyboard:
            target.click()
            return
        tab_to(self.page, target, limit=60)
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        else:
            self.page.keyboard.press("Enter")

    def fill(self, field: Locator, text: str) -> None:
        if self.keyboard:
            tab_to(self.page, field, limit=60)
            self.page.keyboard.type(text)
        else:
            field.fill(text)

    def choose(self, group: Locator, index: int) -> None:
        """The option at `index` of a group of radio buttons (a 0-10 scale: index = the value)."""
        options = group.get_by_role("radio")
        if self.keyboard:
            tab_into(self.page, group)  # no option chosen yet: the focus is on the first one
            self.page.keyboard.press("Space")
            for _ in range(index):
                self.page.keyboard.press("ArrowRight")  # moves to the next option and chooses it
        else:
            options.nth(index).check()
        expect(options.nth(index)).to_be_checked()

    def tick(self, box: Locator) -> None:
        if self.keyboard:
            tab_to(self.page, box, limit=60)
            self.page.keyboard.press("Space")
        else:
            box.check()
        expect(box).to_be_checked()

    def sign_in(self, persona: Persona) -> None:
        self.page.goto("/login")
        say = words(self.page.evaluate("document.documentElement.lang"))
        self.fill(self.page.get_by_label(say("Email address")), persona.email)
        self.fill(self.page.get_by_label(say("Password"), exact=True), DEMO_PASSWORD)
        self.press(self.page.get_by_role("button", name=say("Sign in")))
        expect_signed_in(self.page, persona)

    def use_language(self, language: str) -> None:
        """The header's switcher; a signed-in person's setting changes with it."""
        if self.page.evaluate("document.documentElement.lang") != language:
            name = {"en": "English", "fr": "Français"}[language]
            self.press(self.page.get_by_role("button", name=name, exact=True))
        expect(self.page.locator("html")).to_have_attribute("lang", language)
