"""The hostile-input suite's plumbing: a shared seeded database per backend, a row checksum,
and one runner that asserts what every bad input must get."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, inspect, text

from retain.config import database_url, load_settings
from tests.conftest import PG_URL, _sqlite_url, shared_extractor

# Every case must finish within this; the limits inside retain are set well below it.
CASE_SECONDS = 10.0


@dataclass
class Seeded:
    """A database with a handover and an exit interview, shared by a module's cases."""

    backend: str
    url: str
    handover: int
    exit: int
    folder: Path
    extra: dict[str, Any] = field(default_factory=dict)


def _seed(url: str) -> tuple[int, int]:
    from retain.services import open_services

    services = open_services(load_settings(db=url), extractor_factory=shared_extractor)
    try:
        handover = services.interviews.start("handover", "Priya Raman", role="Payroll lead")
        hid = handover.id or 0
        services.interviews.answer(
            hid, "role-summary", text="I run payroll through PayBridge every Monday with Sarah Lee."
        )
        services.interviews.answer(
            hid, "contacts", items=[{"name": "Sarah Lee", "role": "Finance", "ask_about": "ledger"}]
        )
        exit_interview = services.interviews.start("exit", "Priya Raman")
        services.interviews.answer(
            exit_interview.id or 0, "decision-story", text="Salary and my manager, confidentially."
        )
        services.extraction.extract_interviews([hid, exit_interview.id or 0])
        return hid, exit_interview.id or 0
    finally:
        services.close()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """One seeded database per backend and module: every case must leave it unchanged."""
    folder = tmp_path_factory.mktemp(f"hostile-{request.param}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RETAIN_CONFIG", str(folder / "no-config.toml"))
        patch.setenv("RETAIN_DATA_DIR", str(folder / "data"))
        for var in ("RETAIN_DB", "RETAIN_GUIDES", "RETAIN_GLOSSARY", "RETAIN_SPACY_MODEL"):
            patch.delenv(var, raising=False)
        if request.param == "postgres":
            if not PG_URL:
                pytest.skip("set RETAIN_TEST_DB to a PostgreSQL URL to run PostgreSQL tests")
            schema = f"h_{uuid.uuid4().hex[:12]}"
            admin = create_engine(database_url(PG_URL))
            with admin.begin() as connection:
                connection.execute(text(f"CREATE SCHEMA {schema}"))
            base = database_url(PG_URL)
            url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
            try:
                yield Seeded("postgres", url, *_seed(url), folder)
            finally:
                with admin.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
                admin.dispose()
        else:
            url = _sqlite_url(folder)
            yield Seeded("sqlite", url, *_seed(url), folder)


def checksum(url: str) -> str:
    """A hash of every row of every table (SQLite FTS shadow tables included)."""
    engine = create_engine(url)
    digest = hashlib.sha256()
    try:
        with engine.connect() as connection:
            for table in sorted(inspect(connection).get_table_names()):
                rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
                digest.update(table.encode())
                for row in sorted(repr(tuple(row)) for row in rows):
                    digest.update(row.encode("utf-8", "surrogatepass"))
    finally:
        engine.dispose()
    return digest.hexdigest()


def run_hostile(
    args: list[str],
    *,
    db: str | None,
    watch: str | None = None,
    check_rows: bool = True,
    codes: tuple[int, ...] = (1, 2),
    input: str | bytes | None = None,
    env: dict[str, str | None] | None = None,
    expect: str | None = None,
    exports: Path | None = None,
) -> Result:
    """Run one bad input and assert what it must get.

    Exit 1 or 2 (as given), exactly one line on stderr starting ``retain: error:``, no
    traceback anywhere, under :data:`CASE_SECONDS`, the database's rows unchanged and no
    export written.
    """
    from retain.cli import cli

    watch = (watch or db) if check_rows else None
    before = checksum(watch) if watch else None
    argv = (["--db", db] if db is not None else []) + args
    started = time.monotonic()
    result = CliRunner().invoke(cli, argv, input=input, env=env, catch_exceptions=False)
    elapsed = time.monotonic() - started
    shown = f"exit {result.exit_code}; stderr {result.stderr!r}; stdout {result.stdout[:300]!r}"
    assert result.exit_code in codes, shown
    assert "Traceback" not in result.output, shown
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), shown
    assert result.stderr.startswith("retain: error: "), shown
    if expect is not None:
        assert expect in result.stderr, shown
    assert elapsed < CASE_SECONDS, f"took {elapsed:.1f} s; {shown}"
    if watch:
        assert checksum(watch) == before, f"the database changed; {shown}"
    folder = exports if exports is not None else Path(os.environ.get("RETAIN_EXPORTS", "exports"))
    if folder.is_dir():
        assert not [p for p in folder.rglob("*") if p.is_file()], f"a file was written; {shown}"
    return result


def copy_sqlite(url: str, target: Path) -> Path:
    """A copy of an SQLite database file (for cases that damage their database)."""
    source = Path(url.removeprefix("sqlite:///"))
    shutil.copyfile(source, target)
    return target
