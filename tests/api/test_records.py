"""Stories about the health records around a program: toxin injections, clearances with their document, and
screening results — who may record and read them, what they change, and what is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import audit_log, clearances
from neuromotrix.services.records import MAX_DOCUMENT_BYTES
from tests.api.conftest import PASSWORD, World, example_profile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def url(world: World, tail: str, participant_id: int | None = None) -> str:
    return f"/api/v1/participants/{participant_id or world.alice_id}/{tail}"


def first_session_phase(plan: dict[str, Any]) -> str:
    phase: str = plan["weeks"][0]["sessions"][0]["phase"]
    return phase


def clearance_form(**overrides: Any) -> dict[str, Any]:
    return {"cleared_by": "Dr. L. Gagnon, neurologist", "cleared_on": "2026-11-20", "restrictions": []} | overrides


def audited(world: World, action: str, object_type: str) -> list[Any]:
    world.container.audit.flush()
    with world.container.uow() as uow:
        return list(
            uow.connection.execute(
                sa.select(audit_log).where(audit_log.c.action == action, audit_log.c.object_type == object_type)
            )
        )


# Injections ---------------------------------------------------------------------------------------------------


def test_an_injection_makes_a_profile_version_and_a_draft_while_the_active_program_stays(world: World) -> None:
    bob = world.client("bob")
    before = bob.get(url(world, "programs/active")).json()
    assert first_session_phase(before["plan"]) == "peak"  # 18 days after the intake injection of 2026-11-05
    body = {"injected_on": "2026-11-23", "regions": ["neck"], "product": "onabotulinumtoxinA", "dose_units": 200}
    answer = bob.post(url(world, "injections"), json=body)
    assert answer.status_code == 201, answer.text
    recorded = answer.json()
    assert recorded["injection"]["source"] == "recorded" and recorded["injection"]["recorded_by"] == world.ids["bob"]
    assert recorded["draft_created"] is True
    assert recorded["program"]["status"] == "draft" and recorded["program"]["source"] == "injection"
    assert recorded["active_program_version"] == before["version"]
    assert recorded["next_injection_expected_on"] == "2027-02-15"  # the contract's default: + 12 weeks
    assert "draft" in recorded["message_en"] and "ébauche" in recorded["message_fr"]

    profile = bob.get(url(world, "profile")).json()
    assert profile["version"] == recorded["profile_version"] == 2
    assert profile["reason"] == "Toxin injection on 2026-11-23 recorded"
    assert profile["document"]["treatments"]["botulinum_toxin"] == [
        {"date": "2026-11-05", "regions": ["neck"]},
        {"date": "2026-11-23", "regions": ["neck"], "product": "onabotulinumtoxinA", "dose_units": 200.0},
    ]
    still_active = bob.get(url(world, "programs/active")).json()
    assert still_active["version"] == before["version"] and still_active["status"] == "active"
    draft = bob.get(url(world, f"programs/{recorded['program']['version']}")).json()
    assert first_session_phase(draft["plan"]) == "post_injection"


def test_an_explicit_next_injection_date_later_than_the_injection_stays(world: World) -> None:
    bob = world.client("bob")
    document = bob.get(url(world, "profile")).json()["document"]
    document["treatments"]["botulinum_toxin_next_expected_on"] = "2027-03-01"
    changed = bob.put(url(world, "profile"), json={"profile": document, "reason": "next injection booked"})
    assert changed.status_code == 200, changed.text
    answer = bob.post(url(world, "injections"), json={"injected_on": "2026-11-20", "regions": ["neck"]})
    assert answer.status_code == 201, answer.text
    assert answer.json()["next_injection_expected_on"] == "2027-03-01"
    treatments = bob.get(url(world, "profile")).json()["document"]["treatments"]
    assert treatments["botulinum_toxin_next_expected_on"] == "2027-03-01"


def test_participant_and_caregiver_record_injections_others_cannot(world: World) -> None:
    alice = world.client("alice").post(
        url(world, "injections"), json={"injected_on": "2026-11-20", "regions": ["neck"]}
    )
    assert alice.status_code == 201, alice.text
    assert alice.json()["injection"]["recorded_by"] == world.ids["alice"]
    body = {"injected_on": "2026-11-21", "regions": ["neck", "arm_right"]}
    carl = world.client("carl").post(url(world, "injections"), json=body)
    assert carl.status_code == 201, carl.text
    assert carl.json()["injection"]["recorded_by"] == world.ids["carl"]
    assert world.client("charlie").post(url(world, "injections"), json=body).status_code == 404
    assert world.client("charlie").get(url(world, "injections")).status_code == 404
    assert world.client("anonymous").post(url(world, "injections"), json=body).status_code == 401
    assert world.client("anonymous").get(url(world, "injections")).status_code == 401


def test_bad_injections_are_refused_with_the_field_and_nothing_is_stored(world: World) -> None:
    bob = world.client("bob")
    bad_region = bob.post(url(world, "injections"), json={"injected_on": "2026-11-20", "regions": ["elbow"]})
    assert bad_region.status_code == 422
    assert bad_region.json()["detail"][0]["loc"] == ["body", "regions", 0]
    assert "neck" in bad_region.json()["detail"][0]["msg"]  # the allowed values are listed
    future = bob.post(url(world, "injections"), json={"injected_on": "2026-11-24", "regions": ["neck"]})
    assert future.status_code == 422
    assert future.json()["detail"][0]["loc"] == ["body", "injected_on"]
    assert "future" in future.json()["detail"][0]["msg"]
    unknown_field = bob.post(url(world, "injections"), json={"injected_on": "2026-11-20", "regions": ["neck"], "x": 1})
    assert unknown_field.status_code == 422
    no_regions = bob.post(url(world, "injections"), json={"injected_on": "2026-11-20", "regions": []})
    assert no_regions.status_code == 422 and no_regions.json()["detail"][0]["loc"] == ["body", "regions"]
    assert bob.get(url(world, "profile")).json()["version"] == 1
    assert [i["source"] for i in bob.get(url(world, "injections")).json()["items"]] == ["profile"]


def test_the_same_injection_twice_is_a_conflict(world: World) -> None:
    bob = world.client("bob")
    body = {"injected_on": "2026-11-20", "regions": ["neck", "arm_right"]}
    assert bob.post(url(world, "injections"), json=body).status_code == 201
    again = bob.post(url(world, "injections"), json=body | {"regions": ["arm_right", "neck"]})
    assert again.status_code == 409
    assert "already recorded" in again.json()["detail"]
    from_intake = bob.post(url(world, "injections"), json={"injected_on": "2026-11-05", "regions": ["neck"]})
    assert from_intake.status_code == 409


def test_injections_are_listed_newest_first_with_those_from_the_profile(world: World) -> None:
    bob = world.client("bob")
    for day in ("2026-11-20", "2026-11-22"):
        assert bob.post(url(world, "injections"), json={"injected_on": day, "regions": ["neck"]}).status_code == 201
    page = world.client("carl").get(url(world, "injections")).json()
    assert page["total"] == 3
    assert [(i["injected_on"], i["source"]) for i in page["items"]] == [
        ("2026-11-22", "recorded"),
        ("2026-11-20", "recorded"),
        ("2026-11-05", "profile"),
    ]
    second = bob.get(url(world, "injections"), params={"offset": 1, "limit": 1}).json()
    assert second["total"] == 3 and [i["injected_on"] for i in second["items"]] == ["2026-11-20"]
    assert bob.get(url(world, "injections"), params={"limit": 0}).status_code == 422


# Clearances ---------------------------------------------------------------------------------------------------


def test_a_clearance_with_a_pdf_is_stored_and_its_document_downloads_unchanged(world: World) -> None:
    bob = world.client("bob")
    form = clearance_form(restrictions=["no_vigorous", "supervised_only"])
    answer = bob.post(
        url(world, "clearances"), data=form, files={"document": ("../../lettre Dr Gagnon.pdf", PDF, "application/pdf")}
    )
    assert answer.status_code == 201, answer.text
    recorded = answer.json()
    clearance = recorded["clearance"]
    assert clearance["cleared_by"] == "Dr. L. Gagnon, neurologist" and clearance["cleared_on"] == "2026-11-20"
    assert clearance["restrictions"] == ["no_vigorous", "supervised_only"]
    assert clearance["expires_on"] == "2027-11-20" and clearance["expired"] is False
    assert clearance["has_document"] is True and clearance["document_type"] == "application/pdf"
    assert clearance["document_name"] == "lettre_Dr_Gagnon.pdf" and clearance["document_bytes"] == len(PDF)
    assert recorded["program"]["status"] == "draft" and recorded["program"]["source"] == "clearance"
    profile = bob.get(url(world, "profile")).json()["document"]
    assert profile["screening"]["clearance"] == {
        "by": "Dr. L. Gagnon, neurologist",
        "on": "2026-11-20",
        "restrictions": ["no_vigorous", "supervised_only"],
    }

    for persona in ("bob", "alice", "carl"):
        download = world.client(persona).get(url(world, f"clearances/{clearance['id']}/document"))
        assert download.status_code == 200
        assert download.content == PDF
        assert download.headers["content-type"] == "application/pdf"
        assert download.headers["content-disposition"].startswith('attachment; filename="lettre_Dr_Gagnon.pdf"')
        assert download.headers["x-content-type-options"] == "nosniff"
    assert world.client("charlie").get(url(world, f"clearances/{clearance['id']}/document")).status_code == 404

    listed = world.client("alice").get(url(world, "clearances")).json()
    assert listed["total"] == 1 and "document" not in listed["items"][0]


def test_a_png_clearance_and_one_without_a_document(world: World) -> None:
    bob = world.client("bob")
    png = bob.post(url(world, "clearances"), data=clearance_form(), files={"document": ("scan.PNG", PNG, "image/png")})
    assert png.status_code == 201, png.text
    assert png.json()["clearance"]["document_type"] == "image/png"
    assert png.json()["clearance"]["document_name"] == "scan.PNG"
    download = bob.get(url(world, f"clearances/{png.json()['clearance']['id']}/document"))
    assert download.content == PNG and download.headers["content-type"] == "image/png"

    bare = bob.post(url(world, "clearances"), data=clearance_form(cleared_on="2026-11-22"))
    assert bare.status_code == 201, bare.text
    assert bare.json()["clearance"]["has_document"] is False
    assert bob.get(url(world, f"clearances/{bare.json()['clearance']['id']}/document")).status_code == 404
    listed = bob.get(url(world, "clearances")).json()
    assert [c["cleared_on"] for c in listed["items"]] == ["2026-11-22", "2026-11-20"]


def test_a_document_that_is_not_what_it_says_or_too_large_is_refused(world: World) -> None:
    bob = world.client("bob")
    fake_pdf = bob.post(
        url(world, "clearances"),
        data=clearance_form(),
        files={"document": ("letter.pdf", b"MZ\x90\x00", "application/pdf")},
    )
    assert fake_pdf.status_code == 422
    assert fake_pdf.json()["detail"][0]["loc"] == ["body", "document"]
    assert "not a PDF, PNG or JPEG" in fake_pdf.json()["detail"][0]["msg"]
    png_as_pdf = bob.post(
        url(world, "clearances"), data=clearance_form(), files={"document": ("letter.pdf", PNG, "application/pdf")}
    )
    assert png_as_pdf.status_code == 422 and "image/png" in png_as_pdf.json()["detail"][0]["msg"]
    too_large = PDF + b"0" * MAX_DOCUMENT_BYTES
    big = bob.post(
        url(world, "clearances"), data=clearance_form(), files={"document": ("big.pdf", too_large, "application/pdf")}
    )
    assert big.status_code == 422  # documented in docs/api.md: a refused document is a 422 on `document`
    assert big.json()["detail"][0]["loc"] == ["body", "document"] and "5 MiB" in big.json()["detail"][0]["msg"]
    empty = bob.post(
        url(world, "clearances"), data=clearance_form(), files={"document": ("a.pdf", b"", "application/pdf")}
    )
    assert empty.status_code == 422 and "empty" in empty.json()["detail"][0]["msg"]
    assert bob.get(url(world, "clearances")).json()["total"] == 0
    assert bob.get(url(world, "profile")).json()["version"] == 1


def test_bad_clearances_are_refused_with_the_field(world: World) -> None:
    bob = world.client("bob")

    def refused(form: dict[str, Any]) -> dict[str, Any]:
        answer = bob.post(url(world, "clearances"), data=form)
        assert answer.status_code == 422, answer.text
        detail: dict[str, Any] = answer.json()["detail"][0]
        return detail

    assert refused(clearance_form(cleared_on="2026-11-24"))["loc"] == ["body", "cleared_on"]
    expired = refused(clearance_form(cleared_on="2025-11-23"))
    assert expired["loc"] == ["body", "cleared_on"] and "expired on 2026-11-23" in expired["msg"]
    assert refused(clearance_form(restrictions=["no_running"]))["loc"] == ["body", "restrictions", 0]
    assert refused(clearance_form(cleared_by="   "))["loc"] == ["body", "cleared_by"]
    assert refused({"cleared_on": "2026-11-20"})["loc"] == ["body", "cleared_by"]
    assert refused(clearance_form(signed="yes"))["loc"] == ["body", "signed"]
    older = bob.post(url(world, "clearances"), data=clearance_form(cleared_on="2026-09-15"))
    assert older.status_code == 409 and "more recent clearance" in older.json()["detail"]


def test_only_staff_record_clearances(world: World) -> None:
    for persona in ("alice", "carl"):
        assert world.client(persona).post(url(world, "clearances"), data=clearance_form()).status_code == 403
    assert world.client("charlie").post(url(world, "clearances"), data=clearance_form()).status_code == 404
    assert world.client("anonymous").post(url(world, "clearances"), data=clearance_form()).status_code == 401
    no_csrf = world.client("bob").post(url(world, "clearances"), data=clearance_form(), headers={"X-CSRF-Token": ""})
    assert no_csrf.status_code == 403 and "CSRF" in no_csrf.json()["detail"]
    dana = world.client("dana").post(url(world, "clearances"), data=clearance_form())
    assert dana.status_code == 201, dana.text


def test_a_clearance_shows_as_expired_twelve_months_on(world: World) -> None:
    bob = world.client("bob")
    assert bob.post(url(world, "clearances"), data=clearance_form()).status_code == 201
    assert bob.get(url(world, "clearances")).json()["items"][0]["expired"] is False
    world.clock.now = dt.datetime(2027, 11, 20, 15, 0, tzinfo=dt.UTC)  # a year on: sign in again
    signed_in = bob.post("/api/v1/auth/login", json={"email": "bob@example.org", "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    clearance = bob.get(url(world, "clearances")).json()["items"][0]
    assert clearance["expires_on"] == "2027-11-20" and clearance["expired"] is True


# Screening ----------------------------------------------------------------------------------------------------


def test_a_clearance_moves_a_profile_that_needs_one_to_ready(world: World) -> None:
    bob = world.client("bob")
    enrolled = bob.post(
        "/api/v1/participants",
        json={"display_name": "Paul", "language": "fr", "profile": example_profile("parkinson-foot-dystonia")},
    )
    assert enrolled.status_code == 201, enrolled.text
    paul = enrolled.json()["id"]
    screening = bob.get(url(world, "screening", paul)).json()
    assert screening["outcome"] == "needs_clearance" and screening["profile_version"] == 1
    flag = next(f for f in screening["flags"] if f["code"] == "parq_unanswered")
    assert flag["message"] == flag["message_fr"] and flag["message_en"].startswith("5 PAR-Q+ question")
    assert flag["action_en"] and flag["action_fr"]

    world.clock.now = dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)
    cleared = bob.post(url(world, "clearances", paul), data=clearance_form(cleared_on="2026-11-30"))
    assert cleared.status_code == 201, cleared.text
    assert cleared.json()["screening_outcome"] == "ready"
    assert cleared.json()["active_program_version"] is None  # Paul's first draft was never approved
    profile = bob.get(url(world, "profile", paul)).json()
    assert profile["document"]["preferences"]["start_on"] == "2026-11-30"  # the clearance counts from the start
    assert "program start moved from 2026-11-23 to 2026-11-30" in profile["reason"]
    latest = bob.get(url(world, "screening", paul)).json()
    assert latest["outcome"] == "ready" and latest["profile_version"] == 2 and latest["screened_on"] == "2026-12-01"
    history = bob.get(url(world, "screenings", paul)).json()
    assert history["total"] == 2
    assert [s["outcome"] for s in history["items"]] == ["ready", "needs_clearance"]


def test_screening_results_follow_the_participants_visibility(world: World) -> None:
    for persona in ("alice", "carl", "bob", "dana"):
        latest = world.client(persona).get(url(world, "screening"))
        assert latest.status_code == 200, latest.text
        assert latest.json()["outcome"] == "ready"
    assert world.client("charlie").get(url(world, "screening")).status_code == 404
    assert world.client("charlie").get(url(world, "screenings")).status_code == 404
    assert world.client("anonymous").get(url(world, "screenings")).status_code == 401
    assert world.client("bob").get(url(world, "screening", world.alice_id + 1000)).status_code == 404


# Audit --------------------------------------------------------------------------------------------------------


def test_records_reads_and_changes_are_audited(world: World) -> None:
    bob = world.client("bob")
    injection = bob.post(url(world, "injections"), json={"injected_on": "2026-11-20", "regions": ["neck"]}).json()
    clearance = bob.post(
        url(world, "clearances"), data=clearance_form(), files={"document": ("a.pdf", PDF, "application/pdf")}
    ).json()["clearance"]
    world.client("alice").get(url(world, "injections"))
    world.client("alice").get(url(world, "clearances"))
    world.client("carl").get(url(world, f"clearances/{clearance['id']}/document"))
    bob.get(url(world, "screening"))
    bob.get(url(world, "screenings"))

    created = audited(world, "create", "injection")
    assert [(r.object_id, r.participant_id, r.actor_id) for r in created] == [
        (str(injection["injection"]["id"]), world.alice_id, world.ids["bob"])
    ]
    assert [r.object_id for r in audited(world, "create", "clearance")] == [str(clearance["id"])]
    assert [r.actor_id for r in audited(world, "read", "injection_list")] == [world.ids["alice"]]
    assert [r.actor_id for r in audited(world, "read", "clearance_list")] == [world.ids["alice"]]
    document_reads = audited(world, "read", "clearance_document")
    assert [(r.actor_id, r.object_id) for r in document_reads] == [(world.ids["carl"], str(clearance["id"]))]
    assert len(audited(world, "read", "screening")) == 1
    assert len(audited(world, "read", "screening_list")) == 1


def test_a_refused_clearance_leaves_no_row(world: World) -> None:
    world.client("bob").post(
        url(world, "clearances"), data=clearance_form(), files={"document": ("x.jpg", b"\xff\xd8\x00", "image/jpeg")}
    )
    with world.container.uow() as uow:
        assert uow.connection.execute(sa.select(sa.func.count()).select_from(clearances)).scalar_one() == 0
    assert audited(world, "create", "clearance") == []
