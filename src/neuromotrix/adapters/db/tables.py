"""The database schema (SQLAlchemy Core). Migrations in `migrations/versions` must match it (a test checks).

Health data tables all carry `participant_id` so object-level permissions and audit are one join away.
Times are stored in UTC; `UtcDateTime` gives them back aware on SQLite too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = sa.MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the backend keeps."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


def _at(name: str = "created_at", *, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, UtcDateTime(), nullable=nullable)


clinics = sa.Table(
    "clinics",
    metadata,
    _id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("emergency_number", sa.String(20), nullable=False, server_default="911"),
    sa.Column("health_line", sa.String(20), nullable=False, server_default="811"),
    sa.Column("escalation_minutes", sa.Integer, nullable=False, server_default="120"),
    sa.Column("time_zone", sa.String(64), nullable=False, server_default="America/Montreal"),
    _at(),
)

users = sa.Table(
    "users",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("language", sa.String(2), nullable=False, server_default="en"),
    sa.Column("password_hash", sa.String(255)),
    sa.Column("totp_secret", sa.String(64)),
    sa.Column("totp_enabled", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    _at(),
    _at("last_login_at", nullable=True),
    sa.CheckConstraint("role in ('admin', 'trainer', 'participant', 'caregiver')", name="role"),
)

auth_sessions = sa.Table(
    "auth_sessions",
    metadata,
    _id(),
    _fk("user_id", "users.id"),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("second_factor", sa.Boolean, nullable=False, server_default=sa.false()),
    _at(),
    _at("last_seen_at"),
    _at("expires_at"),
    _at("revoked_at", nullable=True),
    sa.Column("user_agent", sa.String(300)),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    _id(),
    _fk("user_id", "users.id"),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    _at(),
    _at("last_used_at", nullable=True),
    _at("revoked_at", nullable=True),
)

participants = sa.Table(
    "participants",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    _fk("user_id", "users.id", nullable=True, ondelete="SET NULL"),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("language", sa.String(2), nullable=False, server_default="en"),
    _at(),
    _at("deidentified_at", nullable=True),  # an erasure request within the retention period (services/erasure.py)
    sa.UniqueConstraint("user_id"),
)

assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("trainer_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    _at(),
)

caregiver_links = sa.Table(
    "caregiver_links",
    metadata,
    sa.Column("caregiver_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("consent_by", sa.String(16), nullable=False),
    sa.Column("consent_name", sa.String(200), nullable=False),
    _at("consented_at"),
    sa.CheckConstraint("consent_by in ('participant', 'guardian')", name="consent_by"),
)

invitations = sa.Table(
    "invitations",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    _fk("participant_id", "participants.id", nullable=True),
    sa.Column("consent_by", sa.String(16)),
    sa.Column("consent_name", sa.String(200)),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    _fk("invited_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    _at("expires_at"),
    _at("accepted_at", nullable=True),
)

password_resets = sa.Table(
    "password_resets",
    metadata,
    _id(),
    _fk("user_id", "users.id"),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    _at(),
    _at("expires_at"),
    _at("used_at", nullable=True),
)

profile_versions = sa.Table(
    "profile_versions",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("reason", sa.String(500), nullable=False),
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    sa.UniqueConstraint("participant_id", "version"),
)

screenings = sa.Table(
    "screenings",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    _fk("profile_version_id", "profile_versions.id"),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("flags", sa.JSON, nullable=False),
    sa.Column("screened_on", sa.Date, nullable=False),
    _at(),
)

clearances = sa.Table(
    "clearances",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    sa.Column("cleared_by", sa.String(200), nullable=False),
    sa.Column("cleared_on", sa.Date, nullable=False),
    sa.Column("restrictions", sa.JSON, nullable=False),
    sa.Column("document_name", sa.String(200)),
    sa.Column("document_type", sa.String(100)),
    sa.Column("document", sa.LargeBinary),
    _fk("recorded_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
)

injections = sa.Table(
    "injections",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    sa.Column("injected_on", sa.Date, nullable=False),
    sa.Column("regions", sa.JSON, nullable=False),
    sa.Column("product", sa.String(100)),
    sa.Column("dose_units", sa.Float),
    _fk("recorded_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
)

program_versions = sa.Table(
    "program_versions",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("source", sa.String(16), nullable=False),
    _fk("profile_version_id", "profile_versions.id"),
    sa.Column("plan", sa.Text, nullable=False),
    sa.Column("adjustments", sa.JSON, nullable=False),
    sa.Column("edits", sa.JSON, nullable=False),
    sa.Column("changes", sa.JSON, nullable=False),
    sa.Column("reason", sa.String(1000), nullable=False),
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    _fk("approved_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at("approved_at", nullable=True),
    sa.UniqueConstraint("participant_id", "version"),
    sa.CheckConstraint("status in ('draft', 'active', 'superseded', 'discarded')", name="status"),
)

scheduled_sessions = sa.Table(
    "scheduled_sessions",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    _fk("program_version_id", "program_versions.id"),
    sa.Column("session_index", sa.Integer, nullable=False),
    sa.Column("scheduled_on", sa.Date, nullable=False),
    sa.Column("time", sa.String(5), nullable=False),
    sa.UniqueConstraint("participant_id", "scheduled_on", "session_index"),
)

session_logs = sa.Table(
    "session_logs",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    _fk("program_version_id", "program_versions.id", nullable=True, ondelete="SET NULL"),
    sa.Column("session_index", sa.Integer),
    sa.Column("performed_on", sa.Date, nullable=False),
    sa.Column("pre_pain", sa.SmallInteger, nullable=False),
    sa.Column("pre_dystonia", sa.SmallInteger, nullable=False),
    sa.Column("pre_fatigue", sa.SmallInteger, nullable=False),
    sa.Column("post_pain", sa.SmallInteger),
    sa.Column("post_dystonia", sa.SmallInteger),
    sa.Column("post_fatigue", sa.SmallInteger),
    sa.Column("stop_reason", sa.String(32)),
    sa.Column("notes", sa.String(2000), nullable=False, server_default=""),
    _fk("entered_by", "users.id", nullable=True, ondelete="SET NULL"),
    sa.Column("entered_as", sa.String(16), nullable=False),
    _at(),
    sa.Index("ix_session_logs_participant_performed", "participant_id", "performed_on"),
)

block_logs = sa.Table(
    "block_logs",
    metadata,
    _id(),
    _fk("session_log_id", "session_logs.id"),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("exercise_id", sa.String(16), nullable=False),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("sets", sa.Integer),
    sa.Column("reps", sa.Integer),
    sa.Column("hold_s", sa.Integer),
    sa.Column("completion", sa.Float, nullable=False),
    sa.Column("effort_scale", sa.String(16)),
    sa.Column("effort", sa.Float),
    sa.Column("effort_target", sa.Float),
    sa.Column("pain", sa.SmallInteger),
    sa.Column("sustained_posture", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("quality_ok", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("notes", sa.String(2000), nullable=False, server_default=""),
)

checkins = sa.Table(
    "checkins",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    sa.Column("kind", sa.String(20), nullable=False),
    _fk("session_log_id", "session_logs.id", nullable=True),
    sa.Column("checked_on", sa.Date, nullable=False),
    sa.Column("answers", sa.JSON, nullable=False),
    sa.Column("notes", sa.String(2000), nullable=False, server_default=""),
    _fk("entered_by", "users.id", nullable=True, ondelete="SET NULL"),
    sa.Column("entered_as", sa.String(16), nullable=False),
    _at(),
)

alerts = sa.Table(
    "alerts",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("severity", sa.String(16), nullable=False),
    sa.Column("message_en", sa.String(1000), nullable=False),
    sa.Column("message_fr", sa.String(1000), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("exercise_id", sa.String(16)),
    _at(),
    _fk("acknowledged_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at("acknowledged_at", nullable=True),
    _at("escalated_at", nullable=True),
    sa.UniqueConstraint("participant_id", "key"),
)

notifications = sa.Table(
    "notifications",
    metadata,
    _id(),
    _fk("user_id", "users.id"),
    _fk("participant_id", "participants.id", nullable=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    _at("due_at"),
    _at(),
    _at("read_at", nullable=True),
    sa.Column("email", sa.Boolean, nullable=False, server_default=sa.false()),
    _at("emailed_at", nullable=True),
    sa.Column("claimed_by", sa.String(64)),
    _at("claimed_until", nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.String(500)),
    sa.UniqueConstraint("user_id", "key"),
    sa.Index("ix_notifications_pending", "emailed_at", "due_at"),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    _id(),
    _fk("user_id", "users.id"),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("route", sa.String(200), nullable=False),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("status_code", sa.Integer, nullable=False),
    sa.Column("response", sa.Text, nullable=False),
    _at(),
    sa.UniqueConstraint("user_id", "route", "key"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    _id(),
    _at("at"),
    sa.Column("actor_id", sa.Integer, index=True),  # no foreign key: the record outlives the account
    sa.Column("actor", sa.String(254), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("object_type", sa.String(32), nullable=False),
    sa.Column("object_id", sa.String(64)),
    sa.Column("participant_id", sa.Integer, index=True),
    sa.Column("detail", sa.String(500), nullable=False, server_default=""),
)

# Emails to an address rather than a user (invitations, password resets), written in the same transaction as
# what caused them and delivered by the job runner (services/jobs.py), which claims rows so that several
# workers never send one twice.
outbox = sa.Table(
    "outbox",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id", nullable=True),
    sa.Column("to_address", sa.String(254), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("purpose", sa.String(32), nullable=False),
    _at(),
    _at("sent_at", nullable=True),
    sa.Column("claimed_by", sa.String(64)),
    _at("claimed_until", nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.String(500)),
    sa.Index("ix_outbox_pending", "sent_at", "created_at"),
)

# Privacy (Québec Law 25), docs/privacy.md: the clinic's notice and person in charge of personal information,
# versioned consent texts and who accepted which, the confidentiality incident register and erasure requests.
privacy_settings = sa.Table(
    "privacy_settings",
    metadata,
    sa.Column("clinic_id", sa.Integer, sa.ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("officer_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("officer_title", sa.String(200), nullable=False, server_default=""),
    sa.Column("officer_email", sa.String(254), nullable=False, server_default=""),
    sa.Column("notice_en", sa.Text, nullable=False, server_default=""),
    sa.Column("notice_fr", sa.Text, nullable=False, server_default=""),
    sa.Column("retention_years", sa.Integer, nullable=False, server_default="10"),
    _fk("updated_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at("updated_at"),
)

consent_texts = sa.Table(
    "consent_texts",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("text_en", sa.Text, nullable=False),
    sa.Column("text_fr", sa.Text, nullable=False),
    _at("published_at"),
    _fk("published_by", "users.id", nullable=True, ondelete="SET NULL"),
    sa.UniqueConstraint("clinic_id", "version"),
)

consent_acceptances = sa.Table(
    "consent_acceptances",
    metadata,
    _id(),
    _fk("user_id", "users.id"),
    _fk("consent_text_id", "consent_texts.id"),
    _at("accepted_at"),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("via", sa.String(16), nullable=False),
    sa.UniqueConstraint("user_id", "consent_text_id"),
    sa.CheckConstraint("via in ('page', 'invitation', 'api')", name="via"),
)

privacy_incidents = sa.Table(
    "privacy_incidents",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("discovered_on", sa.Date),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("people_concerned", sa.Integer, nullable=False),
    sa.Column("serious_risk", sa.Boolean, nullable=False),
    sa.Column("measures", sa.Text, nullable=False, server_default=""),
    sa.Column("cai_notified_on", sa.Date),
    sa.Column("people_notified_on", sa.Date),
    _fk("recorded_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    _fk("updated_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at("updated_at"),
)

# The request outlives the participant it names (no foreign key, like the audit log): after a full deletion it
# is what remains of what was asked and done.
erasure_requests = sa.Table(
    "erasure_requests",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("participant_id", sa.Integer, nullable=False, index=True),
    sa.Column("requested_on", sa.Date, nullable=False),
    sa.Column("requested_by", sa.String(16), nullable=False),
    _fk("recorded_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("retention_until", sa.Date),
    _fk("processed_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at("processed_at", nullable=True),
    sa.Column("outcome", sa.JSON),
    sa.CheckConstraint("requested_by in ('participant', 'guardian', 'representative')", name="requested_by"),
    sa.CheckConstraint("status in ('pending', 'deidentified', 'deleted')", name="status"),
)

# Exercise library (docs/web.md "Library"): a clinic's own exercises (the catalog document, as JSON, under an id
# that never clashes with the catalog's), images and short videos attached to any exercise, and program templates
# (pinned doses, trainer levels and preferences; never a person's health data).
library_exercises = sa.Table(
    "library_exercises",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("exercise_id", sa.String(16), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    _fk("updated_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at("updated_at"),
    sa.UniqueConstraint("clinic_id", "exercise_id"),
    sa.UniqueConstraint("clinic_id", "number"),
)

exercise_media = sa.Table(
    "exercise_media",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("exercise_id", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("content_type", sa.String(32), nullable=False),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("alt_en", sa.String(300), nullable=False),
    sa.Column("alt_fr", sa.String(300), nullable=False),
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    sa.Index("ix_exercise_media_clinic_exercise", "clinic_id", "exercise_id"),
    sa.CheckConstraint("kind in ('image', 'video')", name="kind"),
)

program_templates = sa.Table(
    "program_templates",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("description", sa.String(2000), nullable=False, server_default=""),
    sa.Column("document", sa.JSON, nullable=False),
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    sa.UniqueConstraint("clinic_id", "name"),
)

# Outcome instruments (BRIEF §7; docs/instruments.md): one row per completed questionnaire or test, with the
# answers as given and the scale scores computed when it was recorded (the instrument version says which rules).
assessments = sa.Table(
    "assessments",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    sa.Column("instrument", sa.String(32), nullable=False),
    sa.Column("instrument_version", sa.String(16), nullable=False),
    sa.Column("taken_on", sa.Date, nullable=False),
    sa.Column("answers", sa.JSON, nullable=False),
    sa.Column("scores", sa.JSON, nullable=False),
    _fk("entered_by", "users.id", nullable=True, ondelete="SET NULL"),
    sa.Column("entered_as", sa.String(16), nullable=False),
    sa.Column("source", sa.String(8), nullable=False),
    _at(),
    # A recorded score is never overwritten (docs/instruments.md "Correcting or withdrawing an entry"): a correction
    # is a new row that `corrects` the earlier one, which becomes "corrected"; an entry made in error becomes
    # "withdrawn". Either way `changed_at`/`changed_by`/`change_reason` say when, who and why. The link points from
    # the newer row to the older one, so rows restored in id order always find what they point to.
    sa.Column("status", sa.String(16), nullable=False, server_default="current"),
    _fk("corrects", "assessments.id", nullable=True, ondelete="SET NULL"),
    _at("changed_at", nullable=True),
    _fk("changed_by", "users.id", nullable=True, ondelete="SET NULL"),
    sa.Column("change_reason", sa.String(500), nullable=True),
    sa.Index("ix_assessments_participant_taken", "participant_id", "taken_on"),
    sa.CheckConstraint("entered_as in ('participant', 'caregiver', 'trainer', 'import')", name="entered_as"),
    sa.CheckConstraint("source in ('web', 'api', 'fhir')", name="source"),
    sa.CheckConstraint("status in ('current', 'corrected', 'withdrawn')", name="status"),
    sa.CheckConstraint(
        "(status = 'current' and changed_at is null and change_reason is null)"
        " or (status <> 'current' and changed_at is not null and change_reason is not null)",
        name="change_recorded",
    ),
)

# Item texts of licensed instruments, entered by a clinic that holds the licence: never shipped with the code.
instrument_texts = sa.Table(
    "instrument_texts",
    metadata,
    _id(),
    _fk("clinic_id", "clinics.id"),
    sa.Column("instrument", sa.String(32), nullable=False),
    sa.Column("item_key", sa.String(64), nullable=False),
    sa.Column("text_en", sa.String(2000), nullable=False),
    sa.Column("text_fr", sa.String(2000), nullable=False),
    _fk("updated_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at("updated_at"),
    sa.UniqueConstraint("clinic_id", "instrument", "item_key"),
)

# Private calendar subscriptions (docs/calendar.md): a secret address serving a participant's sessions as iCalendar
# without a login. Only the token's hash is kept; a revoked feed stays listed so people see what they turned off.
calendar_feeds = sa.Table(
    "calendar_feeds",
    metadata,
    _id(),
    _fk("participant_id", "participants.id"),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("label", sa.String(100), nullable=False, server_default=""),
    _fk("created_by", "users.id", nullable=True, ondelete="SET NULL"),
    _at(),
    _at("last_used_at", nullable=True),
    _at("revoked_at", nullable=True),
    _fk("revoked_by", "users.id", nullable=True, ondelete="SET NULL"),
)
