"""The light read paths give what the ORM and the full guide schema give, on a real database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from retain.cli import cli
from retain.clock import today
from retain.config import load_settings
from retain.domain.journey import effective_status
from retain.domain.progress import compute_progress
from retain.errors import InvalidInput
from retain.guides.outline import snapshot_purposes, snapshot_questions
from retain.guides.registry import GuideRegistry
from retain.resources import guides_dir
from retain.services import Services, open_services
from retain.services.interview_list import MAX_FILTER_CHARS, list_interviews
from retain.services.interviews import snapshot_guide
from retain.store.models import Answer, Interview, Person
from retain.store.rows import EngineRows, open_sqlite_rows, sqlite_file
from retain.store.search.query import MAX_FILTER_CHARS as SEARCH_FILTER_CHARS


def _fill(services: Services) -> None:
    first = services.interviews.start("handover", "Cleo Park", successor="Dev Rao").id or 0
    services.interviews.answer(first, "only-you", text="I run the PayBridge payroll export.")
    services.interviews.answer(first, "role-summary", text="   ")  # whitespace is not an answer
    services.interviews.skip(first, "breaks-first", "covered elsewhere")
    second = services.interviews.start("exit", "Ana Lima").id or 0
    services.interviews.complete(second)
    services.interviews.start("handover", "ana lima")  # names differ only by case
    services.people.update("Ana Lima", status="leaving", leaving_date=today() - timedelta(days=3))


def _reference(services: Services, status: str | None = None, person: str | None = None) -> list[dict[str, object]]:
    """The list as the ORM and the validated guide snapshot compute it (the old implementation)."""
    with Session(services.engine) as session:
        rows = session.exec(select(Interview, Person).where(Person.id == Interview.person_id)).all()
        answers = session.exec(select(Answer)).all()
    chosen = [
        (i, p) for i, p in rows
        if (status is None or i.status == status) and (person is None or person.casefold() in p.name.lower())
    ]
    chosen.sort(key=lambda pair: (pair[0].updated_at, pair[0].id or 0), reverse=True)
    listed: list[dict[str, object]] = []
    for interview, subject in chosen:
        progress = compute_progress(snapshot_guide(interview), [a for a in answers if a.interview_id == interview.id])
        listed.append({
            "id": interview.id, "person": subject.name,
            "person_status": effective_status(subject.status, subject.leaving_date, today()),
            "guide": interview.guide_id, "track": interview.track, "status": interview.status,
            "progress": {"answered": progress.answered, "skipped": progress.skipped, "total": progress.total},
            "updated_at": interview.updated_at.isoformat(),
        })
    return listed


@pytest.mark.parametrize(("status", "person"), [(None, None), ("completed", None), (None, "ANA"), ("in_progress", "cleo"), ("draft", "lima")])
def test_plain_sql_list_equals_the_orm_list(db_url: str, status: str | None, person: str | None) -> None:
    services = open_services(load_settings(db=db_url))
    try:
        _fill(services)
        expected = _reference(services, status, person)
        assert expected  # every case lists something
        through_engine = [row.to_json() for row in services.interviews.list(status=status, person=person)]
        assert through_engine == expected
        path = sqlite_file(services.settings.db_url)
        if path is not None:
            light = open_sqlite_rows(path)
            assert light is not None
            try:
                assert [row.to_json() for row in list_interviews(light, status=status, person=person)] == expected
            finally:
                light.close()
    finally:
        services.close()


def test_the_list_refuses_what_it_always_refused(sqlite_url: str) -> None:
    services = open_services(load_settings(db=sqlite_url))
    try:
        rows = EngineRows(services.engine)
        with pytest.raises(InvalidInput, match="unknown status"):
            list_interviews(rows, status="done")
        with pytest.raises(InvalidInput, match=f"the limit is {MAX_FILTER_CHARS}"):
            list_interviews(rows, person="x" * (MAX_FILTER_CHARS + 1))
    finally:
        services.close()
    assert MAX_FILTER_CHARS == SEARCH_FILTER_CHARS


def test_cli_list_on_a_new_file_falls_back_to_the_engine(tmp_path: Path) -> None:
    # No file yet: the light reader declines, and the engine creates the database as before.
    db = tmp_path / "new.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "interview", "list"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no interviews yet")
    assert db.is_file()


def test_cli_list_on_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("not a database at all", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db), "interview", "list"])
    assert result.exit_code == 1
    assert "is not an SQLite database" in result.output


def test_sqlite_file_takes_only_plain_file_urls() -> None:
    assert sqlite_file("sqlite:////tmp/a b/retain.db") == Path("/tmp/a b/retain.db")
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:////tmp/x.db?mode=ro", "sqlite:////tmp/x%20y.db",
                "postgresql+psycopg://u@h/db"):
        assert sqlite_file(url) is None, url


def test_snapshot_outline_matches_the_validated_guide() -> None:
    registry = GuideRegistry(guides_dir(), None)
    guides = registry.all()
    assert len(guides) >= 5
    for guide in guides:
        snapshot = guide.model_dump(mode="json")
        outline = [(q.id, q.required, q.purpose) for q in snapshot_questions(snapshot)]
        assert outline == [(q.id, q.required, q.purpose) for _, q in guide.questions()], guide.id
        assert snapshot_purposes(snapshot) == guide.purposes(), guide.id
    assert snapshot_questions(None) == [] and snapshot_questions({"sections": [{"questions": [7]}]}) == []


def test_leaving_date_in_the_past_reads_as_left(sqlite_url: str) -> None:
    services = open_services(load_settings(db=sqlite_url))
    try:
        _fill(services)
        rows = {(row.person, row.guide): row for row in services.interviews.list()}
        assert rows[("Ana Lima", "exit")].person_status == "left"
        assert rows[("Cleo Park", "handover")].progress.done == 2  # one answer, one skip
        assert rows[("Cleo Park", "handover")].updated_at.utcoffset() == timedelta(0)
        assert date.today() - rows[("Cleo Park", "handover")].updated_at.date() <= timedelta(days=1)
    finally:
        services.close()


def test_who_and_map_through_sqlite3_equal_the_engine(sqlite_url: str) -> None:
    # The command line reads through sqlite3 alone; the app and the web view through the engine.
    from retain.services.base import session_scope
    from retain.services.knowledge import KnowledgeService
    from retain.store.models import Mention, Topic

    services = open_services(load_settings(db=sqlite_url))
    try:
        priya = services.interviews.start("handover", "Priya Raman").id or 0
        services.people.update("Priya Raman", status="leaving", leaving_date=today() - timedelta(days=1))
        said = services.interviews.answer(priya, "only-you", text="Nobody else knows the PayBridge interface.")
        services.interviews.answer(priya, "contacts", items=[{"name": "Kwame Asante", "ask_about": "PayBridge interface"}])
        services.interviews.answer(priya, "who-else-knows", text="Elena Petrova knows the PayBridge server.")
        with session_scope(services.engine) as session:
            start = said.body.index("PayBridge")
            session.add(Mention(answer_id=said.id or 0, interview_id=priya, text="PayBridge", label="SYSTEM",
                                start=start, end=start + 9, key="paybridge"))
            session.add(Topic(interview_id=priya, answer_id=said.id, phrase="paybridge interface", score=0.9))
        light = open_sqlite_rows(sqlite_file(sqlite_url) or Path())
        assert light is not None
        try:
            heavy, quick = KnowledgeService(services.engine), KnowledgeService(light)
            for topic in ("PayBridge", "paybridge interface", "server"):
                for confidential in (False, True):
                    expected = [e.to_json() for e in heavy.who(topic, include_confidential=confidential)]
                    assert [e.to_json() for e in quick.who(topic, include_confidential=confidential)] == expected
            assert quick.who("PayBridge")[0].person == "Priya Raman"
            for label in (None, "SYSTEM", "TOPIC"):
                assert [e.to_json() for e in quick.map(label=label)] == [e.to_json() for e in heavy.map(label=label)]
            assert heavy.map(label="SYSTEM")[0].at_risk  # held by a leaver who said "nobody else knows"
        finally:
            light.close()
    finally:
        services.close()
