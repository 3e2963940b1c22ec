"""The calendar page (`/p/{id}/calendar`), the `.ics` download and the private feed (`/calendar/{token}.ics`), as
Alice (French), Carl (her caregiver, English), Bob (her trainer) and Charlie (another trainer) use them."""

from __future__ import annotations

import re

import sqlalchemy as sa
from icalendar import Calendar

from neuromotrix.adapters.db.tables import calendar_feeds
from tests.web.conftest import Web, lang_of, post_form
from tests.web.participant_helpers import assert_csp_clean, text_of

ADDRESS = re.compile(r'id="new-address" type="url" value="http://127\.0\.0\.1:8000(/calendar/[A-Za-z0-9_-]+\.ics)"')


def page_path(web: Web) -> str:
    return f"/p/{web.world.alice_id}/calendar"


def test_alice_finds_the_page_from_today_in_french(web: Web) -> None:
    alice = web.signed_in("alice")
    today = alice.get(f"/p/{web.world.alice_id}/today")
    assert f'href="{page_path(web)}"' in today.text
    assert "Ajouter les séances à une application de calendrier" in text_of(today)
    page = alice.get(page_path(web))
    text = text_of(page)
    assert page.status_code == 200 and lang_of(page) == "fr"
    assert "Vos séances dans votre calendrier" in text
    assert "Télécharger le fichier de calendrier (.ics)" in text
    assert "Elle ne montre rien d'autre sur la santé" in text, "the page says what a feed shows"
    assert "Aucune adresse privée pour l'instant." in text
    assert '<label for="label">Nom de cette adresse (facultatif)</label>' in page.text
    assert_csp_clean(page)


def test_carl_makes_an_address_sees_it_once_and_a_calendar_app_reads_it(web: Web) -> None:
    carl = web.signed_in("carl")
    made = post_form(carl, page_path(web), {"label": "Carl's tablet"})
    assert made.status_code == 200 and lang_of(made) == "en"
    assert made.headers["cache-control"] == "no-store"
    assert "Copy it now: it is shown only this once." in text_of(made)
    found = ADDRESS.search(made.text)
    assert found is not None, made.text
    feed_path = found.group(1)
    assert f'href="webcal://127.0.0.1:8000{feed_path}"' in made.text
    with web.container.uow() as uow:
        stored = uow.connection.execute(sa.select(calendar_feeds.c.token_hash)).scalar_one()
    assert stored not in feed_path

    calendar_app = web.browser()  # no sign-in, no cookie
    served = calendar_app.get(feed_path)
    assert served.status_code == 200
    assert served.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "private" in served.headers["cache-control"]
    events = list(Calendar.from_ical(served.content).events)
    assert events and str(events[0]["SUMMARY"]) == "Séance d'exercices (NeuroMotrix)", "in Alice's language"

    again = carl.get(page_path(web))
    assert feed_path not in again.text, "the address is shown once"
    text = text_of(again)
    assert "Carl's tablet" in text and "Turn off – Carl's tablet" in text and "Not yet" not in text

    turned_off = post_form(carl, f"{page_path(web)}/revoke", {"feed": str(_feed_id(web))}, form_page=page_path(web))
    assert turned_off.status_code == 200
    assert "The address is turned off." in text_of(turned_off) and "Turned off on" in text_of(turned_off)
    assert calendar_app.get(feed_path).status_code == 404


def _feed_id(web: Web) -> int:
    with web.container.uow() as uow:
        return int(uow.connection.execute(sa.select(calendar_feeds.c.id)).scalar_one())


def test_a_name_too_long_is_explained_on_the_field(web: Web) -> None:
    alice = web.signed_in("alice", language="en")
    response = post_form(alice, page_path(web), {"label": "x" * 101})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.text and 'href="#label"' in response.text
    assert "Raccourcissez le nom à 100 caractères ou moins." in text_of(response), "Alice's account is in French"
    assert "new-address" not in response.text
    with web.container.uow() as uow:
        assert uow.connection.execute(sa.select(sa.func.count()).select_from(calendar_feeds)).scalar_one() == 0


def test_bob_downloads_the_file(web: Web) -> None:
    response = web.signed_in("bob").get(f"{page_path(web)}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="neuromotrix-sessions.ics"'
    assert len(list(Calendar.from_ical(response.content).events)) == 18  # Alice's 6 weeks of 3 sessions


def test_another_trainer_gets_404_everywhere(web: Web) -> None:
    alice = web.signed_in("alice")
    post_form(alice, page_path(web), {"label": ""})
    charlie = web.signed_in("charlie")
    assert charlie.get(page_path(web)).status_code == 404
    assert charlie.get(f"{page_path(web)}.ics").status_code == 404
    assert post_form(charlie, page_path(web), {"label": ""}, form_page="/dashboard").status_code == 404
    revoke = post_form(charlie, f"{page_path(web)}/revoke", {"feed": str(_feed_id(web))}, form_page="/dashboard")
    assert revoke.status_code == 404
    with web.container.uow() as uow:
        assert uow.connection.execute(sa.select(calendar_feeds.c.revoked_at)).scalar_one() is None


def test_an_unknown_address_is_not_found(web: Web) -> None:
    assert web.browser().get("/calendar/no-such-token.ics").status_code == 404
