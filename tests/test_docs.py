"""Docs that cannot drift (DESIGN.md "Habits": datasette).

Every code the software can put in a plan is documented in docs/clinical-rules.md, every profile field in
docs/profile.md, every plan field in docs/plan.md; docs/cli.md is exactly what tools/gen_cli_docs.py renders;
the README's test command is what CI runs; every command is mentioned in the README.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, get_args

import pytest

from neuromotrix.catalog.instruments import load_instruments
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.domain import vocab
from neuromotrix.domain.plan import Plan
from neuromotrix.domain.profile import Profile
from neuromotrix.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
DOMAIN = ROOT / "src" / "neuromotrix" / "domain"
GENERATOR = ROOT / "tools" / "gen_cli_docs.py"

# Reason codes: `rule="..."`, `rule=f"prefix.{...}"` and the positional first argument of `_reason("...")`.
RULE_PATTERN = re.compile(r'(?:\brule=|\b_reason\(\s*)(f?)"([^"]*)"')
FLAG_CODE_PATTERN = re.compile(r'\bcode=(f?)"([^"]*)"')
EXTENSIONS = (
    "symptoms.escalating_spasms", "symptoms.fever", "symptoms.acute_illness", "symptoms.new_weakness",
    "symptoms.numbness", "symptoms.vision_change", "symptoms.gait_or_bladder_change", "symptoms.low_mood_crisis",
    "treatments.botulinum_toxin[].dose_units", "treatments.dbs.problem", "screening.parq_follow_up",
    "screening.breastfeeding",
)  # fmt: skip
PLAN_EXTENSIONS = ("deload", "supervised", "movement_s", "instructions")


@cache
def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def mentioned(text: str, code: str) -> bool:
    """`code` appears as a code span (or as the start of one, for prefixes ending in '.' or '_')."""
    if code.endswith((".", "_")):
        return f"`{code}" in text
    return f"`{code}`" in text


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


# --- docs/clinical-rules.md ---------------------------------------------------------------------------------


def test_every_red_flag_row_is_in_the_red_flag_table() -> None:
    rows = table_rows(doc("clinical-rules.md"))
    for flag in load_catalog().rules.red_flags:
        row = next((r for r in rows if r.startswith(f"| `{flag.code}` |")), None)
        assert row is not None, f"red flag {flag.code} has no row in docs/clinical-rules.md"
        assert flag.severity in row, f"red flag {flag.code}: the documented row does not give severity {flag.severity}"
        for ref in flag.refs:
            assert ref in row, f"red flag {flag.code}: reference {ref} missing from its row"


def screening_flag_codes() -> set[str]:
    """Every flag code screening.py can emit; f-string codes are expanded from the PAR-Q+ table."""
    source = (DOMAIN / "screening.py").read_text(encoding="utf-8")
    codes: set[str] = set()
    for is_format, code in FLAG_CODE_PATTERN.findall(source):
        if not is_format:
            codes.add(code)
            continue
        prefix = code.split("{", 1)[0]
        assert prefix == "parq_", f"new computed flag code {code!r} in screening.py: document it and teach this test"
        codes |= {f"parq_{question.code}" for question in load_catalog().rules.screening.parq.questions}
    return codes


def test_every_flag_the_screening_code_emits_is_documented() -> None:
    codes = screening_flag_codes()
    expected = {
        "parq_unanswered", "parq_supervision_required", "parq_over_45_not_vigorous", "acsm_symptoms",
        "acsm_clearance_recommended", "acsm_no_vigorous_without_clearance", "clearance_not_valid",
        "clearance_restrictions", "parq_heart_condition", "parq_supervised_only",
    }  # fmt: skip
    assert codes >= expected, "the source scan lost flag codes; check FLAG_CODE_PATTERN"
    missing = sorted(code for code in codes if not mentioned(doc("clinical-rules.md"), code))
    assert not missing, f"flag codes missing from docs/clinical-rules.md: {missing}"


def reason_rule_codes() -> set[str]:
    """Every Reason rule code (or f-string prefix such as 'toxin.phase.') used in src/neuromotrix/domain."""
    codes: set[str] = set()
    for path in sorted(DOMAIN.glob("*.py")):
        for is_format, code in RULE_PATTERN.findall(path.read_text(encoding="utf-8")):
            codes.add(code.split("{", 1)[0] if is_format else code)
    return codes


def test_every_reason_rule_code_is_documented() -> None:
    codes = reason_rule_codes()
    assert len(codes) >= 25 and {"selection", "time_budget", "toxin.phase.", "contraindication."} <= codes, (
        "the source scan lost rule codes; check RULE_PATTERN"
    )
    missing = sorted(code for code in codes if not mentioned(doc("clinical-rules.md"), code))
    assert not missing, f"rule codes missing from docs/clinical-rules.md: {missing}"


def test_every_toxin_phase_is_documented() -> None:
    text = doc("clinical-rules.md")
    phases = set(get_args(vocab.ToxinPhase)) | {row.phase for row in load_catalog().rules.toxin.phases}
    for phase in sorted(phases):
        assert mentioned(text, phase), f"toxin phase {phase} missing from docs/clinical-rules.md"
        assert mentioned(doc("plan.md"), phase), f"toxin phase {phase} missing from docs/plan.md"
    for row in load_catalog().rules.toxin.phases:
        assert mentioned(text, f"toxin.phase.{row.phase}"), f"reason toxin.phase.{row.phase} is not documented"


def test_every_contraindication_has_a_row_for_its_exercise() -> None:
    rows = table_rows(doc("clinical-rules.md"))
    for exercise_id, compiled in sorted(load_catalog().exercises.items()):
        for item in compiled.exercise.contraindications:
            found = any(row.startswith(f"| {exercise_id} ") and f"`{item.code}`" in row for row in rows)
            assert found, f"{exercise_id} contraindication {item.code} has no row in docs/clinical-rules.md"


# --- docs/profile.md and docs/plan.md -----------------------------------------------------------------------


def _resolve(node: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = definitions[node["$ref"].split("/")[-1]]
    return node


def schema_fields(schema: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(path, name) of every property, recursively: `a.b`, `a[].b`; union members share their parent's path."""
    definitions = schema.get("$defs", {})

    def walk(node: dict[str, Any], path: str) -> Iterator[tuple[str, str]]:
        node = _resolve(node, definitions)
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                yield from walk(option, path)
        if isinstance(node.get("items"), dict):
            yield from walk(node["items"], f"{path}[]")
        for name, child in node.get("properties", {}).items():
            child_path = f"{path}.{name}" if path else name
            yield child_path, name
            yield from walk(child, child_path)

    yield from walk(schema, "")


