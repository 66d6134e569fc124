"""Pack review and sign-off, and successor follow-ups, from the CLI on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from retain.clock import today
from tests.conftest import CliInvoker


def run_json(run_cli: CliInvoker, db: str, *args: str) -> Any:
    result = run_cli(*args, "--json", db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ok(run_cli: CliInvoker, db: str, *args: str) -> str:
    result = run_cli(*args, db=db)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def handover(db_url: str, run_cli: CliInvoker) -> int:
    """Nora's handover to Tom, with two answers; she left 40 days ago."""
    left = (today() - timedelta(days=40)).isoformat()
    created = run_json(run_cli, db_url, "interview", "new", "--guide", "handover", "--person", "Nora Lindqvist",
                       "--successor", "Tom Okafor", "--leaving-date", left)
    interview = int(created["id"])
    ok(run_cli, db_url, "interview", "answer", str(interview), "only-you", "--text",
       "I run the Kyriba bank feed every Monday.")
    ok(run_cli, db_url, "interview", "answer", str(interview), "role-summary", "--text", "Treasury operations.")
    return interview


def test_review_then_accept_with_who_and_when(db_url: str, run_cli: CliInvoker, handover: int) -> None:
    assert run_json(run_cli, db_url, "interview", "show", str(handover))["review"]["state"] == "draft"
    out = ok(run_cli, db_url, "interview", "review", str(handover), "--by", "Nora Lindqvist", "--note", "checked")
    stamp = f"{today().day} {today():%b %Y}"
    assert out.strip() == f"interview {handover}: REVIEWED by Nora Lindqvist, {stamp}"
    review = run_json(run_cli, db_url, "interview", "show", str(handover))["review"]
    assert {k: review[k] for k in ("state", "reviewed_by", "accepted_by", "accepted_at")} == {
        "state": "reviewed", "reviewed_by": "Nora Lindqvist", "accepted_by": None, "accepted_at": None,
    }
    assert review["reviewed_at"].startswith(today().isoformat())
    out = ok(run_cli, db_url, "interview", "accept", str(handover), "--by", "Tom Okafor")
    assert out.strip() == f"interview {handover}: ACCEPTED by Tom Okafor, {stamp}"
    review = run_json(run_cli, db_url, "interview", "show", str(handover))["review"]
    assert review["state"] == "accepted" and review["accepted_by"] == "Tom Okafor"
    assert [(e["state"], e["by"], e["note"]) for e in review["history"]] == [
        ("reviewed", "Nora Lindqvist", "checked"), ("accepted", "Tom Okafor", None),
    ]
    assert "Review: ACCEPTED by Tom Okafor" in ok(run_cli, db_url, "interview", "show", str(handover))


def test_editing_after_review_reverts_to_draft_with_a_note(
    db_url: str, run_cli: CliInvoker, handover: int
) -> None:
    ok(run_cli, db_url, "interview", "review", str(handover), "--by", "Nora Lindqvist")
    # Saving the same text again (an autosave) is not an edit.
    ok(run_cli, db_url, "interview", "answer", str(handover), "only-you", "--text",
       "I run the Kyriba bank feed every Monday.")
    assert run_json(run_cli, db_url, "interview", "show", str(handover))["review"]["state"] == "reviewed"
    ok(run_cli, db_url, "interview", "answer", str(handover), "only-you", "--text",
       "I run the Kyriba bank feed every Monday and Thursday.")
    review = run_json(run_cli, db_url, "interview", "show", str(handover))["review"]
    assert review["state"] == "draft" and review["reviewed_by"] is None
    last = review["history"][-1]
    assert last["state"] == "draft"
    assert last["note"].startswith("the answer to Q2 (only-you) changed after the pack was REVIEWED by Nora")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["interview", "accept", "{id}", "--by", "Tom"], "is still a draft; review it first"),
        (["interview", "review", "{id}", "--by", "  "], "--by needs a name"),
        (["interview", "review", "999", "--by", "Nora"], "no interview 999"),
        (["followup", "new", "999", "--day", "30"], "no interview 999"),
    ],
)
def test_review_bad_input(db_url: str, run_cli: CliInvoker, handover: int, args: list[str], message: str) -> None:
    result = run_cli(*[a.replace("{id}", str(handover)) for a in args], db=db_url)
    assert result.exit_code == 1 and message in result.stderr and result.stdout == ""


