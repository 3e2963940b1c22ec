"""Dana runs the clinic's accounts through the administration pages: the start page, the accounts and their
roles, switching an account off and on, which participants a trainer follows, and invitations. Everyone else is
kept out."""

from __future__ import annotations

import re

from tests.web.admin_support import audit_rows, dana
from tests.web.conftest import Web, csrf_of, post_form


def test_the_start_page_says_what_is_in_place(web: Web) -> None:
    browser = dana(web)
    assert browser.get("/").headers["location"] == "/admin"
    start = browser.get("/admin")
    assert start.status_code == 200
    assert "<h1>Administration</h1>" in start.text
    assert "Privacy notice:</strong>" in start.text and "not written yet." in start.text
    assert "none yet: nobody is asked to consent." in start.text
    assert "10 years after the last activity." in start.text
    assert "5 accounts" in start.text
    assert 'href="/admin" aria-current="page"' in start.text


def test_other_roles_are_kept_out(web: Web) -> None:
    bob = web.signed_in("bob")
    for path in ("/admin", "/admin/users", "/admin/audit", "/admin/erasure", "/admin/privacy", "/admin/incidents"):
        assert bob.get(path).status_code == 403, path
    assert web.browser().get("/admin/users").headers["location"] == "/login?next=%2Fadmin%2Fusers"


def test_accounts_list_and_one_account(web: Web) -> None:
    browser = dana(web)
    listed = browser.get("/admin/users")
    assert listed.status_code == 200
    assert "5 accounts" in listed.text and "bob@example.org" in listed.text and "Switched off" not in listed.text
    bob = web.world.ids["bob"]
    page = browser.get(f"/admin/users/{bob}")
    assert page.status_code == 200
    assert "<h1>Bob</h1>" in page.text and "Participants followed" in page.text
    assert "Stop following Alice" in page.text, "Bob follows Alice since he enrolled her"
    assert browser.get("/admin/users/999999").status_code == 404


def test_a_role_change_ends_the_sessions_and_is_audited(web: Web) -> None:
    browser = dana(web)
    charlie_browser = web.signed_in("charlie")
    charlie = web.world.ids["charlie"]
    changed = post_form(browser, f"/admin/users/{charlie}/role", {"role": "admin"}, form_page=f"/admin/users/{charlie}")
    assert changed.status_code == 303 and changed.headers["location"] == f"/admin/users/{charlie}?notice=role_changed"
    shown = browser.get(changed.headers["location"])
    assert "The role is changed." in shown.text and "<dd>Clinic administrator</dd>" in shown.text
    assert charlie_browser.get("/dashboard").headers["location"].startswith("/login"), "sessions ended"
    assert [row.detail for row in audit_rows(web, object_type="user", object_id=str(charlie))][-1] == (
        "role trainer -> admin"
    )


def test_refused_role_changes_say_why(web: Web) -> None:
    browser = dana(web)
    alice = web.world.ids["alice"]
    page = f"/admin/users/{alice}"
    login = post_form(browser, f"{page}/role", {"role": "trainer"}, form_page=page)
    assert login.status_code == 422
    assert "This account is a participant&#39;s login, so it stays a participant." in login.text
    assert 'href="#role-admin"' in login.text and "<title>Error:" in login.text
    nothing = post_form(browser, f"{page}/role", {"role": "owner"}, form_page=page)
    assert nothing.status_code == 422 and "Choose the new role." in nothing.text
    own = browser.get(f"/admin/users/{web.world.ids['dana']}")
    assert "This is your own account" in own.text and "/role" not in own.text
    refused = browser.post(
        f"/admin/users/{web.world.ids['dana']}/role", data={"csrf_token": csrf_of(own), "role": "trainer"}
    )
    assert refused.status_code == 422 and "You cannot change your own role." in refused.text


