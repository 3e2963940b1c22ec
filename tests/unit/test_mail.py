"""The SMTP adapter against a real local SMTP server: what a message looks like, sign-in, and every failure
turned into a `MailError` that says what to change (and whether trying again can help)."""

from __future__ import annotations

import pytest

from neuromotrix.adapters.mail import MailError, OutgoingEmail, SmtpMailer, build_message, mailer_from_settings
from neuromotrix.settings import Settings
from tests.smtpsink import Accounts, free_port, smtp_sink

LETTER = OutgoingEmail(
    to_address="alice@example.org",
    subject="Votre séance d'exercice\naujourd'hui",
    body="Bonjour Alice, votre séance est prévue à 10 h 00 — à bientôt ✓",
)


def test_a_message_is_plain_utf8_text_with_the_expected_headers() -> None:
    message = build_message(LETTER, sender="NeuroMotrix <no-reply@clinic.example>")
    assert message["From"] == "NeuroMotrix <no-reply@clinic.example>"
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Votre séance d'exercice aujourd'hui"  # no line break in a header
    assert message["Message-ID"].endswith("@clinic.example>")
    assert message["Date"]
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message.get_content().rstrip("\n") == LETTER.body


def opening_fails(mailer: SmtpMailer, pattern: str) -> MailError:
    """Open a connection that must fail; the error, for more checks."""
    with pytest.raises(MailError, match=pattern) as caught, mailer.connect():
        pass
    return caught.value


def test_messages_reach_the_server_over_one_connection() -> None:
    with smtp_sink() as sink, sink.mailer().connect() as connection:
        connection.send(LETTER)
        connection.send(OutgoingEmail("carl@example.org", "Reminder", "Hello Carl"))
    received = sink.messages
    assert [str(message["To"]) for message in received] == ["alice@example.org", "carl@example.org"]
    assert received[0].get_content().rstrip() == LETTER.body
    assert str(received[0]["Subject"]) == "Votre séance d'exercice aujourd'hui"


def test_sign_in_when_a_user_name_is_set() -> None:
    with smtp_sink(authenticator=Accounts("mailer", "s3cret"), auth_require_tls=False) as sink:
        with sink.mailer(username="mailer", password="s3cret").connect() as connection:
            connection.send(LETTER)
        assert len(sink.messages) == 1
        wrong = sink.mailer(username="mailer", password="wrong")
        opening_fails(wrong, r"refused the sign-in of 'mailer' \(535 .*NEUROMOTRIX_SMTP_PASSWORD")


def test_sign_in_refused_when_the_server_offers_none() -> None:
    with smtp_sink() as sink:
        mailer = sink.mailer(username="mailer", password="s3cret")
        opening_fails(mailer, r"does not offer sign-in \(AUTH\).*unset NEUROMOTRIX_SMTP_USERNAME")


def test_starttls_asked_of_a_server_without_it_is_a_clear_error() -> None:
    with smtp_sink() as sink:
        opening_fails(sink.mailer(starttls=True), r"does not offer STARTTLS.*NEUROMOTRIX_SMTP_STARTTLS=false")
    assert sink.messages == []


def test_no_server_listening_is_a_clear_temporary_error() -> None:
    mailer = SmtpMailer(host="127.0.0.1", port=free_port(), sender="x@example.org", starttls=False, timeout=2)
    error = opening_fails(mailer, r"cannot connect to the SMTP server 127\.0\.0\.1:\d+ .*NEUROMOTRIX_SMTP_HOST")
    assert not error.permanent


def test_a_refused_address_is_permanent_and_a_busy_mailbox_is_not() -> None:
    with smtp_sink() as sink:
        sink.refuse.add("nobody@example.org")
        sink.fail_next = 1
        with sink.mailer().connect() as connection:
            with pytest.raises(MailError, match=r"refused the address 'nobody@example\.org' \(550") as refused:
                connection.send(OutgoingEmail("nobody@example.org", "Hi", "Hello"))
            with pytest.raises(MailError, match=r"did not accept the message \(451") as busy:
                connection.send(LETTER)
            connection.send(LETTER)  # the connection is still usable
    assert refused.value.permanent and not busy.value.permanent
    assert len(sink.messages) == 1


def test_no_smtp_host_means_no_mailer() -> None:
    assert mailer_from_settings(Settings(database_url="sqlite://")) is None
    mailer = mailer_from_settings(
        Settings(database_url="sqlite://", smtp_host="mail.example.org", smtp_port=2525, smtp_timeout_seconds=7)
    )
    assert mailer is not None
    assert (mailer.host, mailer.port, mailer.timeout, mailer.starttls) == ("mail.example.org", 2525, 7, True)


def test_the_lease_must_outlast_an_smtp_timeout() -> None:
    with pytest.raises(ValueError, match=r"at least twice NEUROMOTRIX_SMTP_TIMEOUT_SECONDS \(60 s\)"):
        Settings(database_url="sqlite://", smtp_timeout_seconds=60, job_lease_seconds=100)
