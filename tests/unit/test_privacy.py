"""Forgetting a person: gone from every query, every derived view and the database files."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import tantivy
from sqlalchemy import text
from sqlmodel import Session, select

from retain.domain.redaction import PLACEHOLDER
from retain.services import Services
from retain.store.erase import SEARCH_STEP
from retain.store.models import Answer, ErasureLog, ExportRecord, Interview, Mention, Person, Topic
from retain.store.search.compile import analyse
from tests.conftest import CliInvoker

NAME = "Priya Raman"


@pytest.fixture
def demo(services: Services) -> Services:
    """The demo data set, extracted with the real spaCy model."""
    result = services.demo.load()
    services.extraction.extract_answers(result.new_answer_ids)
    return services


def _ids(services: Services) -> list[int]:
    return [row.id for row in services.interviews.list()]


def _priya_in(value: str) -> bool:
    folded = value.casefold()
    return "priya" in folded or "raman" in folded


def test_forget_demo_person_is_found_nowhere(demo: Services, run_cli: CliInvoker, tmp_path: Path) -> None:
    services = demo
    db = services.settings.db_url
    elena = next(r.id for r in services.interviews.list() if r.person == "Elena Petrova")
    pack = services.exports.export(elena, fmt="md", out=tmp_path / "elena.md")
    own = next(r.id for r in services.interviews.list() if r.person == NAME and r.track == "handover")
    own_pack = services.exports.export(own, fmt="docx", out=tmp_path / "priya.docx")
    assert _priya_in(pack.path.read_text())
    named_before = [a.id for a in services.interviews.answers(elena) if NAME in a.body]
    assert named_before

    result = run_cli("person", "forget", NAME, "--yes", "--json", db=db)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= {"person_ref", "deleted", "redacted_answers", "files"}
    assert report["deleted"]["interviews"] == 2 and report["deleted"]["people"] == 1
    assert report["redacted_answers"] >= len(named_before)
    assert {f["path"] for f in report["files"]} == {str(pack.path.resolve()), str(own_pack.path.resolve())}
    assert not _priya_in(report["person_ref"])

    # Search (confidential included), who, map, every pack and every `interview show`.
    for word in ("Priya", "Raman", '"Priya Raman"', "priya.raman"):
        assert services.search.search(word, include_confidential=True) == []
        assert services.knowledge.who(word, include_confidential=True) == []
    assert not _priya_in(json.dumps([e.to_json() for e in services.knowledge.map(include_confidential=True)]))
    for interview_id in _ids(services):
        shown = run_cli("interview", "show", str(interview_id), "--json", db=db)
        assert shown.exit_code == 0 and not _priya_in(shown.stdout)
        md = services.exports.export(interview_id, fmt="md", out=tmp_path / f"{interview_id}.md",
                                     include_confidential=True)
        assert not _priya_in(md.path.read_text())
    for answer_id in named_before:
        with Session(services.engine) as session:
            answer = session.get(Answer, answer_id)
            assert answer is not None and PLACEHOLDER in answer.body and not _priya_in(answer.body)
    # The index follows the redacted text; the words around the name are still found.
    assert services.search.search("removed person", include_confidential=True)
    with Session(services.engine) as session:
        assert session.exec(select(Person).where(Person.name == NAME)).first() is None
        # Remaining mentions still point at their words after the name shrank or grew.
        for mention in session.exec(select(Mention)).all():
            body = session.get(Answer, mention.answer_id)
            assert body is not None and body.body[mention.start : mention.end] == mention.text
        assert not any(_priya_in(t.phrase) for t in session.exec(select(Topic)).all())
        records = session.exec(select(ExportRecord)).all()
        assert not any(_priya_in(r.path) for r in records)


def test_forget_dry_run_counts_what_the_real_run_deletes(demo: Services) -> None:
    before = demo.interviews.list()
    plan = demo.privacy.forget(NAME, dry_run=True)
    assert demo.interviews.list() == before
    assert [i.person for i in plan.interviews] == [NAME, NAME]
    done = demo.privacy.forget(NAME)
    assert (done.counts, done.redacted_answers, done.cleared) == (plan.counts, plan.redacted_answers, plan.cleared)
    assert len(demo.interviews.list()) == len(before) - 2


def test_forget_clears_successor_and_interviewer_links(services: Services) -> None:
    first = services.interviews.start("handover", "Ana Silva", successor="Tom Okafor", interviewer="Tom Okafor")
    other = services.interviews.start("handover", "Lee Chan", interviewer="Dana Whitfield")
    services.interviews.answer(other.id or 0, "only-you", text="Tom Okafor and Dana know the ledger.")
    with services.engine.begin() as connection:
        tom = connection.execute(text("SELECT id FROM person WHERE name = 'Tom Okafor'")).scalar_one()
        # Manager and successor links on people are plain ids (no foreign key): cleared too.
        connection.execute(text("UPDATE person SET manager_id = :t, successor_id = :t WHERE name = 'Lee Chan'"),
                           {"t": tom})
        connection.execute(text("UPDATE interview SET reviewed_by = 'Tom Okafor' WHERE id = :i"), {"i": other.id})
    result = services.privacy.forget("Tom Okafor")
    assert result.counts.get("interviews", 0) == 0
    assert result.cleared == {"interview.interviewer": 1, "interview.reviewed_by": 1, "interview.successor_id": 1,
                              "person.manager_id": 1, "person.successor_id": 1}
    with services.engine.connect() as connection:
        assert connection.execute(text(
            "SELECT manager_id, successor_id FROM person WHERE name = 'Lee Chan'")).one() == (None, None)
    record = services.interviews.get(first.id or 0)
    assert record.successor_id is None and record.interviewer is None
    assert services.interviews.answers(other.id or 0)[0].text == f"{PLACEHOLDER} and Dana know the ledger."
    assert services.interviews.get(other.id or 0).interviewer == "Dana Whitfield"


def test_forget_without_yes_off_a_terminal_is_an_error(services: Services, run_cli: CliInvoker) -> None:
    services.interviews.start("handover", NAME)
    db = services.settings.db_url
    result = run_cli("person", "forget", NAME, db=db)
    assert result.exit_code == 1
    assert "pass --yes" in result.stderr and result.stdout == ""
    assert [r.person for r in services.interviews.list()] == [NAME]
    missing = run_cli("person", "forget", "Nobody Here", "--yes", db=db)
    assert missing.exit_code == 1 and "no person 'Nobody Here'" in missing.stderr


def test_forget_can_delete_the_exported_files(services: Services, run_cli: CliInvoker, tmp_path: Path) -> None:
    interview = services.interviews.start("handover", NAME, successor="Tom Okafor")
    services.interviews.answer(interview.id or 0, "only-you", text="I run payroll.")
    pack = services.exports.export(interview.id or 0, fmt="md", out=tmp_path / "pack.md")
    result = run_cli("person", "forget", NAME, "--yes", "--delete-files", "--json", db=services.settings.db_url)
    files = json.loads(result.stdout)["files"]
    assert files == [{"path": str(pack.path.resolve()), "kind": "pack", "exists": True, "deleted": True}]
    assert not pack.path.exists()


def test_privacy_log_records_counts_and_hashes_never_the_name(services: Services, run_cli: CliInvoker) -> None:
    interview = services.interviews.start("exit", NAME)
    services.interviews.answer(interview.id or 0, "decision-story", text="Workload and pay.")
    services.privacy.forget(NAME)
    db = services.settings.db_url
    logged = run_cli("privacy", "log", "--json", db=db)
    entries = json.loads(logged.stdout)
    assert [e["kind"] for e in entries] == ["forget"]
    assert entries[0]["counts"]["interviews"] == 1 and entries[0]["counts"]["answers"] == 1
    assert not _priya_in(logged.stdout) and not _priya_in(run_cli("privacy", "log", db=db).stdout)
    # The salted hash lets HR confirm an erasure without the log holding the name.
    assert json.loads(run_cli("privacy", "log", "--person", "priya  RAMAN", "--json", db=db).stdout) == entries
    assert json.loads(run_cli("privacy", "log", "--person", "Tom Okafor", "--json", db=db).stdout) == []
    with Session(services.engine) as session:
        rows = session.exec(select(ErasureLog)).all()
        assert len(rows) == 1 and not _priya_in(json.dumps(rows[0].counts) + json.dumps(rows[0].subjects))


def test_interview_delete_is_logged(services: Services, run_cli: CliInvoker) -> None:
    interview = services.interviews.start("handover", NAME)
    services.interviews.answer(interview.id or 0, "only-you", text="I run payroll.")
    assert run_cli("interview", "delete", str(interview.id), "--yes", db=services.settings.db_url).exit_code == 0
    entries = services.privacy.log()
    assert [(e.kind, e.counts["interviews"], e.counts["answers"]) for e in entries] == [("delete", 1, 1)]
    with Session(services.engine) as session:
        assert session.exec(select(Interview)).all() == []


# -- the database files ------------------------------------------------------------------
PLANTED = ("Zorblaxian", "quintessentialfjord", "Vexmoorish")


def _raw_hits(services: Services, words: tuple[str, ...]) -> dict[str, int]:
    """How often each word occurs in the database files and in every file of its search index.

    The index's term dictionary is an FST, which never holds a word's bytes in a row, so
    besides the raw bytes of every file, each index on disk is opened and its dictionary asked
    for the word: a deleted answer's words stay there, counted, until its segment is rewritten.
    """
    path = Path(services.settings.db_url.removeprefix("sqlite:///"))
    index = Path(str(path) + ".search")
    files = {suffix or ".db": Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")}
    files.update({f".search/{file.relative_to(index)}": file for file in sorted(index.rglob("*")) if file.is_file()})
    hits: dict[str, int] = {}
    for name, file in files.items():
        data = file.read_bytes().lower() if file.exists() else b""
        for word in words:
            hits[f"{name}:{word}"] = data.count(word.lower().encode())
    for meta in sorted(index.rglob("meta.json")):
        fields = [field["name"] for field in json.loads(meta.read_text())["schema"] if field["type"] == "text"]
        searcher = tantivy.Index.open(str(meta.parent)).searcher()
        for word in words:
            terms = analyse(word)
            hits[f".search/{meta.parent.relative_to(index)} terms:{word}"] = sum(
                searcher.doc_freq(field, term) for field in fields for term in terms
            )
    return hits


def _index_hits(hits: dict[str, int]) -> int:
    return sum(count for name, count in hits.items() if name.startswith(".search/"))


def _searched(services: Services, words: tuple[str, ...], *, found: bool = True) -> None:
    """Search each word (confidential answers included), so that the index on disk is up to date."""
    for word in words:
        assert bool(services.search.search(word, include_confidential=True)) == found, word


def _plant(services: Services) -> tuple[int, int]:
    mine = services.interviews.start("handover", "Ottoline Quibbs")
    services.interviews.answer(mine.id or 0, "only-you", text=f"Only I know the {PLANTED[0]} ledger.")
    services.interviews.answer(mine.id or 0, "stakeholders", text=f"{PLANTED[1]} is a secret.",
                               visibility="confidential")
    other = services.interviews.start("handover", "Tom Okafor")
    services.interviews.answer(other.id or 0, "only-you",
                               text=f"Ask Ottoline Quibbs about the {PLANTED[2]} batch; Quibbs wrote it.")
    return mine.id or 0, other.id or 0


def test_forget_leaves_no_copy_in_the_sqlite_files(sqlite_services: Services) -> None:
    services = sqlite_services
    _, other = _plant(services)
    words = ("Ottoline", "Quibbs", PLANTED[0], PLANTED[1])
    _searched(services, words)
    before = _raw_hits(services, words)
    assert sum(before.values()) > 0 and _index_hits(before) > 0, before  # the index holds the words too
    result = services.privacy.forget("Ottoline Quibbs")
    assert result.scrub is not None and result.scrub.wal_truncated is True
    assert result.scrub.steps == ["secure_delete", SEARCH_STEP, "VACUUM", "wal_checkpoint(TRUNCATE)"]
    hits = _raw_hits(services, words)
    assert not any(hits.values()), hits
    # The other person's answer survives, redacted, and its own word is still there and found.
    assert services.interviews.answers(other)[0].text == f"Ask {PLACEHOLDER} about the {PLANTED[2]} batch; {PLACEHOLDER} wrote it."
    assert _raw_hits(services, (PLANTED[2],))[".db:" + PLANTED[2]] > 0
    assert [hit.interview_id for hit in services.search.search(PLANTED[2])] == [other]
    assert _index_hits(_raw_hits(services, (PLANTED[2],))) > 0
    _searched(services, words, found=False)
    assert not any(_raw_hits(services, words).values())  # searching again brings nothing back


def test_interview_delete_leaves_no_copy_in_the_sqlite_files(sqlite_services: Services) -> None:
    """The defect the issue quotes: deleted words, a confidential answer's too, stayed in the index's files."""
    services = sqlite_services
    mine, _ = _plant(services)
    _searched(services, PLANTED)
    assert _index_hits(_raw_hits(services, (PLANTED[0], PLANTED[1]))) > 0
    services.interviews.delete(mine)
    hits = _raw_hits(services, (PLANTED[0], PLANTED[1]))
    assert not any(hits.values()), hits
    _searched(services, (PLANTED[0], PLANTED[1]), found=False)
    assert _raw_hits(services, (PLANTED[2],))[".db:" + PLANTED[2]] > 0


def test_postgres_forget_vacuums_the_affected_tables(services: Services) -> None:
    _plant(services)
    result = services.privacy.forget("Ottoline Quibbs")
    assert result.scrub is not None
    if services.engine.dialect.name == "postgresql":
        assert len(result.scrub.steps) == 2 and result.scrub.steps[0].startswith("VACUUM ")
        assert result.scrub.steps[1] == SEARCH_STEP
        vacuumed = result.scrub.steps[0].removeprefix("VACUUM ").split(", ")
        assert {"answer", "person", "search_meta"} <= set(vacuumed)
        # The statistics arrive asynchronously; VACUUM's own count says it ran on the table.
        counts = []
        for _ in range(20):
            with services.engine.connect() as connection:
                counts = list(connection.execute(text(
                    "SELECT relname, vacuum_count FROM pg_stat_user_tables "
                    "WHERE schemaname = current_schema() AND relname IN ('answer', 'person')"
                )).all())
            if len(counts) == 2 and all(n >= 1 for _, n in counts):
                break
            time.sleep(0.2)
        assert len(counts) == 2 and all(n >= 1 for _, n in counts), counts
    assert services.search.search(PLANTED[0], include_confidential=True) == []
    assert services.search.search(PLANTED[1], include_confidential=True) == []


def test_forget_redacts_the_error_log(services: Services) -> None:
    from retain.crashlog import log_path

    services.interviews.start("handover", NAME)
    log = log_path(services.settings.data_dir)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("--- 2026-12-01 retain interview\nValueError: bad answer from Priya Raman: payroll\nok\n")
    result = services.privacy.forget(NAME)
    assert result.cleared["logs.errors"] == 1
    assert log.read_text() == f"--- 2026-12-01 retain interview\nValueError: bad answer from {PLACEHOLDER}: payroll\nok\n"


def test_each_database_gets_its_own_salt(tmp_path: Path) -> None:
    from alembic import command

    from retain.config import database_url
    from retain.store.engine import make_engine
    from retain.store.migrate import _config

    salts = []
    for name in ("a.db", "b.db"):
        engine = make_engine(database_url(str(tmp_path / name)))
        try:
            command.upgrade(_config(engine), "0006_imports")
            command.upgrade(_config(engine), "head")  # 0007 creates the tables and the salt
            with engine.connect() as connection:
                salts.append(connection.execute(text(
                    "SELECT value FROM privacy_setting WHERE key = 'erasure_salt'")).scalar_one())
        finally:
            engine.dispose()
    assert len(salts[0]) == 64 and salts[0] != salts[1]
