"""Bulk loads: many answers inserted and indexed in one pass, the two running side by side."""

from __future__ import annotations

import itertools
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from retain.domain.answers import flatten
from retain.domain.visibility import SHAREABLE_READER
from retain.gcpause import paused_gc
from retain.store.search.schema import AnswerRow
from retain.store.search.triggers import disabled_triggers

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from retain.store.search.index import Appender

# Answers per round: one is inserted while the one before is handed to the index.
CHUNK = 5_000
# For the length of a load: 256 MB of page cache, so pages are written once, at the end.
BULK_CACHE_KIB = 256 * 1024
SQLITE_INSERT = (
    "INSERT INTO answer (id, interview_id, question_id, section_id, prompt, text, items, body, visibility, "
    "skipped, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
PG_COPY = (
    "COPY answer (id, interview_id, question_id, section_id, prompt, text, items, body, visibility, skipped, "
    "created_at, updated_at) FROM STDIN"
)


@dataclass(frozen=True, slots=True)
class BulkAnswer:
    """One answer for a bulk load, as the app would save it.

    Attributes:
        interview_id: The interview it belongs to.
        question_id: The guide question it answers (one answer per question and interview).
        prompt: The question as asked.
        text: What was typed.
        visibility: ``shareable`` or ``confidential``.
        created_at: When it was first saved (timezone-aware).
        updated_at: When it was last saved (timezone-aware).
        items: List rows, if the question takes a list.
        section_id: The guide section.
        skipped: Skipped on purpose (its text then stays out of everything shareable).
    """

    interview_id: int
    question_id: str
    prompt: str
    text: str
    visibility: str
    created_at: datetime
    updated_at: datetime
    items: Sequence[dict[str, str]] = field(default=())
    section_id: str = ""
    skipped: bool = False


class BulkLoad:
    """What a bulk-load block works with: :meth:`add_answers`, and a connection for the rest.

    Answers added here are inserted and indexed at once, without the change log; anything else
    written through :attr:`connection` (people, interviews, an edit) is logged as usual and
    indexed by the next search.
    """

    def __init__(self, connection: Connection, appender: Appender) -> None:
        self.connection = connection
        self._appender = appender
        self._next_id: int | None = None
        self.added = 0

    def add_answers(self, answers: Iterable[BulkAnswer]) -> list[int]:
        """Insert answers and index them; returns their ids, in order.

        Raises:
            ValueError: For a timestamp without a timezone.
            sqlalchemy.exc.IntegrityError: For a second answer to the same question of an
                interview, or an unknown interview (the load rolls back).
        """
        ids: list[int] = []
        with paused_gc(), disabled_triggers(self.connection), \
                ThreadPoolExecutor(1, thread_name_prefix="retain-index") as pool:
            # The index takes one chunk in (tantivy's own threads do the tokenising) while the
            # database writes the next: two cores busy instead of one after the other.
            pending: Future[None] | None = None
            for chunk in _chunks(iter(answers), CHUNK):
                rows, params = _prepare(self._reserve(len(chunk)), chunk, sqlite=self.connection.dialect.name == "sqlite")
                if pending is not None:
                    pending.result()
                pending = pool.submit(self._appender.add, rows)
                self._insert(params)
                ids.extend(row.id for row in rows)
            if pending is not None:
                pending.result()
        self.added += len(ids)
        return ids

    # -- the database side ----------------------------------------------------------------
    def _reserve(self, count: int) -> list[int]:
        """Ids for ``count`` new answers, known before the insert so the index can take them."""
        if self.connection.dialect.name == "sqlite":
            # The load holds SQLite's write lock, so nobody else takes the next ids meanwhile.
            if self._next_id is None:
                found = self.connection.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM answer")
                self._next_id = int(found.scalar_one())
            first, self._next_id = self._next_id, self._next_id + count
            return list(range(first, first + count))
        found = self.connection.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('answer', 'id')) FROM generate_series(1, %(n)s)", {"n": count}
        )
        return [int(value) for value in found.scalars()]

    def _insert(self, params: list[tuple[Any, ...]]) -> None:
        dbapi = self.connection.dialect.dbapi
        try:
            raw: Any = self.connection.connection.driver_connection
            if self.connection.dialect.name == "sqlite":
                raw.executemany(SQLITE_INSERT, params)
                return
            with raw.cursor() as cursor, cursor.copy(PG_COPY) as copy:
                for row in params:
                    copy.write_row(row)
        except dbapi.IntegrityError as exc:  # type: ignore[union-attr]
            # Raised by the driver itself (executemany, COPY): reported as SQLAlchemy would.
            raise IntegrityError("bulk insert into answer", None, exc) from exc


