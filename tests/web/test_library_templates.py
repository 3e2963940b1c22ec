"""Program templates through the pages. Bob tunes Alice's program (a dose on the lying chin nod NM01, another on
a shoulder-blade exercise SP01, the counter-direction turn NM04 held at level 2), saves it as the template "Neck
starter", then starts Eve from it. Eve's head is also pulled forward (anterocollis), so NM01 is contraindicated
for her: that item is skipped with the catalog's reason, and the rest is applied through the same program changes
a trainer makes by hand."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import audit_log, program_templates
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.services import participants, program_changes, programs
from tests.api.conftest import NOW, example_profile
from tests.web.conftest import Web, csrf_of, post_form
from tests.web.test_library_permissions import dana, staff_actor


def tune_alices_program(web: Web) -> None:
    bob = staff_actor(web)
    alice = web.world.alice_id
    with web.container.uow(write=True) as uow:
        today = NOW.date()
        programs.edit(
            uow, bob, alice, exercise_id="NM01", reason="Alice tires after 8", dose={"reps": 6}, now=NOW, today=today
        )
        programs.edit(
            uow, bob, alice, exercise_id="SP01", reason="More practice", dose={"reps": 8}, now=NOW, today=today
        )
        program_changes.override(
            uow, bob, alice, exercise_id="NM04", level=2, paused=False, release=False, reason="Alice's neck pain",
            now=NOW, today=today,
        )  # fmt: skip
        uow.commit()


def enrol_eve(web: Web, **preferences: Any) -> int:
    """Eve: cervical dystonia turning right *and* pulling forward; her own draft program, approved."""
    document = example_profile()
    document["conditions"][0]["cervical"]["sagittal"] = {"toward": "forward", "level": "collis", "severity": 1}
    document["preferences"] |= preferences
    bob = staff_actor(web)
    with web.container.uow(write=True) as uow:
        eve = participants.enrol(
            uow, bob, display_name="Eve", language="en", profile=parse_profile(document), now=NOW, today=NOW.date()
        )
        draft = programs.generate(uow, bob, eve, now=NOW, reason="intake")
        programs.approve(uow, bob, eve, draft.version, now=NOW)
        uow.commit()
    return eve


def saved_template(web: Web, name: str = "Neck starter") -> int:
    saved = post_form(
        web.signed_in("bob"),
        f"/participants/{web.world.alice_id}/save-template",
        {"name": name, "description": "Cervical dystonia, rotation, first weeks."},
    )
    assert saved.status_code == 303, saved.text
    location = saved.headers["location"]
    assert location.endswith("?notice=template_saved")
    return int(location.split("?")[0].rsplit("/", 1)[1])


def test_bob_saves_alices_program_as_a_template(web: Web) -> None:
    tune_alices_program(web)
    bob = web.signed_in("bob")
    form = bob.get(f"/participants/{web.world.alice_id}/save-template")
    assert form.status_code == 200
    assert "Lying chin nod (NM01)</a> – 6 repetitions" in form.text
    assert "Counter-direction turn (NM04)</a> – held at level 2" in form.text
    assert "Nothing about Alice" in form.text

    template_id = saved_template(web)
    page = bob.get(f"/library/templates/{template_id}?notice=template_saved")
    assert "Template saved. Apply it to a participant from this page." in page.text
    assert "Shoulder-blade squeeze and set (SP01)</a> – 8 repetitions" in page.text
    assert "<dt>Minutes per session</dt><dd>25</dd>" in page.text and "<dt>Weeks</dt><dd>6</dd>" in page.text
    assert "Neck starter" in bob.get("/library/templates").text

    with web.container.uow() as uow:
        (row,) = uow.connection.execute(sa.select(program_templates))
    stored = str(row.document)
    for private in ("Alice", "tires", "pain", "1972", "neck_control", "botulinum", "Roy"):
        assert private not in stored, f"{private!r} is about Alice, not the program"
    assert row.document["preferences"] == {
        "weeks": 6, "sessions_per_week": 3, "minutes_per_session": 25, "equipment": ["chair", "mirror", "towel", "wall"],
        "setting": "home",
    }  # fmt: skip
    assert row.document["items"] == [
        {"exercise_id": "NM01", "dose": {"reps": 6}, "held": False, "level": None, "paused": False},
        {"exercise_id": "NM04", "dose": {}, "held": True, "level": 2, "paused": False},
        {"exercise_id": "SP01", "dose": {"reps": 8}, "held": False, "level": None, "paused": False},
    ]

    duplicate = post_form(bob, f"/participants/{web.world.alice_id}/save-template", {"name": "  Neck   starter "})
    assert duplicate.status_code == 422
    assert (
        '<a href="#name">Your clinic already has a template with this name. Choose another name.</a>' in duplicate.text
    )
    unnamed = post_form(bob, f"/participants/{web.world.alice_id}/save-template", {"name": " "})
    assert unnamed.status_code == 422 and '<a href="#name">Give the template a name' in unnamed.text


def test_eve_starts_from_the_template_and_the_contraindicated_item_is_skipped(web: Web) -> None:
    tune_alices_program(web)
    template_id = saved_template(web)
    eve = enrol_eve(web)
    bob = web.signed_in("bob")
    page = bob.get(f"/library/templates/{template_id}")
    assert f'<option value="{eve}">Eve</option>' in page.text
    applied = post_form(
        bob, f"/library/templates/{template_id}/apply", {"participant_id": str(eve), "preferences": "no"}
    )
    assert applied.status_code == 200, applied.text
    text = applied.text
    assert "Template “Neck starter” applied to Eve" in text
    assert "2 changes made." in text and "1 skipped." in text
    skipped = text.split("<h2>Skipped</h2>", 1)[1]
    assert "Lying chin nod (NM01)" in skipped
    assert "Left out of this person&#39;s program by a safety rule:" in skipped
    assert "Not for a forward pull of the head (anterocollis or antecaput)" in skipped

    with web.container.uow() as uow:
        active = programs.active_version(uow, eve)
        assert active is not None and active.source == "trainer_edit"
        edits = programs.edits_of(active)
        held = programs.carried_adjustments(active)
        plan = programs.parsed_plan(uow, active)
    assert [(edit.exercise_id, edit.changes(), edit.reason) for edit in edits] == [
        ("SP01", {"reps": 8}, "From the template “Neck starter”")
    ]
    assert (held["NM04"].level, held["NM04"].source) == (2, "trainer")
    assert "NM01" in {entry["exercise_id"] for entry in plan["excluded"]}, "still left out: no template brings it back"
    sp01 = [
        block
        for session in plan["_sessions_by_date"].values()
        for block in session["blocks"]
        if block["exercise_id"] == "SP01"
    ]
    assert sp01 and all(block["dose"]["reps"] == 8 for block in sp01)

    again = post_form(bob, f"/library/templates/{template_id}/apply", {"participant_id": str(eve), "preferences": "no"})
    assert "0 changes made." in again.text and "3 skipped." in again.text
    assert again.text.count("Already in this person&#39;s program.") == 2

    with web.container.uow() as uow:
        actions = (
            uow.connection.execute(
                sa.select(audit_log.c.action).where(
                    audit_log.c.object_type == "program_template", audit_log.c.participant_id == eve
                )
            )
            .scalars()
            .all()
        )
    assert actions == ["apply", "apply"]


def test_the_templates_preferences_make_a_new_profile_version_and_a_draft(web: Web) -> None:
    tune_alices_program(web)
    template_id = saved_template(web)
    eve = enrol_eve(web, minutes_per_session=40, weeks=8, sessions_per_week=2)
    applied = post_form(
        web.signed_in("bob"),
        f"/library/templates/{template_id}/apply",
        {"participant_id": str(eve), "preferences": "yes"},
    )
    assert applied.status_code == 200
    assert "The template's preferences are in a new profile version." in applied.text
    assert "The changes are in draft version" in applied.text
    with web.container.uow() as uow:
        row, profile = participants.current_profile(uow, eve)
        draft = programs.latest_version(uow, eve, "draft")
    assert (row.version, profile.preferences.minutes_per_session, profile.preferences.weeks) == (2, 25, 6)
    assert profile.preferences.sessions_per_week == 3 and profile.preferences.start_on == NOW.date()
    assert profile.conditions[0].cervical is not None, "Eve's own health data stays hers"
    assert draft is not None and draft.source == "trainer_edit", "the changes wait in the draft with the preferences"


def test_applying_needs_a_participant_and_an_answer_on_preferences(web: Web) -> None:
    tune_alices_program(web)
    template_id = saved_template(web)
    bob = web.signed_in("bob")
    refused = post_form(bob, f"/library/templates/{template_id}/apply", {"participant_id": "", "preferences": ""})
    assert refused.status_code == 422
    assert '<a href="#participant_id">Choose the participant to start from this template.</a>' in refused.text
    assert '<a href="#preferences-yes">Say whether to use the template&#39;s preferences too.</a>' in refused.text
    someone_else = post_form(
        bob, f"/library/templates/{template_id}/apply", {"participant_id": "999", "preferences": "no"}
    )
    assert someone_else.status_code == 404


def test_who_deletes_a_template(web: Web) -> None:
    tune_alices_program(web)
    template_id = saved_template(web)
    charlie = web.signed_in("charlie")
    page = charlie.get(f"/library/templates/{template_id}")
    assert page.status_code == 200 and "Delete the template" not in page.text
    assert (
        charlie.post(f"/library/templates/{template_id}/delete", data={"csrf_token": csrf_of(page)}).status_code == 403
    )
    admin = dana(web)
    admin_page = admin.get(f"/library/templates/{template_id}")
    deleted = admin.post(f"/library/templates/{template_id}/delete", data={"csrf_token": csrf_of(admin_page)})
    assert deleted.status_code == 303 and deleted.headers["location"] == "/library/templates?notice=template_deleted"
    assert (
        "Template deleted. Programs started from it keep their changes." in admin.get(deleted.headers["location"]).text
    )
    assert admin.get(f"/library/templates/{template_id}").status_code == 404


def test_a_participant_without_an_approved_program_has_nothing_to_save(web: Web) -> None:
    bob = staff_actor(web)
    document = example_profile()
    with web.container.uow(write=True) as uow:
        eve = participants.enrol(
            uow, bob, display_name="Eve", language="en", profile=parse_profile(document), now=NOW, today=NOW.date()
        )
        programs.generate(uow, bob, eve, now=NOW, reason="intake")
        uow.commit()
    browser = web.signed_in("bob")
    page = browser.get(f"/participants/{eve}/save-template")
    assert page.status_code == 200 and "has no approved program yet" in page.text
    refused = post_form(browser, f"/participants/{eve}/save-template", {"name": "Too early"})
    assert refused.status_code == 422
    assert "This participant has no approved program yet. Approve one, then save it as a template." in refused.text
