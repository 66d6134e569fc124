"""Engine factory: SQLite (WAL, busy timeout, owner-only file) or PostgreSQL, same code."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from retain.errors import Fix, SchemaOutOfDate, StoreError
from retain.store.revision import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from retain.store.revision import SCHEMA_HEAD as SCHEMA_HEAD
from retain.store.rows import tighten_sqlite_files

SQLITE_HEADER = b"SQLite format 3\x00"


def _prepare_sqlite_file(path: Path) -> None:
    """Create the database file owner-only, or check an existing one really is SQLite."""
    if path.exists():
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file; point --db at a file")
        if not path.is_file():
            # /dev/null, a FIFO or a socket: SQLite would fail later, or block on a FIFO.
            raise StoreError(
                f"{path} is not a regular file; point --db or RETAIN_DB at a database file"
            )
        try:
            with path.open("rb") as handle:
                header = handle.read(16)
        except OSError as exc:
            raise StoreError(
                f"cannot read the database {path}: {exc.strerror}; check its owner and "
                "permissions, or point --db at your own database"
            ) from exc
        if header and header != SQLITE_HEADER:
            raise StoreError(
                f"{path} is not an SQLite database; point --db or RETAIN_DB at a retain database"
            )
        tighten_sqlite_files(path)
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise StoreError(
            f"cannot create the database {path}: {exc.strerror}; "
            "set --db or RETAIN_DB to a writable location"
        ) from exc


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so writers take the lock up front
    # (BEGIN IMMEDIATE) and wait on busy_timeout instead of failing with "database is locked".
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # A bulk load holds the file in rollback-journal mode for its length (see
    # retain.store.search.bulk): this connection reads as usual meanwhile, and the file is
    # WAL again for everyone when the load ends.
    with contextlib.suppress(sqlite3.OperationalError):
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


# Execution option that marks a read-only engine view (see :func:`reader`).
READONLY_OPTION = "retain_readonly"


def _sqlite_on_begin(connection: Any) -> None:
    if connection.get_execution_options().get(READONLY_OPTION):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def reader(engine: Engine) -> Engine:
    """A view of ``engine`` for reads: on SQLite its transactions begin DEFERRED.

    In WAL mode a deferred reader sees a consistent snapshot and never waits for a writer,
    so search and listings stay fast while the app autosaves.
    """
    return engine.execution_options(**{READONLY_OPTION: True})


def describe_url(url: str) -> str:
    """A URL without its password, for messages and ``retain db path``."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """Create an engine for a retain database.

    Args:
        url: A SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://...``).

    Returns:
        A configured engine. Nothing is created in the database yet.

    Raises:
        StoreError: If the URL is malformed, or an SQLite path is not usable.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"not a database URL or path: {url!r}; use a file path or postgresql://user@host/db"
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        options: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
        if database and database != ":memory:":
            _prepare_sqlite_file(Path(database))
            from retain.store.rows import read_only_media, sqlite_connect

            if read_only_media(Path(database)):
                # Read-only media: SQLite could not even read the WAL file the usual way.
                options = {"creator": lambda: sqlite_connect(Path(database))}
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    raise StoreError(f"unsupported database {backend!r}; use an SQLite file or a PostgreSQL URL")


def check_reachable(engine: Engine) -> None:
    """Open one connection, translating failures into a one-line error.

    Raises:
        StoreError: Naming the host and port (PostgreSQL) or the file (SQLite).
    """
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        raise StoreError(_connect_message(engine, exc)) from exc


def _connect_message(engine: Engine, exc: Exception) -> str:
    url = engine.url
    if url.get_backend_name() == "postgresql":
        host, port = url.host or "localhost", url.port or 5432
        detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
        return (
            f"cannot reach PostgreSQL at {host}:{port} (database {url.database!r}): {detail}; "
            "check the server is running and the URL in --db or RETAIN_DB"
        )
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, sqlite3.DatabaseError) and "not a database" in str(orig):
        return f"{url.database} is not an SQLite database; point --db or RETAIN_DB at a retain database"
    if isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig):
        return f"the database {url.database} is busy with a long write (a bulk load?); try again when it ends"
    return f"cannot open the database {url.database}: {orig}; check the path and its permissions"


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or ``None`` if it has no retain schema."""
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except (OperationalError, DBAPIError) as exc:
        raise StoreError(_connect_message(engine, exc)) from exc
    return str(row[0]) if row else None


def has_foreign_tables(engine: Engine) -> bool:
    """Whether the database holds tables that are not retain's (so it is someone else's)."""
    with engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def open_engine(url: str, *, upgrade: bool = True) -> Engine:
    """Open a database ready for use: create a new one at head, refuse an out-of-date one.

    Args:
        url: The database URL.
        upgrade: Create the schema in an empty database (Alembic, at head).

    Raises:
        StoreError: If the database is unreachable or holds another application's tables.
        SchemaOutOfDate: If the schema is older than this version of retain.
    """
    engine = make_engine(url)
    check_reachable(engine)
    revision = schema_revision(engine)
    if revision == SCHEMA_HEAD:
        return engine
    if revision is None:
        if has_foreign_tables(engine):
            raise StoreError(
                f"{describe_url(url)} already holds tables that are not retain's; use an empty database"
            )
        if upgrade:
            from retain.store.migrate import upgrade_to_head

            upgrade_to_head(engine)
            return engine
    check_known_revision(url, revision)
    raise SchemaOutOfDate(
        f"the database {describe_url(url)} is at schema {revision or 'none'}, "
        f"this retain needs {SCHEMA_HEAD}",
        fix=Fix.UPGRADE_SCHEMA,
    )


def check_known_revision(url: str, revision: str | None) -> None:
    """Refuse a schema this retain has no migration for (a newer retain's, or a mislabelled one).

    Raises:
        StoreError: Telling the user not to run ``db upgrade`` on it.
    """
    if revision is None or revision == SCHEMA_HEAD:
        return
    from retain.store.migrate import known_revisions

    if revision not in known_revisions():
        shown = "".join(c for c in revision[:40] if c.isprintable())
        raise StoreError(
            f"the database {describe_url(url)} is at schema {shown!r}, which this retain does not "
            f"know (it needs {SCHEMA_HEAD}); it was made by a newer retain or is not a retain "
            "database: upgrade retain, or point --db at another database"
        )
