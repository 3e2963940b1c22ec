"""The job runner: scans, notifications and email delivery, safe with any number of workers at once.

One *pass* (`run_pass`):

1. **Scans** (services/scans.py): needs-attention alerts for every participant, escalation of emergency and
   urgent alerts nobody acknowledged within the clinic's delay, and the reminders now due.
2. **Notifications** (services/notifications.py): each new alert to the assigned trainers, each escalation to
   the clinic's admins, each reminder to the participant and their caregivers. Alerts, escalations and
   notifications all have unique keys, so a pass run again, or by several workers at once, stores nothing twice.
3. **Delivery**: email rows (`notifications` with `email` true, and the `outbox` of invitations and password
   resets) are *claimed* before they are sent. A claim is one short write transaction that sets `claimed_by`
   (this runner) and `claimed_until` (now + the lease) on rows nobody holds, counts the attempt, and commits;
   on PostgreSQL the candidate rows are locked with `FOR UPDATE SKIP LOCKED`, on SQLite the write transaction
   (BEGIN IMMEDIATE) serialises claimers, and the update re-checks the conditions on both. The emails are then
   sent with no transaction open, each result is written at once (sent, or the error with the next try after a
   doubling backoff), and a runner whose lease is about to run out stops sending and hands back what is left.
   A row is given up after `job_max_attempts` attempts, or at once if the server refuses the address.

An email is sent once, whatever the number of workers. The one case of a second copy is a process killed after
the SMTP server accepted a message and before its `sent` mark was committed: the row is sent again when the lease
ends. Without an SMTP server (`NEUROMOTRIX_SMTP_HOST` unset) nothing is claimed: notifications stay in the app,
and outbox rows wait with a `last_error` saying why, to go out if a server is configured within a day.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from neuromotrix.adapters.db.tables import notifications, outbox, users
from neuromotrix.adapters.mail import MailError, OutgoingEmail, SmtpConnection, SmtpMailer, mailer_from_settings
from neuromotrix.catalog.loader import load_catalog
from neuromotrix.services import notifications as notify
from neuromotrix.services import scans
from neuromotrix.services.alerts import raise_alerts

if TYPE_CHECKING:
    from neuromotrix.bootstrap import Container

log = logging.getLogger("neuromotrix.jobs")

BATCH = 50  # emails claimed at once by one runner
# An email that could not go out within a day of being due is not sent any more: a reminder for yesterday's
# session, or a password-reset link long expired, would only confuse. The in-app notification stays.
EMAIL_MAX_DELAY = dt.timedelta(days=1)
MAX_BACKOFF = dt.timedelta(hours=6)
NO_SMTP = (
    "not sent: no SMTP server is configured (NEUROMOTRIX_SMTP_HOST is unset); set it and this email goes out "
    "at the next pass, if that is within a day"
)
INACTIVE = "not sent: the account is deactivated"


@dataclass(frozen=True, eq=False)  # compared by identity: its fields are SQL expressions
class Queue:
    """A table of emails to deliver: the column that marks a row sent, the time it is due from, which rows are email."""

    table: sa.Table
    sent: sa.Column[Any]
    due: sa.Column[Any]
    only: tuple[sa.ColumnElement[bool], ...] = ()


NOTIFICATIONS = Queue(
    notifications, notifications.c.emailed_at, notifications.c.due_at, (notifications.c.email.is_(True),)
)
OUTBOX = Queue(outbox, outbox.c.sent_at, outbox.c.created_at)


@dataclass
class PassReport:
    alerts: int = 0
    escalated: int = 0
    notifications: int = 0
    sent: int = 0
    failed: int = 0
    email_off: bool = False

    def summary(self) -> str:
        email = "email off (NEUROMOTRIX_SMTP_HOST unset)" if self.email_off else f"{self.sent} email(s) sent"
        failed = f", {self.failed} failed" if self.failed else ""
        return (
            f"{self.alerts} alert(s) raised, {self.escalated} escalated, {self.notifications} notification(s), "
            f"{email}{failed}"
        )


def runner_name() -> str:
    """Unique per runner: host, process and a random part (two runners in one process differ)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# --- Scans and notifications -----------------------------------------------------------------------------------


