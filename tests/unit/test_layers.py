"""Layering rules, checked in a fresh interpreter through sys.modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import retain

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



FRONT_ENDS = ("cli", "tui", "web")
ROOT = Path(retain.__file__).parent


def _imports(path: Path) -> set[str]:
    """The modules a file imports, and their top-level packages (parsed, not grepped)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found |= {name for name in names} | {name.split(".")[0] for name in names}
    return found


def _modules(*under: str) -> list[Path]:
    return [path for path in sorted(ROOT.rglob("*.py")) if not under or path.relative_to(ROOT).parts[0] in under]


def test_nothing_below_the_front_ends_imports_click_or_rich() -> None:
    offenders = [
        str(path.relative_to(ROOT)) for path in _modules()
        if path.relative_to(ROOT).parts[0] not in FRONT_ENDS and _imports(path) & {"click", "rich", "textual"}
    ]
    assert offenders == []


def test_packs_read_the_domain_not_the_services() -> None:
    offenders = [
        str(path.relative_to(ROOT)) for path in _modules("packs")
        if any(name.split(".")[:2] in (["retain", "services"], ["retain", "cli"], ["retain", "tui"])
               for name in _imports(path))
    ]
    assert offenders == []


def test_the_domain_is_pure() -> None:
    """Plain functions over plain data: no database session, no front end, no NLP model, no layer above."""
    banned = {"sqlalchemy", "sqlmodel", "textual", "click", "rich", "spacy", "docx", "docxtpl"}
    above = (["retain", "services"], ["retain", "store"], ["retain", "packs"], ["retain", "cli"], ["retain", "tui"])
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _imports(path) if n in banned or n.split(".")[:2] in above)
        for path in _modules("domain")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
