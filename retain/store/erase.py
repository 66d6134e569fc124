"""Erasure that leaves no trace in the files: secure deletes, VACUUM, WAL truncation, a new search index.

Deleting a row only unlinks it: SQLite leaves the bytes on free pages, so ``strings
retain.db`` still finds them, and PostgreSQL keeps dead tuples until VACUUM reclaims them.
The search index keeps a deleted answer's words in its segments until they merge, so an
erasure rebuilds it from what is left and bumps the database's search epoch, which makes
every other index of the same database (other machines on one server) rebuild too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine


@dataclass
class ScrubReport:
    """What was done so that erased text is gone from the database files, too.

    Attributes:
        backend: ``sqlite`` or ``postgresql``.
        steps: The steps run, in order, e.g. ``secure_delete``, ``search index rebuilt``, ``VACUUM``.
        wal_truncated: SQLite: whether the WAL could be emptied (another reader can keep it).
    """

    backend: str
    steps: list[str] = field(default_factory=list)
    wal_truncated: bool | None = None


@contextmanager
def erasing(engine: Engine) -> Iterator[Connection]:
    """A connection for erasing, inside a transaction that commits on success.

    On SQLite it has ``secure_delete`` on, so freed pages are overwritten with zeros.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # Straight on the driver: through SQLAlchemy the pragma would begin a transaction.
        driver = connection.connection.dbapi_connection
        if sqlite and driver is not None:
            driver.execute("PRAGMA secure_delete = ON")
        try:
            with connection.begin():
                yield connection
        finally:
            if sqlite and driver is not None:
                # Pooled connections go back to the default: only erasures pay for zeroing.
                driver.execute("PRAGMA secure_delete = OFF")


def scrub(engine: Engine, tables: Iterable[str]) -> ScrubReport:
    """After an erasure has committed, remove what the files still hold of the deleted rows.

    Both: bump the search epoch and rebuild this machine's search index from what is left
    (every other index of the database rebuilds on its next search). SQLite: ``VACUUM`` the
    file with ``secure_delete`` on, and ``wal_checkpoint(TRUNCATE)``. PostgreSQL: ``VACUUM``
    the affected tables on an autocommit connection. WAL archives, replicas and backups keep
    their copies until they rotate; that is documented, not something a client can reach.

    Args:
        engine: The database.
        tables: The tables rows were deleted from or rewritten in (PostgreSQL).
    """
    report = ScrubReport(backend=engine.dialect.name)
    _rebuild_search(engine)
    if engine.dialect.name == "sqlite":
        _scrub_sqlite(engine, report)
        return report
    names = sorted(set(tables) | {"search_meta"})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql("VACUUM " + ", ".join(quote(name) for name in names))
    report.steps.append("VACUUM " + ", ".join(names))
    report.steps.append(SEARCH_STEP)
    return report


SEARCH_STEP = "search index rebuilt"


def _rebuild_search(engine: Engine) -> None:
    from retain.store.search.backend import IndexedSearch
    from retain.store.search.changes import bump_epoch

    with engine.begin() as connection:
        bump_epoch(connection)
    IndexedSearch(engine).rebuild()


def _scrub_sqlite(engine: Engine, report: ScrubReport) -> None:
    report.steps.append("secure_delete")
    raw = engine.raw_connection()
    try:
        # The driver connection runs in autocommit mode (see store.engine), which VACUUM needs.
        db = raw.driver_connection
        assert isinstance(db, sqlite3.Connection)
        db.execute("PRAGMA secure_delete = ON")
        report.steps.append(SEARCH_STEP)
        db.execute("VACUUM")
        report.steps.append("VACUUM")
        busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        report.wal_truncated = busy == 0
        report.steps.append("wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA secure_delete = OFF")
    finally:
        raw.close()
