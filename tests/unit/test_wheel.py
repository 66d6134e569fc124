"""The wheel carries the guides, templates, demo data and migrations: no `-e` needed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("retain-*.whl"))


def test_wheel_ships_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for guide in ("exit", "handover", "it-service-owner", "people-manager", "internal-move"):
        assert f"retain/_data/interviews/{guide}.yaml" in names
    assert "retain/demo/demo.yaml" in names
    assert "retain/store/migrations/versions/0001_initial.py" in names
    shipped_templates = {p.name for p in (ROOT / "templates").iterdir() if p.is_file()}
    assert {f"retain/_data/templates/{name}" for name in shipped_templates} <= names


def test_installed_wheel_lists_and_runs_guides(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import retain; "
        "assert retain.__file__.startswith(sys.argv[1]), retain.__file__; "
        "from retain.cli import main; main(['guides', 'list'])"
    )
    env = {**os.environ, "RETAIN_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    for guide in ("exit", "handover", "it-service-owner", "people-manager", "internal-move"):
        assert guide in result.stdout
