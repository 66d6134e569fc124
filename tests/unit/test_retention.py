"""Retention: the policy, `retain purge`, the next purge date, and the subject-access export."""

from __future__ import annotations

import json
import stat
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from retain.config import load_settings
from retain.domain.redaction import PLACEHOLDER, NameMatcher, shift_span
from retain.domain.retention import Period, parse_cutoff, parse_period, parse_policy, parse_rule
from retain.errors import ConfigError, InvalidInput
from retain.services import Services
from retain.store.models import Interview, Person
from tests.conftest import CliInvoker

TODAY = date(2026, 12, 1)


# -- the rules ---------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "period"), [
    ("2y", Period(2, "years")), ("18m", Period(18, "months")), ("90d", Period(90, "days")),
    ("6 weeks", Period(6, "weeks")), ("24 Months", Period(24, "months")), ("1 year", Period(1, "years")),
])
def test_periods(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["", "2", "y2", "2 fortnights", "0d", "101y", "-3m", "9" * 40])
def test_bad_periods_say_what_is_accepted(text: str) -> None:
    with pytest.raises(InvalidInput, match="period"):
        parse_period(text)


def test_month_arithmetic_clamps_to_the_month_end() -> None:
    assert Period(1, "months").before(date(2026, 3, 31)) == date(2026, 2, 28)
    assert Period(24, "months").after(date(2024, 2, 29)) == date(2026, 2, 28)
    assert Period(2, "years").before(TODAY) == date(2024, 12, 1)


def test_rules_and_policy() -> None:
    rule = parse_rule("exit", "24 months after leaving")
    assert (rule.period, rule.anchor, rule.describe()) == (Period(24, "months"), "leaving", "24 months after leaving")
    assert parse_rule("handover", "never").period is None
    assert parse_rule("exit", "3y after completion").anchor == "completion"
    policy = parse_policy(None)
    assert {t: r.describe() for t, r in policy.items()} == {"exit": "24 months after leaving", "handover": "never"}
    with pytest.raises(ConfigError, match=r"retention has unknown track 'hr'"):
        parse_policy({"hr": "2y"})
    with pytest.raises(ConfigError, match=r"retention.exit: unknown anchor 'lunch'"):
        parse_policy({"exit": "2y after lunch"})


def test_due_dates_fall_back_when_no_leaving_date() -> None:
    rule = parse_rule("exit", "24 months after leaving")
    updated = datetime(2025, 1, 10, tzinfo=UTC)
    assert rule.due(leaving=date(2025, 6, 30), completed=None, updated=updated) == date(2027, 6, 30)
    assert rule.due(leaving=None, completed=datetime(2025, 2, 1, tzinfo=UTC), updated=updated) == date(2027, 2, 1)
    assert rule.due(leaving=None, completed=None, updated=updated) == date(2027, 1, 10)
    assert parse_rule("handover", "never").due(leaving=None, completed=None, updated=updated) is None


def test_cutoffs() -> None:
    assert parse_cutoff("2025-01-31", TODAY) == date(2025, 1, 31)
    assert parse_cutoff("2y", TODAY) == date(2024, 12, 1)
    with pytest.raises(InvalidInput, match="in the future"):
        parse_cutoff("2027-01-01", TODAY)


def test_retention_in_config_toml(isolated_env: Path) -> None:
    config = isolated_env / "config.toml"
    config.write_text('retention = {exit = "36 months after leaving"}\n')
    assert load_settings().retention == {"exit": "36 months after leaving"}
    config.write_text('retention = "forever"\n')
    with pytest.raises(ConfigError, match="retention must be a table"):
        load_settings()
    config.write_text('retention = {exit = "soon"}\n')
    with pytest.raises(ConfigError, match=r"config.toml: retention.exit: not a period: 'soon'"):
        load_settings()


def test_name_matching_and_offsets() -> None:
    matcher = NameMatcher("José Müller", email="jose@example.org", others=["Jose Garcia", "Ana Müller-Smith"])
    text = "Ask Jose Muller or josé  müller (jose@example.org). José alone stays; Müller too."
    redacted, spans = matcher.redact(text)
    # "José" and "Müller" alone are shared with other people, so they are not theirs to remove.
    assert redacted == f"Ask {PLACEHOLDER} or {PLACEHOLDER} ({PLACEHOLDER}). José alone stays; Müller too."
    where = text.index("alone")
    assert shift_span(spans, where, where + 5) == (redacted.index("alone"), redacted.index("alone") + 5)
    assert shift_span(spans, 4, 8) is None
    ravi = NameMatcher("Ravi Shah", others=["Priya Raman"])
    assert ravi.redact("Ravi's flash; ravioli; Shah.")[0] == f"{PLACEHOLDER}'s flash; ravioli; {PLACEHOLDER}."
    assert ravi.redact_value([{"name": "Ravi Shah", "role": "Head"}]) == [{"name": PLACEHOLDER, "role": "Head"}]


# -- purge -------------------------------------------------------------------------------
def _interview(services: Services, person: str, guide: str, updated: date, leaving: date | None = None) -> int:
    record = services.interviews.start(guide, person)
    services.interviews.answer(record.id or 0, "decision-story" if guide == "exit" else "only-you",
                               text=f"{person} says the quarterly ledger matters.")
    with services.engine.begin() as connection:
        connection.execute(update(Interview).where(Interview.id == record.id)  # type: ignore[arg-type]
                           .values(updated_at=datetime(updated.year, updated.month, updated.day, tzinfo=UTC)))
        if leaving:
            connection.execute(update(Person).where(Person.name == person)  # type: ignore[arg-type]
                               .values(leaving_date=leaving, status="left"))
    return record.id or 0


