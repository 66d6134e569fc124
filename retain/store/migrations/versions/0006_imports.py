"""issue 12 transcript imports

Revision ID: 0006_imports
Revises: 0005_journey
Create Date: 2026-12-01 23:00:00

Recorded interviews: the whole transcript of each import (``transcript``), where every
imported answer came from (``answer_source``: file, start, end, speaker, score) and the talk
that did not map onto a question (``transcript_segment``), so an interviewer can assign it
later. Deleting an interview or an answer cascades to what was imported for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_imports"
down_revision: str | None = "0005_journey"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "transcript",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("turns", sa.JSON(), nullable=False),
        sa.Column("speakers", sa.JSON(), nullable=False),
        sa.Column("interviewer", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("interviewee", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("visibility", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("imported_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("transcript", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_transcript_interview_id"), ["interview_id"], unique=False)

    op.create_table(
        "answer_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Float(), nullable=True),
        sa.Column("end", sa.Float(), nullable=True),
        sa.Column("speaker", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["transcript_id"], ["transcript.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("answer_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_source_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_answer_source_transcript_id"), ["transcript_id"], unique=False
        )

    op.create_table(
        "transcript_segment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Float(), nullable=True),
        sa.Column("end", sa.Float(), nullable=True),
        sa.Column("speaker", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("suggestion", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("visibility", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["transcript_id"], ["transcript.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("transcript_segment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transcript_segment_interview_id"), ["interview_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_transcript_segment_transcript_id"), ["transcript_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("transcript_segment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcript_segment_transcript_id"))
        batch_op.drop_index(batch_op.f("ix_transcript_segment_interview_id"))
    op.drop_table("transcript_segment")
    with op.batch_alter_table("answer_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_source_transcript_id"))
        batch_op.drop_index(batch_op.f("ix_answer_source_answer_id"))
    op.drop_table("answer_source")
    with op.batch_alter_table("transcript", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcript_interview_id"))
    op.drop_table("transcript")