def test_switching_an_account_off_and_on(web: Web) -> None:
    browser = dana(web)
    carl_browser = web.signed_in("carl")
    carl = web.world.ids["carl"]
    page = f"/admin/users/{carl}"
    form = browser.get(page)
    assert 'data-confirm="Switch off the account of Carl?"' in form.text
    off = browser.post(f"{page}/active", data={"csrf_token": csrf_of(form), "active": "off"})
    assert off.headers["location"] == f"{page}?notice=account_off"
    assert "Switched off: the person cannot sign in." in browser.get(off.headers["location"]).text
    assert carl_browser.get("/people").headers["location"].startswith("/login")
    assert (
        post_form(
            web.browser(), "/login", {"email": "carl@example.org", "password": "correct horse battery"}
        ).status_code
        == 401
    )
    on = post_form(browser, f"{page}/active", {"active": "on"}, form_page=page)
    assert on.headers["location"] == f"{page}?notice=account_on"
    assert web.signed_in("carl").get("/people").status_code == 200
    bad = post_form(browser, f"{page}/active", {"active": "maybe"}, form_page=page)
    assert bad.status_code == 422


def test_assignments_from_the_trainer_page(web: Web) -> None:
    browser = dana(web)
    charlie_browser = web.signed_in("charlie")
    alice_api = f"/api/v1/participants/{web.world.alice_id}"
    assert web.world.client("charlie").get(alice_api).status_code == 404
    page = f"/admin/users/{web.world.ids['charlie']}"
    form = browser.get(page)
    assert "Nobody yet." in form.text and re.search(r'<option value="1">Alice \(#1\)</option>', form.text)
    empty = browser.post(f"{page}/assignments", data={"csrf_token": csrf_of(form), "participant_id": ""})
    assert empty.status_code == 422 and 'href="#participant_id"' in empty.text
    assigned = browser.post(
        f"{page}/assignments", data={"csrf_token": csrf_of(form), "participant_id": str(web.world.alice_id)}
    )
    assert assigned.headers["location"] == f"{page}?notice=assigned"
    assert web.world.client("charlie").get(alice_api).status_code == 200
    ended = post_form(browser, f"{page}/assignments/{web.world.alice_id}/end", {}, form_page=page)
    assert ended.headers["location"] == f"{page}?notice=unassigned"
    assert web.world.client("charlie").get(alice_api).status_code == 404
    assert charlie_browser.get("/dashboard").status_code == 200
    carl_page = f"/admin/users/{web.world.ids['carl']}"
    caregiver = post_form(browser, f"{carl_page}/assignments", {"participant_id": "1"}, form_page=carl_page)
    assert caregiver.status_code == 422 and "Only trainers and administrators follow participants." in caregiver.text


def test_invitations_sent_listed_and_withdrawn(web: Web) -> None:
    browser = dana(web)
    page = browser.get("/admin/invitations")
    assert page.status_code == 200 and "No invitation is waiting." in page.text
    missing = post_form(browser, "/admin/invitations", {"role": "caregiver", "language": "fr"})
    assert missing.status_code == 422
    for target in ("#email", "#name", "#participant_id"):
        assert f'href="{target}"' in missing.text, target
    no_consent = post_form(
        browser,
        "/admin/invitations",
        {"email": "gina@example.org", "name": "Gina", "role": "caregiver", "participant_id": "1", "language": "fr"},
    )
    assert no_consent.status_code == 422 and 'href="#consent_by-participant"' in no_consent.text
    assert 'value="gina@example.org"' in no_consent.text, "what was typed is kept"
    sent = post_form(
        browser,
        "/admin/invitations",
        {"email": "gina@example.org", "name": "Gina", "role": "caregiver", "participant_id": "1",
         "consent_by": "guardian", "consent_name": "Gérard Tremblay", "language": "fr"},
    )  # fmt: skip
    assert sent.headers["location"] == "/admin/invitations?notice=invited"
    assert web.emails("invitation")[-1].to_address == "gina@example.org"
    listed = browser.get(sent.headers["location"])
    assert "The invitation is on its way by email." in listed.text and "gina@example.org" in listed.text
    taken = post_form(
        browser, "/admin/invitations", {"email": "bob@example.org", "name": "Bob", "role": "trainer", "language": "en"}
    )
    assert taken.status_code == 422 and "the address already has an account" in taken.text
    invitation_id = re.search(r'action="/admin/invitations/(\d+)/withdraw"', listed.text)
    assert invitation_id is not None
    withdrawn = browser.post(
        f"/admin/invitations/{invitation_id.group(1)}/withdraw", data={"csrf_token": csrf_of(listed)}
    )
    assert withdrawn.headers["location"] == "/admin/invitations?notice=withdrawn"
    assert "No invitation is waiting." in browser.get("/admin/invitations").text