def test_every_profile_field_is_documented() -> None:
    text = doc("profile.md")
    schema = Profile.model_json_schema(by_alias=True)
    paths = {path for path, _ in schema_fields(schema)}
    assert "conditions[].cervical.rotation.toward" in paths and "treatments.medications[].class" in paths
    missing = sorted(path for path in paths if not mentioned(text, path))
    assert not missing, f"profile fields missing from docs/profile.md: {missing}"
    groups = schema["$defs"]["Screening"]["properties"]["parq_follow_up"]["propertyNames"]["enum"]
    missing_groups = sorted(group for group in groups if not mentioned(text, group))
    assert not missing_groups, f"PAR-Q+ follow-up groups missing from docs/profile.md: {missing_groups}"


@pytest.mark.parametrize("path", EXTENSIONS)
def test_profile_extensions_are_marked(path: str) -> None:
    row = next((r for r in table_rows(doc("profile.md")) if r.startswith(f"| `{path}` |")), None)
    assert row is not None and "extension" in row, f"{path} must have a row in docs/profile.md saying extension"


def test_profile_doc_explains_yaml_booleans_and_errors() -> None:
    text = doc("profile.md")
    assert "YAML 1.2" in text and "`on:`" in text
    assert "code 2" in text and "conditions[0].regions[1]" in text and "Allowed values" in text


