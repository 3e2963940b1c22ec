"""PDF reports (services/reports.py, adapters/pdf): each kind in English and French, read back with pypdf — the
PDF/UA-1 identifier, the structure tree and the language — and their text checked; the command line with an id,
an email, and a participant that does not exist.

The story: Zoé, followed by Bob at the Clinique Été-Démo, cervical dystonia; toxin injections on 13 August and
5 November 2026 (two cycles); her program starts on 23 November; she logs her sessions up to 8 December; Bob
pins one exercise with a reason; she rates her pain at the start and two weeks later.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from neuromotrix.adapters import pdf
from neuromotrix.adapters.db.tables import audit_log, clinics
from neuromotrix.bootstrap import Container
from neuromotrix.domain.alerts import HARD_STOPS, STOP_LABELS
from neuromotrix.domain.errors import InvalidRequest, NotFound
from neuromotrix.entrypoints.cli import app
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import (
    accounts,
    assessments,
    participant_view,
    participants,
    program_changes,
    programs,
    records,
    reports,
    session_flow,
)
from neuromotrix.services.access import Actor
from neuromotrix.services.report_errors import ReportUnavailable, UnknownCycle
from neuromotrix.services.report_progress import resolve_period
from neuromotrix.services.session_logs import BlockEntry, SessionEntry
from tests.api.conftest import example_profile

START = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # 10:00 in Montréal, the program's first day
TODAY = dt.date(2026, 12, 9)
NAME = "Zoé *Lefèvre* #set"  # markup characters print as typed: the data never becomes typst markup
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_reports.py"
runner = CliRunner()


@dataclass
class Story:
    container: Container
    bob: Actor
    participant_id: int
    pinned: str  # the exercise Bob pinned


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(20, 0), tzinfo=dt.UTC)


def _log_sessions(container: Container, actor: Actor, participant_id: int, since: dt.date, until: dt.date) -> int:
    with container.uow() as uow:
        plan = programs.parsed_plan(uow, programs.active_version(uow, participant_id))
    days = sorted(day for day in plan["_sessions_by_date"] if since.isoformat() <= day < until.isoformat())
    for number, day in enumerate(days):
        session = plan["_sessions_by_date"][day]
        blocks = tuple(
            BlockEntry(position=index, exercise_id=block["exercise_id"], status="done", pain=1,
                       effort=_low(block["dose"]["effort"]["target"]))
            for index, block in enumerate(session["blocks"])
        )  # fmt: skip
        entry = SessionEntry(
            performed_on=dt.date.fromisoformat(day), pre_pain=4 - number % 2, pre_dystonia=5, pre_fatigue=2,
            post_pain=3, post_dystonia=4, post_fatigue=3, stop_reason=None, notes="", blocks=blocks,
        )  # fmt: skip
        with container.uow(write=True) as uow:
            session_flow.log_session(uow, actor, participant_id, entry, now=_at(entry.performed_on))
            uow.commit()
    return len(days)


def _low(target: float | list[float]) -> float:
    return float(target[0]) if isinstance(target, list) else float(target)


@pytest.fixture
def story(container: Container) -> Iterator[Story]:
    container.clock = lambda: _at(TODAY)
    with container.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Clinique Été-Démo", now=START)
        uow.connection.execute(clinics.update().values(emergency_number="911", health_line="Info-Santé 811"))
        bob_id = accounts.create_user(uow, clinic_id=clinic, email="bob@example.org", name="Bob", role="trainer",
                                      now=START, password=None, language="en")  # fmt: skip
        zoe_id = accounts.create_user(uow, clinic_id=clinic, email="zoe@example.org", name="Zoé", role="participant",
                                      now=START, password=None, language="fr")  # fmt: skip
        bob = Actor(bob_id, clinic, "trainer", "bob@example.org", "Bob", "en")
        participant_id = participants.enrol(
            uow, bob, display_name=NAME, language="fr", profile=parse_profile(example_profile()), now=START,
            today=START.date(), user_id=zoe_id,
        )  # fmt: skip
        records.record_injection(uow, bob, participant_id, injected_on=dt.date(2026, 8, 13), regions=["neck"],
                                 product="Botox", dose_units=155.0, now=START, today=START.date())  # fmt: skip
        draft = programs.latest_version(uow, participant_id, "draft")
        assert draft is not None
        programs.approve(uow, bob, participant_id, draft.version, now=START)
        uow.commit()
    _log_sessions(container, bob, participant_id, START.date(), dt.date(2026, 12, 1))
    with container.uow(write=True) as uow:
        plan = programs.parsed_plan(uow, programs.active_version(uow, participant_id))
        pinned = plan["weeks"][0]["sessions"][0]["blocks"][1]["exercise_id"]
        program_changes.override(uow, bob, participant_id, exercise_id=pinned, level=1, paused=False, release=False,
                                 reason="Douleur au cou après la séance du 30 novembre", now=_at(dt.date(2026, 12, 1)),
                                 today=dt.date(2026, 12, 1))  # fmt: skip
        for taken_on, pain in ((dt.date(2026, 11, 23), 6), (dt.date(2026, 12, 7), 3)):
            assessments.record_assessment(uow, bob, participant_id, instrument="pain_nrs", taken_on=taken_on,
                                          answers={"now": pain, "average_24h": pain}, source="web", today=TODAY,
                                          now=_at(taken_on))  # fmt: skip
        uow.commit()
    _log_sessions(container, bob, participant_id, dt.date(2026, 12, 1), TODAY)
    yield Story(container, bob, participant_id, pinned)


def _render(story: Story, kind: reports.Kind, language: reports.Language, *, cycle: int | None = None) -> bytes:
    with story.container.uow() as uow:
        return reports.render_report(
            uow, story.bob, story.participant_id, kind=kind, language=language, today=TODAY, cycle=cycle
        )


def _text(document: bytes) -> str:
    """The text a screen reader or a copy-paste gets, with line breaks and hyphenation undone."""
    reader = pypdf.PdfReader(io.BytesIO(document))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("-\n", ""))


def _xmp(reader: pypdf.PdfReader) -> str:
    metadata = reader.trailer["/Root"]["/Metadata"].get_object()
    return str(metadata.get_data().decode("utf-8"))


def _check_pdf_ua(document: bytes, language: str, title: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(document))
    catalog = reader.trailer["/Root"]
    xmp = _xmp(reader)
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp  # the PDF/UA-1 identifier (ISO 14289-1 §5)
    assert "/StructTreeRoot" in catalog  # tagged: headings, lists, tables in reading order
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == language
    assert f"<rdf:li>{language}</rdf:li>" in xmp
    assert title in html.unescape(xmp)
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])  # the title, not the file name, is shown
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(re.search(r"Libertinus|NewCM|DejaVu", font) for font in fonts), fonts  # embedded only


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_handout_is_pdf_ua_in_both_languages(story: Story, language: reports.Language) -> None:
    document = _render(story, "handout", language)
    title = {"en": "Exercise program: ", "fr": "Programme d'exercices : "}[language] + NAME
    _check_pdf_ua(document, language, title)
    text = _text(document)
    assert NAME in text  # printed as typed: `*…*` and `#set` are data, not markup
    assert "Clinique Été-Démo" in text and "Info-Santé 811" in text and "911" in text


def test_the_french_handout_has_the_program_doses_and_every_warning_sign(story: Story) -> None:
    text = _text(_render(story, "handout", "fr"))
    with story.container.uow() as uow:
        plan = programs.parsed_plan(uow, programs.active_version(uow, story.participant_id))
    first = min(day for day in plan["_sessions_by_date"] if day >= TODAY.isoformat())
    exercise_ids = [block["exercise_id"] for block in plan["_sessions_by_date"][first]["blocks"]]
    for name in participant_view.exercise_names(exercise_ids, "fr").values():
        assert name in text, name
    for code in HARD_STOPS:  # BRIEF §4.5: every hard stop, in French, with what to do
        assert STOP_LABELS[code].fr in text, code
    for words in (
        "Signes d'alerte : arrêtez et demandez de l'aide",
        "Appelez le 911 maintenant. Ne conduisez pas vous-même.",
        "Appelez le Info-Santé 811 ou votre équipe de soins aujourd'hui",
        "Personne ne surveille vos réponses en tout temps",
        "ce n'est pas un dispositif médical",
        "répétitions",
        "sur 10",  # the effort target
        "Comment faire chaque exercice",
        "Séances du 9 décembre 2026 au 15 décembre 2026",
    ):
        assert words in text, words


def test_the_english_handout_words_the_same_in_english(story: Story) -> None:
    text = _text(_render(story, "handout", "en"))
    for code in HARD_STOPS:
        assert STOP_LABELS[code].en in text, code
    for words in ("Call 911 now. Do not drive yourself.", "Nobody watches your answers around the clock",
                  "it is not a medical device", "repetitions", "out of 10", "How to do each exercise",
                  "Sessions from December 9, 2026 to December 15, 2026"):  # fmt: skip
        assert words in text, words


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_progress_report_covers_the_latest_cycle_by_default(story: Story, language: reports.Language) -> None:
    document = _render(story, "progress", language)
    title = {"en": "Progress report: ", "fr": "Rapport d'évolution : "}[language] + NAME
    _check_pdf_ua(document, language, title)
    text = _text(document)
    expected = {
        "en": ("cycle 2 of 2: injection of November 5, 2026", "November 5, 2026 to December 9, 2026 (35 days)",
               "Adherence", "Symptom diary", "Outcome measures", "Pain now", "clinically meaningful", "MCID 2 (30 %)",
               "Program changes", "Douleur au cou après la séance du 30 novembre", "Botulinum toxin injections",
               "improved"),
        "fr": ("cycle 2 sur 2 : injection du 5 novembre 2026", "du 5 novembre 2026 au 9 décembre 2026 (35 jours)",
               "Assiduité", "Journal des symptômes", "Mesures de résultats", "Douleur en ce moment",
               "cliniquement significatif", "DMCI 2 (30 %)", "Modifications du programme",
               "Douleur au cou après la séance du 30 novembre", "Injections de toxine botulique", "amélioration"),
    }[language]  # fmt: skip
    for words in expected:
        assert words in text, words
    assert re.search(r"−3|-3", text)  # pain 6 → 3


def test_the_progress_report_counts_the_sessions_done(story: Story) -> None:
    text = _text(_render(story, "progress", "en"))
    with story.container.uow() as uow:
        plan = programs.parsed_plan(uow, programs.active_version(uow, story.participant_id))
    planned = sum(1 for day in plan["_sessions_by_date"] if START.date().isoformat() <= day < TODAY.isoformat())
    assert f"Overall: {planned} of {planned} (100%)" in text
    assert "3.5 → 3" in text  # the pain diary, before → after: 4, 3, 4, 3... then 3 after each session


def test_an_earlier_cycle_ends_the_day_before_the_next_injection(story: Story) -> None:
    text = _text(_render(story, "progress", "en", cycle=1))
    assert "cycle 1 of 2: injection of August 13, 2026" in text
    assert "August 13, 2026 to November 4, 2026 (84 days)" in text
    assert "Botox" in text and "155" in text
    assert "No session was logged in this period." in text


def test_an_unknown_cycle_names_the_cycles_there_are(story: Story) -> None:
    with pytest.raises(UnknownCycle) as raised:
        _render(story, "progress", "en", cycle=3)
    assert "There is no toxin cycle 3; the cycles recorded are 1 (2026-08-13), 2 (2026-11-05)" in str(raised.value)


def test_the_period_is_a_cycle_a_chosen_period_or_the_last_12_weeks() -> None:
    injections = [dt.date(2026, 8, 13), dt.date(2026, 11, 5)]
    latest = resolve_period(injections, today=TODAY, cycle=None, start=None, end=None)
    assert (latest.start, latest.end, latest.cycle, latest.cycles) == (dt.date(2026, 11, 5), TODAY, 2, 2)
    chosen = resolve_period(injections, today=TODAY, cycle=None, start=dt.date(2026, 10, 1), end=None)
    assert (chosen.start, chosen.end, chosen.cycle) == (dt.date(2026, 10, 1), TODAY, None)
    none = resolve_period([], today=TODAY, cycle=None, start=None, end=None)
    assert (none.start, none.end, none.days) == (TODAY - dt.timedelta(days=83), TODAY, 84)
    with pytest.raises(UnknownCycle, match="no botulinum toxin injection is recorded"):
        resolve_period([], today=TODAY, cycle=1, start=None, end=None)
    with pytest.raises(InvalidRequest, match="either a toxin cycle or a period"):
        resolve_period(injections, today=TODAY, cycle=1, start=dt.date(2026, 10, 1), end=None)
    with pytest.raises(InvalidRequest, match=r"starts .* after it ends"):
        resolve_period(injections, today=TODAY, cycle=None, start=TODAY, end=dt.date(2026, 10, 1))


def test_no_letter_when_the_screening_needs_no_clearance(story: Story) -> None:
    with pytest.raises(ReportUnavailable, match="needs no clearance now") as raised:
        _render(story, "clearance", "fr")
    assert raised.value.reason == "no_clearance"


@pytest.fixture
def paul(story: Story) -> int:
    """Parkinson's disease with PAR-Q+ yes answers and no clearance yet: a letter to send, no program to print."""
    with story.container.uow(write=True) as uow:
        participant_id = participants.enrol(
            uow, story.bob, display_name="Paul Bélanger", language="fr",
            profile=parse_profile(example_profile("parkinson-foot-dystonia")), now=START, today=START.date(),
        )  # fmt: skip
        uow.commit()
    return participant_id


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_clearance_letter_says_what_the_intake_letter_says(story: Story, paul: int, language: str) -> None:
    with story.container.uow() as uow:
        document = reports.render_report(uow, story.bob, paul, kind="clearance", language=_language(language),
                                         today=TODAY)  # fmt: skip
    title = {"en": "Request for a medical clearance for exercise", "fr": "Demande d'autorisation médicale pour l'exercice"}  # fmt: skip
    _check_pdf_ua(document, language, f"{title[language]} – Paul Bélanger")
    text = _text(document)
    expected = {
        "en": ("To the physician of Paul Bélanger,", "Bob, Clinique Été-Démo", "PAR-Q+ answered yes",
               "What we ask you to confirm", "A clearance counts for 12 months from its date.",
               "Profession and licence number", "Signature", "it does not diagnose or treat"),
        "fr": ("Au médecin de Paul Bélanger", "Bob, Clinique Été-Démo", "PAR-Q+ répondu oui",
               "Une autorisation vaut 12 mois à partir de sa date.", "Profession et numéro de permis", "Signature",
               "Maladie de Parkinson"),
    }[language]  # fmt: skip
    for words in expected:
        assert words in text, words


