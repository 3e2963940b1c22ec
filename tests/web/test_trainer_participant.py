"""Alice's page as Bob sees it: a header (name, language, program status) and sections as plain links — summary,
profile with its history, screening, clearances (recorded with a document, downloaded back) and injections."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from neuromotrix.adapters.db.tables import clearances, program_versions
from tests.web.conftest import Web, csrf_of, lang_of, post_form
from tests.web.trainer_helpers import log_alice_session, raise_alert, text_of

SECTIONS = ("", "/profile", "/screening", "/clearances", "/injections", "/program")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def page_of(web: Web, suffix: str = "") -> str:
    return f"/participants/{web.world.alice_id}{suffix}"


@pytest.mark.parametrize("suffix", SECTIONS)
def test_every_section_has_the_header_and_the_section_links(web: Web, suffix: str) -> None:
    page = web.signed_in("bob").get(page_of(web, suffix))
    assert page.status_code == 200, page.text
    text = text_of(page)
    assert "<h1>Alice</h1>" in page.text
    assert "Français" in text and "In use" in text and "Version 1 in use" in text
    for other in SECTIONS:
        assert f'href="{page_of(web, other)}"' in page.text
    assert page.text.count('aria-current="page"') == 1
    assert f'<a href="{page_of(web, suffix)}" aria-current="page">' in page.text


@pytest.mark.parametrize("suffix", SECTIONS)
def test_charlie_gets_not_found_on_every_section(web: Web, suffix: str) -> None:
    charlie = web.signed_in("charlie")
    assert charlie.get(page_of(web, suffix)).status_code == 404
    assert charlie.get(f"/participants/999999{suffix}").status_code == 404


def test_the_summary_shows_adherence_over_three_windows_and_the_open_alerts(web: Web) -> None:
    log_alice_session(web.world)
    raise_alert(web.world, web.world.alice_id, "urgent", "t:s", en="Fall reported.", fr="Chute signalée.")
    bob = web.signed_in("bob")
    page = bob.get(page_of(web))
    text = text_of(page)
    for window in ("Last 7 days", "Last 30 days", "Last 90 days"):
        assert window in text
    assert text.count("100% 1 of 1 sessions") == 3
    assert "Fall reported." in text
    for kind in ("pain", "dystonia", "fatigue", "adherence"):
        assert f'src="/p/{web.world.alice_id}/charts/{kind}.svg"' in page.text
    alert_id = int(re.findall(r'action="/alerts/(\d+)/acknowledge"', page.text)[0])
    done = post_form(bob, f"/alerts/{alert_id}/acknowledge", {"next": page_of(web)}, form_page=page_of(web))
    assert done.headers["location"] == f"{page_of(web)}?notice=alert_acknowledged"
    assert "Alert acknowledged" in text_of(bob.get(done.headers["location"]))


def test_the_profile_reads_as_words_with_its_version_history(web: Web) -> None:
    text = text_of(web.signed_in("bob").get(page_of(web, "/profile")))
    assert "Dystonia focal" in text
    assert "Affected regions Neck" in text
    assert "Rotation to the right (severity 2 of 4)" in text
    assert "By Dr. A. Roy on October 1, 2026" in text
    assert "Equipment Chair, Mirror, Towel, Wall" in text
    assert "Goals Neck control, Less pain" in text
    assert "Version history" in text and "Version 1" in text and "Intake" in text and "by Bob" in text


def test_the_screening_shows_the_outcome_and_flags_in_the_readers_language(web: Web) -> None:
    bob = web.signed_in("bob")
    text = text_of(bob.get(page_of(web, "/screening")))
    assert "Latest result Ready" in text
    assert "Screened on November 23, 2026, profile version 1." in text


def test_a_clearance_with_a_pdf_is_recorded_listed_and_downloaded_unchanged(web: Web) -> None:
    bob = web.signed_in("bob")
    form = bob.get(page_of(web, "/clearances"))
    assert 'enctype="multipart/form-data"' in form.text and 'type="file"' in form.text
    sent = bob.post(
        page_of(web, "/clearances"),
        data={
            "csrf_token": csrf_of(form),
            "cleared_by": "Dr. L. Gagnon, neurologist",
            "cleared_on": "2026-11-20",
            "restrictions": ["no_vigorous", "seated_only"],
        },
        files={"document": ("lettre de Gagnon.pdf", PDF, "application/pdf")},
    )
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == f"{page_of(web, '/clearances')}?notice=clearance_recorded"
    listed = bob.get(sent.headers["location"])
    text = text_of(listed)
    assert "Clearance recorded" in text and "Dr. L. Gagnon, neurologist" in text
    assert "No vigorous effort, Seated exercises only" in text and "Nov 20, 2027" in text
    link = re.search(r'href="(/participants/\d+/clearances/\d+/document)"', listed.text)
    assert link is not None
    download = bob.get(link.group(1))
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith('attachment; filename="lettre_de_Gagnon.pdf"')
    assert web.signed_in("charlie").get(link.group(1)).status_code == 404
    with web.container.uow() as uow:
        statuses = [row.status for row in uow.connection.execute(sa.select(program_versions.c.status)).all()]
    assert "draft" in statuses, "the program is regenerated as a draft"
    header = text_of(bob.get(page_of(web)))
    assert "Draft version 2 waits for approval" in header
    history = text_of(bob.get(page_of(web, "/profile")))
    assert "Clearance by Dr. L. Gagnon, neurologist on November 20, 2026 recorded" in history


def test_a_clearance_form_with_mistakes_says_what_to_fix_and_keeps_what_was_typed(web: Web) -> None:
    bob = web.signed_in("bob")
    form = bob.get(page_of(web, "/clearances"))
    refused = bob.post(
        page_of(web, "/clearances"),
        data={"csrf_token": csrf_of(form), "cleared_by": "", "cleared_on": "23/11/2026", "restrictions": "seated_only"},
    )
    assert refused.status_code == 422
    assert "<title>Error:" in refused.text
    assert '<a href="#cleared_by">Enter the name of the clinician' in refused.text
    assert '<a href="#cleared_on">Enter the date written on the clearance' in refused.text
    assert 'value="23/11/2026"' in refused.text
    assert 'id="restrictions-seated_only" name="restrictions" value="seated_only" checked' in refused.text
    wrong_file = bob.post(
        page_of(web, "/clearances"),
        data={"csrf_token": csrf_of(form), "cleared_by": "Dr. Roy", "cleared_on": "2026-11-20"},
        files={"document": ("letter.pdf", b"just some text", "application/pdf")},
    )
    assert wrong_file.status_code == 422
    assert "The file is not a PDF, PNG or JPEG file" in text_of(wrong_file)
    future = bob.post(
        page_of(web, "/clearances"),
        data={"csrf_token": csrf_of(form), "cleared_by": "Dr. Roy", "cleared_on": "2026-12-01"},
    )
    assert future.status_code == 422 and "The date is after today" in text_of(future)
    expired = bob.post(
        page_of(web, "/clearances"),
        data={"csrf_token": csrf_of(form), "cleared_by": "Dr. Roy", "cleared_on": "2025-01-10"},
    )
    assert expired.status_code == 422 and "this one expired on January 10, 2026" in text_of(expired)
    older = bob.post(
        page_of(web, "/clearances"),
        data={"csrf_token": csrf_of(form), "cleared_by": "Dr. Roy", "cleared_on": "2026-09-01"},
    )
    assert older.status_code == 422
    assert "A more recent clearance (by Dr. A. Roy, dated October 1, 2026) is already on file" in text_of(older)
    with web.container.uow() as uow:
        assert uow.connection.execute(sa.select(sa.func.count()).select_from(clearances)).scalar_one() == 0


def test_an_injection_is_recorded_and_a_duplicate_is_refused_in_words(web: Web) -> None:
    bob = web.signed_in("bob")
    listed = text_of(bob.get(page_of(web, "/injections")))
    assert "Nov 5, 2026 Neck" in listed and "From the profile" in listed
    form = {"injected_on": "2026-11-20", "regions": "neck", "product": "onabotulinumtoxinA", "dose_units": "200"}
    sent = post_form(bob, page_of(web, "/injections"), form)
    assert sent.status_code == 303, sent.text
    text = text_of(bob.get(sent.headers["location"]))
    assert "Injection recorded" in text and "Nov 20, 2026 Neck onabotulinumtoxinA 200 units Recorded here" in text
    assert "Toxin injection on November 20, 2026 recorded" in text_of(bob.get(page_of(web, "/profile")))
    again = post_form(bob, page_of(web, "/injections"), form)
    assert again.status_code == 422
    assert "An injection on November 20, 2026 in these regions is already recorded" in text_of(again)
    empty = post_form(bob, page_of(web, "/injections"), {"injected_on": "", "dose_units": "-3"})
    assert empty.status_code == 422
    assert '<a href="#regions-eyes">Choose at least one injected region.</a>' in empty.text
    assert "Enter the dose as a number of units greater than 0" in text_of(empty)


def test_the_participant_page_in_french(web: Web) -> None:
    bob = web.signed_in("bob")
    page = bob.get(page_of(web))
    bob.post("/language", data={"csrf_token": csrf_of(page), "language": "fr", "next": page_of(web)})
    for suffix in SECTIONS:
        french = bob.get(page_of(web, suffix))
        assert french.status_code == 200 and lang_of(french) == "fr"
    profile = text_of(bob.get(page_of(web, "/profile")))
    assert "Cou" in profile and "Dystonie" in profile and "Historique des versions" in profile
