"""Start-up stays light: the app's import path holds no database, spaCy or Word code."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sqlalchemy", "sqlmodel", "spacy", "docx", "docxtpl", "retain.services", "retain.guides.schema")


def test_importing_the_app_loads_nothing_heavy() -> None:
    code = (
        "import json, sys; import retain.cli, retain.tui.app; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []
