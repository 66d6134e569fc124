"""Plain SQL reads on either database, through SQLAlchemy or straight through sqlite3 for quick commands.

Search reads a handful of rows per query. Importing SQLAlchemy costs more than everything
else ``retain search`` does (about 0.16 s of 0.3 s), so the search stack reads through this
small interface: :class:`EngineRows` over an engine (the app, the web view, PostgreSQL), and
:class:`SqliteRows` over the sqlite3 module alone for the command line on an SQLite file.
SQL is written once with ``:name`` parameters; lists go through :func:`expand`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast
from urllib.parse import quote

from retain.store.revision import BUSY_TIMEOUT_MS, SCHEMA_HEAD

if TYPE_CHECKING:
    from sqlalchemy import Engine

Params = Mapping[str, Any]
NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class RowReader(Protocol):
    """Read-only SQL with ``:name`` parameters on one database."""

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        ...

    @property
    def location(self) -> str | None:
        """The SQLite file's path, or the server URL without its password (``None``: in memory)."""
        ...

    def rows(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Every row of one statement."""
        ...

    def stream(self, sql: str, params: Params | None = None, batch: int = 5_000) -> Iterator[tuple[Any, ...]]:
        """The rows of one statement, a batch at a time (a million answers never sit in memory)."""
        ...


def as_rows(source: Engine | RowReader) -> RowReader:
    """A reader for an engine, or the reader itself."""
    if isinstance(source, (EngineRows, SqliteRows)):
        return source
    return EngineRows(cast("Engine", source))


def expand(sql: str, name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """Replace ``:name`` (inside ``IN (...)``) with one parameter per value."""
    keys = [f"{name}_{index}" for index in range(len(values))]
    return sql.replace(f":{name}", ", ".join(f":{key}" for key in keys) or "NULL"), dict(zip(keys, values, strict=True))


def date_param(dialect: str, value: date) -> Any:
    """A date as each driver compares it with a stored date (SQLite stores ISO text)."""
    return value.isoformat() if dialect == "sqlite" else value


class EngineRows:
    """Reads through a SQLAlchemy engine (deferred transactions on SQLite, see ``reader``)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The engine (writers such as a bulk load use it)."""
        return self._engine

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return str(self._engine.dialect.name)

    @property
    def location(self) -> str | None:
        """The SQLite file's path, or the server URL without its password (``None``: in memory)."""
        url = self._engine.url
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            memory = not database or database == ":memory:" or database.startswith("file::memory:")
            return None if memory else database
        return str(url.render_as_string(hide_password=True))

    def _driver_sql(self, sql: str) -> str:
        if self.dialect == "sqlite":
            return sql  # sqlite3 takes :name itself
        return NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))

    def rows(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Every row of one statement."""
        from retain.store.engine import reader

        with reader(self._engine).connect() as connection:
            return [tuple(row) for row in connection.exec_driver_sql(self._driver_sql(sql), dict(params or {}))]

    def stream(self, sql: str, params: Params | None = None, batch: int = 5_000) -> Iterator[tuple[Any, ...]]:
        """The rows of one statement, a batch at a time (a server-side cursor on PostgreSQL)."""
        from retain.store.engine import reader

        with reader(self._engine).connect() as connection:
            result = connection.execution_options(stream_results=True, yield_per=batch).exec_driver_sql(
                self._driver_sql(sql), dict(params or {})
            )
            for row in result:
                yield tuple(row)


def tighten_sqlite_files(path: Path) -> None:
    """Make an existing database (and its WAL files) owner-only, as a new one is created.

    Answers are personal data: a 0644 file lets every local user read them. A file that is
    not ours cannot be changed; opening it then fails or works on its owner's terms.
    """
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = candidate.stat().st_mode
            if mode & 0o077 and candidate.stat().st_uid == os.getuid():
                os.chmod(candidate, mode & 0o700)
        except OSError:
            continue


def read_only_media(path: Path) -> bool:
    """Whether an SQLite file sits in a folder no one here may write, without its ``-shm`` file.

    SQLite cannot open a WAL database there at all (it must create the ``-shm`` file even to
    read), so such a file is read as immutable: nothing here can change it anyway.
    """
    return path.is_file() and not os.access(path.parent, os.W_OK | os.X_OK) and not Path(f"{path}-shm").exists()


def sqlite_connect(path: Path) -> sqlite3.Connection:
    """A connection to an SQLite file, read-only and immutable on read-only media."""
    if read_only_media(path):
        uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)


class SqliteRows:
    """Reads an SQLite file through the sqlite3 module alone (no SQLAlchemy import)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        # As long as the engine waits: a checkpoint can hold the file briefly. A
        # sqlite3.Error from here on reaches the command line's funnel, which says
        # "database error" in one line and logs the traceback, as for the engine's errors.
        self._connection = sqlite_connect(path)

    @property
    def dialect(self) -> str:
        """Always ``sqlite``."""
        return "sqlite"

    @property
    def location(self) -> str | None:
        """The file's path."""
        return str(self._path)

    def rows(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        """Every row of one statement."""
        return [tuple(row) for row in self._connection.execute(sql, dict(params or {}))]

    def stream(self, sql: str, params: Params | None = None, batch: int = 5_000) -> Iterator[tuple[Any, ...]]:
        """The rows of one statement, fetched a batch at a time."""
        cursor = self._connection.execute(sql, dict(params or {}))
        while chunk := cursor.fetchmany(batch):
            yield from (tuple(row) for row in chunk)

    @contextmanager
    def snapshot(self) -> Iterator[SqliteRows]:
        """Read several statements from one state of the file (a deferred read transaction).

        A WAL reader never blocks a writer: a save in another process meanwhile is simply not
        seen, as with the engine's one-transaction reads.
        """
        if self._connection.in_transaction:
            yield self
            return
        self._connection.execute("BEGIN")
        try:
            yield self
        finally:
            self._connection.execute("ROLLBACK")  # nothing was written: only the read ends

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///path`` URL (``None`` for anything else: a server,
    memory, or a URL with options or escapes, which only SQLAlchemy reads right)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or any(c in url for c in "?%") or url[len(prefix):] in ("", ":memory:"):
        return None
    return Path(url[len(prefix):])



def open_sqlite_rows(path: Path) -> SqliteRows | None:
    """The light reader for an SQLite file that exists and is at this retain's schema.

    ``None`` for anything else (no file yet, an older or newer schema, not a database):
    the caller then opens the engine, which creates, refuses or explains as it always has.
    """
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return None  # the engine says what it is instead
    except OSError:
        return None
    tighten_sqlite_files(path)
    try:
        rows = SqliteRows(path)
    except sqlite3.Error:
        return None
    try:
        revision = rows.rows("SELECT version_num FROM alembic_version")
    except sqlite3.Error:
        revision = []
    if revision != [(SCHEMA_HEAD,)]:
        rows.close()
        return None
    return rows


__all__ = [
    "EngineRows",
    "RowReader",
    "SqliteRows",
    "as_rows",
    "date_param",
    "expand",
    "open_sqlite_rows",
    "sqlite_file",
]
