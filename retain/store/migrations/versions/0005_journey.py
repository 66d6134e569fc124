"""issue 11 people, review and follow-ups

Revision ID: 0005_journey
Revises: 0004_hardening
Create Date: 2026-12-01 23:00:00

People gain a manager and a successor; interviews replace the ``reviewed`` flag with a review
state (who reviewed, who accepted, when), and successor follow-ups point at their handover with
a day and a due date. ``review_event`` keeps the sign-off history.

Every column is added in place (no table rebuild): rebuilding ``interview`` on SQLite, where
foreign keys are on, would cascade-delete its answers.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_journey"
down_revision: str | None = "0004_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PERSON = [
    sa.Column("manager_id", sa.Integer(), nullable=True),
    sa.Column("successor_id", sa.Integer(), nullable=True),
]


def _interview() -> list[sa.Column[object]]:
    text = sqlmodel.sql.sqltypes.AutoString
    return [
        sa.Column("review_state", text(length=16), nullable=False, server_default="draft"),
        sa.Column("reviewed_by", text(length=200), nullable=True),
        sa.Column("reviewed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("accepted_by", text(length=200), nullable=True),
        sa.Column("accepted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("followup_of", sa.Integer(), nullable=True),
        sa.Column("followup_day", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("successor_start", sa.Date(), nullable=True),
    ]


def _drop(table: str, column: str) -> None:
    # SQLite (3.35+) drops a plain column in place; alembic would rebuild the table instead.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f'ALTER TABLE {table} DROP COLUMN "{column}"')
    else:
        op.drop_column(table, column)


def upgrade() -> None:
    for column in _PERSON:
        op.add_column("person", column)
    for column in _interview():
        op.add_column("interview", column)
    op.create_index("ix_interview_followup_of", "interview", ["followup_of"])
    op.execute(
        "UPDATE interview SET review_state = CASE WHEN reviewed THEN 'reviewed' ELSE 'draft' END"
    )
    _drop("interview", "reviewed")
    op.create_table(
        "review_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["interview_id"], ["interview.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_event_interview_id", "review_event", ["interview_id"])


def downgrade() -> None:
    op.drop_index("ix_review_event_interview_id", table_name="review_event")
    op.drop_table("review_event")
    op.add_column(
        "interview",
        sa.Column("reviewed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(
        "UPDATE interview SET reviewed = CASE WHEN review_state = 'draft' THEN "
        f"{sa.false().compile(dialect=op.get_bind().dialect)} ELSE "
        f"{sa.true().compile(dialect=op.get_bind().dialect)} END"
    )
    op.drop_index("ix_interview_followup_of", table_name="interview")
    for column in reversed(_interview()):
        _drop("interview", column.name)
    for column in reversed(_PERSON):
        _drop("person", column.name)
