"""The schema revision this retain runs on, importable without SQLAlchemy or Alembic."""

from __future__ import annotations

# The newest migration; tests check it equals Alembic's head, so start-up needs no Alembic.
SCHEMA_HEAD = "0008_search_index"
# How long a connection waits for a lock another process holds.
BUSY_TIMEOUT_MS = 30_000

__all__ = ["BUSY_TIMEOUT_MS", "SCHEMA_HEAD"]
