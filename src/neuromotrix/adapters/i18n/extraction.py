"""Find every translatable string in the sources and keep the French catalog in step with them.

Used by `tools/i18n.py` (extract, check) and by tests/web/test_translations.py. Sources: the Jinja templates
(`_()`, `gettext()`, `ngettext()`, `{% trans %}`; trimmed, newstyle gettext, as the pages render them) and the
Python modules of the package (`gettext()`, `ngettext()`, `N_()` called with literal strings).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from neuromotrix import __version__
from neuromotrix.adapters.i18n.catalogs import DOMAIN, LANGUAGES, LOCALES_DIR, SOURCE_LANGUAGE, po_path

PACKAGE_DIR = Path(__file__).resolve().parents[2]
TEMPLATE_PATTERN = "**/templates/**.html"
METHODS = [(TEMPLATE_PATTERN, "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {TEMPLATE_PATTERN: {"trimmed": "true", "newstyle_gettext": "true", "silent": "false"}}
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
COMMENT_TAGS = ("Translators:",)
TEMPLATE_PATH = LOCALES_DIR / f"{DOMAIN}.pot"
WIDTH = 100
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def extract(source: Path = PACKAGE_DIR) -> Catalog:
    """Every message of the sources, in a template catalog (file references without line numbers)."""
    catalog = Catalog(project="NeuroMotrix", version=__version__, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(source), METHODS, OPTIONS, KEYWORDS, COMMENT_TAGS, strip_comment_tags=True
    ):
        if not message or (isinstance(message, tuple) and not all(message)):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments)
    return catalog


def translated_languages() -> list[str]:
    """The languages with a catalog of their own (every one but the source language)."""
    return [language for language in LANGUAGES if language != SOURCE_LANGUAGE]


def _parts(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A message id or translation as a tuple (singular and plural forms for plural messages)."""
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {message.id if isinstance(message.id, str) else tuple(message.id) for message in catalog if message.id}


def _translated(message: Message) -> bool:
    return not message.fuzzy and all(_parts(message.string))


def _label(message_id: str | tuple[str, ...] | list[str]) -> str:
    return repr(_parts(message_id)[0])


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@dataclass
class Report:
    """What `check` found; no problems means every string is translated and the catalog matches the sources."""

    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.problems


def check(language: str, template: Catalog | None = None) -> Report:
    """Compare a language's catalog with the sources: missing, untranslated, fuzzy, stale and obsolete entries,
    and translations that lose or invent a `%(name)s` placeholder."""
    template = template or extract()
    path = po_path(language)
    report = Report()
    if not path.exists():
        report.problems.append(f"{path} does not exist; run `python tools/i18n.py extract`")
        return report
    catalog = read_catalog(path, language)
    for message_id in sorted(_ids(template) - _ids(catalog), key=_label):
        report.problems.append(f"not in the {language} catalog (run extract, then translate): {_label(message_id)}")
    for message_id in sorted(_ids(catalog) - _ids(template), key=_label):
        report.problems.append(
            f"in the {language} catalog but no longer in the sources (run extract): {_label(message_id)}"
        )
    for message_id in catalog.obsolete:
        report.problems.append(f"obsolete entry in the {language} catalog (run extract): {_label(message_id)}")
    current = _ids(template)
    for message in catalog:
        if not message.id or (message.id if isinstance(message.id, str) else tuple(message.id)) not in current:
            continue
        if not _translated(message):
            state = "fuzzy (check it, then remove the fuzzy flag)" if message.fuzzy else "not translated"
            report.problems.append(f"{state} in {language}: {_label(message.id)}")
            continue
        report.problems.extend(placeholder_problems(language, message))
    return report


def placeholder_problems(language: str, message: Message) -> list[str]:
    ids, strings = _parts(message.id), _parts(message.string)
    expected = set().union(*(_placeholders(text) for text in ids))
    found = set().union(*(_placeholders(text) for text in strings))
    if found - expected:
        return [f"{language} translation of {_label(message.id)} uses unknown placeholders {sorted(found - expected)}"]
    if len(ids) == 1 and expected - found:
        return [f"{language} translation of {_label(message.id)} leaves out {sorted(expected - found)}"]
    return []


def render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True, sort_output=False)
    return buffer.getvalue()


def update(template: Catalog | None = None) -> list[str]:
    """Write the template (messages.pot) and merge it into every translated catalog, keeping the translations.

    New strings arrive untranslated (or fuzzy, when a similar old string had a translation); strings gone from the
    sources are dropped. Returns what changed, one line per file, for the command line.
    """
    template = template or extract()
    changes: list[str] = []
    previous = read_catalog(TEMPLATE_PATH, SOURCE_LANGUAGE) if TEMPLATE_PATH.exists() else None
    if previous is not None and _ids(previous) == _ids(template) and previous.creation_date:
        template.creation_date = previous.creation_date  # same strings: keep the file as it is
    _write(TEMPLATE_PATH, render_po(template), changes)
    for language in translated_languages():
        path = po_path(language)
        if path.exists():
            catalog = read_catalog(path, language)
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="NeuroMotrix", charset="utf-8", fuzzy=False)
        dropped = sorted((_label(message_id) for message_id in _ids(catalog) - _ids(template)), key=str)
        catalog.update(template, update_header_comment=False, keep_user_comments=True)
        catalog.creation_date = template.creation_date
        catalog.obsolete.clear()
        _write(path, render_po(catalog), changes)
        changes.extend(f"  dropped from {language}: {label}" for label in dropped)
    return changes


def _write(path: Path, content: bytes, changes: list[str]) -> None:
    if path.exists() and path.read_bytes() == content:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    changes.append(f"wrote {path}")
