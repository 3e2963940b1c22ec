"""Translations of the web pages: keep the French catalog in step with the sources.

    python tools/i18n.py extract   # update locales/messages.pot and merge it into locales/fr/.../messages.po
    python tools/i18n.py check     # exit 1 if a string has no French translation, or the catalog is out of date

After `extract`, translate the new entries of `src/neuromotrix/adapters/i18n/locales/fr/LC_MESSAGES/messages.po`
(empty `msgstr`, or `#, fuzzy` ones: check the guess, then remove the flag), then run `check`. docs/web.md has the
whole workflow.
"""

from __future__ import annotations

import argparse
import sys

from neuromotrix.adapters.i18n import extraction


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/i18n.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="update messages.pot and merge it into each language's .po file")
    commands.add_parser("check", help="exit 1 on a missing, fuzzy, stale or obsolete translation")
    arguments = parser.parse_args(argv)
    template = extraction.extract()
    if arguments.command == "extract":
        for line in extraction.update(template) or ["nothing to change"]:
            print(line)
        return 0
    failed = False
    for language in extraction.translated_languages():
        report = extraction.check(language, template)
        for problem in report.problems:
            print(problem, file=sys.stderr)
        failed = failed or not report
    if not failed:
        print(f"{len(template)} strings, every one translated")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