def test_followup_feeds_back_into_the_handover(db_url: str, run_cli: CliInvoker, handover: int) -> None:
    start = today() - timedelta(days=40)
    created = run_json(run_cli, db_url, "followup", "new", str(handover), "--day", "30")
    assert set(created) == {"id", "followup_of", "day", "due"}
    assert created["followup_of"] == handover and created["day"] == 30
    assert created["due"] == (start + timedelta(days=30)).isoformat()
    followup = int(created["id"])
    shown = run_json(run_cli, db_url, "interview", "show", str(followup))
    assert shown["guide"] == "successor-followup" and shown["person"]["name"] == "Tom Okafor"
    due = run_json(run_cli, db_url, "followup", "due")
    assert [(d["id"], d["overdue_days"], d["person"], d["leaver"]) for d in due] == [
        (followup, 10, "Tom Okafor", "Nora Lindqvist")
    ]
    # A second 30-day follow-up is refused; a 90-day one is not due yet.
    again = run_cli("followup", "new", str(handover), "--day", "30", db=db_url)
    assert again.exit_code == 1 and f"exists already: interview {followup}" in again.stderr
    later = run_json(run_cli, db_url, "followup", "new", str(handover), "--day", "90")
    assert [d["id"] for d in run_json(run_cli, db_url, "followup", "due")] == [followup]
    assert later["due"] == (start + timedelta(days=90)).isoformat()

    ok(run_cli, db_url, "interview", "answer", str(followup), "wrong-missing", "--item",
       '{"item": "The Kyriba feed also runs on Thursdays", "kind": "missing"}')
    ok(run_cli, db_url, "interview", "answer", str(followup), "had-to-ask", "--item",
       '{"name": "Kwame Asante", "ask_about": "the Kyriba bank feed server"}')
    ok(run_cli, db_url, "interview", "answer", str(followup), "private-note", "--text",
       "Kyriba workload is crushing me.")
    gaps = run_json(run_cli, db_url, "interview", "show", str(handover))["gaps"]
    found = [g for g in gaps if g["kind"] == "successor_found"]
    assert found == [{
        "kind": "successor_found",
        "message": "Tom Okafor (30-day follow-up) found this missing: The Kyriba feed also runs on Thursdays",
        "follow_up": "Correct or add it in the handover, and tell the successor where it now is.",
        "question": "wrong-missing",
        "item": "The Kyriba feed also runs on Thursdays",
    }]
    # "Who you had to ask" is evidence for who; the confidential note is never evidence.
    who = {e["person"]: e for e in run_json(run_cli, db_url, "who", "Kyriba bank feed")}
    assert "Kwame Asante" in who and who["Kwame Asante"]["named_by"] == ["Tom Okafor"]
    assert all("crushing" not in ev["snippet"] for e in who.values() for ev in e["evidence"])
    # Completing the follow-up takes it off the due list.
    ok(run_cli, db_url, "interview", "complete", str(followup))
    assert run_json(run_cli, db_url, "followup", "due") == []
    listed = run_json(run_cli, db_url, "followup", "list", "--of", str(handover))
    assert [(f["id"], f["day"]) for f in listed] == [(followup, 30), (int(later["id"]), 90)]


def test_followup_needs_a_successor_and_a_start_date(sqlite_url: str, run_cli: CliInvoker) -> None:
    alone = run_json(run_cli, sqlite_url, "interview", "new", "--guide", "handover", "--person", "Ana Lone")
    result = run_cli("followup", "new", str(alone["id"]), "--day", "30", db=sqlite_url)
    assert result.exit_code == 1 and "has no successor to follow up" in result.stderr
    undated = run_json(run_cli, sqlite_url, "interview", "new", "--guide", "handover", "--person", "Ben Undated",
                       "--successor", "Cy Heir")
    result = run_cli("followup", "new", str(undated["id"]), "--day", "60", db=sqlite_url)
    assert result.exit_code == 1 and "--leaving-date YYYY-MM-DD" in result.stderr
    exit_iv = run_json(run_cli, sqlite_url, "interview", "new", "--guide", "exit", "--person", "Ana Lone")
    result = run_cli("followup", "new", str(exit_iv["id"]), "--day", "30", db=sqlite_url)
    assert result.exit_code == 1 and "is not a handover interview" in result.stderr