def _language(value: str) -> reports.Language:
    return "fr" if value == "fr" else "en"


def test_no_handout_before_a_program_is_approved(story: Story, paul: int) -> None:
    with story.container.uow() as uow, pytest.raises(ReportUnavailable) as raised:
        reports.render_report(uow, story.bob, paul, kind="handout", language="en", today=TODAY)
    assert raised.value.reason in {"draft", "no_program"}
    assert "approve" in str(raised.value)


def test_no_handout_when_the_screening_blocks_the_program(story: Story) -> None:
    document = example_profile()
    document["symptoms"] = {**document.get("symptoms", {}), "breathing_difficulty": True}  # a red flag: blocked
    with story.container.uow(write=True) as uow:
        blocked = participants.enrol(uow, story.bob, display_name="Gilles", language="en",
                                     profile=parse_profile(document), now=START, today=START.date())  # fmt: skip
        programs.generate(uow, story.bob, blocked, now=START, reason="intake")
        with pytest.raises(ReportUnavailable, match="screening stopped the program") as raised:
            reports.render_report(uow, story.bob, blocked, kind="handout", language="en", today=TODAY)
    assert raised.value.reason == "blocked"


def test_nobody_else_gets_a_report(story: Story) -> None:
    with story.container.uow(write=True) as uow:
        charlie_id = accounts.create_user(uow, clinic_id=story.bob.clinic_id, email="charlie@example.org",
                                          name="Charlie", role="trainer", now=START, password=None)  # fmt: skip
        uow.commit()
    charlie = Actor(charlie_id, story.bob.clinic_id, "trainer", "charlie@example.org", "Charlie", "en")
    with story.container.uow() as uow, pytest.raises(NotFound):
        reports.render_report(uow, charlie, story.participant_id, kind="handout", language="en", today=TODAY)


