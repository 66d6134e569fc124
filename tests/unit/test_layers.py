"""Layering rules, checked in a fresh interpreter through sys.modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys
import {module}
heavy = sorted(m for m in ("textual", "spacy", "docx", "docxtpl", "thinc") if m in sys.modules)
print(",".join(heavy))
"""


@pytest.mark.parametrize(
    "module", ["retain.services", "retain.cli", "retain.store.engine", "retain.guides"]
)
def test_core_imports_neither_textual_nor_spacy(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "", f"{module} pulled in {result.stdout.strip()}"


def test_no_module_below_the_front_ends_imports_textual() -> None:
    from pathlib import Path

    import retain

    root = Path(retain.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.parts[len(root.parts)] not in ("tui", "cli")
        and ("import textual" in path.read_text() or "from textual" in path.read_text())
    ]
    assert offenders == []
