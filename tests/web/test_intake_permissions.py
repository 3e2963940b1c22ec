"""Only staff enrol: trainers enrol their own participants, admins anyone of the clinic; a participant or a
caregiver gets 403, another trainer's participant is 404, as if it did not exist."""

from __future__ import annotations

import pytest

from tests.web.conftest import Web, csrf_of
from tests.web.intake_helpers import CERVICAL_DYSTONIA, PARKINSON_FOOT_DYSTONIA, enrol_story, signed_in_admin


@pytest.mark.parametrize("persona", ["alice", "carl"])
def test_participants_and_caregivers_cannot_enrol(web: Web, persona: str) -> None:
    browser = web.signed_in(persona)
    assert browser.get("/participants/new").status_code == 403
    home = browser.get("/today" if persona == "alice" else "/people", follow_redirects=True)
    data = {"csrf_token": csrf_of(home), "state": '{"answers":{},"seen":[]}', "action": "next"}
    assert browser.post("/participants/new", data=data).status_code == 403
    for page in ("enrolled", "clearance-letter"):
        assert browser.get(f"/participants/{web.world.alice_id}/{page}").status_code == 403


def test_charlie_enrols_his_own_participants_and_sees_no_one_else(web: Web) -> None:
    charlie = web.signed_in("charlie")
    participant_id = enrol_story(charlie, PARKINSON_FOOT_DYSTONIA)
    assert charlie.get(f"/participants/{participant_id}/enrolled").status_code == 200
    assert charlie.get(f"/participants/{participant_id}/clearance-letter").status_code == 200
    for page in ("enrolled", "clearance-letter"):
        assert charlie.get(f"/participants/{web.world.alice_id}/{page}").status_code == 404
    bob = web.signed_in("bob")
    assert bob.get(f"/participants/{participant_id}/enrolled").status_code == 404
    assert bob.get(f"/participants/{participant_id}/clearance-letter").status_code == 404
    assert bob.get("/participants/999999/enrolled").status_code == 404
    caseload = web.world.client("charlie").get("/api/v1/participants").json()["items"]
    assert [row["id"] for row in caseload] == [participant_id]  # Charlie follows whom he enrolled


def test_the_admin_enrols_anyone_of_the_clinic(web: Web) -> None:
    dana = signed_in_admin(web)
    participant_id = enrol_story(dana, CERVICAL_DYSTONIA)
    assert dana.get(f"/participants/{participant_id}/enrolled").status_code == 200
    assert dana.get(f"/participants/{web.world.alice_id}/enrolled").status_code == 200
    assert web.signed_in("bob").get(f"/participants/{participant_id}/enrolled").status_code == 404


def test_the_header_offers_enrolment_to_staff_only(web: Web) -> None:
    assert 'href="/participants/new"' in web.signed_in("bob").get("/dashboard").text
    assert 'href="/participants/new"' not in web.signed_in("alice").get("/today", follow_redirects=True).text
