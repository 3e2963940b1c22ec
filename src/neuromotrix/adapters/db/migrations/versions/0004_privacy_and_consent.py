"""privacy and consent: notice and person in charge, consent texts and acceptances, incidents, erasure requests

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import neuromotrix.adapters.db.tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UtcDateTime = neuromotrix.adapters.db.tables.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "privacy_settings",
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("officer_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("officer_title", sa.String(length=200), server_default="", nullable=False),
        sa.Column("officer_email", sa.String(length=254), server_default="", nullable=False),
        sa.Column("notice_en", sa.Text(), server_default="", nullable=False),
        sa.Column("notice_fr", sa.Text(), server_default="", nullable=False),
        sa.Column("retention_years", sa.Integer(), server_default="10", nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_privacy_settings_clinic_id_clinics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_privacy_settings_updated_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("clinic_id", name=op.f("pk_privacy_settings")),
    )
    with op.batch_alter_table("privacy_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_settings_updated_by"), ["updated_by"], unique=False)

    op.create_table(
        "consent_texts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_fr", sa.Text(), nullable=False),
        sa.Column("published_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_consent_texts_clinic_id_clinics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["published_by"], ["users.id"], name=op.f("fk_consent_texts_published_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_texts")),
        sa.UniqueConstraint("clinic_id", "version", name=op.f("uq_consent_texts_clinic_id_version")),
    )
    with op.batch_alter_table("consent_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_texts_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_consent_texts_published_by"), ["published_by"], unique=False)

    op.create_table(
        "consent_acceptances",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("consent_text_id", sa.Integer(), nullable=False),
        sa.Column("accepted_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.CheckConstraint("via in ('page', 'invitation', 'api')", name=op.f("ck_consent_acceptances_via")),
        sa.ForeignKeyConstraint(
            ["consent_text_id"],
            ["consent_texts.id"],
            name=op.f("fk_consent_acceptances_consent_text_id_consent_texts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_consent_acceptances_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_acceptances")),
        sa.UniqueConstraint("user_id", "consent_text_id", name=op.f("uq_consent_acceptances_user_id_consent_text_id")),
    )
    with op.batch_alter_table("consent_acceptances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consent_acceptances_consent_text_id"), ["consent_text_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_consent_acceptances_user_id"), ["user_id"], unique=False)

    op.create_table(
        "privacy_incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("discovered_on", sa.Date(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("people_concerned", sa.Integer(), nullable=False),
        sa.Column("serious_risk", sa.Boolean(), nullable=False),
        sa.Column("measures", sa.Text(), server_default="", nullable=False),
        sa.Column("cai_notified_on", sa.Date(), nullable=True),
        sa.Column("people_notified_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_privacy_incidents_clinic_id_clinics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_privacy_incidents_recorded_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_privacy_incidents_updated_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_incidents")),
    )
    with op.batch_alter_table("privacy_incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_incidents_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_privacy_incidents_recorded_by"), ["recorded_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_privacy_incidents_updated_by"), ["updated_by"], unique=False)

    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("retention_until", sa.Date(), nullable=True),
        sa.Column("processed_by", sa.Integer(), nullable=True),
        sa.Column("processed_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "requested_by in ('participant', 'guardian', 'representative')",
            name=op.f("ck_erasure_requests_requested_by"),
        ),
        sa.CheckConstraint("status in ('pending', 'deidentified', 'deleted')", name=op.f("ck_erasure_requests_status")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_erasure_requests_clinic_id_clinics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["processed_by"], ["users.id"], name=op.f("fk_erasure_requests_processed_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_erasure_requests_recorded_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
    )
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_requests_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_erasure_requests_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_erasure_requests_processed_by"), ["processed_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_erasure_requests_recorded_by"), ["recorded_by"], unique=False)

    # A plain ADD COLUMN on both backends (batch mode does not rebuild the table for it).
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deidentified_at", UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Not through batch mode: on SQLite it would rebuild `participants`, and dropping the old table with foreign
    # keys on would cascade into every health record. SQLite 3.35+ and PostgreSQL drop a column in place.
    op.execute("ALTER TABLE participants DROP COLUMN deidentified_at")

    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_requests_recorded_by"))
        batch_op.drop_index(batch_op.f("ix_erasure_requests_processed_by"))
        batch_op.drop_index(batch_op.f("ix_erasure_requests_participant_id"))
        batch_op.drop_index(batch_op.f("ix_erasure_requests_clinic_id"))
    op.drop_table("erasure_requests")

    with op.batch_alter_table("privacy_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_incidents_updated_by"))
        batch_op.drop_index(batch_op.f("ix_privacy_incidents_recorded_by"))
        batch_op.drop_index(batch_op.f("ix_privacy_incidents_clinic_id"))
    op.drop_table("privacy_incidents")

    with op.batch_alter_table("consent_acceptances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_acceptances_user_id"))
        batch_op.drop_index(batch_op.f("ix_consent_acceptances_consent_text_id"))
    op.drop_table("consent_acceptances")

    with op.batch_alter_table("consent_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_texts_published_by"))
        batch_op.drop_index(batch_op.f("ix_consent_texts_clinic_id"))
    op.drop_table("consent_texts")

    with op.batch_alter_table("privacy_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_settings_updated_by"))
    op.drop_table("privacy_settings")
