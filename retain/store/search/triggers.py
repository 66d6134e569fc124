"""The change-log triggers of the search index, switched off for one bulk transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

# The same statements as migration 0008_search_index creates (a test keeps them in step).
INDEXED_COLUMNS = "id, interview_id, body, prompt, visibility, skipped, updated_at"
SQLITE_TRIGGERS = {
    "search_change_ai": (
        "CREATE TRIGGER search_change_ai AFTER INSERT ON answer BEGIN "
        "INSERT INTO search_change(answer_id, seq) "
        "VALUES (new.id, (SELECT coalesce(max(seq), 0) + 1 FROM search_change)) "
        "ON CONFLICT(answer_id) DO UPDATE SET seq = excluded.seq; END"
    ),
    "search_change_au": (
        f"CREATE TRIGGER search_change_au AFTER UPDATE OF {INDEXED_COLUMNS} ON answer BEGIN "
        "INSERT INTO search_change(answer_id, seq) "
        "VALUES (new.id, (SELECT coalesce(max(seq), 0) + 1 FROM search_change)) "
        "ON CONFLICT(answer_id) DO UPDATE SET seq = excluded.seq; END"
    ),
    "search_change_ad": (
        "CREATE TRIGGER search_change_ad AFTER DELETE ON answer BEGIN "
        "INSERT INTO search_change(answer_id, seq) "
        "VALUES (old.id, (SELECT coalesce(max(seq), 0) + 1 FROM search_change)) "
        "ON CONFLICT(answer_id) DO UPDATE SET seq = excluded.seq; END"
    ),
}


@contextmanager
def disabled_triggers(connection: Connection) -> Iterator[None]:
    """Inside the caller's transaction: answers written here are not logged one by one.

    The caller bumps the epoch afterwards, so every index rebuilds instead. On PostgreSQL
    ``DISABLE TRIGGER`` locks the answer table until the transaction ends, so no other
    writer's change can slip through unlogged.
    """
    if connection.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        yield
        for statement in SQLITE_TRIGGERS.values():
            connection.exec_driver_sql(statement)
        return
    connection.exec_driver_sql("ALTER TABLE answer DISABLE TRIGGER search_change")
    yield
    connection.exec_driver_sql("ALTER TABLE answer ENABLE TRIGGER search_change")


__all__ = ["INDEXED_COLUMNS", "SQLITE_TRIGGERS", "disabled_triggers"]
