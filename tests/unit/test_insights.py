"""Exit insights: counts, the reporting minimum, complementary suppression, and no restricted text.

The suppression property is checked by brute force: for every hidden count, an attacker who
knows every published number (group sizes, cells and totals that are shown) can still complete
the table in at least two ways that differ in that count.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from retain.domain.insights import ExitRecord, summarise
from retain.domain.suppression import Table, suppress
from retain.services import Services
from retain.store.models import Topic
from tests.conftest import CliInvoker

RESTRICTED_MARK = "Grimsworth Vandelay"


def record(i: int, team: str, reason: str | None, day: date = date(2026, 8, 1), **extra: object) -> ExitRecord:
    return ExitRecord(interview_id=i, person=f"P{i}", team=team, role="Analyst", left_on=day,
                      primary=reason, **extra)  # type: ignore[arg-type]


# -- the domain -----------------------------------------------------------------------------
def test_counts_by_team_and_suppression_at_k() -> None:
    records = [record(i, "Finance", "Pay and benefits") for i in range(6)]
    records += [record(10 + i, "Finance", "Workload and wellbeing") for i in range(5)]
    records += [record(20 + i, "Sales", "Pay and benefits") for i in range(4)]
    records += [record(30 + i, "Legal", "Retirement") for i in range(5)]
    report = summarise(records, by="team", k=5, since=None)
    groups = {g.key: g for g in report.groups}
    assert report.n == 20
    assert groups["Finance"].n == 11 and not groups["Finance"].suppressed
    assert {(r.reason, r.n) for r in groups["Finance"].reasons or []} == {
        ("Pay and benefits", 6), ("Workload and wellbeing", 5)}
    assert groups["Sales"].suppressed and groups["Sales"].n is None and groups["Sales"].reasons is None
    # Sales alone hidden would be 20 - 11 - 5 = 4: Legal, the smallest other group, is hidden too.
    assert groups["Legal"].suppressed
    # Pay and benefits overall (10) minus Finance's 6 would give Sales away, so the total hides.
    total = {r.reason: r.n for r in report.total or []}
    assert total["Pay and benefits"] == 10 or total["Pay and benefits"] is None


def test_one_small_cell_in_a_row_takes_a_second_cell_with_it() -> None:
    records = [record(i, "Finance", "Pay and benefits") for i in range(7)]
    records += [record(10 + i, "Finance", "Workload and wellbeing") for i in range(6)]
    records += [record(20, "Finance", "Retirement")]
    report = summarise(records, by="team", k=5, since=None)
    cells = {r.reason: r.n for r in report.groups[0].reasons or []}
    assert cells["Retirement"] is None
    assert list(cells.values()).count(None) >= 2, "one hidden cell in a row with a shown total is given away"


def test_everything_is_hidden_below_the_minimum_and_k_below_three_is_refused() -> None:
    report = summarise([record(i, "Finance", "Pay and benefits") for i in range(4)], by="team", k=5, since=None)
    assert report.n is None and report.groups == [] and report.total is None
    with pytest.raises(ValueError, match="at least 3"):
        suppress(Table(groups=[], reasons=[], cells={}, sizes={}), 2)


def test_trends_only_where_both_quarters_reach_the_minimum() -> None:
    q3 = [record(i, "F", "Pay and benefits", date(2026, 8, 1)) for i in range(5)]
    q4 = [record(10 + i, "F", "Pay and benefits", date(2026, 11, 1)) for i in range(6)]
    q1 = [record(20 + i, "F", "Pay and benefits", date(2027, 2, 1)) for i in range(4)]
    q2 = [record(30 + i, "F", "Pay and benefits", date(2027, 5, 1)) for i in range(3)]
    report = summarise(q3 + q4 + q1 + q2, by="quarter", k=5, since=None)
    assert [(t.start, t.end, t.n_start, t.n_end) for t in report.trends] == [("2026-Q3", "2026-Q4", 5, 6)]
    # With only 2027-Q1 under the minimum, subtraction from the total would reveal it, so the
    # smallest other quarter is hidden too, and then no two consecutive quarters are shown.
    hidden_once = summarise(q3 + q4 + q1, by="quarter", k=5, since=None)
    assert [g.key for g in hidden_once.groups if g.suppressed] == ["2026-Q3", "2027-Q1"]
    assert hidden_once.trends == []


def feasible_values(table: Table) -> dict[tuple[str, str], set[int]]:
    """Every value each hidden cell can take, given only what the report publishes.

    A backtracking search over the hidden cells; the published sums are the constraints:
    the population, each shown group's size, the hidden groups' sizes together, and each
    shown reason total.
    """
    hidden = [(g, r) for g in table.groups for r in table.reasons if table.is_hidden(g, r)]
    cells_all = [(g, r) for g in table.groups for r in table.reasons]
    sums: list[tuple[list[tuple[str, str]], int]] = [(cells_all, table.size)]
    sums += [([(g, r) for r in table.reasons], table.sizes[g]) for g in table.groups if g not in table.hidden_groups]
    sums.append(([c for c in cells_all if c[0] in table.hidden_groups],
                 sum(table.sizes[g] for g in table.hidden_groups)))
    sums += [([(g, r) for g in table.groups], table.total(r)) for r in table.reasons if r not in table.hidden_totals]
    values: dict[tuple[str, str], set[int]] = {cell: set() for cell in hidden}
    assigned: dict[tuple[str, str], int] = {
        c: table.cell(*c) for c in cells_all if c not in values
    }

    def consistent(complete: bool) -> bool:
        for terms, total in sums:
            known = sum(assigned[c] for c in terms if c in assigned)
            if known > total or ((complete or all(c in assigned for c in terms)) and known != total):
                return False
        return True

    def search(i: int) -> None:
        if i == len(hidden):
            if consistent(True):
                for cell in hidden:
                    values[cell].add(assigned[cell])
            return
        for value in range(table.size + 1):
            assigned[hidden[i]] = value
            if consistent(False):
                search(i + 1)
            del assigned[hidden[i]]

    search(0)
    return values


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=2, max_size=3), min_size=2, max_size=3), st.integers(3, 5))
def test_no_hidden_count_can_be_worked_out_by_subtraction(rows: list[list[int]], k: int) -> None:
    width = min(len(r) for r in rows)
    groups = [f"g{i}" for i in range(len(rows))]
    reasons = [f"r{j}" for j in range(width)]
    cells = {g: {r: row[j] for j, r in enumerate(reasons)} for g, row in zip(groups, rows, strict=True)}
    groups = [g for g in groups if sum(cells[g].values()) > 0]  # a group exists only with exits in it
    sizes = {g: sum(cells[g].values()) for g in groups}
    table = suppress(Table(groups=groups, reasons=reasons, cells=cells, sizes=sizes), k)
    if table.hidden_all:
        return
    hidden = [(g, r) for g in groups for r in reasons if table.is_hidden(g, r)]
    if len(hidden) > 8 or table.size > 16:
        return  # keep the brute force small; the shapes above cover the cases
    for cell, found in feasible_values(table).items():
        # Pinned at zero only says nobody in those groups gave the reason (see pinned_cells).
        assert len(found) >= 2 or found == {0}, f"{cell} is pinned to {found} by the published numbers"


# -- the service on a real store --------------------------------------------------------------
def add_exit(services: Services, name: str, team: str, reason: str, *, leaving: str, escalation: str = "No.",
             story: str = "I left because of the month-end close workload.") -> int:
    interview = services.interviews.start("exit", name, interviewer="Hana Hr")
    iid = interview.id or 0
    services.people.set_status(name, "left", date.fromisoformat(leaving))
    for question, text in (("primary-reason", reason), ("decision-story", story), ("escalation", escalation),
                           ("separation", "Voluntary"), ("regrettable", "yes")):
        services.interviews.answer(iid, question, text=text)
    return iid


@pytest.fixture
def exits(services: Services) -> Services:
    from sqlmodel import select

    from retain.store.models import Person

    for i in range(6):
        add_exit(services, f"Fin Person{i}", "Finance", "Pay and benefits", leaving="2026-08-10",
                 escalation=f"{RESTRICTED_MARK} shouted at me in the June close.")
    for i in range(2):
        add_exit(services, f"Sales Person{i}", "Sales", "Retirement", leaving="2026-11-10",
                 story="Sales-only story about the Kestrel account.")
    for i in range(5):
        add_exit(services, f"Legal Person{i}", "Legal", "Career growth and progression", leaving="2026-11-12")
    with Session(services.engine) as session:
        for person in session.exec(select(Person)).all():
            person.team = person.name.split()[0].replace("Fin", "Finance")
            session.add(person)
        # Whatever extraction would find: make the restricted answers carry a theme for 6 people.
        for answer in [a for iid in (r.id for r in services.interviews.list()) for a in services.interviews.answers(iid)]:
            if answer.question_id == "escalation":
                session.add(Topic(interview_id=answer.interview_id, answer_id=answer.id, phrase=f"{RESTRICTED_MARK} shouting", score=1.0))
            if answer.question_id == "decision-story":
                session.add(Topic(interview_id=answer.interview_id, answer_id=answer.id, phrase="month-end close", score=0.9))
        session.commit()
    return services


def test_the_cli_report_counts_hides_and_never_reads_restricted_answers(exits: Services, run_cli: CliInvoker, tmp_path: Path) -> None:
    db = exits.settings.db_url
    result = run_cli("insights", "--by", "team", "--json", "--quotes", db=db)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["min_group"] == 5 and doc["n"] == 13
    groups = {g["key"]: g for g in doc["groups"]}
    assert groups["Finance"] == {"key": "Finance", "n": 6, "suppressed": False, "reasons": [
        {"reason": "Pay and benefits", "n": 6, "factor": "pull", "suppressed": False}]}
    assert groups["Sales"]["suppressed"] and groups["Sales"]["n"] is None and groups["Sales"]["reasons"] is None
    # Sales alone hidden would be 13 - 6 - 5 = 2 by subtraction, so Legal (the smaller) hides too.
    assert groups["Legal"]["suppressed"]
    assert {"phrase": "month-end close", "people": 13} in doc["themes"]
    assert "Kestrel" not in result.stdout, "a quote came from a group under the minimum"
    assert doc["quotes"]["Finance"]
    outputs = [result.stdout]
    for suffix in (".html", ".docx"):
        written = run_cli("insights", "--by", "team", "--quotes", "--out", str(tmp_path / f"r{suffix}"), db=db)
        assert written.exit_code == 0, written.output
        path = Path(written.stdout.strip())
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        if suffix == ".html":
            html = path.read_text(encoding="utf-8")
            assert "<svg" in html and "HR ONLY" in html and "fewer than 5" in html
            outputs.append(html)
        else:
            with zipfile.ZipFile(path) as archive:
                assert any(n.startswith("word/media/") for n in archive.namelist()), "no chart image"
                outputs.append(" ".join(archive.read(n).decode("utf-8", "replace")
                                        for n in archive.namelist() if n.endswith(".xml")))
    outputs.append(run_cli("insights", "--by", "quarter", "--quotes", db=db).stdout)
    outputs.append(run_cli("insights", "--by", "reason", "--min-group", "3", "--quotes", "--json", db=db).stdout)
    for text in outputs:
        assert "Grimsworth" not in text and "Vandelay" not in text and "shouted" not in text


def test_min_group_and_output_errors(exits: Services, run_cli: CliInvoker, tmp_path: Path) -> None:
    db = exits.settings.db_url
    refused = run_cli("insights", "--min-group", "2", db=db)
    assert refused.exit_code == 1 and "floor of 3" in refused.output
    bad_file = run_cli("insights", "--out", str(tmp_path / "r.pdf"), db=db)
    assert bad_file.exit_code == 1 and ".html or .docx" in bad_file.output
    assert run_cli("insights", "--since", "yesterday", db=db).exit_code == 2
    assert run_cli("insights", "--by", "colour", db=db).exit_code == 2
    assert not (tmp_path / "r.pdf").exists()
    # After 2026-09-01: Sales and Legal (7); the six Finance exits left out are not fewer than 5.
    later = json.loads(run_cli("insights", "--since", "2026-09-01", "--json", db=db).stdout)
    assert later["n"] == 7


def test_since_that_leaves_out_a_small_group_is_refused(services: Services, run_cli: CliInvoker) -> None:
    for i in range(6):
        add_exit(services, f"Later Person{i}", "Ops", "Pay and benefits", leaving="2026-10-01")
    for i in range(2):
        add_exit(services, f"Early Person{i}", "Ops", "Retirement", leaving="2026-07-01")
    result = run_cli("insights", "--since", "2026-09-01", db=services.settings.db_url)
    assert result.exit_code == 1 and "subtraction" in result.output
