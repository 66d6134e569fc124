"""What the successor reads: review state on the cover and header, numbering, open items,
follow-up additions, one print per answer, contents page numbers (Word and PDF)."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import docx
import pytest

from retain.clock import today
from tests.conftest import CliInvoker


def stamp() -> str:
    """Today as the pack prints a review date (read when asserting: a run may cross midnight)."""
    return f"{today().day} {today():%b %Y}"
WHO_ELSE = "Kwame Asante knows the Kyriba bank feed server; the runbook is in Confluence."


def run_json(run_cli: CliInvoker, db: str, *args: str) -> Any:
    result = run_cli(*args, "--json", db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ok(run_cli: CliInvoker, db: str, *args: str) -> str:
    result = run_cli(*args, db=db)
    assert result.exit_code == 0, result.output
    return result.stdout


def docx_text(path: Path) -> tuple[str, str]:
    """The body text and the running header of a Word pack."""
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    body += "\n" + "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    return body, header


def test_the_journey_from_the_cli(db_url: str, run_cli: CliInvoker, tmp_path: Path) -> None:
    """New interview with a leaving date -> answers -> review -> export REVIEWED -> 30-day
    follow-up -> its "missing" answer is a gap on the original -> accept -> cover ACCEPTED."""
    left = (today() - timedelta(days=35)).isoformat()
    handover = run_json(run_cli, db_url, "interview", "new", "--guide", "handover", "--person", "Nora Lindqvist",
                        "--successor", "Tom Okafor", "--leaving-date", left, "--role", "Treasury Lead")["id"]
    ok(run_cli, db_url, "interview", "answer", str(handover), "role-summary", "--text", "Treasury operations.")
    ok(run_cli, db_url, "interview", "answer", str(handover), "only-you", "--text", "The Kyriba bank feed.")
    ok(run_cli, db_url, "interview", "answer", str(handover), "who-else-knows", "--text", WHO_ELSE)
    ok(run_cli, db_url, "interview", "skip", str(handover), "breaks-first", "--reason", "ran out of time")
    ok(run_cli, db_url, "interview", "review", str(handover), "--by", "Nora Lindqvist")

    reviewed = tmp_path / "reviewed.docx"
    ok(run_cli, db_url, "export", str(handover), "--out", str(reviewed))
    body, header = docx_text(reviewed)
    assert f"SHAREABLE HANDOVER — REVIEWED by Nora Lindqvist, {stamp()}" in header
    assert f"SHAREABLE HANDOVER — REVIEWED by Nora Lindqvist, {stamp()}" in body  # the cover's label box
    assert "Reviewed by Nora Lindqvist on" in body and "not yet accepted by Tom Okafor" in body
    # Word updates the contents page (page numbers) when it opens the pack.
    with zipfile.ZipFile(reviewed) as archive:
        assert '<w:updateFields w:val="true"/>' in archive.read("word/settings.xml").decode()
    # The one-print rule: "who else knows" is printed once, and the appendix points to it.
    assert body.count(WHO_ELSE) == 1
    assert "Who else knows what you know? Where would your successor look if you were unreachable? — see " \
           "Knowledge-risk summary" in body
    # Skipped and unanswered questions are open items for the successor, with guide numbers.
    assert "Open items for the successor" in body
    assert "Q3  If you vanished tomorrow, what would break first" in body and "skipped: ran out of time" in body
    assert "Q4  What work is in flight right now" in body and "not answered · required" in body

    followup = run_json(run_cli, db_url, "followup", "new", str(handover), "--day", "30")
    assert [d["id"] for d in run_json(run_cli, db_url, "followup", "due")] == [followup["id"]]
    ok(run_cli, db_url, "interview", "answer", str(followup["id"]), "wrong-missing", "--item",
       '{"item": "The Kyriba feed is re-sent on Thursdays", "kind": "missing", "found": "a failed run"}')
    ok(run_cli, db_url, "interview", "answer", str(followup["id"]), "used", "--text", "The contacts, every day.")
    ok(run_cli, db_url, "interview", "answer", str(followup["id"]), "private-note", "--text", "SECRET-WORKLOAD")
    gaps = run_json(run_cli, db_url, "interview", "show", str(handover))["gaps"]
    assert "Tom Okafor (30-day follow-up) found this missing: The Kyriba feed is re-sent on Thursdays " \
           "(found out: a failed run)" in [g["message"] for g in gaps]
    # Answering the follow-up is not an edit of the handover: the review stands.
    assert run_json(run_cli, db_url, "interview", "show", str(handover))["review"]["state"] == "reviewed"

    ok(run_cli, db_url, "interview", "accept", str(handover), "--by", "Tom Okafor")
    accepted = tmp_path / "accepted.docx"
    ok(run_cli, db_url, "export", str(handover), "--out", str(accepted))
    body, header = docx_text(accepted)
    assert f"SHAREABLE HANDOVER — ACCEPTED by Tom Okafor, {stamp()}" in header
    assert f"SHAREABLE HANDOVER — ACCEPTED by Tom Okafor, {stamp()}" in body
    assert "What the successor added" in body and "30-day follow-up with Tom Okafor" in body
    assert "The contacts, every day." in body
    assert "found this missing: The Kyriba feed is re-sent on Thursdays" in body  # a gap in the pack too
    assert "SECRET-WORKLOAD" not in body  # the follow-up's confidential answer never reaches the pack
    markdown = tmp_path / "accepted.md"
    ok(run_cli, db_url, "export", str(handover), "--out", str(markdown))
    text = markdown.read_text(encoding="utf-8")
    assert "**SHAREABLE HANDOVER — ACCEPTED by Tom Okafor" in text and "## What the successor added" in text
    assert "SECRET-WORKLOAD" not in text and text.count(WHO_ELSE) == 1


def test_numbers_match_the_guide_when_a_confidential_answer_is_left_out(
    sqlite_url: str, run_cli: CliInvoker, tmp_path: Path
) -> None:
    interview = run_json(run_cli, sqlite_url, "interview", "new", "--guide", "handover", "--person", "Ana Lee")["id"]
    ok(run_cli, sqlite_url, "interview", "answer", str(interview), "role-summary", "--text", "SECRET ROLE",
       "--visibility", "confidential")
    ok(run_cli, sqlite_url, "interview", "answer", str(interview), "only-you", "--text", "The vault.")
    ok(run_cli, sqlite_url, "export", str(interview), "--format", "json", "--out", str(tmp_path / "p.json"))
    pack = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    # only-you is question 2 of the guide, in the app and the guide alike; Q1 was left out.
    assert [(e["ref"], e["question"]) for e in pack["entries"]] == [("Q2", "only-you")]
    assert "SECRET ROLE" not in json.dumps(pack)
    assert all(o["question"] != "role-summary" for o in pack["open_items"])  # answered, not open


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_has_a_filled_contents_page(sqlite_url: str, run_cli: CliInvoker, tmp_path: Path) -> None:
    import subprocess

    interview = run_json(run_cli, sqlite_url, "interview", "new", "--guide", "handover", "--person", "Ana Lee")["id"]
    ok(run_cli, sqlite_url, "interview", "answer", str(interview), "only-you", "--text", "The vault.")
    out = tmp_path / "pack.pdf"
    ok(run_cli, sqlite_url, "export", str(interview), "--format", "pdf", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    pages = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    contents = next(page for page in pages if "Contents" in page)
    entry = next(line for line in contents.splitlines() if line.startswith("Appendix: questions and answers"))
    number = int(entry.rstrip().rsplit(".", 1)[-1].split()[-1])
    assert "Appendix: questions and answers" in pages[number - 1]


def test_pdf_without_libreoffice_says_so_and_writes_nothing(
    sqlite_url: str, run_cli: CliInvoker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview = run_json(run_cli, sqlite_url, "interview", "new", "--guide", "handover", "--person", "Ana Lee")["id"]
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # a machine without LibreOffice
    result = run_cli("export", str(interview), "--format", "pdf", "--out", str(tmp_path / "p.pdf"), db=sqlite_url)
    assert result.exit_code == 1
    assert "--format pdf needs LibreOffice (soffice), which is not installed" in result.stderr
    assert not (tmp_path / "p.pdf").exists()
