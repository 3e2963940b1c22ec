"""The FHIR mapping on its own (no database): records in, resources out, and questionnaire answers read back."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from neuromotrix.adapters.fhir import codes
from neuromotrix.adapters.fhir.bundle import build_bundle, to_json
from neuromotrix.adapters.fhir.questionnaires import machine_name, questionnaire
from neuromotrix.adapters.fhir.responses import FhirImportError, answers_for, names_participant, read_responses
from neuromotrix.adapters.fhir.sources import (
    AssessmentData,
    EffortRecord,
    ExportSource,
    PatientRecord,
    ProgramRecord,
    SessionLogRecord,
)
from neuromotrix.catalog.instruments import load_instruments

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


def source(
    *,
    session_logs: tuple[SessionLogRecord, ...] = (),
    assessments: tuple[AssessmentData, ...] = (),
    program: ProgramRecord | None = None,
) -> ExportSource:
    """Paul (participant 7): no profile, no program; the records each story gives."""
    registry = load_instruments()
    return ExportSource(
        patient=PatientRecord(7, "Paul", "en"),
        conditions=(),
        program=program,
        session_logs=session_logs,
        assessments=assessments,
        instruments={key: registry.get(key) for key in ("tug", "chair_stand_30s", "pain_nrs")},
        clinic_id=1,
    )


def test_a_session_stopped_early_has_only_its_before_ratings() -> None:
    stopped = SessionLogRecord(
        id=3, performed_on=dt.date(2026, 11, 20),
        measures={"pre_pain": 6, "post_pain": None, "pre_dystonia": 5, "post_dystonia": None, "pre_fatigue": 4,
                  "post_fatigue": None},
        efforts=(EffortRecord("NM04", "Chin tuck", "rpe", 12),),
    )  # fmt: skip
    bundle = build_bundle(source(session_logs=(stopped,)), timestamp=NOW)
    Bundle.model_validate_json(to_json(bundle))
    observations = [
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == "Observation"
    ]
    ratings = {item["code"]["coding"][-1]["code"]: item for item in observations}
    assert set(ratings) == {"session-pain", "session-dystonia", "session-fatigue", "effort-rpe"}
    assert [part["code"]["coding"][0]["code"] for part in ratings["session-pain"]["component"]] == [
        "session-pain-before"
    ]
    (effort,) = ratings["effort-rpe"]["component"]
    assert effort["code"]["coding"][0] == {"system": codes.EXERCISES, "code": "NM04", "display": "Chin tuck"}
    assert effort["valueQuantity"]["value"] == 12


def block(sets: int, reps: int) -> dict[str, object]:
    dose = {"sets": sets, "reps": reps, "hold_s": 5, "minutes": 0, "rest_s": 30, "continuous_minutes": 0,
            "effort": {"scale": "cr10", "target": [2, 3]}, "movement_s": 4}  # fmt: skip
    return {"exercise_id": "NM04", "name": "Chin tuck", "dose": dose}


def test_an_activity_gives_its_dose_per_run_of_weeks_and_every_session_date() -> None:
    weeks = [
        {"week": number, "sessions": [{"date": day, "blocks": [block(sets, 8)]} for day in days]}
        for number, sets, days in [
            (1, 2, ["2026-11-23", "2026-11-25"]), (2, 2, ["2026-11-30"]), (3, 3, ["2026-12-07"]),
        ]
    ]  # fmt: skip
    program = ProgramRecord(id=4, version=2, approved_at=NOW, plan={"language": "fr", "weeks": weeks})
    bundle = build_bundle(source(program=program), timestamp=NOW)
    (care_plan,) = [entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == "CarePlan"]
    (activity,) = care_plan["activity"]
    assert activity["detail"]["description"] == (
        "Weeks 1–2: 2 × 8, hold 5 s, rest 30 s, effort CR10 2–3; Week 3: 3 × 8, hold 5 s, rest 30 s, effort CR10 2–3"
    )  # in Paul's language (English), not the plan's
    assert activity["detail"]["scheduledTiming"]["event"] == ["2026-11-23", "2026-11-25", "2026-11-30", "2026-12-07"]
    assert care_plan["period"] == {"start": "2026-11-23", "end": "2026-12-07"} and "addresses" not in care_plan
    assert care_plan["title"] == "NeuroMotrix program, version 2"


def test_numeric_items_carry_their_range_and_ucum_unit() -> None:
    registry = load_instruments()
    tug = questionnaire(registry.get("tug"), clinic_id=1)
    (item,) = tug["item"]
    assert item["type"] == "decimal" and tug["name"] == machine_name("tug") == "Tug"
    extensions = {extension["url"]: extension for extension in item["extension"]}
    assert extensions[codes.MIN_VALUE]["valueDecimal"] == 0 and extensions[codes.MAX_VALUE]["valueDecimal"] == 300
    assert extensions[codes.QUESTIONNAIRE_UNIT]["valueCoding"] == {"system": codes.UCUM, "code": "s"}
    (stands,) = questionnaire(registry.get("chair_stand_30s"), clinic_id=1)["item"]
    assert stands["type"] == "integer"


def test_an_answer_exports_as_the_questionnaire_asks_for_it() -> None:
    answers = (
        AssessmentData(1, "tug", "1", dt.date(2026, 11, 20), {"seconds": 9.4}, {"seconds": 9.4}),
        AssessmentData(2, "chair_stand_30s", "1", dt.date(2026, 11, 20), {"stands": 11}, {"stands": 11}),
    )
    bundle = build_bundle(source(assessments=answers), timestamp=NOW)
    responses = [
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    assert [response["item"][0]["answer"][0] for response in responses] == [{"valueDecimal": 9.4}, {"valueInteger": 11}]
    assert responses[0]["questionnaire"] == "https://neuromotrix.org/fhir/Questionnaire/tug|1"


def test_read_back_what_was_exported() -> None:
    answers = (AssessmentData(1, "pain_nrs", "1", dt.date(2026, 11, 20), {"now": 4, "average_24h": None}, {"now": 4}),)
    bundle = build_bundle(source(assessments=answers), timestamp=NOW)
    response = next(
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    (parsed,) = read_responses(json.dumps(response).encode())
    assert (parsed.instrument, parsed.version, parsed.taken_on, dict(parsed.answers)) == (
        "pain_nrs", "1", dt.date(2026, 11, 20), {"now": 4.0},
    )  # fmt: skip
    assert names_participant(parsed.subject, 7) and not names_participant(parsed.subject, 8)


@pytest.mark.parametrize(
    ("subject", "participant_id", "expected"),
    [
        (None, 1, True),
        ({"display": "Alice"}, 1, True),
        ({"reference": f"Patient/{codes.patient_id(1)}"}, 1, True),
        ({"reference": codes.urn(codes.patient_id(2))}, 1, False),
        ({"identifier": {"system": codes.PARTICIPANT_ID, "value": "1"}}, 1, True),
        ({"identifier": {"system": "https://elsewhere.example.org/mrn", "value": "1"}}, 1, False),
    ],
)
def test_whose_answers_a_response_holds(subject: dict[str, object] | None, participant_id: int, expected: bool) -> None:
    assert names_participant(subject, participant_id) is expected


def test_an_authored_time_keeps_its_own_day() -> None:
    late = {
        "resourceType": "QuestionnaireResponse", "status": "completed", "authored": "2026-11-20T23:30:00-05:00",
        "questionnaire": codes.questionnaire_url("pain_nrs"), "item": [{"linkId": "now", "answer": [{"valueInteger": 1}]}],
    }  # fmt: skip
    (parsed,) = read_responses(json.dumps(late).encode())
    assert parsed.taken_on == dt.date(2026, 11, 20) and parsed.version is None
    with pytest.raises(FhirImportError, match="authored is '2026-11'"):
        read_responses(json.dumps(late | {"authored": "2026-11"}).encode())


@st.composite
def answered(draw: st.DrawFn) -> tuple[str, dict[str, float | None]]:
    """Any instrument of the registry with any allowed answers (some items left unanswered)."""
    instrument = draw(st.sampled_from(list(load_instruments())))
    answers: dict[str, float | None] = {}
    for item in instrument.items:
        value: st.SearchStrategy[float]
        if item.options:
            value = st.sampled_from([option.value for option in item.options])
        else:
            low, high = item.minimum or 0.0, item.maximum or 0.0  # numeric items have both (the model checks)
            if item.step is not None:
                value = st.sampled_from([low + n * item.step for n in range(int((high - low) / item.step) + 1)])
            else:
                value = st.floats(low, high, allow_nan=False, allow_infinity=False)
        answers[item.key] = draw(st.none() | value)
    return instrument.key, answers


@settings(max_examples=60, deadline=None)
@given(answered())
def test_any_answers_read_back_as_they_were_exported(case: tuple[str, dict[str, float | None]]) -> None:
    key, answers = case
    instrument = load_instruments().get(key)
    assessment = AssessmentData(1, key, instrument.version, dt.date(2026, 11, 20), answers, {})
    bundle = build_bundle(
        ExportSource(
            patient=PatientRecord(7, "Paul", "en"), conditions=(), program=None, session_logs=(),
            assessments=(assessment,), instruments={key: instrument}, clinic_id=1,
        ),
        timestamp=NOW,
    )  # fmt: skip
    (response,) = [
        entry["resource"] for entry in bundle["entry"] if entry["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    (parsed,) = read_responses(json.dumps(response).encode())
    assert answers_for(instrument, parsed) == {item: value for item, value in answers.items() if value is not None}
