"""Passwords are argon2id with the library's recommended parameters; outdated hashes are replaced on sign-in."""

from __future__ import annotations

import datetime as dt

import pyotp
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from neuromotrix.adapters import security


def test_passwords_are_argon2id_and_verified() -> None:
    stored = security.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert security.verify_password("correct horse battery", stored) == (True, None)
    assert security.verify_password("wrong", stored)[0] is False


def test_a_hash_with_old_parameters_is_upgraded_on_sign_in() -> None:
    weak = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=2048, parallelism=1),)).hash("correct horse battery")
    matches, new_hash = security.verify_password("correct horse battery", weak)
    assert matches and new_hash is not None and new_hash != weak
    assert security.verify_password("correct horse battery", new_hash) == (True, None)


def test_unknown_user_costs_a_verification_and_fails() -> None:
    assert security.verify_password("anything", None) == (False, None)


def test_tokens_are_random_and_stored_hashed() -> None:
    first, second = security.new_token(), security.new_token()
    assert first != second and len(first) >= 43
    assert security.token_hash(first) != first and len(security.token_hash(first)) == 64


def test_totp_accepts_the_current_step_and_its_neighbours_only() -> None:
    secret = security.new_totp_secret()
    at = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
    totp = pyotp.TOTP(secret)
    assert security.totp_ok(secret, totp.at(at), at)
    assert security.totp_ok(secret, totp.at(at - dt.timedelta(seconds=30)), at)
    assert not security.totp_ok(secret, totp.at(at - dt.timedelta(minutes=5)), at)


def test_login_limiter_blocks_after_the_limit_and_clears_on_success() -> None:
    limiter = security.LoginLimiter("2/minute")
    limiter.failed("email:a")
    assert limiter.blocked_for("email:a") == 0
    limiter.failed("email:a")
    assert limiter.blocked_for("email:a") > 0
    limiter.succeeded("email:a")
    assert limiter.blocked_for("email:a") == 0
