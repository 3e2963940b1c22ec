"""The `neuromotrix` command as a user runs it: real console script, real files, exit codes."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from neuromotrix.adapters.db.tables import audit_log, invitations, outbox, participants
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.cli import app
from neuromotrix.services import accounts
from neuromotrix.services import invitations as invitation_service
from neuromotrix.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SHARED_CONTRACTS = ROOT.parent / "shared" / "contracts"
runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (falls back to the module when the script is not on PATH)."""
    script = shutil.which("neuromotrix")
    command = [script] if script else [sys.executable, "-m", "neuromotrix.entrypoints.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, check=False, cwd=ROOT)


@pytest.mark.parametrize("example", ["cervical-dystonia", "parkinson-foot-dystonia", "writers-cramp"])
def test_examples_plan_as_json_that_validates_against_the_published_schema(example: str) -> None:
    result = runner.invoke(app, ["plan", str(EXAMPLES / f"{example}.yaml"), "--format", "json",
                                 "--start-on", "2026-11-23"])  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    schema = json.loads(runner.invoke(app, ["schema", "plan"]).stdout)
    jsonschema.validate(plan, schema)
    assert plan["start_on"] == "2026-11-23"


def test_the_examples_keep_their_expected_outcomes() -> None:
    outcomes = {}
    for example in ("cervical-dystonia", "parkinson-foot-dystonia", "writers-cramp"):
        result = runner.invoke(app, ["check", str(EXAMPLES / f"{example}.yaml"), "--format", "json",
                                     "--start-on", "2026-11-23"])  # fmt: skip
        assert result.exit_code == 0, result.output
        outcomes[example] = json.loads(result.stdout)["status"]
    # Alice's and the writer's clearances are valid; the PD profile has PAR-Q+ yes answers and no clearance.
    assert outcomes == {"cervical-dystonia": "ready", "parkinson-foot-dystonia": "needs_clearance",
                        "writers-cramp": "ready"}  # fmt: skip


CONTRACT_FILES = {"cervical-dystonia.yaml", "parkinson-foot-dystonia.yaml", "writers-cramp.yaml",
                  "profile-reference.yaml"}  # fmt: skip


def test_examples_are_the_shared_contracts() -> None:
    assert {path.name for path in EXAMPLES.glob("*.yaml")} >= CONTRACT_FILES
    # Beside a development checkout the shared contracts are the source: the copies must not drift.
    shared = sorted(SHARED_CONTRACTS.glob("*.yaml")) if SHARED_CONTRACTS.is_dir() else []
    for path in shared:
        assert (EXAMPLES / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_reference_profile_is_accepted_and_screened() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLES / "profile-reference.yaml"), "--start-on", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "Outcome" in result.stdout or "Résultat" in result.stdout


def test_french_profile_gives_a_french_markdown_program() -> None:
    result = runner.invoke(app, ["plan", str(EXAMPLES / "parkinson-foot-dystonia.yaml"), "--format", "markdown",
                                 "--start-on", "2026-11-23"])  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout.startswith("# Programme NeuroMotrix")
    assert "Semaine 1" in result.stdout and "911" in result.stdout


def test_text_plan_is_readable_and_ends_with_the_warning_signs() -> None:
    result = runner.invoke(app, ["plan", str(EXAMPLES / "cervical-dystonia.yaml"), "--start-on", "2026-11-23"])
    assert result.exit_code == 0
    assert "Week 1" in result.stdout and "Warm-up" in result.stdout and "chest pain" in result.stdout


def test_same_input_gives_byte_identical_output() -> None:
    args = ["plan", str(EXAMPLES / "cervical-dystonia.yaml"), "--format", "json", "--start-on", "2026-11-23"]
    assert runner.invoke(app, args).stdout == runner.invoke(app, args).stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("conditions:\n  - kind: dystonia\n    regions: [nek]\n", ["conditions[0].regions[0]", "'neck'"]),
        ("conditions:\n  - kind: dystonia\npreferences:\n  weeks: eight\n", ["preferences.weeks", "whole number"]),
        ("conditions:\n  - kind: dystonia\npreferences:\n  start_on: 2026-02-30\n", ["preferences.start_on"]),
        ("conditions: [\n", ["not valid YAML", "line"]),
        ("conditions:\n  - kind: dystonia\nfavourite_colour: blue\n", ["favourite_colour", "unknown field",
                                                                       "Allowed fields here"]),
        ("conditions:\n  - kind: migraine\n", ["conditions[0]", "dystonia, parkinson, cerebral_palsy"]),
        ("goals: [fitness]\n", ["conditions", "required"]),
        ("- just a list\n", ["mapping"]),
    ],
)  # fmt: skip
def test_invalid_profiles_exit_2_naming_the_field_and_allowed_values(
    tmp_path: Path, content: str, expected: list[str]
) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(content, encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    result = runner.invoke(app, ["plan", str(profile), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    for fragment in expected:
        assert fragment in result.stderr
    assert sorted(tmp_path.iterdir()) == before, "nothing is written"


def test_malformed_json_profile_exits_2(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text('{"conditions": [', encoding="utf-8")
    result = runner.invoke(app, ["check", str(profile)])
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


def test_json_profiles_are_accepted(tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"conditions": [{"kind": "parkinson", "hoehn_yahr": 2}], "birth_year": 1950,
                                   "preferences": {"start_on": "2026-11-23"}}), encoding="utf-8")  # fmt: skip
    result = runner.invoke(app, ["plan", str(profile), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["start_on"] == "2026-11-23"


def test_missing_file_exits_2() -> None:
    result = runner.invoke(app, ["plan", "no-such-profile.yaml"])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_exercises_list_filters_and_show() -> None:
    listed = runner.invoke(app, ["exercises", "list", "--category", "neck_isometrics"])
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()[1:]] == ["NI01", "NI02", "NI03", "NI04"]
    hands = runner.invoke(app, ["exercises", "list", "--region", "hand_right"]).stdout
    assert "FM01" in hands and "NM04" not in hands
    shown = runner.invoke(app, ["exercises", "show", "NM04", "--lang", "fr"])
    assert shown.exit_code == 0 and "Rotation" in shown.stdout and "R61" in shown.stdout


def test_exercises_unknown_values_exit_2() -> None:
    assert runner.invoke(app, ["exercises", "show", "ZZ99"]).exit_code == 2
    bad = runner.invoke(app, ["exercises", "list", "--category", "yoga"])
    assert bad.exit_code == 2 and "neck_motor_control" in bad.stderr


def test_schemas_are_valid_json_schemas() -> None:
    for contract in ("profile", "plan"):
        schema = json.loads(runner.invoke(app, ["schema", contract]).stdout)
        jsonschema.validators.validator_for(schema).check_schema(schema)
    profile_schema = json.loads(runner.invoke(app, ["schema", "profile"]).stdout)
    assert profile_schema["required"] == ["conditions"]


def test_console_script_runs_end_to_end() -> None:
    result = run("plan", str(EXAMPLES / "writers-cramp.yaml"), "--format", "json", "--start-on", "2026-11-23")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "ready"
    invalid = run("check", str(ROOT / "pyproject.toml"))
    assert invalid.returncode == 2


def test_internal_errors_exit_1_with_a_short_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from neuromotrix.entrypoints import cli
    from neuromotrix.services import planning

    def broken(profile: object) -> object:
        raise RuntimeError("catalog exploded")

    monkeypatch.setattr(planning, "make_plan", broken)
    monkeypatch.setattr(sys, "argv", ["neuromotrix", "plan", str(EXAMPLES / "writers-cramp.yaml")])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "internal error" in err and "catalog exploded" in err and "Traceback" not in err


def test_invalid_catalog_data_exits_1_naming_the_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from neuromotrix.catalog.loader import CatalogError
    from neuromotrix.entrypoints import cli
    from neuromotrix.services import planning

    def broken(profile: object) -> object:
        raise CatalogError("neck_isometrics.yaml: exercises[0].levels: levels 1 and 2 must differ in one variable")

    monkeypatch.setattr(planning, "make_plan", broken)
    monkeypatch.setattr(sys, "argv", ["neuromotrix", "plan", str(EXAMPLES / "writers-cramp.yaml")])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "catalog data is invalid" in err and "neck_isometrics.yaml" in err and "bug" not in err


# `neuromotrix user invite` ----------------------------------------------------------------------------------

INVITE_LINK = re.compile(r"http://127\.0\.0\.1:8000/invitations/([A-Za-z0-9_-]+)")


@pytest.fixture
def invite_box(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Container]:
    """The database the CLI writes to (NEUROMOTRIX_DATABASE_URL), migrated, with a clinic and a participant."""
    monkeypatch.setenv("NEUROMOTRIX_DATABASE_URL", database_url)
    box = Container(Settings(database_url=database_url))
    box.migrate()
    now = dt.datetime.now(dt.UTC)
    with box.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Clinique Demo", now=now)
        accounts.create_clinic(uow, "Other clinic", now=now)
        uow.connection.execute(
            participants.insert().values(clinic_id=clinic, display_name="Alice", language="fr", created_at=now)
        )
        uow.commit()
    try:
        yield box
    finally:
        box.close()


def stored(box: Container, table: sa.Table) -> list[sa.Row[Any]]:
    with box.uow() as uow:
        return list(uow.connection.execute(sa.select(table).order_by(*table.primary_key.columns)))


def test_user_invite_queues_the_email_and_prints_a_link_that_opens_the_account(invite_box: Container) -> None:
    result = runner.invoke(app, ["user", "invite", "Fay@Example.org", "--name", "Fay", "--role", "trainer",
                                 "--clinic", "Clinique Demo", "--language", "fr"])  # fmt: skip
    assert result.exit_code == 0, result.output
    found = INVITE_LINK.search(result.stdout)
    assert found is not None and "fay@example.org (trainer)" in result.stdout
    [email] = stored(invite_box, outbox)
    assert (email.to_address, email.purpose) == ("fay@example.org", "invitation")
    assert email.subject == "Clinique Demo vous invite sur NeuroMotrix" and found.group(0) in email.body
    with invite_box.uow(write=True) as uow:
        accepted = invitation_service.accept(uow, found.group(1), password="correct horse battery", language="fr",
                                      now=dt.datetime.now(dt.UTC))  # fmt: skip
        uow.commit()
    assert accepted.role == "trainer"
    assert [(row.actor, row.action) for row in stored(invite_box, audit_log)][:1] == [("cli", "create")]


def test_user_invite_caregiver_records_consent_for_the_participant(invite_box: Container) -> None:
    base = ["user", "invite", "eve@example.org", "--name", "Eve", "--role", "caregiver", "--participant", "1"]
    missing = runner.invoke(app, base)
    assert missing.exit_code == 2 and "consent_by" in missing.stderr
    assert stored(invite_box, invitations) == [] and stored(invite_box, outbox) == [], "nothing is written"
    result = runner.invoke(app, [*base, "--consent-by", "guardian", "--consent-name", "Gina Tremblay"])
    assert result.exit_code == 0, result.output
    [invitation] = stored(invite_box, invitations)
    assert (invitation.participant_id, invitation.consent_by, invitation.consent_name) == (1, "guardian",
                                                                                           "Gina Tremblay")  # fmt: skip
    assert stored(invite_box, outbox)[0].body.startswith("Bonjour Eve"), "Alice's language by default"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--role", "trainer", "--clinic", "99"], "No such clinic 99"),
        (["--role", "caregiver", "--participant", "1", "--clinic", "Other clinic", "--consent-by", "participant",
          "--consent-name", "Alice"], "another clinic"),
        (["--role", "chef"], "Unknown role"),
        (["--role", "participant", "--participant", "42"], "No such participant 42"),
    ],
)  # fmt: skip
def test_user_invite_refuses_bad_input_with_exit_2(invite_box: Container, extra: list[str], message: str) -> None:
    result = runner.invoke(app, ["user", "invite", "eve@example.org", "--name", "Eve", *extra])
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert stored(invite_box, invitations) == []
