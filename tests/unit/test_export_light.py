"""The light export path: on an SQLite file, `retain export` reads and records through sqlite3 alone.

It must give exactly the pack the ORM path gives, on the same database, for every reader; it
must never let a confidential answer (or what was extracted from it) into a shareable pack;
and it must write the same export record. The database below has what a pack draws on:
confidential text and list answers with mentions and topics, a skip, an imported recording,
a successor follow-up with a confidential answer, other people's interviews (held elsewhere)
and an exit interview.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from retain.clock import today
from retain.config import load_settings
from retain.domain.names import distinct_strings, people_named
from retain.errors import ConfidentialityError, NotFound
from retain.packs.guide_view import TRACK_DEFAULT_VISIBILITY, guide_view
from retain.services import Services, open_services
from retain.services.export import ExportService
from retain.store.models import Mention, Topic
from retain.store.rows import SqliteRows, sqlite_file
from tests.conftest import CliInvoker

MARK = "Zorblax Quintavelle"
SECRET = "SECRET-WORKLOAD"
TEAMS = str(Path(__file__).resolve().parent.parent / "data" / "transcripts" / "handover.teams.vtt")
FORMATS = ("docx", "json", "md", "html")
NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def _ok(run_cli: CliInvoker, db: str, *args: str) -> str:
    result = run_cli(*args, db=db)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def database(sqlite_url: str, run_cli: CliInvoker) -> Iterator[tuple[Services, dict[str, int]]]:
    """A database with everything a pack draws on; yields the ORM services and the interview ids."""
    left = (today() - timedelta(days=35)).isoformat()
    made = json.loads(_ok(run_cli, sqlite_url, "interview", "new", "--guide", "handover", "--person", "Nora Lindqvist",
                          "--successor", "Tom Okafor", "--leaving-date", left, "--json"))
    handover = int(made["id"])
    services = open_services(load_settings(db=sqlite_url))
    interviews = services.interviews
    interviews.answer(handover, "role-summary", text="I run payroll and the PayBridge interface for Northwind.")
    interviews.answer(handover, "contacts", items=[{"name": "Ravi Shah", "role": "Head of Finance", "ask_about": "sign-off"}])
    interviews.skip(handover, "breaks-first", "ran out of time")
    secret = interviews.answer(handover, "stakeholders", text=f"{MARK} arrived late and blamed payroll.",
                               visibility="confidential")
    row = interviews.answer(handover, "landmines", items=[{"risk": f"{MARK} may dispute the overtime", "impact": "a grievance"}],
                            visibility="confidential")
    shared = interviews.answer(handover, "only-you", text="The Kyriba bank feed and PayBridge reconciliation.")
    # Someone else's shareable answer mentions PayBridge (held elsewhere); a confidential one, Kyriba (not).
    other = interviews.start("handover", "Grace Liu").id or 0
    open_answer = interviews.answer(other, "only-you", text="PayBridge month-end runs.")
    hidden = interviews.answer(other, "stakeholders", text="Kyriba is failing.", visibility="confidential")
    with Session(services.engine) as session:
        for answer_id in (secret.id or 0, row.id or 0):
            session.add(Mention(answer_id=answer_id, interview_id=handover, text=MARK, label="PERSON", start=0,
                                end=len(MARK), key=MARK.lower()))
            session.add(Topic(interview_id=handover, answer_id=answer_id, phrase=f"{MARK} lateness", score=0.9))
        session.add(Topic(interview_id=handover, answer_id=None, phrase=f"{MARK} lateness", score=0.99))
        for answer_id, iid, text in ((shared.id or 0, handover, "PayBridge"), (shared.id or 0, handover, "Kyriba"),
                                     (open_answer.id or 0, other, "PayBridge"), (hidden.id or 0, other, "Kyriba")):
            session.add(Mention(answer_id=answer_id, interview_id=iid, text=text, label="SYSTEM", start=4, end=13,
                                key=text.lower()))
        session.add(Topic(interview_id=handover, answer_id=shared.id, phrase="bank feed", score=0.5))
        session.add(Topic(interview_id=handover, answer_id=None, phrase="bank feed", score=0.7))
        session.commit()
    followup = json.loads(_ok(run_cli, sqlite_url, "followup", "new", str(handover), "--day", "30", "--json"))["id"]
    _ok(run_cli, sqlite_url, "interview", "answer", str(followup), "wrong-missing", "--item",
        '{"item": "The Kyriba feed is re-sent on Thursdays", "kind": "missing", "found": "a failed run"}')
    _ok(run_cli, sqlite_url, "interview", "answer", str(followup), "private-note", "--text", SECRET)
    recorded = json.loads(_ok(run_cli, sqlite_url, "import", TEAMS, "--guide", "handover", "--person", "Dana Whitfield",
                              "--json"))["interview"]
    exit_id = interviews.start("exit", "Ivy Chen").id or 0
    interviews.answer(exit_id, next(q.id for _, q in interviews.guide(exit_id).questions() if q.type == "text"),
                      text="Workload.")
    yield services, {"handover": handover, "other": other, "followup": int(followup), "recorded": int(recorded),
                     "exit": exit_id}
    services.close()


def _light(services: Services) -> tuple[ExportService, SqliteRows]:
    path = sqlite_file(services.settings.db_url)
    assert path is not None
    rows = SqliteRows(path)
    return ExportService(lambda: services.engine, services.settings, rows=rows), rows


def _parts(path: Path) -> dict[str, bytes]:
    if path.suffix != ".docx":
        text = path.read_bytes()
        if path.suffix == ".json":
            document = json.loads(text)
            document.pop("generated_at")
            return {"json": json.dumps(document, sort_keys=True).encode()}
        return {"text": text}
    with zipfile.ZipFile(path) as archive:
        # The document properties carry the moment of writing, to the second.
        return {name: re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*<", b"<t><", archive.read(name))
                for name in archive.namelist()}


def test_the_light_and_the_orm_path_build_the_same_pack(database: tuple[Services, dict[str, int]],
                                                         tmp_path: Path) -> None:
    services, ids = database
    orm = ExportService(services.engine, services.settings)
    light, rows = _light(services)
    try:
        for name, iid in ids.items():
            for confidential in (False, True):
                if name == "exit" and not confidential:
                    continue
                assert light._context(iid, confidential, NOW).to_json() == orm._context(iid, confidential, NOW).to_json(), name
                for fmt in FORMATS:
                    mine = light.export(iid, fmt=fmt, out=tmp_path / f"light-{name}-{confidential}.{fmt}",
                                        include_confidential=confidential)
                    theirs = orm.export(iid, fmt=fmt, out=tmp_path / f"orm-{name}-{confidential}.{fmt}",
                                        include_confidential=confidential)
                    assert mine.included_confidential == theirs.included_confidential
                    assert _parts(mine.path) == _parts(theirs.path), (name, confidential, fmt)
        # The pack really drew on everything: the recording, the follow-up, held-elsewhere systems.
        context: Any = light._context(ids["handover"], False, NOW).to_json()
        assert context["successor_added"] and context["successor_added"][0]["answers"]
        holders = {h["item"] for h in context["knowledge_risk"]["single_holder"]}
        assert "Kyriba" in holders and "PayBridge" not in holders
        recorded: Any = light._context(ids["recorded"], False, NOW).to_json()
        assert any(e["recording"].startswith("from the recording at") for e in recorded["entries"])
    finally:
        rows.close()


def test_the_light_path_never_leaks_a_confidential_answer(database: tuple[Services, dict[str, int]],
                                                          tmp_path: Path) -> None:
    services, ids = database
    light, rows = _light(services)
    try:
        for fmt in FORMATS:
            result = light.export(ids["handover"], fmt=fmt, out=tmp_path / f"pack.{fmt}")
            assert not result.included_confidential
            for part, data in _parts(result.path).items():
                text = data.decode("utf-8", errors="replace")
                for secret in (MARK, "Zorblax", "Quintavelle", SECRET):
                    assert secret.casefold() not in text.casefold(), f"{fmt}: {secret} leaked into {part}"
        with_flag = light.export(ids["handover"], fmt="json", out=tmp_path / "hr.json", include_confidential=True)
        assert MARK in with_flag.path.read_text(encoding="utf-8")
        # A follow-up's confidential answer stays out even of a confidential handover pack.
        assert SECRET not in with_flag.path.read_text(encoding="utf-8")
        with pytest.raises(ConfidentialityError, match="confidential exit interview"):
            light.export(ids["exit"], out=tmp_path)
        with pytest.raises(NotFound, match="no interview 999999"):
            light.export(999999, out=tmp_path)
    finally:
        rows.close()


def _records(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT path, interview_id, person_ids, kind, visibility, pseudonymised, typeof(created_at), "
            "length(created_at) FROM export_record ORDER BY id").fetchall()


def test_the_light_export_record_is_the_orm_one(database: tuple[Services, dict[str, int]], tmp_path: Path) -> None:
    services, ids = database
    db = sqlite_file(services.settings.db_url)
    assert db is not None
    light, rows = _light(services)
    try:
        for service in (ExportService(services.engine, services.settings), light):
            service.export(ids["handover"], fmt="md", out=tmp_path / "pack.md", force=True)
            service.export(ids["handover"], fmt="md", out=tmp_path / "hr.md", force=True, include_confidential=True)
    finally:
        rows.close()
    orm_shareable, orm_confidential, light_shareable, light_confidential = _records(db)
    assert light_shareable == orm_shareable and light_confidential == orm_confidential
    assert orm_shareable[4] == "shareable" and orm_confidential[4] == "confidential"
    assert len(json.loads(orm_shareable[2])) >= 2  # the subject and the successor at least
    # The written time reads back as the ORM's (aware UTC) and is now.
    with sqlite3.connect(db) as connection:
        stamp = connection.execute("SELECT created_at FROM export_record ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert abs(datetime.fromisoformat(stamp).replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=5)


def test_the_name_scan_matches_the_privacy_service(database: tuple[Services, dict[str, int]]) -> None:
    """One scan (retain.domain.names) for both: the light path reads the people through sqlite3."""
    from retain.services.privacy import people_named as orm_people_named

    services, ids = database
    context = services.exports.context(ids["handover"], include_confidential=True)
    with services.engine.connect() as connection:
        people = [tuple(row) for row in connection.exec_driver_sql("SELECT id, name, email FROM person")]
        for text in (distinct_strings(context), "nora  LINDQVIST wrote to tom okafor", "nobody"):
            assert people_named(people, text) == orm_people_named(connection, text)


def test_guide_snapshots_read_as_the_schema_reads_them(database: tuple[Services, dict[str, int]]) -> None:
    from retain.guides.schema import TRACK_DEFAULT_VISIBILITY as SCHEMA_DEFAULTS
    from retain.guides.schema import Guide

    services, _ = database
    assert TRACK_DEFAULT_VISIBILITY == SCHEMA_DEFAULTS
    guides = services.guides.all()
    assert len(guides) >= 4
    for guide in guides:
        view = guide_view(guide.model_dump())
        assert asdict(view) == guide.model_dump()
        assert view.purposes() == guide.purposes()
        assert [(s.id, q.id) for s, q in view.questions()] == [(s.id, q.id) for s, q in guide.questions()]
        for _, question in guide.questions():
            assert view.default_visibility(view.question(question.id)[1]) == guide.default_visibility(question)  # type: ignore[index]
            assert [f.title for f in question.fields] == [f.title for f in view.question(question.id)[1].fields]  # type: ignore[index]
    # An older snapshot without the newer keys takes the schema's defaults.
    old = {"id": "old", "title": "Old", "track": "handover",
           "sections": [{"id": "s", "title": "S", "questions": [{"id": "q", "prompt": "Why?"}]}]}
    assert asdict(guide_view(old)) == Guide.model_validate(old).model_dump()


PROBE = """
import json, sys
from retain.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules})]), file=sys.stderr)
"""


def _run(db: str, *args: str) -> tuple[int, str, set[str]]:
    env = {**os.environ, "RETAIN_DB": db, "RETAIN_CONFIG": os.devnull}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=False)
    lines = done.stderr.strip().splitlines()
    code, modules = json.loads(lines[-1])
    return code, "\n".join(lines[:-1]), set(modules)


def test_cli_export_imports_no_orm_and_errors_stay_one_line(database: tuple[Services, dict[str, int]],
                                                             tmp_path: Path) -> None:
    services, ids = database
    url = services.settings.db_url
    code, errors, modules = _run(url, "export", str(ids["handover"]), "--out", str(tmp_path / "pack.docx"))
    assert code in (0, None), errors
    assert (tmp_path / "pack.docx").is_file()
    # SQLAlchemy, SQLModel and the pydantic guide schema cost more than the pack itself.
    assert modules.isdisjoint({"sqlalchemy", "sqlmodel", "pydantic", "alembic", "spacy", "textual"}), \
        sorted(modules & {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "spacy", "textual"})
    for args, message in (
        (["export", "999999"], "retain: error: no interview 999999"),
        (["export", str(ids["exit"])], "is a confidential exit interview"),
    ):
        code, errors, _ = _run(url, *args, "--out", str(tmp_path / "x.docx"))
        assert code == 1 and len(errors.splitlines()) == 1 and message in errors, errors


def test_a_light_load_reads_one_state_of_the_file(sqlite_url: str) -> None:
    # The ORM loads a pack in one session; the light loader reads in one snapshot the same way.
    path = sqlite_file(sqlite_url)
    assert path is not None
    rows = SqliteRows(path)
    count = "SELECT count(*) FROM person"
    try:
        with rows.snapshot():
            before = rows.rows(count)
            with sqlite3.connect(path) as other:
                other.execute("INSERT INTO person (name, status, created_at) VALUES ('Late Writer', 'active', "
                              "'2026-01-01 00:00:00.000000')")
            assert rows.rows(count) == before
        assert rows.rows(count) == [(before[0][0] + 1,)]
    finally:
        rows.close()
