"""Cryptographic building blocks: argon2id passwords, random tokens, TOTP codes, an in-memory rate limiter."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time

import pyotp
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_passwords = PasswordHash((Argon2Hasher(),))  # argon2id with pwdlib's current recommended parameters
# Verifying against this keeps a failed sign-in for an unknown email as slow as for a known one.
_DUMMY_HASH = _passwords.hash("neuromotrix-timing-equaliser")


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password: str, stored_hash: str | None) -> tuple[bool, str | None]:
    """(matches, new hash when the stored one uses outdated parameters and should be replaced)."""
    if stored_hash is None:
        _passwords.verify(password, _DUMMY_HASH)
        return False, None
    return _passwords.verify_and_update(password, stored_hash)


def new_token() -> str:
    """A URL-safe secret with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are stored hashed: a leaked database does not leak usable sessions or links."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="NeuroMotrix")


def totp_ok(secret: str, code: str, at: dt.datetime) -> bool:
    """A 6-digit code of the 30-second step at `at`, or the one before or after (clock drift)."""
    return pyotp.TOTP(secret).verify(code.strip().replace(" ", ""), for_time=at, valid_window=1)


class LoginLimiter:
    """Failed sign-ins per email and per client address, in a moving window, kept in this process.

    With N workers each keeps its own count, so the effective limit is at most N times the setting
    (docs/deploy.md).
    """

    def __init__(self, rate: str) -> None:
        self._limit = parse(rate)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def blocked_for(self, *keys: str) -> int:
        """Seconds to wait before another attempt, 0 when allowed."""
        waits = []
        for key in keys:
            if not self._limiter.test(self._limit, key):
                reset_at, _remaining = self._limiter.get_window_stats(self._limit, key)
                waits.append(max(1, int(reset_at - time.time())))
        return max(waits, default=0)

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._limiter.hit(self._limit, key)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._limiter.clear(self._limit, key)
