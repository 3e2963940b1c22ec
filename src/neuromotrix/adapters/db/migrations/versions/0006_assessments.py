"""outcome instruments: assessments and clinic-entered texts of licensed instruments

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import neuromotrix.adapters.db.tables

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("instrument_version", sa.String(length=16), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("entered_as", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "entered_as in ('participant', 'caregiver', 'trainer', 'import')", name=op.f("ck_assessments_entered_as")
        ),
        sa.CheckConstraint("source in ('web', 'api', 'fhir')", name=op.f("ck_assessments_source")),
        sa.ForeignKeyConstraint(
            ["entered_by"], ["users.id"], name=op.f("fk_assessments_entered_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_assessments_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_entered_by"), ["entered_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessments_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index("ix_assessments_participant_taken", ["participant_id", "taken_on"], unique=False)

    op.create_table(
        "instrument_texts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column("item_key", sa.String(length=64), nullable=False),
        sa.Column("text_en", sa.String(length=2000), nullable=False),
        sa.Column("text_fr", sa.String(length=2000), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_instrument_texts_clinic_id_clinics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_instrument_texts_updated_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_texts")),
        sa.UniqueConstraint(
            "clinic_id", "instrument", "item_key", name=op.f("uq_instrument_texts_clinic_id_instrument_item_key")
        ),
    )
    with op.batch_alter_table("instrument_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instrument_texts_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_instrument_texts_updated_by"), ["updated_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("instrument_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_instrument_texts_updated_by"))
        batch_op.drop_index(batch_op.f("ix_instrument_texts_clinic_id"))
    op.drop_table("instrument_texts")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_participant_taken")
        batch_op.drop_index(batch_op.f("ix_assessments_participant_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_entered_by"))
    op.drop_table("assessments")
