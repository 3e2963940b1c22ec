"""Sending email through SMTP (smtplib): plain-text UTF-8 messages, optional STARTTLS and sign-in, a timeout.

One `SmtpMailer` per job-runner pass opens one connection for a batch of messages (`with mailer.connect() as
connection: connection.send(email)`). Every failure is a `MailError` whose message says what went wrong and what
to change, so the job runner can store it as the row's `last_error`. `mailer_from_settings` gives None when
`NEUROMOTRIX_SMTP_HOST` is unset: email is then off and notifications stay in the app.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from neuromotrix.settings import Settings


class MailError(Exception):
    """An email could not be handed to the SMTP server; the message says why and what to change."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        # A refused recipient will be refused again: the job runner does not retry it.
        self.permanent = permanent


@dataclass(frozen=True)
class OutgoingEmail:
    to_address: str
    subject: str
    body: str


def build_message(email: OutgoingEmail, *, sender: str) -> EmailMessage:
    """A plain-text UTF-8 message with the headers mail servers expect (Date, Message-ID)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to_address
    message["Subject"] = " ".join(email.subject.split())  # a header never holds a line break
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(email.body, charset="utf-8")
    return message


class SmtpConnection:
    """An open, signed-in SMTP connection; `send` hands over one message."""

    def __init__(self, client: smtplib.SMTP, *, sender: str, where: str) -> None:
        self._client = client
        self._sender = sender
        self._where = where

    def send(self, email: OutgoingEmail) -> None:
        message = build_message(email, sender=self._sender)
        try:
            self._client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            raise MailError(
                f"{self._where} refused the address {email.to_address!r} ({_reply(error.recipients)}); "
                "correct the address on the account or invitation.",
                permanent=True,
            ) from error
        except smtplib.SMTPSenderRefused as error:
            raise MailError(
                f"{self._where} refused the sender {self._sender!r} ({_code(error.smtp_code, error.smtp_error)}); "
                "set NEUROMOTRIX_SMTP_FROM to an address this server may send from."
            ) from error
        except smtplib.SMTPResponseException as error:
            raise MailError(
                f"{self._where} did not accept the message ({_code(error.smtp_code, error.smtp_error)}); "
                "it will be tried again."
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(
                f"the connection to {self._where} failed while sending ({error}); it will be tried again."
            ) from error


class SmtpMailer:
    """Opens connections to one SMTP server with the settings' account, TLS and timeout."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    @property
    def where(self) -> str:
        return f"the SMTP server {self.host}:{self.port}"

    @contextmanager
    def connect(self) -> Iterator[SmtpConnection]:
        client = self._open()
        try:
            yield SmtpConnection(client, sender=self.sender, where=self.where)
        finally:
            _close(client)

    def _open(self) -> smtplib.SMTP:
        try:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(
                f"cannot connect to {self.where} ({error}); check NEUROMOTRIX_SMTP_HOST and NEUROMOTRIX_SMTP_PORT "
                "and that the server is up."
            ) from error
        try:
            self._secure_and_sign_in(client)
        except BaseException:
            _close(client)
            raise
        return client

    def _secure_and_sign_in(self, client: smtplib.SMTP) -> None:
        try:
            client.ehlo()
            if self.starttls:
                self._starttls(client)
            if self.username:
                self._login(client)
        except ssl.SSLError as error:
            raise MailError(
                f"the TLS handshake with {self.where} failed ({error}); check that the server's certificate is "
                "valid for NEUROMOTRIX_SMTP_HOST."
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(f"{self.where} did not answer as expected ({error}); it will be tried again.") from error

    def _starttls(self, client: smtplib.SMTP) -> None:
        try:
            client.starttls(context=ssl.create_default_context())
        except smtplib.SMTPNotSupportedError as error:
            raise MailError(
                f"{self.where} does not offer STARTTLS; use the server's submission port (usually 587), or set "
                "NEUROMOTRIX_SMTP_STARTTLS=false only for a server on this machine or a trusted network."
            ) from error
        client.ehlo()

    def _login(self, client: smtplib.SMTP) -> None:
        try:
            client.login(self.username or "", self.password or "")
        except smtplib.SMTPNotSupportedError as error:
            raise MailError(
                f"{self.where} does not offer sign-in (AUTH) on this connection; unset NEUROMOTRIX_SMTP_USERNAME, "
                "or turn on NEUROMOTRIX_SMTP_STARTTLS if the server only offers AUTH over TLS."
            ) from error
        except smtplib.SMTPAuthenticationError as error:
            raise MailError(
                f"{self.where} refused the sign-in of {self.username!r} ({_code(error.smtp_code, error.smtp_error)}); "
                "check NEUROMOTRIX_SMTP_USERNAME and NEUROMOTRIX_SMTP_PASSWORD."
            ) from error


def mailer_from_settings(settings: Settings) -> SmtpMailer | None:
    """The configured mailer, or None when no SMTP server is set (email is off)."""
    if not settings.smtp_host:
        return None
    return SmtpMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        username=settings.smtp_username,
        password=settings.smtp_password,
        starttls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )


def _close(client: smtplib.SMTP) -> None:
    """QUIT politely; a server that already hung up is closed all the same."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _code(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(message.split())}"


def _reply(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(_code(code, text) for code, text in recipients.values()) or "no reason given"