def test_every_plan_field_is_documented() -> None:
    text = doc("plan.md")
    names = {name for _, name in schema_fields(Plan.model_json_schema(mode="serialization"))}
    missing = sorted(name for name in names if not re.search(rf"`(?:[\w\[\]]+\.)*{re.escape(name)}`", text))
    assert not missing, f"plan fields missing from docs/plan.md: {missing}"
    for name in PLAN_EXTENSIONS:
        row = next((r for r in table_rows(text) if re.match(rf"\| `(?:[\w\[\]]+\.)*{name}` \|", r)), None)
        assert row is not None and "extension" in row, f"plan field {name} must be documented as an extension"


def test_session_time_formula_is_documented_as_computed() -> None:
    for name in ("plan.md", "clinical-rules.md"):
        text = doc(name)
        assert "sets × reps × (hold_s + movement_s)" in text, name
        assert "sets × rest_s" in text and "60 × (minutes + continuous_minutes)" in text, name


# --- docs/cli.md and README ---------------------------------------------------------------------------------


@cache
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_generated_from_the_commands() -> None:
    rendered: str = generator().render()
    assert doc("cli.md") == rendered, "docs/cli.md is out of date: run `python tools/gen_cli_docs.py`"


def test_cli_reference_covers_every_command_and_exit_code() -> None:
    text = doc("cli.md")
    paths: list[str] = generator().command_paths()
    assert {"neuromotrix plan", "neuromotrix check", "neuromotrix exercises list"} <= set(paths)
    for path in paths:
        assert f"## `{path}`" in text, f"{path} has no section in docs/cli.md"
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in text, f"exit code row {code} missing from docs/cli.md"


def readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Test it", 1)[1]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.DOTALL)
    assert block is not None, "README 'Test it' has no code block"
    lines = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 1, "README 'Test it' must hold exactly one command line"
    return lines[0]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert readme_test_command() in ci_lines


def test_every_command_is_mentioned_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [path for path in generator().command_paths() if path not in readme]
    assert not missing, f"commands not mentioned in README.md: {missing}"


# --- docs/configuration.md ----------------------------------------------------------------------------------


def test_every_setting_is_documented_and_nothing_else() -> None:
    rows = table_rows(doc("configuration.md"))
    documented = {match.group(1) for row in rows if (match := re.match(r"\| `(NEUROMOTRIX_[A-Z0-9_]+)` \|", row))}
    expected = {f"NEUROMOTRIX_{name.upper()}" for name in Settings.model_fields}
    assert "NEUROMOTRIX_DATABASE_URL" in expected and len(expected) >= 10
    assert not expected - documented, f"settings missing from docs/configuration.md: {sorted(expected - documented)}"
    assert not documented - expected, f"docs/configuration.md lists unknown settings: {sorted(documented - expected)}"


# --- docs/instruments.md ------------------------------------------------------------------------------------


def test_every_instrument_and_scale_is_documented_with_its_thresholds() -> None:
    def number(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else f"{value:g}"

    scale_rows: dict[tuple[str, str], str] = {}
    heads: dict[str, str] = {}
    current = ""
    for row in table_rows(doc("instruments.md")):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) != 7:
            continue
        if match := re.fullmatch(r"`([a-z0-9_]+)`", cells[1]):
            current = match.group(1)
            heads[current] = row
        if current and (scale := re.match(r"`([a-z0-9_]+)` ", cells[3])):
            scale_rows[(current, scale.group(1))] = cells[3] + " | " + cells[4]
    registry = load_instruments()
    assert set(heads) == set(registry.keys()), "docs/instruments.md must have one row per instrument"
    for instrument in registry:
        head = heads[instrument.key]
        for value in (instrument.kind, instrument.licence, instrument.french):
            assert f"| {value} |" in head, (instrument.key, value)
        for scale in instrument.scales:
            text = scale_rows.get((instrument.key, scale.key), "")
            assert f"{number(scale.minimum)}–{number(scale.maximum)}" in text, (instrument.key, scale.key)
            for threshold in (scale.mcid, scale.mdc):
                if threshold is None:
                    continue
                for value in (threshold.improvement, threshold.worsening, threshold.improvement_percent):
                    assert value is None or number(value) in text, (instrument.key, scale.key, value)
                assert threshold.source.split(":")[0] in text, (instrument.key, scale.key)
    for condition in registry.conditions():
        assert f"| `{condition}` |" in doc("instruments.md"), condition
