"""issue 12 transcript imports

Revision ID: 0006_imports
Revises: 0005_journey
Create Date: 2026-12-01 23:00:00

Placeholder in the chain until its issue adds schema changes; upgrading through it is a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006_imports"
down_revision: str | None = "0005_journey"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
