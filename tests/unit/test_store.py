"""The store: SQLite file safety, PostgreSQL errors, schema versions, backups."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from retain.config import database_url, load_settings
from retain.errors import SchemaOutOfDate, StoreError
from retain.services import open_services
from retain.store.engine import SCHEMA_HEAD, open_engine, schema_revision
from retain.store.migrate import head_revision


def test_schema_head_matches_alembic() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_new_sqlite_database_is_owner_only_wal_at_head(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "retain.db"
    engine = open_engine(database_url(str(path)))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert int(connection.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 5000
    assert schema_revision(engine) == SCHEMA_HEAD
    engine.dispose()


def test_not_an_sqlite_file(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n")
    with pytest.raises(StoreError, match="is not an SQLite database"):
        open_engine(database_url(str(bogus)))
    assert bogus.read_text() == "these are my notes, not a database\n"


def test_read_only_data_dir(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits, so make the parent a file instead: equally unwritable.
        blocked = tmp_path / "blocked"
        blocked.write_text("")
        target = blocked / "retain.db"
    else:
        blocked = tmp_path / "ro"
        blocked.mkdir(mode=0o500)
        target = blocked / "retain.db"
    with pytest.raises(StoreError, match=r"cannot create the database .*writable location"):
        open_engine(database_url(str(target)))


def test_unreachable_postgres_names_host_and_port() -> None:
    with pytest.raises(StoreError, match=r"cannot reach PostgreSQL at 127\.0\.0\.1:1 "):
        open_engine(database_url("postgresql://nobody@127.0.0.1:1/retain"))


def test_out_of_date_schema_says_run_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = open_engine(database_url(str(path)))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0002_search'"))
    engine.dispose()
    with pytest.raises(SchemaOutOfDate, match="run `retain db upgrade`"):
        open_engine(database_url(str(path)), upgrade=False)
    with pytest.raises(SchemaOutOfDate):
        open_engine(database_url(str(path)))


def test_unknown_schema_never_says_run_upgrade(tmp_path: Path) -> None:
    # A revision no migration knows (a newer retain's, or a mislabelled database): telling the
    # user to run `db upgrade` sent them into a crash (issue 10).
    path = tmp_path / "future.db"
    engine = open_engine(database_url(str(path)))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    engine.dispose()
    with pytest.raises(StoreError, match="does not know") as caught:
        open_engine(database_url(str(path)))
    assert "db upgrade" not in caught.value.message


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    connection.close()
    with pytest.raises(StoreError, match="not retain's"):
        open_engine(database_url(str(path)))


def test_backup_on_postgres_says_pg_dump(pg_url: str) -> None:
    from retain.services.database import DatabaseService

    with pytest.raises(StoreError, match="pg_dump"):
        DatabaseService(load_settings(db=pg_url)).backup(Path("x.db"))


def test_config_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('db = "/from/config.db"\nspacy_model = "config_model"\n', encoding="utf-8")
    monkeypatch.setenv("RETAIN_CONFIG", str(config))
    assert load_settings().db_url == "sqlite:////from/config.db"
    monkeypatch.setenv("RETAIN_DB", "/from/env.db")
    assert load_settings().db_url == "sqlite:////from/env.db"
    assert load_settings(db="/from/flag.db").db_url == "sqlite:////from/flag.db"
    assert load_settings().spacy_model == "config_model"
    assert load_settings(db="postgresql://u@h/db").db_url == "postgresql+psycopg://u@h/db"
    config.write_text('colour = "red"\n', encoding="utf-8")
    from retain.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_settings()


WRITER = """
import sys
from retain.config import load_settings
from retain.services import open_services
services = open_services(load_settings(db=sys.argv[1]))
iid, question, worker = int(sys.argv[2]), sys.argv[3], sys.argv[4]
for n in range(100):
    services.interviews.answer(iid, question, text=f"{worker} draft {n}")
print("ok")
"""


def test_two_processes_answer_the_same_sqlite_interview(sqlite_url: str, tmp_path: Path) -> None:
    services = open_services(load_settings(db=sqlite_url))
    iid = services.interviews.start("handover", "Priya Raman").id or 0
    services.close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), sqlite_url, str(iid), question, worker],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for question, worker in (("only-you", "a"), ("breaks-first", "b"))
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err
    services = open_services(load_settings(db=sqlite_url))
    texts = {a.question_id: a.text for a in services.interviews.answers(iid)}
    assert texts == {"only-you": "a draft 99", "breaks-first": "b draft 99"}
    services.close()
