"""health records, programs, alerts, notifications and audit

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import neuromotrix.adapters.db.tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=500), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("route", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotency_keys_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("user_id", "route", "key", name=op.f("uq_idempotency_keys_user_id_route_key")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_keys_user_id"), ["user_id"], unique=False)

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("message_en", sa.String(length=1000), nullable=False),
        sa.Column("message_fr", sa.String(length=1000), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("exercise_id", sa.String(length=16), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["users.id"], name=op.f("fk_alerts_acknowledged_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_alerts_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("participant_id", "key", name=op.f("uq_alerts_participant_id_key")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_acknowledged_by"), ["acknowledged_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_alerts_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "clearances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("cleared_by", sa.String(length=200), nullable=False),
        sa.Column("cleared_on", sa.Date(), nullable=False),
        sa.Column("restrictions", sa.JSON(), nullable=False),
        sa.Column("document_name", sa.String(length=200), nullable=True),
        sa.Column("document_type", sa.String(length=100), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_clearances_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_clearances_recorded_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearances")),
    )
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clearances_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_clearances_recorded_by"), ["recorded_by"], unique=False)

    op.create_table(
        "injections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("injected_on", sa.Date(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("product", sa.String(length=100), nullable=True),
        sa.Column("dose_units", sa.Float(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_injections_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_injections_recorded_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injections")),
    )
    with op.batch_alter_table("injections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_injections_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_injections_recorded_by"), ["recorded_by"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("due_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("read_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("email", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("emailed_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_notifications_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_notifications_user_id_key")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index("ix_notifications_pending", ["emailed_at", "due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_user_id"), ["user_id"], unique=False)

    op.create_table(
        "profile_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_profile_versions_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_profile_versions_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_versions")),
        sa.UniqueConstraint("participant_id", "version", name=op.f("uq_profile_versions_participant_id_version")),
    )
    with op.batch_alter_table("profile_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_versions_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_profile_versions_participant_id"), ["participant_id"], unique=False)

    op.create_table(
        "program_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("profile_version_id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("adjustments", sa.JSON(), nullable=False),
        sa.Column("edits", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("approved_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status in ('draft', 'active', 'superseded', 'discarded')", name=op.f("ck_program_versions_status")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_program_versions_approved_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_program_versions_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_program_versions_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_version_id"],
            ["profile_versions.id"],
            name=op.f("fk_program_versions_profile_version_id_profile_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_versions")),
        sa.UniqueConstraint("participant_id", "version", name=op.f("uq_program_versions_participant_id_version")),
    )
    with op.batch_alter_table("program_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_program_versions_approved_by"), ["approved_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_program_versions_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_program_versions_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_program_versions_profile_version_id"), ["profile_version_id"], unique=False
        )

    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("profile_version_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("screened_on", sa.Date(), nullable=False),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_screenings_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_version_id"],
            ["profile_versions.id"],
            name=op.f("fk_screenings_profile_version_id_profile_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
    )
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screenings_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_screenings_profile_version_id"), ["profile_version_id"], unique=False)

    op.create_table(
        "scheduled_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("program_version_id", sa.Integer(), nullable=False),
        sa.Column("session_index", sa.Integer(), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=False),
        sa.Column("time", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_scheduled_sessions_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_version_id"],
            ["program_versions.id"],
            name=op.f("fk_scheduled_sessions_program_version_id_program_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_sessions")),
        sa.UniqueConstraint(
            "participant_id",
            "scheduled_on",
            "session_index",
            name=op.f("uq_scheduled_sessions_participant_id_scheduled_on_session_index"),
        ),
    )
    with op.batch_alter_table("scheduled_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_sessions_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_scheduled_sessions_program_version_id"), ["program_version_id"], unique=False
        )

    op.create_table(
        "session_logs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("program_version_id", sa.Integer(), nullable=True),
        sa.Column("session_index", sa.Integer(), nullable=True),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("pre_pain", sa.SmallInteger(), nullable=False),
        sa.Column("pre_dystonia", sa.SmallInteger(), nullable=False),
        sa.Column("pre_fatigue", sa.SmallInteger(), nullable=False),
        sa.Column("post_pain", sa.SmallInteger(), nullable=True),
        sa.Column("post_dystonia", sa.SmallInteger(), nullable=True),
        sa.Column("post_fatigue", sa.SmallInteger(), nullable=True),
        sa.Column("stop_reason", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.String(length=2000), server_default="", nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("entered_as", sa.String(length=16), nullable=False),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["users.id"], name=op.f("fk_session_logs_entered_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_session_logs_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_version_id"],
            ["program_versions.id"],
            name=op.f("fk_session_logs_program_version_id_program_versions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_logs")),
    )
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_logs_entered_by"), ["entered_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_logs_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index("ix_session_logs_participant_performed", ["participant_id", "performed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_logs_program_version_id"), ["program_version_id"], unique=False)

    op.create_table(
        "block_logs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("session_log_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("sets", sa.Integer(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("hold_s", sa.Integer(), nullable=True),
        sa.Column("completion", sa.Float(), nullable=False),
        sa.Column("effort_scale", sa.String(length=16), nullable=True),
        sa.Column("effort", sa.Float(), nullable=True),
        sa.Column("effort_target", sa.Float(), nullable=True),
        sa.Column("pain", sa.SmallInteger(), nullable=True),
        sa.Column("sustained_posture", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("quality_ok", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("notes", sa.String(length=2000), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_block_logs_session_log_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_block_logs")),
    )
    with op.batch_alter_table("block_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_block_logs_session_log_id"), ["session_log_id"], unique=False)

    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("session_log_id", sa.Integer(), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("notes", sa.String(length=2000), server_default="", nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("entered_as", sa.String(length=16), nullable=False),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["users.id"], name=op.f("fk_checkins_entered_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_checkins_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_checkins_session_log_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_entered_by"), ["entered_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkins_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_checkins_session_log_id"), ["session_log_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_session_log_id"))
        batch_op.drop_index(batch_op.f("ix_checkins_participant_id"))
        batch_op.drop_index(batch_op.f("ix_checkins_entered_by"))

    op.drop_table("checkins")
    with op.batch_alter_table("block_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_block_logs_session_log_id"))

    op.drop_table("block_logs")
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_logs_program_version_id"))
        batch_op.drop_index("ix_session_logs_participant_performed")
        batch_op.drop_index(batch_op.f("ix_session_logs_participant_id"))
        batch_op.drop_index(batch_op.f("ix_session_logs_entered_by"))

    op.drop_table("session_logs")
    with op.batch_alter_table("scheduled_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_sessions_program_version_id"))
        batch_op.drop_index(batch_op.f("ix_scheduled_sessions_participant_id"))

    op.drop_table("scheduled_sessions")
    with op.batch_alter_table("screenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screenings_profile_version_id"))
        batch_op.drop_index(batch_op.f("ix_screenings_participant_id"))

    op.drop_table("screenings")
    with op.batch_alter_table("program_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_versions_profile_version_id"))
        batch_op.drop_index(batch_op.f("ix_program_versions_participant_id"))
        batch_op.drop_index(batch_op.f("ix_program_versions_created_by"))
        batch_op.drop_index(batch_op.f("ix_program_versions_approved_by"))

    op.drop_table("program_versions")
    with op.batch_alter_table("profile_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_versions_participant_id"))
        batch_op.drop_index(batch_op.f("ix_profile_versions_created_by"))

    op.drop_table("profile_versions")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_user_id"))
        batch_op.drop_index("ix_notifications_pending")
        batch_op.drop_index(batch_op.f("ix_notifications_participant_id"))

    op.drop_table("notifications")
    with op.batch_alter_table("injections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_injections_recorded_by"))
        batch_op.drop_index(batch_op.f("ix_injections_participant_id"))

    op.drop_table("injections")
    with op.batch_alter_table("clearances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clearances_recorded_by"))
        batch_op.drop_index(batch_op.f("ix_clearances_participant_id"))

    op.drop_table("clearances")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_participant_id"))
        batch_op.drop_index(batch_op.f("ix_alerts_acknowledged_by"))

    op.drop_table("alerts")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_user_id"))

    op.drop_table("idempotency_keys")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_participant_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor_id"))

    op.drop_table("audit_log")
