"""After Alice logs today's session, Bob's program page shows each exercise as it will be at her next session,
the adaptation's result, and says so; before the log, the table starts with today's session."""

from __future__ import annotations

import datetime as dt
import re

from neuromotrix.adapters.i18n import format_date
from neuromotrix.services import program_review, programs
from tests.web.conftest import Web
from tests.web.trainer_helpers import text_of


def table_levels(page_text: str) -> dict[str, int]:
    """Exercise id → the level shown in the "Exercises from ..." table."""
    table = page_text.split('id="exercises-title"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<span class="muted">\(([A-Z]{2}\d{2})\)</span>.*?Level (\d+)', table, flags=re.S)
    return {exercise_id: int(level) for exercise_id, level in rows}


def log_with_pain(web: Web, pain: int) -> str:
    """Alice logs today's session through the API, every block done; the first block above level 1 hurt."""
    alice = web.world.client("alice")
    base = f"/api/v1/participants/{web.world.alice_id}"
    today = alice.get(f"{base}/today").json()
    painful = next(block["exercise_id"] for block in today["session"]["blocks"] if block["level"] > 1)
    blocks = []
    for index, block in enumerate(today["session"]["blocks"]):
        target = block["dose"]["effort"]["target"]
        effort = target[0] if isinstance(target, list) else target
        hurt = pain if block["exercise_id"] == painful else 1
        blocks.append({"position": index, "exercise_id": block["exercise_id"], "status": "done", "effort": effort, "pain": hurt})  # fmt: skip
    body = {
        "performed_on": today["date"],
        "before": {"pain": 2, "dystonia": 3, "fatigue": 2},
        "after": {"pain": 2, "dystonia": 3, "fatigue": 3},
        "blocks": blocks,
    }
    answer = alice.post(f"{base}/session-logs", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["adaptation"] is not None
    return str(painful)


def test_after_a_logged_session_the_table_shows_the_next_sessions_levels(web: Web) -> None:
    bob = web.signed_in("bob")
    path = f"/participants/{web.world.alice_id}/program"
    before = bob.get(path)
    assert "Exercises from today" in text_of(before) and "Exercises from the next session" not in text_of(before)

    painful = log_with_pain(web, 6)  # above 5/10 on one item: it goes back one level (BRIEF §4.4-4.5)
    after = bob.get(path)
    text = text_of(after)
    assert "Exercises from the next session" in text and "Exercises from today" not in text
    assert "Today's session is logged" in text or "Today&#39;s session is logged" in after.text

    with web.container.uow() as uow:
        active = programs.active_version(uow, web.world.alice_id)
        assert active is not None and active.source == "adaptation"
        parsed = programs.parsed_plan(uow, active)
    today = web.world.clock().date()  # the world's clinic day (Montréal afternoon)
    upcoming = program_review.upcoming_blocks(parsed, today + dt.timedelta(days=1))
    shown = table_levels(after.text)
    assert shown == {key: block["level"] for key, block in upcoming.items()}
    assert all(block["date"] > today.isoformat() for block in upcoming.values())
    table = after.text.split('id="exercises-title"', 1)[1].split("</table>", 1)[0]
    assert format_date(today, "en", length="medium") not in table, "no row is today's session, already done"
    done_today = program_review.upcoming_blocks(parsed, today)[painful]["level"]
    assert shown[painful] == done_today - 1, "the level the adaptation chose, not the one done today"
    assert table_levels(before.text)[painful] == done_today
