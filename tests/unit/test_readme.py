"""README truth: every command the README shows runs against the demo data, and prints what it shows.

Samples are ``$ retain ...`` lines in a code block, followed by the output the README shows.
A sample's lines must appear in the real output in the same order (a README may leave rows
out); a line ending in ``...`` or ``…`` stands for any line that starts the same way; times
(``18:06``) and dates of today are placeholders, because the demo is loaded when the test runs.
The quick-start and search blocks are run command by command and must succeed.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from retain.cli import cli

README = Path(__file__).resolve().parents[2] / "README.md"
# Long-running or machine-specific commands: covered by their own tests.
NOT_RUN = ("retain serve",)
TIME = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b|\b\d{2}:\d{2}(:\d{2})?\b")


def blocks(text: str) -> Iterator[list[str]]:
    """The lines of every fenced code block."""
    inside, lines = False, []
    for line in text.splitlines():
        if line.startswith("```"):
            if inside:
                yield lines
            inside, lines = not inside, []
        elif inside:
            lines.append(line)


def samples(text: str) -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` for every ``$ retain`` sample."""
    found: list[tuple[str, list[str]]] = []
    for lines in blocks(text):
        current: list[str] | None = None
        for line in lines:
            if line.startswith("$ retain"):
                current = []
                found.append((line[2:], current))
            elif current is not None and line.strip():
                current.append(line)
    return found


def flat(line: str) -> str:
    return " ".join(TIME.sub("<time>", line).split())


def matches(expected: str, actual: str) -> bool:
    want = flat(expected)
    for cut in ("...", "…"):
        if want.endswith(cut):
            return flat(actual).startswith(want[: -len(cut)].rstrip())
    return flat(actual) == want


def in_order(expected: list[str], actual: list[str]) -> str | None:
    """None when every expected line occurs in ``actual`` in order; else the first missing line."""
    position = 0
    for line in expected:
        while position < len(actual) and not matches(line, actual[position]):
            position += 1
        if position == len(actual):
            return line
        position += 1
    return None


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("readme")
    db = str(folder / "demo.db")
    result = CliRunner().invoke(cli, ["--db", db, "demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


# Files the README's samples name (the broken guide of `retain guides validate guide.yaml`).
FILES = Path(__file__).resolve().parents[1] / "data" / "readme"


def run(db: str, command: str) -> tuple[int, str]:
    """Run one README command on ``db``: exit code and what it printed (stdout, then stderr)."""
    argv = shlex.split(command, comments=True)
    assert argv[0] == "retain"
    result = CliRunner().invoke(cli, ["--db", db, *argv[1:]], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


SAMPLES = [s for s in samples(README.read_text(encoding="utf-8")) if not s[0].startswith(NOT_RUN)]


@pytest.mark.parametrize(("command", "expected"), SAMPLES, ids=[c for c, _ in SAMPLES])
def test_every_readme_sample_prints_what_the_readme_shows(
    demo_db: str, command: str, expected: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FILES)
    code, output = run(demo_db, command)
    # A validation example shows the errors it reports (exit 1); everything else succeeds.
    assert code == (1 if command.startswith("retain guides validate") else 0), output
    missing = in_order(expected, output.splitlines())
    assert missing is None, f"the README shows {missing!r}, but `{command}` printed:\n{output}"


def block_starting(text: str, first: str) -> list[str]:
    return next(lines for lines in blocks(text) if lines and lines[0].startswith(first))


# Blocks of commands run one after another; the README's example id is whatever
# `interview new` printed on this database.
SEQUENCES = [("retain demo", "12"), ('retain interview new --guide handover --person "Nora', "21")]


@pytest.mark.parametrize(("first", "example_id"), SEQUENCES, ids=["quick start", "journey"])
def test_command_sequences_run_in_order(demo_db: str, tmp_path: Path, first: str, example_id: str) -> None:
    db = str(tmp_path / "copy.db")
    shutil.copyfile(demo_db, db)
    commands = block_starting(README.read_text(encoding="utf-8"), first)
    new_id: str | None = None
    for command in commands:
        if new_id is not None:
            command = re.sub(rf"(?<=\s){example_id}(?=\s|$)", new_id, command)
        code, output = run(db, command)
        assert code == 0, f"`{command}` failed:\n{output}"
        if "interview new" in command:
            found = re.search(r'"id": (\d+)|interview (\d+) started', output)
            assert found, output
            new_id = found.group(1) or found.group(2)


def test_the_search_examples_find_something(demo_db: str) -> None:
    commands = block_starting(README.read_text(encoding="utf-8"), "retain search")
    for command in commands:
        code, output = run(demo_db, command)
        assert code == 0, output
        assert output.strip() and not output.startswith(("No answers match", "nobody", "No one")), (
            f"`{command}` finds nothing on the demo data:\n{output}")
