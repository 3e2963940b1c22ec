"""Bob's dashboard: what needs attention comes first, most severe first, and each alert can be acknowledged; then
his caseload, sortable by a link. Charlie follows nobody, and Alice's pages do not exist for him."""

from __future__ import annotations

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import alerts
from neuromotrix.services import caseload
from tests.api.conftest import NOW
from tests.web.conftest import Web, csrf_of, lang_of, post_form
from tests.web.trainer_helpers import bob_actor, dana, enrol_for_bob, log_alice_session, raise_alert, text_of


def test_needs_attention_comes_first_with_the_most_severe_alert_on_top(web: Web) -> None:
    alice = web.world.alice_id
    raise_alert(web.world, alice, "info", "t:info", en="Something to know.", fr="Une chose à savoir.")
    raise_alert(web.world, alice, "urgent", "t:urgent", en="Pain 10/10 reported.", fr="Douleur 10/10 signalée.")
    raise_alert(web.world, alice, "warning", "t:warning", en="Adherence fell.", fr="L'assiduité a baissé.")
    page = web.signed_in("bob").get("/dashboard")
    assert page.status_code == 200
    text = text_of(page)
    assert text.index("Needs attention") < text.index("Caseload")
    assert text.index("Pain 10/10 reported.") < text.index("Adherence fell.") < text.index("Something to know.")
    assert "Urgent" in text and "Warning" in text and "Alice" in text
    assert 'action="/alerts/' in page.text and "Acknowledge" in text
    assert "Douleur" not in text, "Bob reads English"


def test_an_alert_is_acknowledged_and_leaves_the_queue(web: Web) -> None:
    alert_id = raise_alert(web.world, web.world.alice_id, "urgent", "t:ack", en="Fall reported.", fr="Chute signalée.")
    bob = web.signed_in("bob")
    done = post_form(bob, f"/alerts/{alert_id}/acknowledge", {"next": "/dashboard"}, form_page="/dashboard")
    assert done.status_code == 303
    assert done.headers["location"] == "/dashboard?notice=alert_acknowledged"
    after = bob.get(done.headers["location"])
    assert "Alert acknowledged" in text_of(after)
    assert "Fall reported." not in text_of(after)
    with web.container.uow() as uow:
        row = uow.connection.execute(sa.select(alerts).where(alerts.c.id == alert_id)).one()
    assert row.acknowledged_by == web.world.ids["bob"] and row.acknowledged_at is not None


def test_acknowledge_goes_back_only_to_this_site_and_refuses_a_missing_token(web: Web) -> None:
    alert_id = raise_alert(web.world, web.world.alice_id, "info", "t:next", en="Note.", fr="Note.")
    bob = web.signed_in("bob")
    assert bob.post(f"/alerts/{alert_id}/acknowledge", data={"next": "/dashboard"}).status_code == 403
    done = post_form(bob, f"/alerts/{alert_id}/acknowledge", {"next": "https://evil.example/"}, form_page="/dashboard")
    assert done.headers["location"] == "/?notice=alert_acknowledged"


def test_charlie_sees_no_one_and_cannot_touch_alices_alerts(web: Web) -> None:
    alert_id = raise_alert(web.world, web.world.alice_id, "urgent", "t:c", en="Fall reported.", fr="Chute.")
    charlie = web.signed_in("charlie")
    page = charlie.get("/dashboard")
    assert page.status_code == 200
    text = text_of(page)
    assert "Alice" not in text and "Fall reported." not in text
    assert "No participants are assigned to you yet" in text
    assert "Nothing needs your attention now" in text
    assert charlie.get(f"/participants/{web.world.alice_id}").status_code == 404
    refused = post_form(charlie, f"/alerts/{alert_id}/acknowledge", {"next": "/dashboard"}, form_page="/dashboard")
    assert refused.status_code == 404
    with web.container.uow() as uow:
        assert (
            uow.connection.execute(sa.select(alerts.c.acknowledged_at).where(alerts.c.id == alert_id)).scalar() is None
        )


def test_the_caseload_shows_each_participant_with_adherence_last_session_and_program(web: Web) -> None:
    log_alice_session(web.world)
    page = web.signed_in("bob").get("/dashboard")
    text = text_of(page)
    assert f'href="/participants/{web.world.alice_id}"' in page.text
    assert "100% 1 of 1 sessions" in text, text
    assert "Nov 23, 2026" in text, "the last session's date"
    assert "In use" in text and "Version" in text


def test_the_caseload_sorts_by_a_link_without_script(web: Web) -> None:
    zoe = enrol_for_bob(web.world, "Zoé Tremblay", language="fr")
    bob = web.signed_in("bob")
    by_name = bob.get("/dashboard?sort=name&order=asc")
    rows = by_name.text.split("<tbody>", 1)[1]
    assert rows.index(f"/participants/{web.world.alice_id}") < rows.index(f"/participants/{zoe}")
    assert 'aria-sort="ascending"' in by_name.text
    assert 'href="/dashboard?sort=name&amp;order=desc"' in by_name.text, "the same column again reverses"
    reversed_rows = bob.get("/dashboard?sort=name&order=desc").text.split("<tbody>", 1)[1]
    assert reversed_rows.index(f"/participants/{zoe}") < reversed_rows.index(f"/participants/{web.world.alice_id}")
    log_alice_session(web.world)
    by_last = bob.get("/dashboard?sort=last_session&order=desc").text.split("<tbody>", 1)[1]
    assert by_last.index(f"/participants/{web.world.alice_id}") < by_last.index(f"/participants/{zoe}")
    assert bob.get("/dashboard?sort=nonsense&order=sideways").status_code == 200


def test_an_admin_sees_the_clinic_and_the_other_roles_are_refused(web: Web) -> None:
    admin = dana(web)
    page = admin.get("/dashboard")
    assert page.status_code == 200 and f"/participants/{web.world.alice_id}" in page.text
    assert admin.get(f"/participants/{web.world.alice_id}").status_code == 200
    for persona in ("alice", "carl"):
        browser = web.signed_in(persona)
        assert browser.get("/dashboard").status_code == 403
        assert browser.get(f"/participants/{web.world.alice_id}").status_code == 403


def test_the_dashboard_in_french(web: Web) -> None:
    raise_alert(web.world, web.world.alice_id, "urgent", "t:fr", en="Fall reported.", fr="Chute signalée.")
    bob = web.signed_in("bob")
    page = bob.get("/dashboard")
    switched = bob.post("/language", data={"csrf_token": csrf_of(page), "language": "fr", "next": "/dashboard"})
    assert switched.status_code == 303
    french = bob.get("/dashboard")
    assert lang_of(french) == "fr"
    text = text_of(french)
    assert "Chute signalée." in text and "Fall reported." not in text
    assert "À surveiller" in text and "Urgent" in text


def test_the_caseload_costs_the_same_few_queries_whatever_its_size(web: Web) -> None:
    """Two queries for the caseload itself, never one more per participant."""
    bob = bob_actor(web.world)
    engine = web.container.engine

    def statements() -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            if str(args[2]).lstrip().upper().startswith("SELECT"):
                seen.append(str(args[2]))

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            with web.container.uow() as uow:
                entries = caseload.caseload(uow, bob, today=NOW.date())
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        assert entries
        return len(seen)

    alone = statements()
    for name in ("Béatrice", "Chloé", "Denis"):
        enrol_for_bob(web.world, name)
    assert statements() == alone == 2
