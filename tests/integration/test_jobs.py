"""The job runner (services/jobs.py) on SQLite and PostgreSQL, sending real email to an SMTP server on a local port.

The story: Dana runs the Clinique du Parc (admin, English; alerts escalate to her after 30 minutes); Bob trains
Alice Tremblay (participant, French), whose caregiver Carl (English) helps her; Charlie is a trainer who does
not follow Alice. Alice's sessions are at 10:00 Montréal time on Mondays, Wednesdays and Fridays, from Monday
2026-11-23. The clock is the container's, moved by hand.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from neuromotrix.adapters.db.tables import (
    alerts,
    checkins,
    clearances,
    injections,
    notifications,
    outbox,
    session_logs,
    users,
)
from neuromotrix.bootstrap import Container
from neuromotrix.domain.alerts import Alert, AlertSeverity, Message
from neuromotrix.entrypoints.cli import app as cli
from neuromotrix.entrypoints.web.api.common import parse_profile
from neuromotrix.entrypoints.web.app import create_app
from neuromotrix.services import accounts, jobs, participants, programs
from neuromotrix.services.access import Actor
from neuromotrix.services.alerts import raise_alerts
from neuromotrix.services.jobs import NO_SMTP, OUTBOX, Delivery, JobRunner, PassReport, run_pass
from neuromotrix.services.outbox import enqueue
from neuromotrix.settings import Settings
from tests.api.conftest import Clock, example_profile
from tests.dbutil import table_contents
from tests.smtpsink import Sink, free_port, smtp_sink

MONTREAL = ZoneInfo("America/Montreal")
NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # Monday 10:00 in Montréal: Alice's first session
PEOPLE = [("dana", "admin", "en"), ("bob", "trainer", "fr"), ("charlie", "trainer", "en"),
          ("alice", "participant", "fr"), ("carl", "caregiver", "en")]  # fmt: skip


def local(day: str, clock: str) -> dt.datetime:
    """A Montréal wall-clock time as an aware UTC datetime."""
    return dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=MONTREAL).astimezone(dt.UTC)


@dataclass
class Story:
    container: Container
    clock: Clock
    ids: dict[str, int]
    alice: int

    def run(self, at: dt.datetime, mailer: Any = None) -> PassReport:
        self.clock.now = at
        return run_pass(self.container, runner="runner-test", mailer=mailer)

    def notes(self, persona: str, kind: str | None = None) -> list[sa.Row[Any]]:
        where = [notifications.c.user_id == self.ids[persona]]
        if kind is not None:
            where.append(notifications.c.kind == kind)
        with self.container.uow() as uow:
            return list(uow.connection.execute(sa.select(notifications).where(*where).order_by(notifications.c.id)))

    def alerts(self, kind: str) -> list[sa.Row[Any]]:
        with self.container.uow() as uow:
            query = sa.select(alerts).where(alerts.c.kind == kind).order_by(alerts.c.id)
            return list(uow.connection.execute(query))

    def insert(self, table: sa.Table, **values: Any) -> int:
        with self.container.uow(write=True) as uow:
            row_id = uow.connection.execute(table.insert().values(values).returning(table.c.id)).scalar_one()
            uow.commit()
        return int(row_id)

    def log_session(self, day: str) -> int:
        return self.insert(session_logs, participant_id=self.alice, performed_on=dt.date.fromisoformat(day),
                           pre_pain=2, pre_dystonia=2, pre_fatigue=2, entered_as="participant", created_at=NOW)  # fmt: skip

    def raise_alert(self, severity: AlertSeverity, key: str, *, at: dt.datetime) -> int:
        alert = Alert(kind="hard_stop", severity=severity, message=Message("Dizziness", "Étourdissement"), key=key)
        with self.container.uow(write=True) as uow:
            raise_alerts(uow, self.alice, [alert], now=at)
            found = uow.connection.execute(sa.select(alerts.c.id).where(alerts.c.key == key)).scalar_one()
            uow.commit()
        return int(found)


@pytest.fixture
def story(container: Container) -> Story:
    clock = Clock(NOW)
    container.clock = clock
    ids: dict[str, int] = {}
    with container.uow(write=True) as uow:
        clinic = accounts.create_clinic(uow, "Clinique du Parc", now=NOW, escalation_minutes=30)
        for persona, role, language in PEOPLE:
            ids[persona] = accounts.create_user(uow, clinic_id=clinic, email=f"{persona}@example.org",
                                                name=persona.title(), role=role, now=NOW, language=language)  # fmt: skip
        bob = Actor(ids["bob"], clinic, "trainer", "bob@example.org", "Bob", "fr")
        alice = participants.enrol(uow, bob, display_name="Alice Tremblay", language="fr", now=NOW, today=NOW.date(),
                                   profile=parse_profile(example_profile()), user_id=ids["alice"])  # fmt: skip
        draft = programs.generate(uow, bob, alice, now=NOW, reason="intake")
        programs.approve(uow, bob, alice, draft.version, now=NOW)
        participants.link_caregiver(uow, caregiver_id=ids["carl"], participant_id=alice, consent_by="participant",
                                    consent_name="Alice", now=NOW)  # fmt: skip
        uow.commit()
    return Story(container, clock, ids, alice)


@pytest.fixture
def sink() -> Iterator[Sink]:
    with smtp_sink() as running:
        yield running


# --- Reminders: time of day, language, who gets them ----------------------------------------------------------


def test_session_reminder_at_its_time_of_day_in_each_recipients_language(story: Story) -> None:
    story.run(local("2026-11-23", "09:59"))
    assert story.notes("alice", "session") == [] and story.notes("carl", "session") == []

    story.run(local("2026-11-23", "10:00"))
    [alice] = story.notes("alice", "session")
    assert alice.subject == "Votre séance d'exercice aujourd'hui"
    assert alice.body.startswith("Bonjour Alice, votre séance d'exercice est prévue aujourd'hui à 10 h 00.")
    assert alice.body.endswith("Ouvrir NeuroMotrix : http://127.0.0.1:8000")
    assert alice.due_at == local("2026-11-23", "10:00") and alice.email and alice.participant_id == story.alice
    [carl] = story.notes("carl", "session")
    assert carl.subject == "Alice: Your exercise session today"
    assert carl.body.startswith("Hello Carl, this reminder is for Alice, whom you help:\n\nHello Alice, your")
    assert "at 10:00" in carl.body
    assert story.notes("bob", "session") == [] and story.notes("charlie") == [] and story.notes("dana") == []


def test_a_late_runner_catches_up_for_three_hours_and_skips_sessions_already_logged(story: Story) -> None:
    story.run(NOW)
    story.run(local("2026-11-25", "12:59"))  # Wednesday: three hours late is still worth a reminder
    story.log_session("2026-11-27")  # Friday's session is done early in the morning
    story.run(local("2026-11-27", "10:30"))
    story.run(local("2026-11-30", "13:01"))  # Monday: more than three hours late, too late
    due = [note.due_at for note in story.notes("alice", "session")]
    assert due == [local("2026-11-23", "10:00"), local("2026-11-25", "10:00")]


def test_next_day_checkin_reminder_the_morning_after_unless_done(story: Story) -> None:
    story.log_session("2026-11-23")
    story.run(local("2026-11-24", "08:59"))
    assert story.notes("alice", "checkin") == []
    story.run(local("2026-11-24", "09:00"))
    [alice] = story.notes("alice", "checkin")
    assert alice.subject == "Comment s'est passée la séance d'hier?" and alice.due_at == local("2026-11-24", "09:00")
    [carl] = story.notes("carl", "checkin")
    assert carl.subject == "Alice: How did yesterday's session go?"

    story.log_session("2026-11-25")
    story.insert(checkins, participant_id=story.alice, kind="next_day", session_log_id=None, answers={},
                 checked_on=dt.date(2026, 11, 26), entered_as="participant", created_at=NOW)  # fmt: skip
    story.run(local("2026-11-26", "09:30"))  # Wednesday's check-in was answered before 09:00
    assert len(story.notes("alice", "checkin")) == 1


def test_post_injection_checkin_every_morning_for_21_days(story: Story) -> None:
    story.insert(injections, participant_id=story.alice, injected_on=dt.date(2026, 11, 23), regions=["neck"],
                 created_at=NOW)  # fmt: skip
    story.insert(checkins, participant_id=story.alice, kind="post_injection", answers={},
                 checked_on=dt.date(2026, 11, 25), entered_as="participant", created_at=NOW)  # fmt: skip
    for day in ("2026-11-23", "2026-11-24", "2026-11-25", "2026-12-14", "2026-12-15"):
        story.run(local(day, "09:00"))
    days = [
        note.due_at.astimezone(MONTREAL).date().isoformat() for note in story.notes("alice", "post_injection_checkin")
    ]
    # Day 1 and day 21 have one; the injection day, day 22 and the day already answered (day 2) have none.
    assert days == ["2026-11-24", "2026-12-14"]
    first = story.notes("alice", "post_injection_checkin")[0]
    assert first.subject == "Votre suivi quotidien" and "injection" not in first.body  # nothing clinical in it
    assert len(story.notes("carl", "post_injection_checkin")) == 2


# --- Alerts for the trainer, escalation to the admin -----------------------------------------------------------


def test_scans_raise_clearance_missed_checkin_and_adherence_alerts(story: Story) -> None:
    story.insert(clearances, participant_id=story.alice, cleared_by="Dr Roy", cleared_on=dt.date(2025, 12, 10),
                 restrictions=[], created_at=NOW)  # fmt: skip
    story.run(NOW)
    [expiring] = story.alerts("clearance_expiring")
    assert expiring.key == "clearance_expiring:2025-12-10" and "2026-12-10" in expiring.message_en

    for day in ("2026-11-23", "2026-11-25", "2026-11-27"):  # the first week done, the second week missed
        story.log_session(day)
    story.run(local("2026-11-24", "23:59"))
    assert story.alerts("missed_checkin") == []
    story.run(local("2026-11-25", "00:00"))  # the end of the day after Monday's session
    assert [alert.key for alert in story.alerts("missed_checkin")] == ["missed_checkin:1"]

    story.run(local("2026-12-06", "12:00"))
    [drop] = story.alerts("adherence_drop")
    assert drop.key.startswith("adherence_drop:7:") and "3/3 → 0/3" in drop.message_en
    assert [alert.key for alert in story.alerts("clearance_expired")] == []


def test_every_open_alert_reaches_the_assigned_trainer_in_their_language(story: Story) -> None:
    urgent = story.raise_alert("urgent", "hard_stop:1", at=NOW)
    warning = story.raise_alert("warning", "flare:1", at=NOW)
    acknowledged = story.raise_alert("urgent", "hard_stop:2", at=NOW)
    with story.container.uow(write=True) as uow:
        uow.connection.execute(alerts.update().where(alerts.c.id == acknowledged).values(acknowledged_at=NOW))
        uow.commit()
    story.run(NOW)
    by_key = {note.key: note for note in story.notes("bob", "alert")}
    assert f"alert:{acknowledged}" not in by_key
    assert by_key[f"alert:{urgent}"].subject == "Alerte urgente : Alice Tremblay" and by_key[f"alert:{urgent}"].email
    assert "Étourdissement" not in by_key[f"alert:{urgent}"].body  # the clinical detail stays in the app
    assert by_key[f"alert:{warning}"].subject == "À surveiller : Alice Tremblay"
    assert not by_key[f"alert:{warning}"].email  # in the app only
    assert story.notes("charlie") == [] and story.notes("dana") == [] and story.notes("alice", "alert") == []


def test_unacknowledged_urgent_alert_escalates_to_the_admin_after_the_clinic_delay(story: Story) -> None:
    raised_at = local("2026-11-23", "11:00")
    urgent = story.raise_alert("urgent", "hard_stop:1", at=raised_at)
    warning = story.raise_alert("warning", "flare:1", at=raised_at)
    handled = story.raise_alert("emergency", "hard_stop:2", at=raised_at)
    with story.container.uow(write=True) as uow:
        uow.connection.execute(alerts.update().where(alerts.c.id == handled).values(acknowledged_at=raised_at))
        uow.commit()

    report = story.run(raised_at + dt.timedelta(minutes=29, seconds=59))
    assert report.escalated == 0 and story.notes("dana") == []
    assert all(alert.escalated_at is None for alert in story.alerts("hard_stop"))

    at = raised_at + dt.timedelta(minutes=30)
    assert story.run(at).escalated == 1
    escalated = {alert.id: alert.escalated_at for alert in story.alerts("hard_stop")}
    assert escalated == {urgent: at, warning: None, handled: None}
    [dana] = story.notes("dana")
    assert dana.kind == "escalation" and dana.key == f"escalation:{urgent}" and dana.email
    assert dana.subject == "Not acknowledged: alert about Alice Tremblay"
    assert "(urgent), raised on 2026-11-23 11:00, has not been acknowledged within 30 minutes" in dana.body
    assert story.notes("bob", "escalation") == []

    assert story.run(at + dt.timedelta(hours=1)).escalated == 0
    assert len(story.notes("dana")) == 1 and story.alerts("hard_stop")[0].escalated_at == at


def test_a_pass_run_again_changes_nothing(story: Story, sink: Sink) -> None:
    story.insert(clearances, participant_id=story.alice, cleared_by="Dr Roy", cleared_on=dt.date(2025, 11, 1),
                 restrictions=[], created_at=NOW)  # fmt: skip
    story.insert(injections, participant_id=story.alice, injected_on=dt.date(2026, 11, 22), regions=["mouth"],
                 created_at=NOW)  # fmt: skip
    story.log_session("2026-11-20")
    story.raise_alert("emergency", "hard_stop:1", at=NOW - dt.timedelta(hours=2))
    first = story.run(NOW, sink.mailer())
    assert first.alerts >= 2 and first.escalated == 1 and first.notifications >= 6 and first.sent >= 5
    before = table_contents(story.container.engine)
    second = story.run(NOW, sink.mailer())
    assert (second.alerts, second.escalated, second.notifications, second.sent, second.failed) == (0, 0, 0, 0, 0)
    assert table_contents(story.container.engine) == before
    assert len(sink.messages) == first.sent


# --- Delivery ---------------------------------------------------------------------------------------------------


def test_emails_reach_the_smtp_server(story: Story, sink: Sink) -> None:
    story.raise_alert("urgent", "hard_stop:1", at=NOW)
    with story.container.uow(write=True) as uow:
        enqueue(uow, to_address="eve@example.org", subject="Invitation à NeuroMotrix", body="Bienvenue, Ève — ✓",
                purpose="invitation", now=NOW)  # fmt: skip
        uow.commit()
    report = story.run(NOW, sink.mailer())
    received = {(str(message["To"]), str(message["Subject"])) for message in sink.messages}
    assert received == {
        ("eve@example.org", "Invitation à NeuroMotrix"),
        ("bob@example.org", "Alerte urgente : Alice Tremblay"),
        ("alice@example.org", "Votre séance d'exercice aujourd'hui"),
        ("carl@example.org", "Alice: Your exercise session today"),
    }
    assert report.sent == 4 and report.failed == 0
    eve = next(message for message in sink.messages if message["To"] == "eve@example.org")
    assert eve["From"] == "NeuroMotrix <no-reply@clinic.example>" and eve.get_content().rstrip() == "Bienvenue, Ève — ✓"
    with story.container.uow() as uow:
        sent = uow.connection.execute(sa.select(outbox)).one()
        emailed = uow.connection.execute(sa.select(notifications).where(notifications.c.email.is_(True))).all()
    assert (sent.sent_at, sent.attempts, sent.claimed_by, sent.claimed_until, sent.last_error) == (
        NOW, 1, "runner-test", None, None
    )  # fmt: skip
    assert all(row.emailed_at == NOW and row.attempts == 1 for row in emailed)
    assert all(row.emailed_at is None and row.attempts == 0 for row in story.notes("bob") if not row.email)


def test_a_deactivated_account_gets_no_email(story: Story, sink: Sink) -> None:
    story.run(NOW)  # Alice's and Carl's session reminders are stored
    with story.container.uow(write=True) as uow:
        uow.connection.execute(users.update().where(users.c.id == story.ids["carl"]).values(active=False))
        uow.commit()
    story.run(NOW + dt.timedelta(minutes=1), sink.mailer())
    assert [str(message["To"]) for message in sink.messages] == ["alice@example.org"]
    [carl] = story.notes("carl", "session")
    assert (carl.emailed_at, carl.last_error, carl.attempts) == (None, jobs.INACTIVE, 6)


def test_several_runners_at_once_send_every_email_exactly_once(
    story: Story, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "BATCH", 7)  # small batches: the runners take turns claiming
    with story.container.uow(write=True) as uow:
        people = [story.ids[name] for name in ("alice", "carl", "bob", "dana")]
        uow.connection.execute(notifications.insert(), [
            {"user_id": people[index % 4], "key": f"bulk:{index}", "kind": "session", "subject": f"bulk {index}",
             "body": "Bonjour ✓", "due_at": NOW - dt.timedelta(seconds=index), "created_at": NOW, "email": True}
            for index in range(90)
        ])  # fmt: skip
        for index in range(60):
            enqueue(uow, to_address=f"guest{index}@example.org", subject=f"outbox {index}", body="Bienvenue",
                    purpose="invitation", now=NOW - dt.timedelta(seconds=index))  # fmt: skip
        uow.commit()
    runners = [Container(story.container.settings, clock=story.clock) for _ in range(4)]
    start = threading.Barrier(len(runners))
    failures: list[BaseException] = []

    def work(box: Container, name: str) -> None:
        try:
            start.wait(timeout=10)
            run_pass(box, runner=name, mailer=sink.mailer())
        except BaseException as error:  # reported by the test below
            failures.append(error)

    threads = [threading.Thread(target=work, args=(box, f"runner-{n}")) for n, box in enumerate(runners)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for box in runners:
            box.close()
    assert failures == []
    counts = Counter(sink.subjects())
    assert {subject for subject, count in counts.items() if count > 1} == set()
    assert {f"bulk {index}" for index in range(90)} | {f"outbox {index}" for index in range(60)} <= set(counts)
    with story.container.uow() as uow:
        unsent = uow.connection.execute(
            sa.select(sa.func.count())
            .select_from(notifications)
            .where(notifications.c.email.is_(True), notifications.c.emailed_at.is_(None))
        ).scalar_one()
        unsent += uow.connection.execute(sa.select(sa.func.count()).where(outbox.c.sent_at.is_(None))).scalar_one()
        senders = set(uow.connection.execute(sa.select(outbox.c.claimed_by)).scalars())
        senders |= set(uow.connection.execute(sa.select(notifications.c.claimed_by)).scalars()) - {None}
        attempts = set(uow.connection.execute(sa.select(outbox.c.attempts)).scalars())
    assert unsent == 0 and attempts == {1}
    assert len(senders) > 1, "one runner did all the work: the test did not exercise concurrent claims"
    assert sum(counts.values()) == len(sink.messages)


def test_a_failing_server_is_retried_with_a_doubling_wait_then_succeeds(container: Container, sink: Sink) -> None:
    clock = container.clock = Clock(NOW)
    with container.uow(write=True) as uow:
        enqueue(uow, to_address="eve@example.org", subject="Reset", body="Link", purpose="password_reset", now=NOW)
        uow.commit()
    sink.fail_next = 2

    def attempt(at: dt.datetime) -> sa.Row[Any]:
        clock.now = at
        run_pass(container, runner="runner-test", mailer=sink.mailer())
        with container.uow() as uow:
            return uow.connection.execute(sa.select(outbox)).one()

    first = attempt(NOW)
    assert (first.attempts, first.sent_at, first.claimed_by) == (1, None, None)
    assert "451" in (first.last_error or "") and first.claimed_until == NOW + dt.timedelta(seconds=60)
    assert attempt(NOW + dt.timedelta(seconds=59)).attempts == 1  # waiting
    second = attempt(NOW + dt.timedelta(seconds=60))
    assert second.attempts == 2 and second.claimed_until == NOW + dt.timedelta(seconds=180)  # 60 s, then 120 s
    assert attempt(NOW + dt.timedelta(seconds=179)).sent_at is None
    done = attempt(NOW + dt.timedelta(seconds=180))
    assert (done.attempts, done.sent_at, done.last_error) == (3, NOW + dt.timedelta(seconds=180), None)
    assert sink.subjects() == ["Reset"]


def test_gives_up_after_the_last_attempt_and_on_a_refused_address(settings: Settings, sink: Sink) -> None:
    clock = Clock(NOW)
    box = Container(settings.model_copy(update={"job_max_attempts": 3}), clock=clock)
    try:
        box.migrate()
        with box.uow(write=True) as uow:
            enqueue(uow, to_address="eve@example.org", subject="Reset", body="Link", purpose="reset", now=NOW)
            enqueue(uow, to_address="old@example.org", subject="Old", body="Hi", purpose="invitation",
                    now=NOW - dt.timedelta(days=1))  # fmt: skip
            uow.commit()
        down = sink.mailer(port=free_port())
        for seconds in (0, 60, 180, 3600, 86000):
            clock.now = NOW + dt.timedelta(seconds=seconds)
            run_pass(box, runner="runner-test", mailer=down)
        with box.uow(write=True) as uow:
            enqueue(uow, to_address="nobody@example.org", subject="Hi", body="Hi", purpose="invitation", now=clock.now)
            uow.commit()
        sink.refuse.add("nobody@example.org")
        run_pass(box, runner="runner-test", mailer=sink.mailer())
        with box.uow() as uow:
            rows = {row.to_address: row for row in uow.connection.execute(sa.select(outbox))}
    finally:
        box.close()
    eve, nobody, old = rows["eve@example.org"], rows["nobody@example.org"], rows["old@example.org"]
    assert eve.attempts == 3 and eve.sent_at is None and "cannot connect to the SMTP server" in (eve.last_error or "")
    assert nobody.attempts == 3 and "refused the address 'nobody@example.org'" in (nobody.last_error or "")
    assert (old.attempts, old.sent_at) == (0, None)  # more than a day late: never tried
    assert sink.messages == []


def test_a_claim_holds_until_its_lease_ends_and_an_ending_lease_hands_rows_back(
    container: Container, sink: Sink
) -> None:
    clock = container.clock = Clock(NOW)
    with container.uow(write=True) as uow:
        for index in range(2):
            enqueue(uow, to_address=f"guest{index}@example.org", subject=f"outbox {index}", body="Hi",
                    purpose="invitation", now=NOW)  # fmt: skip
        uow.commit()
    crashed = Delivery(container, "crashed-runner", sink.mailer(), threading.Event())
    batch, lease_end = crashed.claim(OUTBOX)  # claims both, then its process dies before sending
    assert len(batch) == 2 and lease_end == NOW + dt.timedelta(seconds=300)
    clock.now = lease_end - dt.timedelta(seconds=1)
    assert run_pass(container, runner="runner-test", mailer=sink.mailer()).sent == 0
    clock.now = lease_end
    assert run_pass(container, runner="runner-test", mailer=sink.mailer()).sent == 2
    assert sorted(sink.subjects()) == ["outbox 0", "outbox 1"]

    with container.uow(write=True) as uow:
        enqueue(uow, to_address="late@example.org", subject="late", body="Hi", purpose="invitation", now=lease_end)
        uow.commit()
    slow = Delivery(container, "slow-runner", sink.mailer(), threading.Event())
    batch, lease_end = slow.claim(OUTBOX)
    clock.now = lease_end - dt.timedelta(seconds=30)  # one SMTP timeout left: too close to send
    assert slow.send(batch, lease_end, PassReport()) is False
    with container.uow() as uow:
        late = uow.connection.execute(sa.select(outbox).where(outbox.c.to_address == "late@example.org")).one()
    assert (late.claimed_by, late.claimed_until, late.attempts, late.sent_at) == (None, None, 0, None)
    assert len(sink.messages) == 2


def test_without_smtp_notifications_stay_in_the_app_and_the_outbox_says_why(story: Story, sink: Sink) -> None:
    assert story.container.settings.smtp_host is None
    with story.container.uow(write=True) as uow:
        enqueue(uow, to_address="eve@example.org", subject="Invitation", body="Hi", purpose="invitation", now=NOW)
        uow.commit()
    report = story.run(NOW)
    assert report.email_off and "email off (NEUROMOTRIX_SMTP_HOST unset)" in report.summary()
    [note] = story.notes("alice", "session")
    assert note.emailed_at is None and note.attempts == 0 and note.claimed_by is None
    with story.container.uow() as uow:
        waiting = uow.connection.execute(sa.select(outbox)).one()
    assert (waiting.sent_at, waiting.attempts, waiting.last_error) == (None, 0, NO_SMTP)
    assert "NEUROMOTRIX_SMTP_HOST is unset" in NO_SMTP

    story.run(NOW + dt.timedelta(hours=2), sink.mailer())  # a server is configured the same day
    expected = ["Alice: Your exercise session today", "Invitation", "Votre séance d'exercice aujourd'hui"]
    assert sorted(sink.subjects()) == expected
    with story.container.uow() as uow:
        assert uow.connection.execute(sa.select(outbox.c.last_error)).scalar_one() is None


# --- Where the runner runs: a thread, `serve`, the command line -------------------------------------------------


def _runner_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("neuromotrix-jobs-")]


def _wait_for(condition: Any, timeout: float = 10.0) -> None:
    stop = threading.Event()
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=timeout)
    while not condition():
        assert dt.datetime.now(dt.UTC) < deadline, "the job runner did nothing in time"
        stop.wait(0.02)


def test_the_runner_thread_runs_passes_and_stops_cleanly(story: Story, sink: Sink) -> None:
    runner = JobRunner(story.container, mailer=sink.mailer())
    runner.start()
    try:
        _wait_for(lambda: len(sink.messages) == 2)
        assert len(_runner_threads()) == 1
    finally:
        runner.stop(timeout=10)
    assert _runner_threads() == []
    assert {str(message["To"]) for message in sink.messages} == {"alice@example.org", "carl@example.org"}


def test_serve_runs_the_runner_in_each_worker_only_when_jobs_is_on(story: Story) -> None:
    with TestClient(create_app(Container(story.container.settings, clock=story.clock))) as client:
        assert client.get("/healthz").status_code == 200
        assert _runner_threads() == []  # the tests' settings turn it off

    box = Container(story.container.settings.model_copy(update={"jobs": True}), clock=story.clock)
    with TestClient(create_app(box)):
        assert len(_runner_threads()) == 1
        _wait_for(lambda: len(story.notes("alice", "session")) == 1)
    assert _runner_threads() == []


def test_jobs_run_once_from_the_command_line(story: Story, sink: Sink) -> None:
    with story.container.uow(write=True) as uow:
        now = dt.datetime.now(dt.UTC)
        enqueue(uow, to_address="eve@example.org", subject="Invitation", body="Hi", purpose="invitation", now=now)
        uow.commit()
    environment = {"NEUROMOTRIX_DATABASE_URL": story.container.settings.database_url, "NEUROMOTRIX_JOBS": "false",
                   "NEUROMOTRIX_SMTP_HOST": "127.0.0.1", "NEUROMOTRIX_SMTP_PORT": str(sink.port),
                   "NEUROMOTRIX_SMTP_STARTTLS": "false"}  # fmt: skip
    result = CliRunner().invoke(cli, ["jobs", "run", "--once"], env=environment)
    assert result.exit_code == 0, result.output
    assert "email(s) sent" in result.output and "Invitation" in sink.subjects()

    bad = CliRunner().invoke(cli, ["jobs", "run", "--once"], env=environment | {"NEUROMOTRIX_JOB_LEASE_SECONDS": "20"})
    assert bad.exit_code == 2
    assert "NEUROMOTRIX_JOB_LEASE_SECONDS" in bad.output and "at least twice" in bad.output


def test_jobs_run_keeps_running_until_sigterm(story: Story, sink: Sink) -> None:
    with story.container.uow(write=True) as uow:
        enqueue(uow, to_address="eve@example.org", subject="Invitation", body="Hi", purpose="invitation",
                now=dt.datetime.now(dt.UTC))  # fmt: skip
        uow.commit()
    environment = {name: value for name, value in os.environ.items() if not name.startswith("NEUROMOTRIX_")}
    environment |= {"NEUROMOTRIX_DATABASE_URL": story.container.settings.database_url, "NEUROMOTRIX_JOBS": "false",
                    "NEUROMOTRIX_SMTP_HOST": "127.0.0.1", "NEUROMOTRIX_SMTP_PORT": str(sink.port),
                    "NEUROMOTRIX_SMTP_STARTTLS": "false", "NEUROMOTRIX_JOB_INTERVAL_SECONDS": "0.2"}  # fmt: skip
    command = [sys.executable, "-m", "neuromotrix.entrypoints.cli", "jobs", "run"]
    with subprocess.Popen(command, env=environment, stderr=subprocess.PIPE, text=True) as process:
        try:
            _wait_for(lambda: sink.subjects() == ["Invitation"], timeout=30)
            process.send_signal(signal.SIGTERM)
            _, errors = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == 0, errors
    assert "job runner" in errors and "a pass every 0.2 s" in errors and "1 email(s) sent" in errors
