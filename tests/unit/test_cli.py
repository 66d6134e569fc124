"""The command line through click's test runner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CliInvoker


def test_scripted_flow(run_cli: CliInvoker, db_url: str) -> None:
    new = run_cli(
        "interview",
        "new",
        "--guide",
        "handover",
        "--person",
        "Priya Raman",
        "--role",
        "Payroll lead",
        "--successor",
        "Tom Okafor",
        "--json",
        db=db_url,
    )
    assert new.exit_code == 0, new.output
    iid = str(json.loads(new.stdout)["id"])
    assert (
        run_cli(
            "interview", "answer", iid, "only-you", "--text", "I reconcile PayBridge.", db=db_url
        ).exit_code
        == 0
    )
    assert (
        run_cli(
            "interview", "answer", iid, "breaks-first", "--text", "The ADP drop.", db=db_url
        ).exit_code
        == 0
    )
    rows = run_cli(
        "interview",
        "answer",
        iid,
        "contacts",
        "--item",
        '{"name": "Tom Okafor", "role": "Controller"}',
        "--item",
        '{"name": "Ana Silva", "ask_about": "ADP"}',
        db=db_url,
    )
    assert rows.exit_code == 0, rows.output
    shown = json.loads(run_cli("interview", "show", iid, "--json", db=db_url).stdout)
    assert shown["progress"]["answered"] == 3
    assert {
        "id",
        "guide",
        "track",
        "status",
        "person",
        "progress",
        "answers",
        "entities",
        "topics",
        "gaps",
    } <= set(shown)
    contacts = next(a for a in shown["answers"] if a["question"] == "contacts")
    assert [r["name"] for r in contacts["items"]] == ["Tom Okafor", "Ana Silva"]
    assert all(a["visibility"] == "shareable" for a in shown["answers"])
    done = run_cli("interview", "complete", iid, db=db_url)
    assert done.exit_code == 0
    assert "required questions unanswered" in done.stderr
    listed = json.loads(run_cli("interview", "list", "--json", db=db_url).stdout)
    assert listed[0]["status"] == "completed"


def test_exit_answers_default_confidential(run_cli: CliInvoker, db_url: str) -> None:
    iid = json.loads(
        run_cli(
            "interview", "new", "--guide", "exit", "--person", "Marcus", "--json", db=db_url
        ).stdout
    )["id"]
    guide = json.loads(run_cli("guides", "show", "exit", "--json").stdout)
    text_q = next(q["id"] for s in guide["sections"] for q in s["questions"] if q["type"] == "text")
    assert (
        run_cli("interview", "answer", str(iid), text_q, "--text", "Workload.", db=db_url).exit_code
        == 0
    )
    shown = json.loads(run_cli("interview", "show", str(iid), "--json", db=db_url).stdout)
    assert shown["answers"][0]["visibility"] == "confidential"


def test_guides_list_and_show(run_cli: CliInvoker) -> None:
    listing = run_cli("guides", "list").stdout
    for guide in ("exit", "handover", "it-service-owner", "people-manager", "internal-move"):
        assert guide in listing
    shown = json.loads(run_cli("guides", "show", "handover", "--json").stdout)
    assert set(shown) >= {"id", "title", "track", "version", "sections"}
    question = shown["sections"][0]["questions"][0]
    assert set(question) >= {"id", "prompt", "type", "required", "visibility", "pack", "fields"}


def test_guides_validate_reports_file_line(run_cli: CliInvoker, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: X\ntrack: sideways\nsections: []\n", encoding="utf-8")
    result = run_cli("guides", "validate", str(bad), "interviews/handover.yaml")
    assert result.exit_code == 1
    assert f"{bad}:3: unknown track 'sideways'" in result.stderr
    assert "handover.yaml: ok" in result.stdout


def test_user_errors_are_one_line_exit_1(
    run_cli: CliInvoker, sqlite_url: str, tmp_path: Path
) -> None:
    def error(*args: str) -> str:
        result = run_cli(*args, db=sqlite_url)
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("retain: error: ")
        return lines[0]

    assert "available guides: exit, handover" in error(
        "interview", "new", "--guide", "nope", "--person", "A"
    )
    iid = json.loads(
        run_cli(
            "interview", "new", "--guide", "handover", "--person", "A", "--json", db=sqlite_url
        ).stdout
    )["id"]
    assert "valid ids:" in error("interview", "answer", str(iid), "nope", "--text", "x")
    assert "is a list" in error("interview", "answer", str(iid), "contacts", "--text", "x")
    assert "not a list" in error(
        "interview", "answer", str(iid), "only-you", "--item", '{"name": "x"}'
    )
    assert "not valid JSON" in error("interview", "answer", str(iid), "contacts", "--item", "{name")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9".encode("latin-1"))
    assert "not UTF-8" in error("interview", "answer", str(iid), "only-you", "--file", str(latin))
    shown = json.loads(run_cli("interview", "show", str(iid), "--json", db=sqlite_url).stdout)
    assert shown["answers"] == [], "nothing may be written on a refused answer"


def test_usage_errors_exit_2(run_cli: CliInvoker, sqlite_url: str) -> None:
    assert run_cli("interview", "answer", "1", "only-you", db=sqlite_url).exit_code == 2
    assert (
        run_cli(
            "interview", "answer", "1", "only-you", "--text", "a", "--stdin", db=sqlite_url
        ).exit_code
        == 2
    )


def test_file_and_stdin_are_byte_for_byte(
    run_cli: CliInvoker, sqlite_url: str, tmp_path: Path
) -> None:
    iid = json.loads(
        run_cli(
            "interview", "new", "--guide", "handover", "--person", "A", "--json", db=sqlite_url
        ).stdout
    )["id"]
    text = "line one\r\nשלום 🚀\x07\n"
    source = tmp_path / "answer.txt"
    source.write_bytes(text.encode("utf-8"))
    assert (
        run_cli(
            "interview", "answer", str(iid), "only-you", "--file", str(source), db=sqlite_url
        ).exit_code
        == 0
    )
    assert (
        run_cli(
            "interview",
            "answer",
            str(iid),
            "breaks-first",
            "--stdin",
            input=text.encode(),
            db=sqlite_url,
        ).exit_code
        == 0
    )
    answers = json.loads(run_cli("interview", "show", str(iid), "--json", db=sqlite_url).stdout)[
        "answers"
    ]
    assert [a["text"] for a in answers] == [text, text]


def test_db_path_and_backup(
    run_cli: CliInvoker, sqlite_url: str, tmp_path: Path, isolated_env: Path
) -> None:
    assert run_cli("db", "path").stdout.strip() == str(isolated_env / "data" / "retain.db")
    assert run_cli("db", "path", db=sqlite_url).stdout.strip() == sqlite_url.removeprefix(
        "sqlite:///"
    )
    run_cli("interview", "new", "--guide", "handover", "--person", "A", db=sqlite_url)
    target = tmp_path / "backup.db"
    result = run_cli("db", "backup", str(target), db=sqlite_url)
    assert result.exit_code == 0 and target.exists()
    listed = json.loads(run_cli("interview", "list", "--json", db=str(target)).stdout)
    assert len(listed) == 1
    assert run_cli("db", "backup", str(target), db=sqlite_url).exit_code == 1


def test_db_upgrade_is_idempotent(run_cli: CliInvoker, tmp_path: Path) -> None:
    path = str(tmp_path / "fresh.db")
    first = run_cli("db", "upgrade", db=path)
    assert first.exit_code == 0 and "none ->" in first.stdout
    assert "up to date" in run_cli("db", "upgrade", db=path).stdout
