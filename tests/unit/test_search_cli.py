"""`retain search`, `retain who` and `retain map` on the command line (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import CliInvoker


@pytest.fixture
def db(db_url: str, run_cli: CliInvoker) -> str:
    new = run_cli("interview", "new", "--guide", "handover", "--person", "Ana Silva", "--json", db=db_url)
    iid = str(json.loads(new.stdout)["id"])
    for question, text in [
        ("only-you", "I run the PayBridge payroll export. Nobody else knows the [bold]bank[/] format."),
        ("advice", "Check the payroll log each morning."),
    ]:
        assert run_cli("interview", "answer", iid, question, "--text", text, db=db_url).exit_code == 0
    run_cli("interview", "answer", iid, "stakeholders", "--text", "Payroll gossip.", "--visibility",
            "confidential", db=db_url)
    return db_url


def test_search_json_shape(db: str, run_cli: CliInvoker) -> None:
    result = run_cli("search", "payroll", "--json", db=db)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert {hit["question"] for hit in hits} == {"only-you", "advice"}
    for hit in hits:
        assert {"interview", "person", "question", "snippet", "score", "visibility"} <= hit.keys()
        assert "**payroll**" in hit["snippet"].lower()
    assert result.stderr == ""


def test_search_listing_keeps_text_literal(db: str, run_cli: CliInvoker) -> None:
    result = run_cli("search", "bank", db=db)
    assert result.exit_code == 0
    # Rich markup in an answer is shown as typed, never interpreted.
    assert "[bold]**bank**[/]" in result.output
    assert "Ana Silva (active)" in result.output and "1 answer" in result.output


def test_search_flags(db: str, run_cli: CliInvoker) -> None:
    assert json.loads(run_cli("search", "gossip", "--json", db=db).stdout) == []
    hits = json.loads(run_cli("search", "gossip", "--include-confidential", "--json", db=db).stdout)
    assert [hit["visibility"] for hit in hits] == ["confidential"]
    for flags in (["--person", "ana"], ["--guide", "handover"], ["--track", "handover"],
                  ["--status", "active"], ["--since", "2000-01-01"], ["--limit", "1"]):
        result = run_cli("search", "payroll", *flags, "--json", db=db)
        assert result.exit_code == 0 and json.loads(result.stdout), flags
    assert len(json.loads(run_cli("search", "payroll", "--limit", "1", "--json", db=db).stdout)) == 1


def test_nothing_found_says_so(db: str, run_cli: CliInvoker) -> None:
    result = run_cli("search", "gossip", db=db)
    assert result.exit_code == 0 and "no answers match" in result.output
    assert "--include-confidential" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "payroll", "--since", "yesterday"], "--since takes a date as YYYY-MM-DD"),
        (["search", "payroll", "--limit", "0"], "--limit must be between 1 and 1000"),
        (["search", "payroll", "--track", "hr"], "use exit or handover"),
        (["search", "payroll", "--status", "gone"], "unknown status"),
        (["who", "  "], "give a topic"),
        (["map", "--label", " "], "--label needs a value"),
    ],
)
def test_bad_input_is_one_line(db: str, run_cli: CliInvoker, args: list[str], message: str) -> None:
    result = run_cli(*args, db=db)
    assert result.exit_code == 1
    assert result.stderr.startswith("retain: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_who_and_map(db: str, run_cli: CliInvoker) -> None:
    entries = json.loads(run_cli("who", "PayBridge", "--json", db=db).stdout)
    assert entries[0]["person"] == "Ana Silva" and entries[0]["status"] == "active"
    listing = run_cli("who", "PayBridge", db=db)
    assert "Ana Silva (active)" in listing.output and "**PayBridge**" in listing.output
    assert "nobody in the records" in run_cli("who", "teleporter", db=db).output
    assert json.loads(run_cli("map", "--json", db=db).stdout) == []  # nothing extracted here
    assert "retain extract --all" in run_cli("map", db=db).output


def test_search_does_not_import_spacy_or_textual(db: str) -> None:
    code = (
        "import sys\n"
        "from retain.cli import main\n"
        "try:\n"
        f"    main(['--db', {db!r}, 'search', 'payroll', '--json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = [m for m in ('spacy', 'textual', 'docx', 'docxtpl') if m in sys.modules]\n"
        "print('LOADED', bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "LOADED []" in result.stdout, result.stdout + result.stderr
