"""assessment corrections: an entry is corrected by a newer one or withdrawn, with when, who and why

Existing entries become "current". No uniqueness index on (participant, instrument, day): databases may already
hold same-day duplicates (the reason for this change); the service refuses new ones under the participant lock.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import neuromotrix.adapters.db.tables

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CHANGE_RECORDED = (
    "(status = 'current' and changed_at is null and change_reason is null)"
    " or (status <> 'current' and changed_at is not null and change_reason is not null)"
)


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=16), server_default="current", nullable=False))
        batch_op.add_column(sa.Column("corrects", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("changed_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("changed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("change_reason", sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f("ix_assessments_changed_by"), ["changed_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessments_corrects"), ["corrects"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_assessments_corrects_assessments"), "assessments", ["corrects"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assessments_changed_by_users"), "users", ["changed_by"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_assessments_status"), "status in ('current', 'corrected', 'withdrawn')"
        )
        batch_op.create_check_constraint(batch_op.f("ck_assessments_change_recorded"), CHANGE_RECORDED)


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_assessments_change_recorded"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_assessments_status"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_assessments_changed_by_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_assessments_corrects_assessments"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_assessments_corrects"))
        batch_op.drop_index(batch_op.f("ix_assessments_changed_by"))
        batch_op.drop_column("change_reason")
        batch_op.drop_column("changed_by")
        batch_op.drop_column("changed_at")
        batch_op.drop_column("corrects")
        batch_op.drop_column("status")
