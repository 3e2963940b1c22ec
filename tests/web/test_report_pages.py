"""PDF downloads from the pages (entrypoints/web/pages/reports.py): staff get every kind in either language from
the participant's page, the participant and their caregiver get the handout; anyone who may not see the person
gets the 404 page; a report that cannot be printed gets a page saying why, in the reader's language."""

from __future__ import annotations

import io

import pypdf
import sqlalchemy as sa
from fastapi.testclient import TestClient

from neuromotrix.adapters.db.tables import audit_log
from tests.web.conftest import Web
from tests.web.intake_helpers import PARKINSON_FOOT_DYSTONIA, enrol_story, main_text


def _pdf(client: TestClient, path: str) -> pypdf.PdfReader:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(response.content))


def test_staff_download_each_report_in_either_language(web: Web) -> None:
    bob, alice = web.signed_in("bob"), web.world.alice_id
    for kind in ("handout", "progress"):
        for language in ("en", "fr"):
            response = bob.get(f"/participants/{alice}/reports/{kind}.pdf?lang={language}")
            assert response.status_code == 200
            expected = f'attachment; filename="neuromotrix-{kind}-{alice}-{language}-2026-11-23.pdf"'
            assert response.headers["content-disposition"] == expected
            reader = pypdf.PdfReader(io.BytesIO(response.content))
            assert reader.trailer["/Root"]["/Lang"] == language
    default = _pdf(bob, f"/participants/{alice}/reports/handout.pdf")
    assert default.trailer["/Root"]["/Lang"] == "fr"  # Alice's language when none is asked for
    assert "Programme d'exercices : Alice" in default.pages[0].extract_text()


def test_the_participant_and_the_caregiver_get_the_handout(web: Web) -> None:
    alice_id = web.world.alice_id
    text = _pdf(web.signed_in("alice"), f"/p/{alice_id}/handout.pdf").pages[0].extract_text()
    assert "Signes d'alerte" in text
    carl = web.signed_in("carl")  # Carl reads English
    assert "Warning signs" in _pdf(carl, f"/p/{alice_id}/handout.pdf?lang=en").pages[0].extract_text()
    assert carl.get(f"/participants/{alice_id}/reports/handout.pdf").status_code == 403  # staff pages


def test_nobody_else_gets_a_report(web: Web) -> None:
    charlie, alice_id = web.signed_in("charlie"), web.world.alice_id  # a trainer who does not follow Alice
    assert charlie.get(f"/participants/{alice_id}/reports/progress.pdf").status_code == 404
    assert charlie.get(f"/p/{alice_id}/handout.pdf").status_code == 404
    assert web.signed_in("bob").get(f"/participants/{alice_id}/reports/invoice.pdf").status_code == 404


def test_a_download_is_audited_as_a_read(web: Web) -> None:
    alice_id = web.world.alice_id
    web.signed_in("bob").get(f"/participants/{alice_id}/reports/progress.pdf")
    web.container.audit.flush()
    with web.container.uow() as uow:
        found = uow.connection.execute(
            sa.select(audit_log.c.actor, audit_log.c.object_id, audit_log.c.participant_id).where(
                audit_log.c.action == "read", audit_log.c.object_type == "report"
            )
        ).all()
    assert [tuple(row) for row in found] == [("bob@example.org", "progress", alice_id)]


def test_an_unknown_cycle_or_a_bad_date_says_what_to_choose(web: Web) -> None:
    bob, alice_id = web.signed_in("bob"), web.world.alice_id
    page = bob.get(f"/participants/{alice_id}/reports/progress.pdf?cycle=4")
    assert page.status_code == 422
    assert "There is no toxin cycle 4. Choose one of the cycles recorded: 1 (November 5, 2026)." in main_text(page)
    assert f'href="/participants/{alice_id}"' in page.text
    page = bob.get(f"/participants/{alice_id}/reports/progress.pdf?cycle=first")
    assert page.status_code == 422 and "The toxin cycle is a number" in main_text(page)
    page = bob.get(f"/participants/{alice_id}/reports/progress.pdf?from=23/11/2026")
    assert page.status_code == 422 and "Write the dates as year-month-day" in main_text(page)
    page = bob.get(f"/participants/{alice_id}/reports/progress.pdf?from=2026-11-20&to=2026-11-01")
    assert page.status_code == 422 and "The period starts after it ends" in main_text(page)
    period = bob.get(f"/participants/{alice_id}/reports/progress.pdf?from=2026-11-01&to=2026-11-23")
    assert period.status_code == 200


def test_no_letter_and_no_handout_say_why(web: Web) -> None:
    bob = web.signed_in("bob")
    page = bob.get(f"/participants/{web.world.alice_id}/reports/clearance.pdf")
    assert page.status_code == 409
    assert "The screening of Alice needs no clearance now: there is no letter to print." in main_text(page)
    paul = enrol_story(bob, PARKINSON_FOOT_DYSTONIA)  # PAR-Q+ answers to clear; his draft waits for approval
    letter = _pdf(bob, f"/participants/{paul}/reports/clearance.pdf")
    text = "\n".join(page.extract_text() for page in letter.pages)
    assert "Demande d'autorisation médicale pour l'exercice" in text and "Bob, Clinique Demo" in text
    page = bob.get(f"/participants/{paul}/reports/handout.pdf")
    assert page.status_code == 409
    assert "waits for approval" in main_text(page) or "has no approved program yet" in main_text(page)


def test_the_pages_link_to_the_reports(web: Web) -> None:
    bob, alice_id = web.signed_in("bob"), web.world.alice_id
    summary = bob.get(f"/participants/{alice_id}").text
    for kind in ("handout", "progress"):
        for language in ("en", "fr"):
            assert f'href="/participants/{alice_id}/reports/{kind}.pdf?lang={language}"' in summary
    assert "/reports/clearance.pdf" not in summary  # Alice's screening needs no clearance
    assert f'<form method="get" action="/participants/{alice_id}/reports/progress.pdf"' in summary
    for field in ('id="cycle" name="cycle" type="number"', 'id="from" name="from" type="date"',
                  'id="to" name="to" type="date"', 'id="lang-fr" name="lang" value="fr" checked'):  # fmt: skip
        assert field in summary, field
    empty = _pdf(bob, f"/participants/{alice_id}/reports/progress.pdf?cycle=&from=&to=&lang=en")  # the form as sent
    assert empty.trailer["/Root"]["/Lang"] == "en"
    today = web.signed_in("alice").get(f"/p/{alice_id}/today").text
    assert f'href="/p/{alice_id}/handout.pdf"' in today
    paul = enrol_story(bob, PARKINSON_FOOT_DYSTONIA)
    letter_page = bob.get(f"/participants/{paul}/clearance-letter").text
    assert f'href="/participants/{paul}/reports/clearance.pdf?lang=fr"' in letter_page
    assert f'href="/participants/{paul}/reports/clearance.pdf?lang=en"' in bob.get(f"/participants/{paul}").text
