"""What a command imports decides how fast it starts: search, interview list and who stay off the heavy libraries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from retain.config import load_settings
from retain.services import open_services

# Libraries `retain search`, `interview list` and `who` have no use for; each costs 30-300 ms to import.
HEAVY = ["sqlmodel", "pydantic", "rich", "spacy", "docx", "docxtpl", "alembic", "textual", "yaml", "jinja2"]

PROBE = """
import json, sys
from retain.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)
"""


def _imported(db: str, *args: str) -> set[str]:
    env = {**os.environ, "RETAIN_DB": db, "RETAIN_CONFIG": os.devnull}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_search_imports_no_orm_guides_or_rich(sqlite_url: str, tmp_path: Path) -> None:
    services = open_services(load_settings(db=sqlite_url))
    try:
        interview = services.interviews.start("handover", "Cleo Park").id or 0
        services.interviews.answer(interview, "only-you", text="I run the payroll export.")
    finally:
        services.close()
    modules = _imported(sqlite_url, "search", "payroll")
    # On an SQLite file a search reads through sqlite3 alone (retain.store.rows).
    assert "sqlalchemy" not in modules and "click" in modules and "tantivy" in modules
    assert modules.isdisjoint(HEAVY), sorted(modules.intersection(HEAVY))


def _interview_with_answers(url: str) -> int:
    services = open_services(load_settings(db=url))
    try:
        interview = services.interviews.start("handover", "Cleo Park").id or 0
        services.interviews.answer(interview, "only-you", text="I run the PayBridge payroll export.")
        services.interviews.skip(interview, "role-summary", "covered elsewhere")
    finally:
        services.close()
    return interview


def test_interview_list_reads_through_sqlite3_alone(sqlite_url: str) -> None:
    # The list prints plain rows: no SQLAlchemy (~0.16 s), no ORM, no guide schema (pydantic).
    _interview_with_answers(sqlite_url)
    for args in (["interview", "list"], ["interview", "list", "--json", "--person", "cleo"]):
        modules = _imported(sqlite_url, *args)
        assert "sqlite3" in modules and "click" in modules
        assert modules.isdisjoint([*HEAVY, "sqlalchemy"]), sorted(modules.intersection([*HEAVY, "sqlalchemy"]))


def test_who_and_map_import_no_sqlalchemy_guides_or_yaml(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `who` and `map` read through sqlite3 alone, guide snapshots as JSON, and the gazetteer's
    # key map from its cache.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _interview_with_answers(sqlite_url)
    _imported(sqlite_url, "who", "PayBridge")  # the first run fills the key-map cache
    for args in (["who", "PayBridge"], ["map", "--json"]):
        modules = _imported(sqlite_url, *args)
        assert "sqlite3" in modules
        assert modules.isdisjoint([*HEAVY, "sqlalchemy"]), sorted(modules.intersection([*HEAVY, "sqlalchemy"]))
    assert list((tmp_path / "cache" / "retain").glob("keymap-*.json"))