def test_a_report_for_another_kind_refuses_a_cycle(story: Story) -> None:
    with story.container.uow() as uow, pytest.raises(InvalidRequest, match="progress report only"):
        reports.render_report(uow, story.bob, story.participant_id, kind="handout", language="en", today=TODAY,
                              cycle=1)  # fmt: skip


def test_the_template_data_stays_data() -> None:
    with pytest.raises(ValueError, match="title"):
        pdf.render("handout", {"lang": "en"}, created=TODAY)
    assert set(pdf.font_families()) <= {"Libertinus Serif", "New Computer Modern", "New Computer Modern Math",
                                         "DejaVu Sans Mono"}  # fmt: skip


# The command line -------------------------------------------------------------------------------------------


@pytest.fixture
def cli_story(story: Story, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Story:
    monkeypatch.setenv("NEUROMOTRIX_DATABASE_URL", database_url)
    monkeypatch.setenv("NEUROMOTRIX_JOBS", "false")
    return story


def test_the_command_line_writes_a_report_for_an_id_or_an_email(cli_story: Story, tmp_path: Path) -> None:
    by_id = tmp_path / "handout.pdf"
    done = runner.invoke(app, ["report", str(cli_story.participant_id), "--kind", "handout", "-o", str(by_id)])
    assert done.exit_code == 0, done.output
    assert f"wrote {by_id}" in done.output
    assert pypdf.PdfReader(by_id).trailer["/Root"]["/Lang"] == "fr"  # the participant's language by default
    by_email = tmp_path / "progress.pdf"
    done = runner.invoke(app, ["report", "zoe@example.org", "--kind", "progress", "--lang", "en", "--from",
                               "2026-11-23", "--to", "2026-12-08", "-o", str(by_email)])  # fmt: skip
    assert done.exit_code == 0, done.output
    text = _text(by_email.read_bytes())
    assert "November 23, 2026 to December 8, 2026 (16 days)" in text and "chosen period" in text
    with cli_story.container.uow() as uow:
        audited = uow.connection.execute(
            sa.select(audit_log.c.actor, audit_log.c.object_id)
            .where(audit_log.c.action == "read", audit_log.c.object_type == "report")
            .order_by(audit_log.c.id)
        ).all()
    assert [tuple(row) for row in audited] == [("cli", "handout"), ("cli", "progress")]


def test_the_command_line_refuses_what_it_cannot_print(cli_story: Story, tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    done = runner.invoke(app, ["report", "nobody@example.org", "--kind", "handout", "-o", str(output)])
    assert done.exit_code == 2
    assert "No participant 'nobody@example.org'. Give a participant id or their login email." in done.output
    done = runner.invoke(app, ["report", "999", "--kind", "handout", "-o", str(output)])
    assert done.exit_code == 2 and "No participant '999'" in done.output
    done = runner.invoke(app, ["report", str(cli_story.participant_id), "--kind", "progress", "--cycle", "7",
                               "-o", str(output)])  # fmt: skip
    assert done.exit_code == 2
    assert "There is no toxin cycle 7; the cycles recorded are 1 (2026-08-13), 2 (2026-11-05)" in done.output
    done = runner.invoke(app, ["report", str(cli_story.participant_id), "--kind", "clearance", "-o", str(output)])
    assert done.exit_code == 2 and "needs no clearance now" in done.output
    assert not output.exists()  # nothing written on a refusal


def test_the_benchmark_runs() -> None:
    """benchmarks/bench_reports.py still works (its numbers are measured there, not judged here)."""
    command = [sys.executable, str(BENCHMARK), "--weeks", "1", "--runs", "1", "--warmup", "0", "--no-targets", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    result = json.loads(done.stdout)
    assert result["runs"] == 1 and result["sessions_logged"] > 0 and result["bytes"] > 0 and result["max_ms"] > 0
