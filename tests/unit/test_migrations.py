"""The 0002 search migration: upgrading an 0001 database indexes its old answers; it downgrades."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from retain.config import database_url, load_settings
from retain.services import open_services
from retain.store.engine import SCHEMA_HEAD, make_engine, schema_revision
from retain.store.migrate import _config, head_revision
from retain.store.search.sqlite import CREATE_FTS, TRIGGERS
from tests.conftest import BACKENDS, CliInvoker


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no schema at all, on SQLite or PostgreSQL."""
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return database_url(str(tmp_path / "empty.db"))


def migrate(url: str, revision: str, *, down: bool = False) -> None:
    from alembic import command

    engine = make_engine(url)
    try:
        (command.downgrade if down else command.upgrade)(_config(engine), revision)
    finally:
        engine.dispose()


def seed_0001(url: str) -> None:
    """Rows written by a retain that had no search index."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO person (name, status, created_at) VALUES ('Old Timer', 'left', CURRENT_TIMESTAMP)"
        ))
        connection.execute(text(
            "INSERT INTO interview (guide_id, guide_version, guide_title, guide_snapshot, track, person_id, "
            "status, reviewed, created_at, updated_at) VALUES ('handover', 1, 'Handover', :snap, 'handover', "
            "(SELECT id FROM person), 'completed', false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ), {"snap": json.dumps({"id": "handover", "title": "Handover", "track": "handover", "sections": []})})
        for question, body, visibility in [
            ("only-you", "The mainframe batch called GRYPHON runs at midnight.", "shareable"),
            ("advice", "Never reboot GRYPHON on a Friday. Ask Müller.", "shareable"),
            ("secret", "GRYPHON salary notes.", "confidential"),
        ]:
            connection.execute(text(
                "INSERT INTO answer (interview_id, question_id, section_id, prompt, text, items, body, "
                "visibility, skipped, created_at, updated_at) VALUES ((SELECT id FROM interview), :q, '', "
                "'Prompt?', :b, '[]', :b, :v, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ), {"q": question, "b": body, "v": visibility})
    engine.dispose()


def test_schema_head_is_the_newest_migration() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_db_upgrade_indexes_existing_answers(empty_url: str, run_cli: CliInvoker) -> None:
    migrate(empty_url, "0001_initial")
    seed_0001(empty_url)
    result = run_cli("db", "upgrade", db=empty_url)
    assert result.exit_code == 0, result.output
    assert f"0001_initial -> {SCHEMA_HEAD}" in result.output
    services = open_services(load_settings(db=empty_url))
    try:
        assert {h.question_id for h in services.search.search("gryphon")} == {"advice", "only-you"}
        assert [h.question_id for h in services.search.search("muller")] == ["advice"]
        assert len(services.search.search("gryphon", include_confidential=True)) == 3
        # New saves after the upgrade are indexed by the new triggers (or generated column).
        services.interviews.delete_answer(services.search.search("midnight")[0].interview_id, "only-you")
        assert services.search.search("midnight") == []
    finally:
        services.close()


def test_downgrade_and_upgrade_again(empty_url: str) -> None:
    migrate(empty_url, "head")
    migrate(empty_url, "0001_initial", down=True)
    engine = make_engine(empty_url)
    try:
        assert schema_revision(engine) == "0001_initial"
    finally:
        engine.dispose()
    seed_0001(empty_url)
    migrate(empty_url, "head")
    services = open_services(load_settings(db=empty_url))
    try:
        assert len(services.search.search("gryphon")) == 2
    finally:
        services.close()


def _normalise(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().rstrip(";")


def test_bulk_load_recreates_the_migration_triggers(sqlite_url: str) -> None:
    """The triggers bulk_load drops and recreates are the ones the migration made."""
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        made = {
            row[0]: _normalise(row[1])
            for row in connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        }
        table = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'answer_fts'")).scalar_one()
    engine.dispose()
    assert made == {name: _normalise(sql) for name, sql in TRIGGERS.items()}
    assert _normalise(table) == _normalise(CREATE_FTS)
