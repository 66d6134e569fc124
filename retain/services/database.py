"""Database maintenance: upgrade the schema and take online backups."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from retain.config import Settings
from retain.errors import Fix, StoreError
from retain.store.engine import check_known_revision, check_reachable, make_engine, schema_revision
from retain.store.migrate import tables_ahead_of, upgrade_to_head


class DatabaseService:
    """Upgrade and back up the configured database."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def upgrade(self) -> tuple[str | None, str]:
        """Run every pending migration.

        Returns:
            The revision before and after.
        """
        engine = make_engine(self._settings.db_url)
        try:
            check_reachable(engine)
            before = schema_revision(engine)
            check_known_revision(self._settings.db_url, before)
            ahead = tables_ahead_of(engine, before)
            if ahead:
                raise StoreError(
                    f"cannot upgrade from schema {before or 'none'}: {', '.join(ahead)} already exist; the tables "
                    "do not match the recorded schema: restore a backup (`retain db backup` makes one)"
                )
            try:
                upgrade_to_head(engine)
            except DBAPIError as exc:
                # The recorded revision does not match the tables (a restored or hand-edited
                # database): Alembic's DDL fails part-way, and each step is transactional.
                detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:160]
                raise StoreError(
                    f"cannot upgrade from schema {before or 'none'}: {detail}; the tables do not "
                    "match the recorded schema: restore a backup (`retain db backup` makes one)"
                ) from exc
            return before, schema_revision(engine) or ""
        finally:
            engine.dispose()

    def backup(self, target: Path, *, force: bool = False) -> Path:
        """Copy an SQLite database with the online backup API (safe while it is in use).

        Raises:
            StoreError: On PostgreSQL (use pg_dump), or when the target exists without ``force``.
        """
        if not self._settings.is_sqlite:
            raise StoreError(
                "backup copies SQLite files; for PostgreSQL use pg_dump (e.g. pg_dump -Fc DBNAME > retain.dump)"
            )
        source = Path(self._settings.db_url.removeprefix("sqlite:///"))
        if not source.is_file():
            raise StoreError(f"no database at {source} yet; nothing to back up")
        target = target.expanduser().resolve()
        if target.exists() and not force:
            raise StoreError(f"{target} exists", fix=Fix.FORCE)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                target.unlink()
            fd = os.open(target, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
            with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
                src.backup(dst)
                # A copy is a database of its own to the search index: put back in place of
                # the original, it must not be read through the original's index.
                if dst.execute("SELECT name FROM sqlite_master WHERE name = 'search_meta'").fetchone():
                    dst.execute("UPDATE search_meta SET epoch = epoch + 1 WHERE id = 1")
            dst.close()
            src.close()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot write the backup {target}: {exc}") from exc
        return target
