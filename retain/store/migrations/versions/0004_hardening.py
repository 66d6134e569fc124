"""issue 10 hostile input (AUTOINCREMENT ids)

Revision ID: 0004_hardening
Revises: 0002_search
Create Date: 2026-12-01 23:00:00

On SQLite, interview ids become AUTOINCREMENT, so the id of a deleted interview is never
given to a new one. PostgreSQL's SERIAL never reuses ids: nothing to do there.

The table is rebuilt (batch mode). Dropping the old table with foreign keys on would cascade
into every answer, so foreign keys are switched off for the rebuild; that pragma only works
outside a transaction, hence the explicit COMMIT and BEGIN around it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_hardening"
down_revision: str | None = "0002_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rebuild_interview(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    bind.exec_driver_sql("COMMIT")
    bind.exec_driver_sql("PRAGMA foreign_keys = OFF")
    bind.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        with op.batch_alter_table(
            "interview", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the interview rebuild: {broken[:3]}")
        # Copying the rows in sets the sequence to the highest id, so new ids start above it.
        bind.exec_driver_sql("COMMIT")
    except BaseException:
        bind.exec_driver_sql("ROLLBACK")
        bind.exec_driver_sql("PRAGMA foreign_keys = ON")
        bind.exec_driver_sql("BEGIN IMMEDIATE")
        raise
    bind.exec_driver_sql("PRAGMA foreign_keys = ON")
    bind.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade() -> None:
    _rebuild_interview(True)


def downgrade() -> None:
    _rebuild_interview(False)
