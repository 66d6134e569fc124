"""Shared fixtures: isolated config and data dirs, and a database on SQLite or PostgreSQL."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from retain.config import Settings, database_url, load_settings
from retain.nlp.extractor import Extractor
from retain.services import Services, open_services

PG_URL = os.environ.get("RETAIN_TEST_DB")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

_template_db: dict[str, Path] = {}


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every retain path at a temp dir so no test touches the user's real data."""
    home = tmp_path / "home"
    home.mkdir()
    for var in (
        "RETAIN_DB",
        "RETAIN_GUIDES",
        "RETAIN_GLOSSARY",
        "RETAIN_SPACY_MODEL",
        "RETAIN_EXPORTS",
        "RETAIN_INTERVIEWER",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RETAIN_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("RETAIN_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("RETAIN_EXPORTS", str(home / "exports"))
    # retain's rebuildable caches (key map, compiled template parts) stay out of the real home.
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home


def _sqlite_url(tmp_path: Path) -> str:
    # Migrating once per run and copying the file keeps hundreds of tests fast.
    if "file" not in _template_db:
        from retain.store.engine import open_engine

        template = (
            Path(os.environ.get("PYTEST_TMPDIR", "/tmp")) / f"retain-template-{uuid.uuid4().hex}.db"
        )
        open_engine(database_url(str(template))).dispose()
        _template_db["file"] = template
    target = tmp_path / "retain.db"
    shutil.copyfile(_template_db["file"], target)
    os.chmod(target, 0o600)
    return database_url(str(target))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if not PG_URL:
        pytest.skip("set RETAIN_TEST_DB to a PostgreSQL URL to run PostgreSQL tests")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(PG_URL))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    base = database_url(PG_URL)
    joiner = "&" if "?" in base else "?"
    yield f"{base}{joiner}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database URL: parametrised over SQLite and PostgreSQL."""
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return _sqlite_url(tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, migrated SQLite database URL."""
    return _sqlite_url(tmp_path)


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Settings on the parametrised database."""
    return load_settings(db=db_url)


@functools.lru_cache(maxsize=1)
def shared_extractor() -> Extractor:
    """One loaded spaCy extractor (default model, no glossary) for the whole test run."""
    from retain.nlp.extractor import load_extractor

    extractor = load_extractor(Settings(data_dir=Path(tempfile.gettempdir())))
    extractor.load()
    return extractor


def named_entities(extractor: Extractor, text: str) -> list[tuple[str, str]]:
    """The PERSON, ORG and SYSTEM mentions the extractor finds in ``text``, as (text, label)."""
    return [(m.text, m.label) for m in extractor.extract(text).mentions
            if m.label in ("PERSON", "ORG", "SYSTEM")]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The shared, loaded spaCy extractor (loading it takes a second or two)."""
    return shared_extractor()


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """Services on a fresh database (SQLite and PostgreSQL)."""
    services = open_services(settings, extractor_factory=shared_extractor)
    yield services
    services.close()


@pytest.fixture
def sqlite_services(sqlite_url: str) -> Iterator[Services]:
    """Services on a fresh SQLite database only."""
    services = open_services(load_settings(db=sqlite_url), extractor_factory=shared_extractor)
    yield services
    services.close()


CliInvoker = Callable[..., Result]


@pytest.fixture
def run_cli() -> CliInvoker:
    """Run the CLI in-process with click's test runner: ``run_cli("guides", "list")``."""
    from retain.cli import cli

    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, db: str | None = None) -> Result:
        argv = (["--db", db] if db else []) + list(args)
        return runner.invoke(cli, argv, input=input, catch_exceptions=False)

    return invoke


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    template = _template_db.pop("file", None)
    if template is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{template}{suffix}").unlink(missing_ok=True)
