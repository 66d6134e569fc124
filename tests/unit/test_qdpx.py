"""REFI-QDA export: the demo store validates against Project.xsd, positions cut out exactly what they
code, an independent reader finds the same counts, and confidential answers stay out.

The reader here is written against the standard, not against retain's writer: it walks the
QDA-XML with lxml and slices each source text with the selection positions.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import etree

from retain.services import Services
from retain.store.models import Answer, Interview, Mention
from tests.conftest import CliInvoker

XSD = Path(__file__).resolve().parent.parent / "data" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
MARK = "Zephyrine Qualmsworth"


@dataclass
class ReadBack:
    """What an independent reader finds in a .qdpx file."""

    sources: dict[str, str] = field(default_factory=dict)  # source name -> text
    selections: list[tuple[str, int, int, str]] = field(default_factory=list)  # source, start, end, code
    codes: dict[str, tuple[str, bool]] = field(default_factory=dict)  # guid -> (name, codable)
    cases: dict[str, list[str]] = field(default_factory=dict)  # name -> status values
    users: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    entity_codes: set[str] = field(default_factory=set)


def read_qdpx(path: Path) -> ReadBack:
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        project = etree.fromstring(archive.read("project.qde"))
        schema.assertValid(project)
        back = ReadBack(names=names)
        for code in project.iterfind(".//q:Code", NS):
            back.codes[code.get("guid")] = (code.get("name"), code.get("isCodable") == "true")
        back.users = [u.get("name") for u in project.iterfind("q:Users/q:User", NS)]
        for root in project.iterfind("q:CodeBook/q:Codes/q:Code", NS):
            if root.get("name") == "Entities":
                back.entity_codes = {c.get("guid") for c in root.iterfind(".//q:Code", NS) if c.get("isCodable") == "true"}
        for case in project.iterfind("q:Cases/q:Case", NS):
            back.cases[case.get("name")] = [v.text or "" for v in case.iterfind(".//q:TextValue", NS)]
        for source in project.iterfind("q:Sources/q:TextSource", NS):
            internal = source.get("plainTextPath").removeprefix("internal://")
            raw = archive.read(f"sources/{internal}")
            text = raw.decode("utf-8")
            back.sources[source.get("name")] = text
            for sel in source.iterfind("q:PlainTextSelection", NS):
                ref = sel.find("q:Coding/q:CodeRef", NS)
                back.selections.append(
                    (source.get("name"), int(sel.get("startPosition")), int(sel.get("endPosition")),
                     ref.get("targetGUID"))
                )
    return back


@pytest.fixture
def demo(services: Services) -> Services:
    result = services.demo.load()
    services.extraction.extract_answers(result.new_answer_ids)
    return services


def test_the_demo_store_exports_a_valid_project(demo: Services, tmp_path: Path, run_cli: CliInvoker) -> None:
    out = tmp_path / "demo.qdpx"
    result = run_cli("export", "--format", "qdpx", "--all", "--out", str(out), db=demo.settings.db_url)
    assert result.exit_code == 0, result.output
    written = Path(result.stdout.strip().splitlines()[-1])
    assert written == out and oct(out.stat().st_mode & 0o777) == "0o600"
    back = read_qdpx(out)
    assert all(n == "project.qde" or n.startswith("sources/") for n in back.names)
    assert not any(n.startswith("Sources/") for n in back.names)
    assert all("\r" not in text for text in back.sources.values())

    with demo.engine.connect() as connection:
        handover = connection.execute(
            Interview.__table__.select().where(Interview.track == "handover")  # type: ignore[attr-defined]
        ).fetchall()
    # Exit interviews are confidential as a whole: without the flag, only handover sources.
    assert len(back.sources) == len({row.id for row in handover if _has_shareable(demo, row.id)})
    assert set(back.cases) <= {row.person for row in demo.interviews.list()}
    assert all(values and values[0] in ("active", "leaving", "left") for values in back.cases.values())
    interviewers = {row.interviewer for row in handover if row.interviewer}
    assert interviewers <= set(back.users)


def _has_shareable(services: Services, interview_id: int) -> bool:
    return any(a.visibility == "shareable" and not a.skipped and a.body.strip()
               for a in services.interviews.answers(interview_id))


def test_every_selection_cuts_out_exactly_its_answer_or_mention(demo: Services, tmp_path: Path) -> None:
    result = demo.qdpx.export(None, tmp_path / "all.qdpx", include_confidential=True)
    back = read_qdpx(result.path)
    with demo.engine.connect() as connection:
        bodies = {row.body.replace("\r\n", " \n").replace("\r", "\n")
                  for row in connection.execute(Answer.__table__.select())}  # type: ignore[attr-defined]
        mentions = {row.text for row in connection.execute(Mention.__table__.select())}  # type: ignore[attr-defined]
    question_codes = {g for g, (name, _) in back.codes.items() if ":" in name}
    entity_names = {g: name for g, (name, _) in back.codes.items()}
    coded_answers = coded_mentions = 0
    for source, start, end, code in back.selections:
        piece = back.sources[source][start:end]
        assert back.codes[code][1], "a selection is coded with a code that is not codable"
        if code in question_codes:
            assert piece in bodies
            coded_answers += 1
        elif piece not in bodies:
            assert piece in mentions, f"{piece!r} is neither an answer nor a mention"
            assert piece.casefold() == entity_names[code].casefold() or piece in mentions
            coded_mentions += 1
    # The independent counts agree with what the writer reported.
    assert len(back.sources) == result.counts.sources
    assert len(back.selections) == result.counts.selections
    assert len(back.codes) == result.counts.codes
    assert len(back.cases) == result.counts.cases
    assert coded_answers == sum(1 for iid in _ids(demo) for a in demo.interviews.answers(iid)
                                if a.body.strip() and not a.skipped)
    assert coded_mentions > 50


def _ids(services: Services) -> list[int]:
    return [row.id for row in services.interviews.list()]


def test_confidential_answers_stay_out_without_the_flag(services: Services, tmp_path: Path) -> None:
    record = services.interviews.start("handover", "Priya Raman", interviewer="Dana Whitfield")
    iid = record.id or 0
    services.interviews.answer(iid, "role-summary", text="I run payroll and the PayBridge interface.\r\nEvery Monday.")
    services.interviews.answer(iid, "stakeholders", text=f"{MARK} blamed payroll.", visibility="confidential")
    services.extraction.extract_interviews([iid])
    shared = read_qdpx(services.qdpx.export([iid], tmp_path / "a.qdpx").path)
    everything = read_qdpx(services.qdpx.export([iid], tmp_path / "b.qdpx", include_confidential=True).path)
    blob = lambda back: " ".join([*back.sources.values(), *(n for n, _ in back.codes.values())])  # noqa: E731
    assert "Zephyrine" not in blob(shared) and "Qualmsworth" not in blob(shared)
    assert MARK in blob(everything)
    text = next(iter(shared.sources.values()))
    assert "PayBridge interface. \nEvery Monday." in text  # CRLF kept position by position


def test_bad_qdpx_requests_are_clear(services: Services, run_cli: CliInvoker, tmp_path: Path) -> None:
    db = services.settings.db_url
    out = tmp_path / "out"
    record = services.interviews.start("exit", "Priya Raman")
    iid = str(record.id)
    cases = [
        (["export", "--format", "qdpx", iid], 2, "--out"),
        (["export", "--format", "qdpx", "--all", iid, "--out", str(out / "x.qdpx")], 2, "not both"),
        (["export", "--format", "qdpx", "424242", "--out", str(out / "x.qdpx")], 1, "no interview 424242"),
        (["export", "--format", "qdpx", iid, "--out", str(out / "x.zip")], 1, ".qdpx"),
        (["export", "--format", "qdpx", iid, "--out", str(out / "x.qdpx")], 1, "--include-confidential"),
        (["export", iid, "7"], 2, "exactly one interview"),
    ]
    for argv, code, words in cases:
        result = run_cli(*argv, db=db)
        assert result.exit_code == code, (argv, result.output)
        assert words in result.output, (argv, result.output)
    assert not out.exists() or not list(out.iterdir())


def test_a_pseudonymised_project_names_nobody_and_keeps_positions(demo: Services, tmp_path: Path,
                                                                  run_cli: CliInvoker) -> None:
    out = tmp_path / "pseudo.qdpx"
    result = run_cli("export", "--format", "qdpx", "--all", "--pseudonymise", "--out", str(out),
                     db=demo.settings.db_url)
    assert result.exit_code == 0, result.output
    assert "pseudonym key" in result.output
    back = read_qdpx(out)
    with zipfile.ZipFile(out) as archive:
        everything = " ".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    people = [p.name for p in demo.people.list()]
    for name in people:
        assert name not in everything, f"{name} is in the pseudonymised project"
    assert "Person 1" in everything
    fold = lambda text: " ".join(text.split()).casefold()  # noqa: E731
    entity_selections = [(s, a, b, c) for s, a, b, c in back.selections if c in back.entity_codes]
    assert len(entity_selections) > 50
    for source, start, end, code in entity_selections:
        # Each mention's new offsets cut out its new (pseudonymised) text, its code's name.
        assert fold(back.sources[source][start:end]) == fold(back.codes[code][0])
