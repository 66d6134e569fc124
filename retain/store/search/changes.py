"""The change log the search index follows: where the database is, and what changed since a point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from retain.store.rows import RowReader

if TYPE_CHECKING:
    from sqlalchemy import Connection

PG_XMIN = "CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS BIGINT)"


@dataclass(frozen=True)
class Head:
    """The database's search identity and the newest change, read in one statement.

    Attributes:
        instance: The database's identity (new for every new database).
        epoch: Bumped by bulk loads and erasures, which every index answers with a rebuild.
        seq: The highest change number.
        xmin: PostgreSQL: the oldest transaction still running (``None`` on SQLite).
        max_xid: PostgreSQL: the newest transaction that logged a change (0 on SQLite).
    """

    instance: str
    epoch: int
    seq: int
    xmin: int | None
    max_xid: int


@dataclass(frozen=True)
class Batch:
    """Answers to re-index, and where the index stands after them.

    Attributes:
        answer_ids: Answers that changed, in change order (deleted ones included).
        seq: The highest change number seen.
        xmin: PostgreSQL: the oldest running transaction before the changes were read.
        recent: PostgreSQL: the change numbers read from transactions at or after ``xmin``.
    """

    answer_ids: list[int]
    seq: int
    xmin: int | None
    recent: list[int]


def read_head(reader: RowReader) -> Head:
    """Where the database stands, in one round trip."""
    if reader.dialect == "sqlite":
        (row,) = reader.rows(
            "SELECT instance, epoch, (SELECT coalesce(max(seq), 0) FROM search_change) "
            "FROM search_meta WHERE id = 1"
        )
        return Head(str(row[0]), int(row[1]), int(row[2]), None, 0)
    (row,) = reader.rows(
        "SELECT instance, epoch, (SELECT coalesce(max(seq), 0) FROM search_change), "
        f"{PG_XMIN}, (SELECT coalesce(max(xid), 0) FROM search_change) FROM search_meta WHERE id = 1"
    )
    return Head(str(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]))


def changes_since(reader: RowReader, seq: int, xmin: int | None, applied: set[int]) -> Batch:
    """The answers changed after change ``seq`` (and, on PostgreSQL, late commits since ``xmin``).

    SQLite has one writer at a time, so change numbers commit in order. PostgreSQL hands out
    numbers as transactions run and they may commit out of order, so a change numbered below
    ``seq`` can appear after a sync has passed it; every change of a transaction that was
    still running at the last sync (``xid >= xmin``) is therefore read again, minus the ones
    already applied (``applied``).
    """
    if reader.dialect == "sqlite":
        rows = reader.rows("SELECT answer_id, seq FROM search_change WHERE seq > :seq ORDER BY seq", {"seq": seq})
        return Batch([int(r[0]) for r in rows], max([seq, *(int(r[1]) for r in rows)]), None, [])
    # Read before the rows: a transaction older than this has committed, so its rows show.
    now = int(reader.rows(f"SELECT {PG_XMIN}")[0][0])
    params: dict[str, int] = {"seq": seq}
    sql = "seq > :seq"
    if xmin is not None:
        sql, params["xmin"] = "seq > :seq OR xid >= :xmin", xmin
    rows = reader.rows(f"SELECT answer_id, seq, xid FROM search_change WHERE {sql} ORDER BY seq", params)
    fresh = [r for r in rows if int(r[1]) not in applied]
    return Batch(
        [int(r[0]) for r in fresh],
        max([seq, *(int(r[1]) for r in rows)]),
        now,
        [int(r[1]) for r in rows if int(r[2]) >= now],
    )


def bump_epoch(connection: Connection) -> int:
    """Make every index of this database rebuild from scratch on its next search (a writer's job).

    Returns:
        The new epoch.
    """
    connection.exec_driver_sql("UPDATE search_meta SET epoch = epoch + 1 WHERE id = 1")
    return int(connection.exec_driver_sql("SELECT epoch FROM search_meta WHERE id = 1").scalar_one())


__all__ = ["Batch", "Head", "bump_epoch", "changes_since", "read_head"]