def scan(container: Container, report: PassReport) -> None:
    """Alerts, escalations and notifications: read in a plain transaction, written in one short write."""
    now = container.clock()
    table = load_catalog().rules.attention
    base_url = container.settings.base_url.rstrip("/")
    with container.uow() as uow:
        everyone = scans.read_facts(uow, now=now)
    raised = {facts.participant_id: scans.attention_alerts(facts, now=now, table=table) for facts in everyone}
    due = {facts.participant_id: scans.due_reminders(facts, now=now, table=table) for facts in everyone}
    with container.uow(write=True) as uow:
        report.alerts += scans.not_stored_yet(uow, raised)
        for participant_id, found in raised.items():
            raise_alerts(uow, participant_id, found, now=now)
        escalated = scans.escalate(uow, now=now)
        report.escalated += len(escalated)
        report.notifications += notify.notify_open_alerts(uow, now=now, base_url=base_url)
        report.notifications += notify.notify_escalations(uow, escalated, now=now, base_url=base_url)
        reminding = [facts for facts in everyone if due[facts.participant_id]]
        recipients = notify.reminder_recipients(uow, [facts.participant_id for facts in reminding])
        rows = [
            row
            for facts in reminding
            for row in notify.reminder_rows(
                facts, due[facts.participant_id], recipients[facts.participant_id], now=now, base_url=base_url
            )
        ]
        report.notifications += notify.store(uow, rows)
        uow.commit()


# --- Delivery --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    queue: Queue
    row_id: int
    email: OutgoingEmail | None  # None: nothing to send to (a deactivated account)
    attempts: int


