"""The light read path: ``retain search`` on an SQLite file reads through sqlite3 alone, with the same hits."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from retain.config import load_settings
from retain.services import Services
from retain.services.search import SearchService
from retain.store.rows import EngineRows, SqliteRows, open_sqlite_rows
from tests.conftest import CliInvoker

QUERIES = ["payroll", '"bank file"', "pay*", "payroll OR invoice", "payroll -Friday", "the", "jose muller"]


@pytest.fixture
def filled(sqlite_services: Services) -> Services:
    services = sqlite_services
    ana = services.interviews.start("handover", "Ana Silva").id or 0
    services.interviews.answer(ana, "only-you", text="I run the PayBridge payroll export every Friday. The bank file.")
    services.interviews.answer(ana, "workarounds", text="When it fails I email José Müller and rerun the payrolls.")
    ben = services.interviews.start("handover", "Ben Ode").id or 0
    services.interviews.answer(ben, "only-you", text="I look after the invoice matching for the payroll team.")
    services.people.set_status("Ben Ode", "leaving")
    exit_ = services.interviews.start("exit", "Ana Silva").id or 0
    services.interviews.answer(exit_, "decision-story", text="Payroll politics, confidential.")
    return services


def _path(services: Services) -> Path:
    return Path(services.settings.db_url.removeprefix("sqlite:///"))


def test_the_light_path_finds_exactly_what_the_engine_finds(filled: Services) -> None:
    rows = open_sqlite_rows(_path(filled))
    assert isinstance(rows, SqliteRows)
    light = SearchService(rows)
    try:
        for query in QUERIES:
            for options in ({}, {"include_confidential": True}, {"person": "ana"}, {"status": "leaving"}):
                expected = [h.to_json() for h in filled.search.search(query, **options)]  # type: ignore[arg-type]
                assert [h.to_json() for h in light.search(query, **options)] == expected, (query, options)  # type: ignore[arg-type]
    finally:
        rows.close()


def test_the_command_uses_it_and_other_databases_do_not(filled: Services, tmp_path: Path) -> None:
    # As the command line builds it: the database opens when a service first needs it.
    quick = Services(load_settings(db=filled.settings.db_url))
    try:
        assert isinstance(quick.search_readonly._rows, SqliteRows)
        assert quick._engine is None
    finally:
        quick.close()
    # A file at another schema (or none yet) takes the engine's path, which explains or creates.
    with filled.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0007_privacy'"))
    assert open_sqlite_rows(_path(filled)) is None
    assert open_sqlite_rows(tmp_path / "missing.db") is None
    fallback = Services(load_settings(db=str(tmp_path / "fresh.db")))
    try:
        assert isinstance(fallback.search_readonly._rows, EngineRows)
    finally:
        fallback.close()


def test_a_missing_change_log_is_one_line_from_the_light_path(filled: Services, run_cli: CliInvoker) -> None:
    with filled.engine.begin() as connection:
        connection.execute(text("DROP TABLE search_change"))
    result = run_cli("search", "payroll", db=filled.settings.db_url)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "database error" in lines[0] and "no such table" in lines[0]
