"""Every string of the pages has a French translation, and the committed catalog matches the sources.

Runs the same extraction as `python tools/i18n.py extract`, in process: a new `_()`, `{% trans %}`, `gettext()`
or `N_()` without a French translation fails here; run `python tools/i18n.py extract`, translate the new
entries of locales/fr/LC_MESSAGES/messages.po, and run the tests again.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from neuromotrix.adapters.i18n import extraction
from neuromotrix.adapters.i18n.catalogs import po_path

MINIMUM_STRINGS = 100  # the scan found at least this many when written; fewer means the scan broke


@cache
def template() -> Catalog:
    return extraction.extract()


def test_the_scan_finds_the_strings_of_templates_and_python() -> None:
    ids = {message.id for message in template() if message.id}
    assert len(ids) >= MINIMUM_STRINGS
    assert "Sign in" in ids, "a template string"
    assert "Enter your password." in ids, "a Python gettext() string"
    assert "No pain" in ids, "a Python N_() string"
    assert ("Wait %(num)s minute, then try again.", "Wait %(num)s minutes, then try again.") in ids, "a plural"


def test_every_string_has_a_french_translation_and_the_catalog_is_in_sync() -> None:
    report = extraction.check("fr", template())
    advice = "the French catalog does not match the sources; run `python tools/i18n.py extract`, translate, retry:"
    assert report, "\n".join([advice, *report.problems])


def test_the_committed_template_is_in_sync() -> None:
    committed = extraction.read_catalog(extraction.TEMPLATE_PATH, "en")
    assert {m.id for m in committed if m.id} == {m.id for m in template() if m.id}, "run `python tools/i18n.py extract`"


def test_the_check_catches_a_missing_and_a_broken_translation() -> None:
    sources = extraction.extract()
    sources.add("A sentence nobody translated")
    report = extraction.check("fr", sources)
    assert any("A sentence nobody translated" in problem for problem in report.problems)

    catalog = extraction.read_catalog(po_path("fr"), "fr")
    message = catalog.get("Signed in as %(name)s")
    assert message is not None
    message.string = "Session de %(nom)s"
    problems = extraction.placeholder_problems("fr", message)
    assert problems and "%(nom)s" not in problems[0] and "nom" in problems[0]


def test_extract_keeps_translations_adds_new_strings_and_drops_old_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    french = tmp_path / "fr.po"
    shutil.copyfile(po_path("fr"), french)
    monkeypatch.setattr(extraction, "po_path", lambda language: french)
    monkeypatch.setattr(extraction, "TEMPLATE_PATH", tmp_path / "messages.pot")
    sources = extraction.extract()
    sources.delete("Show my key")
    sources.add("A new button")

    changes = extraction.update(sources)
    assert any("dropped from fr: 'Show my key'" in line for line in changes)
    catalog = extraction.read_catalog(french, "fr")
    kept = catalog.get("Sign in")
    assert kept is not None and kept.string == "Se connecter"
    assert catalog.get("Show my key") is None and not catalog.obsolete
    report = extraction.check("fr", sources)
    assert [problem for problem in report.problems if "A new button" in problem], report.problems
    assert len(report.problems) == 1
    assert extraction.update(sources) == [], "a second run changes nothing"
