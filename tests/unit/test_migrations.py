"""The search migrations: an old database upgrades with its answers found; 0008 swaps FTS for a change log."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from retain.clock import utcnow
from retain.config import database_url, load_settings
from retain.services import open_services
from retain.store.engine import SCHEMA_HEAD, make_engine, schema_revision
from retain.store.migrate import _config, head_revision
from retain.store.search.backend import IndexedSearch
from retain.store.search.bulk import BulkAnswer
from retain.store.search.triggers import SQLITE_TRIGGERS
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
        # Saves after the upgrade reach the index through the change-log triggers.
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


def _sqlite_triggers(connection: Connection) -> dict[str, str]:
    rows = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    return {row[0]: _normalise(row[1]) for row in rows}


def _no_old_search(connection: Connection) -> None:
    """What 0008 dropped: the FTS5 table and its triggers, the tsvector column and its GIN index."""
    if connection.dialect.name == "sqlite":
        names = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master"))}
        assert not {name for name in names if name.startswith("answer_fts")}, names
        return
    columns = {row[0] for row in connection.execute(text(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'answer'"
    ))}
    assert "search_vector" not in columns
    indexes = {row[0] for row in connection.execute(text(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'answer'"
    ))}
    assert "ix_answer_search_vector" not in indexes


def _change_log_in_place(connection: Connection) -> None:
    """What 0008 made: the change log, the identity row, and the triggers that write the log."""
    assert connection.execute(text("SELECT count(*) FROM search_meta WHERE id = 1")).scalar_one() == 1
    connection.execute(text("SELECT answer_id, seq FROM search_change")).all()
    if connection.dialect.name == "sqlite":
        assert _sqlite_triggers(connection) == {name: _normalise(sql) for name, sql in SQLITE_TRIGGERS.items()}
        return
    triggers = {row[0] for row in connection.execute(text(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = CAST('answer' AS regclass) AND NOT tgisinternal"
    ))}
    assert triggers == {"search_change"}


def test_bulk_load_recreates_the_migration_triggers(sqlite_url: str) -> None:
    """The triggers bulk_load drops and recreates are the ones migration 0008 made."""
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            _change_log_in_place(connection)
            _no_old_search(connection)
    finally:
        engine.dispose()
    services = open_services(load_settings(db=sqlite_url))
    try:
        interview = services.interviews.start("handover", "Bulk Loader").id or 0
        now = utcnow()
        with services.search.bulk_load() as load:
            load.add_answers([BulkAnswer(interview, "only-you", "Prompt?", "the bulk gryphon", "shareable", now, now)])
            _change_log_in_place(load.connection)  # off only while add_answers inserts
        with services.engine.connect() as connection:
            _change_log_in_place(connection)
        services.interviews.answer(interview, "advice", text="A single gryphon save.")
        assert {h.question_id for h in services.search.search("gryphon")} == {"only-you", "advice"}
    finally:
        services.close()


def test_downgrade_to_0007_and_upgrade_again(empty_url: str) -> None:
    """0008 goes down to the old full-text index with every answer in it, and comes back up exact."""
    migrate(empty_url, "head")
    services = open_services(load_settings(db=empty_url))
    try:
        interview = services.interviews.start("handover", "Old Timer").id or 0
        services.interviews.answer(interview, "only-you", text="The mainframe batch called GRYPHON.")
        services.interviews.answer(interview, "advice", text="Never reboot GRYPHON on a Friday.")
        services.interviews.answer(interview, "breaks-first", text="The GRYPHON salary notes.",
                                   visibility="confidential")
        assert len(services.search.search("gryphon", include_confidential=True)) == 3  # an index on disk now
        backend = services.search.backend
        assert isinstance(backend, IndexedSearch) and backend.index.root is not None
    finally:
        services.close()
    migrate(empty_url, "0007_privacy", down=True)
    engine = make_engine(empty_url)
    try:
        assert schema_revision(engine) == "0007_privacy"
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                tables = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master"))}
                assert "search_change" not in tables and "search_meta" not in tables
                found = connection.execute(text("SELECT rowid FROM answer_fts WHERE answer_fts MATCH 'gryphon'"))
            else:
                found = connection.execute(text(
                    "SELECT id FROM answer WHERE search_vector @@ to_tsquery('retain_search', 'gryphon')"
                ))
            assert len(found.all()) == 3  # the old index holds every answer again
            # Written by a retain of 0007 while the new index's directory stays behind, stale.
            connection.execute(text("DELETE FROM answer WHERE question_id = 'only-you'"))
            connection.execute(text("UPDATE answer SET body = 'Never reboot the PHOENIX on a Friday.', "
                                    "text = 'Never reboot the PHOENIX on a Friday.' WHERE question_id = 'advice'"))
    finally:
        engine.dispose()
    migrate(empty_url, "head")
    engine = make_engine(empty_url)
    try:
        assert schema_revision(engine) == SCHEMA_HEAD
        with engine.connect() as connection:
            _change_log_in_place(connection)
            _no_old_search(connection)
    finally:
        engine.dispose()
    services = open_services(load_settings(db=empty_url))
    try:
        # The upgrade gave the database a new identity, so the stale index is rebuilt, not trusted.
        assert [h.question_id for h in services.search.search("gryphon", include_confidential=True)] == [
            "breaks-first"
        ]
        assert [h.question_id for h in services.search.search("phoenix")] == ["advice"]
        backend = services.search.backend
        assert isinstance(backend, IndexedSearch) and backend.index.verify() == []
    finally:
        services.close()
