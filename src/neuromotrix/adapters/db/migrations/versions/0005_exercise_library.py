"""exercise library: clinic exercises, exercise media and program templates

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import neuromotrix.adapters.db.tables

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "library_exercises",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=16), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_library_exercises_clinic_id_clinics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_library_exercises_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_library_exercises_updated_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_library_exercises")),
        sa.UniqueConstraint("clinic_id", "exercise_id", name=op.f("uq_library_exercises_clinic_id_exercise_id")),
        sa.UniqueConstraint("clinic_id", "number", name=op.f("uq_library_exercises_clinic_id_number")),
    )
    with op.batch_alter_table("library_exercises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_library_exercises_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_exercises_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_library_exercises_updated_by"), ["updated_by"], unique=False)

    op.create_table(
        "exercise_media",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("alt_en", sa.String(length=300), nullable=False),
        sa.Column("alt_fr", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind in ('image', 'video')", name=op.f("ck_exercise_media_kind")),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_exercise_media_clinic_id_clinics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_exercise_media_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_media")),
    )
    with op.batch_alter_table("exercise_media", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exercise_media_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exercise_media_created_by"), ["created_by"], unique=False)
        batch_op.create_index("ix_exercise_media_clinic_exercise", ["clinic_id", "exercise_id"], unique=False)

    op.create_table(
        "program_templates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), server_default="", nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", neuromotrix.adapters.db.tables.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_program_templates_clinic_id_clinics"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_program_templates_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_templates")),
        sa.UniqueConstraint("clinic_id", "name", name=op.f("uq_program_templates_clinic_id_name")),
    )
    with op.batch_alter_table("program_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_program_templates_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_program_templates_created_by"), ["created_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("program_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_templates_created_by"))
        batch_op.drop_index(batch_op.f("ix_program_templates_clinic_id"))
    op.drop_table("program_templates")
    with op.batch_alter_table("exercise_media", schema=None) as batch_op:
        batch_op.drop_index("ix_exercise_media_clinic_exercise")
        batch_op.drop_index(batch_op.f("ix_exercise_media_created_by"))
        batch_op.drop_index(batch_op.f("ix_exercise_media_clinic_id"))
    op.drop_table("exercise_media")
    with op.batch_alter_table("library_exercises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_library_exercises_updated_by"))
        batch_op.drop_index(batch_op.f("ix_library_exercises_created_by"))
        batch_op.drop_index(batch_op.f("ix_library_exercises_clinic_id"))
    op.drop_table("library_exercises")
