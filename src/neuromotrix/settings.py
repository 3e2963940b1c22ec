"""Every setting of NeuroMotrix, read once from the environment (prefix `NEUROMOTRIX_`).

Nothing else in the package reads the environment: the composition root (`bootstrap.py`) builds everything from
one `Settings` object. Each field is documented in docs/configuration.md (a test keeps the two in sync).
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """SQLite in the user's data directory: the embedded default."""
    folder = Path(user_data_dir("neuromotrix", appauthor=False))
    return f"sqlite:///{folder / 'neuromotrix.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEUROMOTRIX_", extra="ignore", frozen=True)

    database_url: str = Field(default_factory=default_database_url, description="SQLAlchemy URL of the database.")
    sqlite_synchronous: str = Field(
        "NORMAL", pattern="^(OFF|NORMAL|FULL|EXTRA)$", description="SQLite `synchronous` pragma (WAL mode)."
    )
    base_url: str = Field("http://127.0.0.1:8000", description="Public address used in links sent by email.")
    cookie_secure: bool = Field(False, description="Send cookies only over HTTPS (set true behind TLS).")
    session_days: int = Field(14, ge=1, le=365, description="Days a sign-in stays valid without use.")
    login_rate: str = Field("10/15 minutes", description="Failed sign-ins allowed per email and per address.")
    invitation_days: int = Field(7, ge=1, le=60, description="Days an invitation link stays valid.")
    reset_minutes: int = Field(60, ge=5, le=1440, description="Minutes a password-reset link stays valid.")
    smtp_host: str | None = Field(None, description="SMTP server; unset = email is not sent (in-app only).")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    smtp_username: str | None = Field(None, description="SMTP user name, if the server needs one.")
    smtp_password: str | None = Field(None, description="SMTP password, if the server needs one.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_from: str = Field("NeuroMotrix <no-reply@localhost>", description="Sender of emails.")
    smtp_timeout_seconds: float = Field(30.0, gt=0, le=300, description="Seconds to wait for the SMTP server.")
    jobs: bool = Field(True, description="Run the reminder and alert job runner inside `serve`.")
    job_interval_seconds: float = Field(30.0, gt=0, le=3600, description="Seconds between job-runner passes.")
    job_lease_seconds: int = Field(300, ge=10, le=86400, description="Seconds a runner holds the emails it claimed.")
    job_max_attempts: int = Field(6, ge=1, le=50, description="Sending attempts before an email is given up.")
    job_retry_seconds: float = Field(60.0, gt=0, le=86400, description="Wait before the first retry; doubles after.")
    audit_flush_seconds: float = Field(1.0, gt=0, le=1.0, description="Longest delay before audit records are written.")

    @field_validator("job_lease_seconds")
    @classmethod
    def _lease_outlasts_a_send(cls, lease: int, info: ValidationInfo) -> int:
        # A runner stops sending when less than one SMTP timeout of its lease is left: a shorter lease never sends.
        timeout = info.data.get("smtp_timeout_seconds")
        if timeout is not None and lease < 2 * timeout:
            raise ValueError(
                f"must be at least twice NEUROMOTRIX_SMTP_TIMEOUT_SECONDS ({timeout:g} s); "
                "raise the lease or lower the timeout"
            )
        return lease
