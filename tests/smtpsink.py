"""A real SMTP server on a free local port (aiosmtpd), keeping every message it accepts: the tests' mailbox.

`with smtp_sink() as sink:` starts it; `sink.messages` are the accepted messages, parsed. It can refuse
addresses (`sink.refuse.add(address)`, a permanent 550) and answer "try again later" to the next messages
(`sink.fail_next = 2`, a temporary 451), so retries are tested against a real conversation. No internet needed.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from neuromotrix.adapters.mail import SmtpMailer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Sink:
    """What the server received, and how it should misbehave next."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return "451 4.3.0 Mailbox busy, try again later"
            parsed = message_from_bytes(envelope.original_content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            self.messages.append(parsed)
        return "250 OK"

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(message["Subject"]) for message in self.messages]

    def mailer(self, **options: Any) -> SmtpMailer:
        """A mailer for this sink (no TLS: the sink is on this machine)."""
        values: dict[str, Any] = {"host": "127.0.0.1", "port": self.port, "starttls": False, "timeout": 5.0}
        return SmtpMailer(sender="NeuroMotrix <no-reply@clinic.example>", **(values | options))


class Accounts:
    """An authenticator for the sink: one user name and password."""

    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username.encode(), password.encode()

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            self.username,
            self.password,
        )
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_sink(**server_options: Any) -> Iterator[Sink]:
    sink = Sink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port, ready_timeout=5, **server_options)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
