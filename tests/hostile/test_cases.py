"""Every hostile input gets one line on stderr, exit 1 (2 for usage), and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.cases import CASES, Case, kinds
from tests.hostile.conftest import Seeded, run_hostile


def _fill(value: str, seeded: Seeded, tmp: Path) -> str:
    if "{" not in value or len(value) > 1000:
        return value
    return (value.replace("{hid}", str(seeded.handover)).replace("{xid}", str(seeded.exit))
            .replace("{tmp}", str(tmp)))


def test_the_suite_is_big_enough() -> None:
    # Run on both backends, so at least 300 runs; the closing note quotes these counts.
    assert len(CASES) >= 150, kinds()
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.timeout(10, func_only=True)
@pytest.mark.parametrize("item", CASES, ids=[c.id for c in CASES])
def test_hostile_input(item: Case, seeded: Seeded, tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    for name, content in item.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    args = [_fill(a, seeded, folder) for a in item.args]
    env = {k: _fill(v, seeded, folder) for k, v in item.env.items()}
    db: str | None
    if item.db == "seeded":
        db = seeded.url
    elif item.db == "none":
        db = None
    elif item.db == "empty":
        db = ""
    elif item.db == "spaces":
        db = "   "
    else:
        db = _fill(item.db, seeded, folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.stat().st_size < 10_000_000}
    run_hostile(args, db=db, watch=seeded.url, codes=(item.code,), input=item.input, env=env or None,
                expect=item.expect, exports=tmp_path / "home" / "exports")
    out = folder / "out"
    assert not out.exists() or not any(out.iterdir()), f"{item.id} wrote {list(out.iterdir())}"
    for path, content in before.items():
        assert path.read_bytes() == content, f"{item.id} changed {path.name}"
