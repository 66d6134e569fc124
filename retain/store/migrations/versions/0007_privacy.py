"""issue 13 privacy lifecycle: export records, the erasure log and its salt

Revision ID: 0007_privacy
Revises: 0006_imports
Create Date: 2026-12-01 23:00:00

The salt is generated here, once per database, so every process computes the same hashes.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007_privacy"
down_revision: str | None = "0006_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "export_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=True),
        sa.Column("person_ids", sa.JSON(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("visibility", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("pseudonymised", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("export_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_export_record_interview_id"), ["interview_id"], unique=False)
    op.create_table(
        "erasure_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("subjects", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    setting = op.create_table(
        "privacy_setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.bulk_insert(setting, [{"key": "erasure_salt", "value": secrets.token_hex(32)}])


def downgrade() -> None:
    op.drop_table("privacy_setting")
    op.drop_table("erasure_log")
    with op.batch_alter_table("export_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_export_record_interview_id"))
    op.drop_table("export_record")
