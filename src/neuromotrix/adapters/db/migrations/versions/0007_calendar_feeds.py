"""calendar feeds: private subscription addresses for a participant's sessions

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import neuromotrix.adapters.db.tables

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), server_default="", nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_calendar_feeds_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_calendar_feeds_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by"], ["users.id"], name=op.f("fk_calendar_feeds_revoked_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_participant_id"), ["participant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendar_feeds_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_calendar_feeds_revoked_by"), ["revoked_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_revoked_by"))
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_created_by"))
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_participant_id"))
    op.drop_table("calendar_feeds")
