"""The register of confidentiality incidents: Dana records one, is told what is missing or wrong, completes it
when the Commission and the people concerned are notified; every entry and change is audited, and another
clinic's admin never sees it."""

from __future__ import annotations

import re

import pyotp

from neuromotrix.adapters.db.tables import users
from neuromotrix.services import accounts
from tests.api.conftest import NOW, PASSWORD, TOTP_SECRET
from tests.web.admin_support import audit_rows, dana
from tests.web.conftest import Web, csrf_of, post_form

INCIDENT = {
    "occurred_on": "2026-11-20",
    "discovered_on": "2026-11-21",
    "description": "A printed session report was left in the waiting room.",
    "people_concerned": "1",
    "serious_risk": "yes",
    "measures": "Report shredded; reports now handed over in an envelope.",
}


def test_recording_and_completing_an_incident(web: Web) -> None:
    browser = dana(web)
    empty = browser.get("/admin/incidents")
    assert empty.status_code == 200 and "The register is empty." in empty.text
    wrong = post_form(browser, "/admin/incidents/new", {"occurred_on": "20/11/2026", "people_concerned": "a few"})
    assert wrong.status_code == 422
    for target in ("#occurred_on", "#description", "#people_concerned", "#serious_risk-yes"):
        assert f'href="{target}"' in wrong.text, target
    future = post_form(browser, "/admin/incidents/new", INCIDENT | {"occurred_on": "2026-12-25", "discovered_on": ""})
    assert future.status_code == 422 and "This date is after today." in future.text
    backwards = post_form(browser, "/admin/incidents/new", INCIDENT | {"discovered_on": "2026-11-19"})
    assert backwards.status_code == 422 and "before it happened" in backwards.text

    saved = post_form(browser, "/admin/incidents/new", INCIDENT)
    assert saved.status_code == 303
    found = re.fullmatch(r"/admin/incidents/(\d+)\?notice=incident_saved", saved.headers["location"])
    assert found is not None
    incident = found.group(1)
    page = browser.get(saved.headers["location"])
    assert "The incident is saved in the register." in page.text and "Incident of November 20, 2026" in page.text
    assert (
        'value="2026-11-21"' in page.text
        and 'id="serious_risk-yes" name="serious_risk" value="yes" checked' in page.text
    )
    listed = browser.get("/admin/incidents")
    assert "1 incident in the register" in listed.text and listed.text.count("Not yet") == 2

    completed = browser.post(
        f"/admin/incidents/{incident}",
        data={
            "csrf_token": csrf_of(page),
            **INCIDENT,
            "cai_notified_on": "2026-11-22",
            "people_notified_on": "2026-11-22",
        },
    )
    assert completed.headers["location"] == f"/admin/incidents/{incident}?notice=incident_saved"
    assert "Not yet" not in browser.get("/admin/incidents").text
    records = audit_rows(web, object_type="incident", object_id=incident)
    assert [row.action for row in records] == ["create", "update"]
    assert records[1].detail == "changed: cai_notified_on, people_notified_on"


def test_another_clinic_never_sees_the_register(web: Web) -> None:
    browser = dana(web)
    saved = post_form(browser, "/admin/incidents/new", INCIDENT)
    path = saved.headers["location"].split("?")[0]
    with web.container.uow(write=True) as uow:
        other = accounts.create_clinic(uow, "Clinique Autre", now=NOW)
        otto = accounts.create_user(
            uow, clinic_id=other, email="otto@example.org", name="Otto", role="admin", now=NOW, password=PASSWORD
        )
        uow.connection.execute(
            users.update().where(users.c.id == otto).values(totp_secret=TOTP_SECRET, totp_enabled=True)
        )
        uow.commit()
    stranger = web.browser()
    first = post_form(stranger, "/login", {"email": "otto@example.org", "password": PASSWORD})
    code = pyotp.TOTP(TOTP_SECRET).at(web.world.clock.now)
    stranger.post(
        "/login", data={"csrf_token": csrf_of(first), "email": "otto@example.org", "password": PASSWORD, "totp": code}
    )
    assert stranger.get(path).status_code == 404
    assert "The register is empty." in stranger.get("/admin/incidents").text