def test_purge_older_than_removes_exactly_what_the_dry_run_listed(services: Services, run_cli: CliInvoker) -> None:
    old_exit = _interview(services, "Ana Silva", "exit", date(2023, 5, 1))
    old_handover = _interview(services, "Ben Carter", "handover", date(2023, 9, 1))
    recent = _interview(services, "Cleo Diaz", "handover", date(2026, 6, 1))
    db = services.settings.db_url
    dry = run_cli("purge", "--older-than", "2024-01-01", "--dry-run", "--json", db=db)
    assert dry.exit_code == 0, dry.output
    listed = [i["id"] for i in json.loads(dry.stdout)["interviews"]]
    assert listed == [old_exit, old_handover]
    assert {r.id for r in services.interviews.list()} == {old_exit, old_handover, recent}
    done = run_cli("purge", "--older-than", "2024-01-01", "--yes", "--json", db=db)
    report = json.loads(done.stdout)
    assert [i["id"] for i in report["interviews"]] == listed
    assert report["deleted"]["interviews"] == 2 and report["deleted"]["people"] == 2
    assert {r.id for r in services.interviews.list()} == {recent}
    assert [p.name for p in services.people.list()] == ["Cleo Diaz"]
    assert [e.kind for e in services.privacy.log()] == ["purge"]
    track = run_cli("purge", "--older-than", "2y", "--track", "exit", "--dry-run", "--json", db=db)
    assert json.loads(track.stdout)["interviews"] == []


def test_purge_applies_the_policy(services: Services, run_cli: CliInvoker, isolated_env: Path) -> None:
    gone = _interview(services, "Ana Silva", "exit", date(2024, 1, 5), leaving=date(2024, 1, 31))
    kept = _interview(services, "Ben Carter", "exit", date(2025, 11, 1), leaving=date(2025, 11, 30))
    handover = _interview(services, "Cleo Diaz", "handover", date(2020, 1, 1))
    db = services.settings.db_url
    plan = services.privacy.purge(dry_run=True)
    assert [i.id for i in plan.interviews] == [gone]
    assert plan.interviews[0].due == date(2026, 1, 31)
    assert run_cli("purge", db=db).exit_code == 1  # not on a terminal and no --yes
    result = run_cli("purge", "--yes", db=db)
    assert result.exit_code == 0 and "exit = 24 months after leaving" in result.stdout
    assert {r.id for r in services.interviews.list()} == {kept, handover}
    due = services.privacy.next_purge()
    assert due is not None and (due.due, due.overdue) == (date(2027, 11, 30), False)
    (isolated_env / "config.toml").write_text('retention = {exit = "1 day after leaving", handover = "1y"}\n')
    stricter = run_cli("purge", "--dry-run", "--json", db=db)
    assert {i["id"] for i in json.loads(stricter.stdout)["interviews"]} == {kept, handover}


def test_bad_purge_input_is_one_line(services: Services, run_cli: CliInvoker) -> None:
    db = services.settings.db_url
    for args, message in [(["--older-than", "soon"], "not a period"), (["--older-than", "2999-01-01"], "future")]:
        result = run_cli("purge", *args, "--dry-run", db=db)
        assert result.exit_code == 1 and message in result.stderr and result.stderr.startswith("retain: error:")
    assert run_cli("purge", "--track", "hr", db=db).exit_code == 2


def test_db_path_says_when_the_next_purge_is_due(services: Services, run_cli: CliInvoker) -> None:
    db = services.settings.db_url
    _interview(services, "Ana Silva", "exit", date(2026, 1, 5), leaving=date(2026, 1, 31))
    result = run_cli("db", "path", db=db)
    assert result.stdout.count("\n") == 1  # stdout stays the bare path
    assert "next purge due 2028-01-31 (1 interview)" in result.stderr


# -- subject access ----------------------------------------------------------------------
def test_person_export_holds_everything_about_them(services: Services, run_cli: CliInvoker, tmp_path: Path) -> None:
    mine = services.interviews.start("exit", "Ana Silva", interviewer="Dana Whitfield")
    services.interviews.answer(mine.id or 0, "decision-story", text="My manager ignored the workload.")
    other = services.interviews.start("handover", "Ben Carter", successor="Ana Silva")
    services.interviews.answer(other.id or 0, "only-you", text="Ana Silva knows the supplier ledger.")
    services.interviews.answer(other.id or 0, "stakeholders", text="Ana Silva was late often.",
                               visibility="confidential")
    out = tmp_path / "ana.zip"
    result = run_cli("person", "export", "ana silva", "--out", str(out), db=services.settings.db_url)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["person.json", "person.md"]
        data = json.loads(archive.read("person.json"))
        readable = archive.read("person.md").decode()
    assert data["person"]["name"] == "Ana Silva"
    answers = data["interviews"][0]["answers"]
    assert answers[0]["text"] == "My manager ignored the workload." and answers[0]["visibility"] == "confidential"
    assert data["successor_in"] == [other.id]
    named = {n["question"]: n["excerpt"] for n in data["named_by_others"]}
    assert "supplier ledger" in named["only-you"] and "late often" not in named["stakeholders"]
    assert "My manager ignored the workload." in readable and "late often" not in readable
    # The export is itself recorded, so forgetting her lists it.
    forget = json.loads(run_cli("person", "forget", "Ana Silva", "--dry-run", "--json",
                                db=services.settings.db_url).stdout)
    assert {"path": str(out.resolve()), "kind": "access", "exists": True, "deleted": False} in forget["files"]
    bad = run_cli("person", "export", "Ana Silva", "--out", str(tmp_path / "ana.json"), db=services.settings.db_url)
    assert bad.exit_code == 1 and "must end in .zip" in bad.stderr