def _chunks(answers: Iterator[BulkAnswer], size: int) -> Iterator[list[BulkAnswer]]:
    while chunk := list(itertools.islice(answers, size)):
        yield chunk


def _prepare(ids: list[int], chunk: list[BulkAnswer], *, sqlite: bool) -> tuple[list[AnswerRow], list[tuple[Any, ...]]]:
    """What the index takes and what the database takes of each answer, in one pass.

    The index row is what :func:`~retain.store.search.schema.answer_rows` would read back:
    the flattened body, the saved time in whole seconds, and who may read it, decided by the
    one visibility rule (once per visibility and skip, not once per answer).
    """
    shared: dict[tuple[str, bool], bool] = {}
    rows: list[AnswerRow] = []
    params: list[tuple[Any, ...]] = []
    for answer_id, a in zip(ids, chunk, strict=True):
        body = flatten(a.text, a.items) if a.items else a.text
        created, updated = _utc(a.created_at), _utc(a.updated_at)
        key = (a.visibility, a.skipped)
        readable = shared.get(key)
        if readable is None:
            readable = shared[key] = SHAREABLE_READER.may_read(AnswerRow(0, 0, "", "", a.visibility, a.skipped, 0, False))
        rows.append(AnswerRow(answer_id, a.interview_id, body, a.prompt, a.visibility, a.skipped,
                              math.floor(updated.timestamp()), readable))
        items = json.dumps(list(a.items)) if a.items else "[]"
        if sqlite:
            # As SQLAlchemy's DateTime stores it on SQLite (the ORM's UTCDateTime: the UTC wall
            # time, always with microseconds): "2024-03-05 09:30:15.750000". Most answers are
            # loaded with one time for both, formatted once (a fifth of the Python per answer).
            created_at: Any = created.isoformat(" ", "microseconds")[:26]
            updated_at: Any = created_at if updated == created else updated.isoformat(" ", "microseconds")[:26]
        else:
            created_at, updated_at = created, updated
        params.append((answer_id, a.interview_id, a.question_id, a.section_id, a.prompt, a.text, items, body,
                       a.visibility, a.skipped, created_at, updated_at))
    return rows, params


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is UTC:
        return moment
    if moment.utcoffset() is None:
        raise ValueError("a bulk answer's timestamps need a timezone; use datetime.now(UTC)")
    return moment.astimezone(UTC)


@contextmanager
def bulk_connection(engine: Engine) -> Iterator[Connection]:
    """One connection in one write transaction, committed when the block ends.

    An SQLite file that no other connection has open is switched to a rollback journal for
    the load: in WAL mode every page of a large load is written twice (to the log, then
    checkpointed into the file), which costs as much as the inserts themselves. It is back
    in WAL mode when the block ends, however it ends; with others connected it stays in WAL.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        with engine.begin() as connection:
            yield connection
        return
    engine.dispose()  # idle pooled connections would keep the WAL open
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        switched, cache = _rollback_journal(raw)
        try:
            with connection.begin():
                yield connection
        finally:
            if switched:
                raw.execute("PRAGMA journal_mode = WAL")
                raw.execute("PRAGMA synchronous = NORMAL")
            raw.execute(f"PRAGMA cache_size = {cache}")


def _rollback_journal(raw: sqlite3.Connection) -> tuple[bool, int]:
    """Leave WAL mode if this is the only connection; returns whether it did, and the old cache size."""
    cache = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        mode = str(raw.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
    except sqlite3.OperationalError:
        return False, cache  # another connection has the file open: stay in WAL
    if mode != "delete":
        return False, cache
    # Outside WAL, NORMAL could lose the file on a power cut; FULL syncs the journal first.
    raw.execute("PRAGMA synchronous = FULL")
    return True, cache


__all__ = ["CHUNK", "BulkAnswer", "BulkLoad", "bulk_connection"]
