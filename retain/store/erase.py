"""Erasure that leaves no trace in the files: secure deletes, index rebuild, VACUUM, WAL truncation.

Deleting a row only unlinks it: SQLite leaves the bytes on free pages and FTS5 keeps the
deleted words in its index segments until they are merged, so ``strings retain.db`` still
finds them. PostgreSQL keeps dead tuples until VACUUM reclaims them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from retain.store.search.sqlite import FTS_TABLE

# FTS5's own secure-delete option (removes a deleted row's tokens from the segments at once)
# arrived in SQLite 3.42.0. Older versions rebuild the index from the content table instead.
FTS5_SECURE_DELETE = (3, 42, 0)


def sqlite_version(connection: Connection) -> tuple[int, ...]:
    """The SQLite library version the connection runs on (not necessarily the module's)."""
    value = str(connection.exec_driver_sql("SELECT sqlite_version()").scalar_one())
    return tuple(int(part) for part in value.split(".")[:3])


def has_fts5_secure_delete(connection: Connection) -> bool:
    """Whether FTS5 supports the ``secure-delete`` option here."""
    return sqlite_version(connection) >= FTS5_SECURE_DELETE


@dataclass
class ScrubReport:
    """What was done so that erased text is gone from the database files, too.

    Attributes:
        backend: ``sqlite`` or ``postgresql``.
        steps: The steps run, in order, e.g. ``secure_delete``, ``fts5 rebuild``, ``VACUUM``.
        wal_truncated: SQLite: whether the WAL could be emptied (another reader can keep it).
    """

    backend: str
    steps: list[str] = field(default_factory=list)
    wal_truncated: bool | None = None


@contextmanager
def erasing(engine: Engine) -> Iterator[Connection]:
    """A connection for erasing, inside a transaction that commits on success.

    On SQLite it has ``secure_delete`` on, so freed pages are overwritten with zeros, and on
    SQLite 3.42+ FTS5's ``secure-delete`` is switched on, so deletes leave no index tokens.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # Straight on the driver: through SQLAlchemy the pragma would begin a transaction.
        driver = connection.connection.dbapi_connection
        if sqlite and driver is not None:
            driver.execute("PRAGMA secure_delete = ON")
        try:
            with connection.begin():
                if sqlite and has_fts5_secure_delete(connection):
                    connection.exec_driver_sql(
                        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('secure-delete', 1)"
                    )
                yield connection
        finally:
            if sqlite and driver is not None:
                # Pooled connections go back to the default: only erasures pay for zeroing.
                driver.execute("PRAGMA secure_delete = OFF")


def scrub(engine: Engine, tables: Iterable[str]) -> ScrubReport:
    """After an erasure has committed, remove what the files still hold of the deleted rows.

    SQLite: rebuild the FTS5 index (before 3.42), ``VACUUM`` the file with ``secure_delete``
    on, and ``wal_checkpoint(TRUNCATE)``. PostgreSQL: ``VACUUM`` the affected tables on an
    autocommit connection. WAL archives, replicas and backups keep their copies until they
    rotate; that is documented, not something a client can reach.

    Args:
        engine: The database.
        tables: The tables rows were deleted from or rewritten in (PostgreSQL).
    """
    if engine.dialect.name == "sqlite":
        return _scrub_sqlite(engine)
    report = ScrubReport(backend=engine.dialect.name)
    names = sorted(set(tables))
    if names:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            quote = connection.dialect.identifier_preparer.quote
            connection.exec_driver_sql("VACUUM " + ", ".join(quote(name) for name in names))
        report.steps.append("VACUUM " + ", ".join(names))
    return report


def _scrub_sqlite(engine: Engine) -> ScrubReport:
    report = ScrubReport(backend="sqlite", steps=["secure_delete"])
    raw = engine.raw_connection()
    try:
        # The driver connection runs in autocommit mode (see store.engine), which VACUUM needs.
        db = raw.driver_connection
        assert isinstance(db, sqlite3.Connection)
        db.execute("PRAGMA secure_delete = ON")
        version = tuple(int(p) for p in str(db.execute("SELECT sqlite_version()").fetchone()[0]).split(".")[:3])
        if version < FTS5_SECURE_DELETE:
            # Every FTS5 index, not only answer_fts: one added later keeps deleted words too.
            names = [row[0] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'")]
            db.execute("BEGIN IMMEDIATE")
            try:
                for name in names or [FTS_TABLE]:
                    quoted = '"' + name.replace('"', '""') + '"'
                    try:
                        # Not 'optimize': a merge only cancels tokens whose delete matched what
                        # was indexed; a rebuild re-reads the content, so no stale token survives.
                        db.execute(f"INSERT INTO {quoted}({quoted}) VALUES ('rebuild')")
                    except sqlite3.OperationalError:
                        # A contentless index cannot be rebuilt; merging drops deleted entries.
                        db.execute(f"INSERT INTO {quoted}({quoted}) VALUES ('optimize')")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            report.steps.append("fts5 rebuild")
        else:
            report.steps.append("fts5 secure-delete")
        db.execute("VACUUM")
        report.steps.append("VACUUM")
        busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        report.wal_truncated = busy == 0
        report.steps.append("wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA secure_delete = OFF")
    finally:
        raw.close()
    return report
