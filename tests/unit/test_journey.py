"""The leaver's journey on SQLite and PostgreSQL: people and dates, map/who status, review, follow-ups."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from retain.clock import today
from retain.services import Services
from retain.services.base import session_scope
from retain.store.models import Answer, Mention
from tests.conftest import CliInvoker


def tag(services: Services, interview: int, question: str, tags: dict[str, str]) -> None:
    """Record the mentions extraction would find (the map's input), at every occurrence."""
    with session_scope(services.engine) as session:
        row = session.exec(
            Answer.__table__.select().where(  # type: ignore[attr-defined]
                Answer.__table__.c.interview_id == interview,  # type: ignore[attr-defined]
                Answer.__table__.c.question_id == question,  # type: ignore[attr-defined]
            )
        ).first()
        assert row is not None
        for surface, label in tags.items():
            for match in re.finditer(re.escape(surface), row.body):
                session.add(Mention(answer_id=row.id, interview_id=interview, text=surface, label=label,
                                    start=match.start(), end=match.end(), key=surface.casefold()))


def new_id(run_cli: CliInvoker, db: str, *args: str) -> int:
    result = run_cli("interview", "new", *args, "--json", db=db)
    assert result.exit_code == 0, result.output
    return int(json.loads(result.output)["id"])


def answer(run_cli: CliInvoker, db: str, interview: int, question: str, *args: str) -> None:
    result = run_cli("interview", "answer", str(interview), question, *args, db=db)
    assert result.exit_code == 0, result.output


def risks(run_cli: CliInvoker, db: str) -> dict[str, dict[str, object]]:
    result = run_cli("map", "--json", db=db)
    assert result.exit_code == 0, result.output
    return {entry["item"]: entry for entry in json.loads(result.output)}


def test_a_new_leaver_puts_her_items_at_risk_and_old_risks_stay(
    services: Services, db_url: str, run_cli: CliInvoker
) -> None:
    """The case from issue 11: interviewing a leaver used to make the map less accurate."""
    soon = (today() + timedelta(days=20)).isoformat()
    past = (today() - timedelta(days=40)).isoformat()
    # 1Password is held by a leaving and a departed person: at risk before anything happens.
    marcus = new_id(run_cli, db_url, "--guide", "handover", "--person", "Marcus Bell", "--leaving-date", soon)
    answer(run_cli, db_url, marcus, "only-you", "--text", "I hold the 1Password break-glass vault.")
    tag(services, marcus, "only-you", {"1Password": "SYSTEM"})
    elena = new_id(run_cli, db_url, "--guide", "handover", "--person", "Elena Petrova", "--leaving-date", past)
    answer(run_cli, db_url, elena, "only-you", "--text", "1Password recovery codes were mine.")
    tag(services, elena, "only-you", {"1Password": "SYSTEM"})
    tom = new_id(run_cli, db_url, "--guide", "handover", "--person", "Tom Okafor")
    answer(run_cli, db_url, tom, "only-you", "--text", "I run Workday imports.")
    tag(services, tom, "only-you", {"Workday": "SYSTEM"})
    before = risks(run_cli, db_url)
    assert before["1Password"]["at_risk"] is True
    assert before["1Password"]["people"] == [
        {"name": "Marcus Bell", "status": "leaving"}, {"name": "Elena Petrova", "status": "left"},
    ]
    assert before["Workday"]["at_risk"] is False

    # A new leaver is interviewed with her leaving date: she is leaving, not "active".
    nora = new_id(run_cli, db_url, "--guide", "handover", "--person", "Nora Lindqvist", "--leaving-date", soon,
                  "--successor", "Tom Okafor")
    answer(run_cli, db_url, nora, "only-you", "--text", "Kyriba bank feeds, and the 1Password vault for treasury.")
    tag(services, nora, "only-you", {"Kyriba": "SYSTEM", "1Password": "SYSTEM"})

    after = risks(run_cli, db_url)
    assert after["Kyriba"]["at_risk"] is True, "her sole-held item must be at risk"
    assert after["Kyriba"]["people"] == [{"name": "Nora Lindqvist", "status": "leaving"}]
    assert after["1Password"]["at_risk"] is True, "an existing risk must not vanish"
    assert {"name": "Nora Lindqvist", "status": "leaving"} in after["1Password"]["people"]
    assert after["Workday"]["at_risk"] is False

    who = json.loads(run_cli("who", "Kyriba", "--json", db=db_url).output)
    assert [(e["person"], e["status"]) for e in who] == [("Nora Lindqvist", "leaving")]
    listed = {p["name"]: p for p in json.loads(run_cli("person", "list", "--json", db=db_url).output)}
    assert listed["Nora Lindqvist"]["status"] == "leaving"
    assert listed["Nora Lindqvist"]["leaving_date"] == soon
    assert listed["Nora Lindqvist"]["successor"] == "Tom Okafor"
    assert listed["Elena Petrova"]["status"] == "left"  # a past leaving date reads as left
    assert listed["Tom Okafor"]["status"] == "active"
    # Search reads the same status, in its results and in its --status filter.
    left = json.loads(run_cli("search", "1Password", "--status", "left", "--json", db=db_url).output)
    assert [(h["person"], h["person_status"]) for h in left] == [("Elena Petrova", "left")]


def test_person_list_show_set(services: Services, db_url: str, run_cli: CliInvoker) -> None:
    new_id(run_cli, db_url, "--guide", "handover", "--person", "Kwame Asante")
    interview = new_id(run_cli, db_url, "--guide", "handover", "--person", "Priya Raman", "--role", "Payroll lead")
    answer(run_cli, db_url, interview, "contacts", "--item", '{"name": "Kwame Asante", "ask_about": "the SFTP box"}')
    result = run_cli("person", "set", "priya raman", "--leaving-date", "2099-12-18", "--team", "Finance",
                     "--email", "priya@northwind.example", "--successor", "Tom Okafor", "--manager", "Ravi Shah",
                     db=db_url)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Priya Raman: leaving, leaving date 2099-12-18"
    shown = json.loads(run_cli("person", "show", "Priya Raman", "--json", db=db_url).output)
    assert {k: shown[k] for k in ("name", "role", "team", "email", "status", "leaving_date", "successor",
                                  "manager")} == {
        "name": "Priya Raman", "role": "Payroll lead", "team": "Finance", "email": "priya@northwind.example",
        "status": "leaving", "leaving_date": "2099-12-18", "successor": "Tom Okafor", "manager": "Ravi Shah",
    }
    assert [i["id"] for i in shown["interviews"]] == [interview]
    kwame = json.loads(run_cli("person", "show", "Kwame Asante", "--json", db=db_url).output)
    assert kwame["named_for"] == [
        {"interview": interview, "question": "contacts", "named_by": "Priya Raman", "about": "the SFTP box"}
    ]
    tom = json.loads(run_cli("person", "show", "Tom Okafor", "--json", db=db_url).output)
    assert tom["successor_of"] == ["Priya Raman"]
    by_id = run_cli("person", "show", str(shown["id"]), db=db_url)
    assert by_id.output.startswith(f"Priya Raman (#{shown['id']}): leaving, leaving date 2099-12-18")
    leaving = json.loads(run_cli("person", "list", "--status", "leaving", "--json", db=db_url).output)
    assert [p["name"] for p in leaving] == ["Priya Raman"]
    assert set(leaving[0]) >= {"id", "name", "role", "team", "email", "status", "leaving_date", "successor"}
    # Someone who stays after all.
    assert run_cli("person", "set", "Priya Raman", "--status", "active", "--leaving-date", "", db=db_url).exit_code == 0
    assert json.loads(run_cli("person", "show", "Priya Raman", "--json", db=db_url).output)["leaving_date"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["person", "set", "Nobody Here", "--status", "left"], "no person 'Nobody Here'"),
        (["person", "set", "Priya Raman", "--email", "not-an-email"], "is not an email address"),
        (["person", "set", "Priya Raman", "--successor", "priya raman"], "cannot be their own successor"),
        (["person", "set", "Priya Raman", "--role", "x" * 201], "longer than 200 characters"),
    ],
)
def test_person_bad_input(sqlite_url: str, run_cli: CliInvoker, args: list[str], message: str) -> None:
    new_id(run_cli, sqlite_url, "--guide", "handover", "--person", "Priya Raman")
    result = run_cli(*args, db=sqlite_url)
    assert result.exit_code == 1
    assert result.stderr.startswith("retain: error: ") and message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["person", "set", "Priya Raman"],
        ["person", "set", "Priya Raman", "--leaving-date", "18/12/2026"],
        ["person", "set", "Priya Raman", "--status", "gone"],
        ["interview", "new", "--guide", "handover", "--person", "X", "--leaving-date", "2026-13-01"],
        ["followup", "new", "1", "--day", "45"],
    ],
)
def test_usage_errors_exit_2(sqlite_url: str, run_cli: CliInvoker, args: list[str]) -> None:
    new_id(run_cli, sqlite_url, "--guide", "handover", "--person", "Priya Raman")
    result = run_cli(*args, db=sqlite_url)
    assert result.exit_code == 2, result.output