class Delivery:
    """Claims, sends and records the emails of one runner."""

    def __init__(self, container: Container, runner: str, mailer: SmtpMailer, stop: threading.Event) -> None:
        self.container = container
        self.runner = runner
        self.mailer = mailer
        self.stop = stop
        settings = container.settings
        self.lease = dt.timedelta(seconds=settings.job_lease_seconds)
        self.margin = dt.timedelta(seconds=settings.smtp_timeout_seconds)
        self.max_attempts = settings.job_max_attempts
        self.retry = dt.timedelta(seconds=settings.job_retry_seconds)

    def run(self, report: PassReport) -> None:
        """Outbox first (people waiting for a sign-in link), then notifications; stop at the first batch that
        could not finish (server down, lease ending, runner stopping)."""
        for queue in (OUTBOX, NOTIFICATIONS):
            while not self.stop.is_set():
                batch, lease_end = self.claim(queue)
                if not batch:
                    break
                if not self.send(batch, lease_end, report):
                    return
                if len(batch) < BATCH:
                    break

    def _pending(self, queue: Queue, now: dt.datetime) -> list[sa.ColumnElement[bool]]:
        table = queue.table.c
        return [
            queue.sent.is_(None),
            *queue.only,
            queue.due <= now,
            queue.due > now - EMAIL_MAX_DELAY,
            table.attempts < self.max_attempts,
            sa.or_(table.claimed_until.is_(None), table.claimed_until <= now),
        ]

    def claim(self, queue: Queue) -> tuple[list[Claimed], dt.datetime]:
        """Take up to BATCH due rows nobody holds, in one committed write transaction."""
        table = queue.table
        with self.container.uow(write=True) as uow:
            now = self.container.clock()
            lease_end = now + self.lease
            pending = self._pending(queue, now)
            candidates = (
                sa.select(table.c.id)
                .where(*pending)
                .order_by(queue.due, table.c.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
            ids = list(uow.connection.execute(candidates).scalars())
            if not ids:
                return [], lease_end
            claimed = uow.connection.execute(
                table.update()
                .where(table.c.id.in_(ids), *pending)
                .values(claimed_by=self.runner, claimed_until=lease_end, attempts=table.c.attempts + 1)
                .returning(table.c.id)
            ).scalars()
            batch = self._load(uow.connection, queue, sorted(claimed))
            uow.commit()
        return batch, lease_end

    def _load(self, connection: sa.Connection, queue: Queue, ids: list[int]) -> list[Claimed]:
        if queue is OUTBOX:
            rows = connection.execute(sa.select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.id)).all()
            return [
                Claimed(queue, row.id, OutgoingEmail(row.to_address, row.subject, row.body), row.attempts)
                for row in rows
            ]
        query = (
            sa.select(notifications, users.c.email.label("address"), users.c.active)
            .join(users, users.c.id == notifications.c.user_id)
            .where(notifications.c.id.in_(ids))
            .order_by(notifications.c.id)
        )
        return [
            Claimed(
                queue, row.id, OutgoingEmail(row.address, row.subject, row.body) if row.active else None, row.attempts
            )
            for row in connection.execute(query)
        ]

    def send(self, batch: list[Claimed], lease_end: dt.datetime, report: PassReport) -> bool:
        """Send the batch over one connection; False when it stopped early (server down, lease ending, stop)."""
        to_send = [item for item in batch if item.email is not None]
        for item in batch:
            if item.email is None:
                self.record_failure(item, MailError(INACTIVE, permanent=True), report)
        if not to_send:
            return True
        try:
            with self.mailer.connect() as connection:
                return self._send_each(connection, to_send, lease_end, report)
        except MailError as error:  # the connection could not be opened (or signed in): every email waits
            for item in to_send:
                self.record_failure(item, error, report)
            return False

    def _send_each(
        self, connection: SmtpConnection, batch: list[Claimed], lease_end: dt.datetime, report: PassReport
    ) -> bool:
        for position, item in enumerate(batch):
            if self.stop.is_set() or self.container.clock() + self.margin >= lease_end:
                self.release(batch[position:])
                return False
            assert item.email is not None
            try:
                connection.send(item.email)
            except MailError as error:
                self.record_failure(item, error, report)
                if not error.permanent:  # the connection is likely broken: the rest waits for the next pass
                    self.release(batch[position + 1 :])
                    return False
                continue
            self.record_sent(item, report)
        return True

    def record_sent(self, item: Claimed, report: PassReport) -> None:
        table = item.queue.table
        with self.container.uow(write=True) as uow:
            now = self.container.clock()
            values = {item.queue.sent.key: now, "claimed_until": None, "last_error": None}
            uow.connection.execute(table.update().where(table.c.id == item.row_id).values(values))
            uow.commit()
        report.sent += 1

    def record_failure(self, item: Claimed, error: MailError, report: PassReport) -> None:
        """Store the error; retry after a doubling wait, or never again when it is permanent."""
        table = item.queue.table
        with self.container.uow(write=True) as uow:
            now = self.container.clock()
            wait = min(self.retry * 2 ** min(item.attempts - 1, 20), MAX_BACKOFF)
            values: dict[str, Any] = {"claimed_by": None, "claimed_until": now + wait, "last_error": str(error)[:500]}
            if error.permanent:
                values["attempts"] = max(item.attempts, self.max_attempts)
            uow.connection.execute(
                table.update().where(table.c.id == item.row_id, table.c.claimed_by == self.runner).values(values)
            )
            uow.commit()
        report.failed += 1
        log.warning("email %s #%s not sent (attempt %s): %s", table.name, item.row_id, item.attempts, error)

    def release(self, items: list[Claimed]) -> None:
        """Hand back claimed rows that were not tried: free at once, and the attempt is not counted."""
        for queue in {item.queue for item in items}:
            table = queue.table
            ids = [item.row_id for item in items if item.queue is queue]
            with self.container.uow(write=True) as uow:
                uow.connection.execute(
                    table.update()
                    .where(table.c.id.in_(ids), table.c.claimed_by == self.runner)
                    .values(claimed_by=None, claimed_until=None, attempts=table.c.attempts - 1)
                )
                uow.commit()


def note_email_off(container: Container) -> None:
    """Without an SMTP server, say so on the waiting outbox rows (once), and leave them for a later server."""
    with container.uow(write=True) as uow:
        now = container.clock()
        uow.connection.execute(
            outbox.update()
            .where(
                outbox.c.sent_at.is_(None), outbox.c.last_error.is_(None), outbox.c.created_at > now - EMAIL_MAX_DELAY
            )
            .values(last_error=NO_SMTP)
        )
        uow.commit()


# --- Passes and the runner -------------------------------------------------------------------------------------


def run_pass(
    container: Container,
    *,
    runner: str,
    mailer: SmtpMailer | None = None,
    stop: threading.Event | None = None,
) -> PassReport:
    """One pass: scans, notifications, delivery. `mailer` defaults to the settings' SMTP server, if any."""
    report = PassReport()
    scan(container, report)
    chosen = mailer if mailer is not None else mailer_from_settings(container.settings)
    if chosen is None:
        report.email_off = True
        note_email_off(container)
        return report
    Delivery(container, runner, chosen, stop or threading.Event()).run(report)
    return report


class JobRunner:
    """Runs a pass every `job_interval_seconds` in a background thread (`start`/`stop`), or in the caller's
    thread (`run_forever`). A failing pass is logged and the next one runs as planned."""

    def __init__(self, container: Container, *, mailer: SmtpMailer | None = None, name: str | None = None) -> None:
        self.container = container
        self.mailer = mailer
        self.name = name or runner_name()
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> PassReport:
        return run_pass(self.container, runner=self.name, mailer=self.mailer, stop=self.stopping)

    def run_forever(self, *, on_pass: Callable[[PassReport], None] | None = None) -> None:
        interval = self.container.settings.job_interval_seconds
        while not self.stopping.is_set():
            try:
                report = self.run_once()
            except Exception:  # a database hiccup must not end the runner: the next pass retries
                log.exception("job-runner pass failed; the next pass runs in %s s", interval)
            else:
                if on_pass is not None:
                    on_pass(report)
            self.stopping.wait(interval)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("this job runner is already started")
        self._thread = threading.Thread(target=self.run_forever, name=f"neuromotrix-jobs-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the runner to stop and wait for it: a pass in progress hands back the emails it has not sent."""
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
