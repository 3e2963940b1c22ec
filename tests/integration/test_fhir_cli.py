"""`neuromotrix export fhir` and `neuromotrix import fhir` as a clinic's operator runs them (docs/fhir.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fhir.resources.R4B.bundle import Bundle
from typer.testing import CliRunner

from neuromotrix.adapters.db.tables import assessments, audit_log
from neuromotrix.bootstrap import Container
from neuromotrix.entrypoints.cli import app
from neuromotrix.settings import Settings
from tests.integration.test_fhir_exchange import DATA, World, build_world, seed_history

runner = CliRunner()
HAND_WRITTEN = DATA / "questionnaire-responses.json"


@pytest.fixture
def cli_world(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """Alice's world in the database the CLI opens (NEUROMOTRIX_DATABASE_URL)."""
    monkeypatch.setenv("NEUROMOTRIX_DATABASE_URL", database_url)
    box = Container(Settings(database_url=database_url, jobs=False))
    box.migrate()
    try:
        yield build_world(box)
    finally:
        box.close()


def count(world: World) -> int:
    with world.container.uow() as uow:
        return int(uow.connection.execute(sa.select(sa.func.count()).select_from(assessments)).scalar_one())


def test_export_writes_a_valid_bundle_by_id_or_email_and_is_audited_as_cli(cli_world: World, tmp_path: Path) -> None:
    seed_history(cli_world)
    by_id, by_email = tmp_path / "by-id.json", tmp_path / "by-email.json"
    result = runner.invoke(app, ["export", "fhir", str(cli_world.alice_id), "-o", str(by_id)])
    assert result.exit_code == 0, result.output
    bundle = Bundle.model_validate_json(by_id.read_bytes())
    assert bundle.entry is not None and f"wrote {len(bundle.entry)} resource(s) to {by_id}" in result.stderr
    result = runner.invoke(app, ["export", "fhir", "Alice@Example.org", "--output", str(by_email)])
    assert result.exit_code == 0, result.output
    first, second = json.loads(by_id.read_bytes()), json.loads(by_email.read_bytes())
    assert first["entry"] == second["entry"]  # same ids and content; only the timestamp differs
    to_stdout = runner.invoke(app, ["export", "fhir", str(cli_world.alice_id), "-o", "-"])
    assert to_stdout.exit_code == 0 and json.loads(to_stdout.stdout_bytes)["entry"] == first["entry"]
    with cli_world.container.uow() as uow:
        actors = uow.connection.execute(
            sa.select(audit_log.c.actor).where(audit_log.c.object_type == "fhir_bundle", audit_log.c.action == "export")
        ).scalars()
        assert list(actors) == ["cli", "cli", "cli"]


def test_export_refuses_an_unknown_participant_with_exit_2(cli_world: World, tmp_path: Path) -> None:
    target = tmp_path / "nobody.json"
    for reference in ("9999", "nobody@example.org"):
        result = runner.invoke(app, ["export", "fhir", reference, "-o", str(target)])
        assert result.exit_code == 2, result.output
        assert f"participant {reference}" in result.stderr
    assert not target.exists(), "nothing is written"


def test_import_records_the_hand_written_bundle_under_the_named_account(cli_world: World) -> None:
    result = runner.invoke(app, ["import", "fhir", "alice@example.org", str(HAND_WRITTEN), "--by", "bob@example.org"])
    assert result.exit_code == 0, result.output
    assert f"imported 5 assessment(s) for participant {cli_world.alice_id}" in result.stderr
    again = runner.invoke(
        app, ["import", "fhir", str(cli_world.alice_id), str(HAND_WRITTEN), "--by", "bob@example.org"]
    )
    assert again.exit_code == 0 and "imported 0 assessment(s)" in again.stderr and "5 already on file" in again.stderr
    with cli_world.container.uow() as uow:
        rows = uow.connection.execute(sa.select(assessments.c.entered_by, assessments.c.source)).all()
    assert {(row.entered_by, row.source) for row in rows} == {(cli_world.people["bob"].user_id, "fhir")}


def test_import_by_default_acts_as_the_participant_whose_permissions_apply(cli_world: World, tmp_path: Path) -> None:
    # The hand-written file holds a Timed Up and Go: a trainer enters it, so the participant's import is refused.
    refused = runner.invoke(app, ["import", "fhir", str(cli_world.alice_id), str(HAND_WRITTEN)])
    assert refused.exit_code == 2, refused.output
    assert (
        "entry 3 (QuestionnaireResponse timed-up-and-go)" in refused.stderr and "Nothing was imported" in refused.stderr
    )
    assert count(cli_world) == 0
    document = json.loads(HAND_WRITTEN.read_bytes())
    document["entry"] = document["entry"][:3]  # the self-reported ones
    own = tmp_path / "self-reported.json"
    own.write_text(json.dumps(document), encoding="utf-8")
    accepted = runner.invoke(app, ["import", "fhir", str(cli_world.alice_id), str(own)])
    assert accepted.exit_code == 0, accepted.output
    assert count(cli_world) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"resourceType": "Patient"}', "not a QuestionnaireResponse"),
    ],
)
def test_import_refuses_a_bad_file_with_exit_2_and_writes_nothing(
    cli_world: World, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    result = runner.invoke(app, ["import", "fhir", str(cli_world.alice_id), str(bad), "--by", "bob@example.org"])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert count(cli_world) == 0


def test_import_names_what_to_fix_for_an_unknown_account_or_file(cli_world: World, tmp_path: Path) -> None:
    result = runner.invoke(app, ["import", "fhir", str(cli_world.alice_id), str(HAND_WRITTEN), "--by", "x@example.org"])
    assert result.exit_code == 2 and "No active account has the email x@example.org" in result.stderr
    missing = runner.invoke(app, ["import", "fhir", str(cli_world.alice_id), str(tmp_path / "absent.json")])
    assert missing.exit_code == 1 and "absent.json" in missing.stderr
    assert count(cli_world) == 0