def test_demo_has_the_whole_journey(services: Services) -> None:
    from datetime import date

    from retain.services.demo import DemoService

    DemoService(services.engine, services.interviews).load()
    day = date(2026, 12, 1)
    people = services.people.views(today=day)
    assert {p.status for p in people} == {"active", "leaving", "left"}
    assert all(p.leaving_date for p in people if p.status != "active")
    assert {p.name: p.successor for p in people if p.successor}["Priya Raman"] == "Tom Okafor"
    states = {r.id: services.reports.show(r.id).to_json()["review"] for r in services.interviews.list()}
    assert sorted(s["state"] for s in states.values() if s["state"] != "draft") == ["accepted", "reviewed"]
    accepted = next(s for s in states.values() if s["state"] == "accepted")
    assert (accepted["reviewed_by"], accepted["accepted_by"]) == ("Ravi Shah", "Isabel Ortiz")
    due = services.journey.followups(due_only=True, today=day)
    assert [(f.day, f.person, f.leaver, f.due.isoformat()) for f in due] == [
        (60, "Isabel Ortiz", "Aisha Mensah", "2026-11-29")
    ]
    handover = due[0].followup_of
    gaps = [g for g in services.reports.show(handover).to_json()["gaps"] if g["kind"] == "successor_found"]
    assert len(gaps) == 2 and "Thursdays" in gaps[0]["message"]
    added = services.journey.successor_findings(handover)
    assert [f["day"] for f in added] == [30]
    # The follow-up's confidential note never reaches what the pack shows.
    assert all(a["question"] != "private-note" for a in added[0]["answers"])
