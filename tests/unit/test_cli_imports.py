"""What a command imports decides how fast it starts: `retain search` stays off the heavy libraries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from retain.config import load_settings
from retain.services import open_services

# Libraries `retain search` has no use for; each costs 30-300 ms to import.
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
