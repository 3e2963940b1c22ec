"""The gettext catalogs, compiled in memory from the committed .po files, and the translator used in Python."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LANGUAGES: Final = ("en", "fr")
# Québec clinics first: French when nothing else says which language a visitor reads.
DEFAULT_LANGUAGE: Final = "fr"
# Canadian conventions for dates and numbers (2026-11-23, 1 234,5 / 1,234.5).
LOCALES: Final = {"en": "en_CA", "fr": "fr_CA"}
# Each language named in itself, as the language switcher shows it.
LANGUAGE_NAMES: Final = {"en": "English", "fr": "Français"}
SOURCE_LANGUAGE: Final = "en"
LOCALES_DIR: Final = Path(__file__).resolve().parent / "locales"
DOMAIN: Final = "messages"


def is_language(value: object) -> bool:
    return isinstance(value, str) and value in LANGUAGES


def N_(message: str) -> str:  # noqa: N802 -- the gettext convention that the extractor looks for
    """Mark a string for translation without translating it (a module constant translated at render time)."""
    return message


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of a language; English (the source language) translates nothing. Fuzzy entries are left out."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    with po_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


class Translator:
    """Translations for one language, for Python code (templates use `_()` and `{% trans %}`).

    `gettext("Wait %(minutes)s minutes.", minutes=3)`: the message is translated first, then the values are put
    in; the extractor (tools/i18n.py) finds calls to `gettext`, `ngettext` and `N_` with literal strings.
    """

    def __init__(self, language: str) -> None:
        self.language = language
        self._catalog = translations(language)

    def gettext(self, message: str, **values: object) -> str:
        text = self._catalog.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        text = self._catalog.ngettext(singular, plural, count)
        return text % {"num": count, **values}


@cache
def translator(language: str) -> Translator:
    return Translator(language)
