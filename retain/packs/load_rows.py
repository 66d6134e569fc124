"""A pack's data read through plain SQL, and its export record written the same way (no ORM import).

A one-off ``retain export`` on an SQLite file reads through the sqlite3 module alone
(:class:`retain.store.rows.SqliteRows`): SQLAlchemy, SQLModel and the pydantic guide schema
cost more to import than a 60-answer pack costs to build and write. The rows are the same
ones the export service's ORM loader reads, converted as the ORM converts them, and the pack is
then built by the same :func:`retain.packs.context.build_context`, whose reader filter
(:func:`retain.domain.visibility.view`) decides what a confidential answer may reach.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from retain.clock import utcnow
from retain.domain.names import distinct_strings, people_named
from retain.domain.visibility import SHAREABLE_READER
from retain.errors import Fix, NotFound
from retain.imports.model import clock
from retain.packs.catalog import HOLDABLE_LABELS
from retain.packs.context import PackData
from retain.packs.followups import followup_finding
from retain.packs.guide_view import as_guide
from retain.packs.records import (
    ANSWER_COLUMNS,
    INTERVIEW_COLUMNS,
    MENTION_COLUMNS,
    PERSON_COLUMNS,
    TOPIC_COLUMNS,
    AnswerRecord,
    PersonRecord,
    answer_record,
    interview_record,
    mention_record,
    parse_json,
    person_record,
    topic_record,
)
from retain.store.provenance import answer_sources_sql
from retain.store.rows import RowReader, SqliteRows, expand, sqlite_connect

_CHUNK = 500
# Other people's answers a shareable reader may read: the domain's one rule, as SQL.
_OTHERS = ("SELECT a.id FROM answer a JOIN interview i ON i.id = a.interview_id WHERE i.person_id != :person"
           + SHAREABLE_READER.answer_sql("a"))


def load_pack_data(rows: RowReader, interview_id: int) -> PackData:
    """Everything a pack of ``interview_id`` is built from (as the export service's ORM loader).

    On an SQLite file every statement reads the same state of it, as the ORM's one session does.

    Raises:
        NotFound: If there is no such interview.
    """
    if isinstance(rows, SqliteRows):
        with rows.snapshot():
            return _load(rows, interview_id)
    return _load(rows, interview_id)


def _load(rows: RowReader, interview_id: int) -> PackData:
    found = rows.rows(f"SELECT {INTERVIEW_COLUMNS} FROM interview WHERE id = :id", {"id": interview_id})
    if not found:
        raise NotFound(f"no interview {interview_id}", fix=Fix.LIST_INTERVIEWS)
    interview = interview_record(found[0])
    person = _person(rows, interview.person_id)
    if person is None:  # pragma: no cover - a foreign key guarantees it
        raise NotFound(f"interview {interview_id} has no person; the database is damaged")
    successor = _person(rows, interview.successor_id) if interview.successor_id else None
    where = {"id": interview_id}
    answers = _answers(rows, interview_id)
    mentions = [mention_record(r) for r in rows.rows(
        f"SELECT {MENTION_COLUMNS} FROM mention WHERE interview_id = :id ORDER BY id", where)]
    topics = [topic_record(r) for r in rows.rows(
        f"SELECT {TOPIC_COLUMNS} FROM topic WHERE interview_id = :id ORDER BY id", where)]
    candidates = {m.key.casefold() for m in mentions if m.label in HOLDABLE_LABELS}
    candidates |= {t.phrase.casefold() for t in topics if t.answer_id is None}
    return PackData(
        interview=interview,
        guide=as_guide(interview.guide_snapshot),
        person=person,
        successor=successor,
        answers=answers,
        mentions=mentions,
        topics=topics,
        held_elsewhere=frozenset(held_elsewhere(rows, person.id or 0, candidates)),
        followups=successor_findings(rows, interview_id),
        recorded_at={
            answer_id: clock(source["start"])
            for answer_id, source in answer_sources_sql(rows, interview_id).items()
            if source["start"] is not None
        },
    )


def _person(rows: RowReader, person_id: int | None) -> PersonRecord | None:
    found = rows.rows(f"SELECT {PERSON_COLUMNS} FROM person WHERE id = :id", {"id": person_id})
    return person_record(found[0]) if found else None


def _answers(rows: RowReader, interview_id: int) -> list[AnswerRecord]:
    return [answer_record(r) for r in rows.rows(
        f"SELECT {ANSWER_COLUMNS} FROM answer WHERE interview_id = :id ORDER BY id", {"id": interview_id})]


def held_elsewhere(rows: RowReader, person_id: int, candidates: set[str]) -> set[str]:
    """Which candidate keys or phrases other people's shareable answers also mention."""
    held: set[str] = set()
    keys = sorted(candidates)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        for table, column in (("mention", "key"), ("topic", "phrase")):
            sql, params = expand(
                f"SELECT DISTINCT lower(d.{column}) FROM {table} d WHERE d.answer_id IN ({_OTHERS}) "
                f"AND lower(d.{column}) IN (:keys)", "keys", chunk,
            )
            held |= {str(value) for (value,) in rows.rows(sql, {**params, "person": person_id})}
    return held


def successor_findings(rows: RowReader, interview_id: int) -> list[dict[str, Any]]:
    """What the successor's follow-ups added (``retain.services.journey.successor_findings``)."""
    findings: list[dict[str, Any]] = []
    for followup_id, snapshot, day, person_id in rows.rows(
        "SELECT id, guide_snapshot, followup_day, person_id FROM interview WHERE followup_of = :id "
        "ORDER BY followup_day, id", {"id": interview_id},
    ):
        found = followup_finding(int(followup_id), day, as_guide(parse_json(snapshot)),
                                 _answers(rows, int(followup_id)), partial(_name, rows, person_id))
        if found is not None:
            findings.append(found)
    return findings


def _name(rows: RowReader, person_id: int) -> str:
    person = _person(rows, person_id)
    return person.name if person else "?"


# -- the export record ----------------------------------------------------------------------
def record_export(database: Path, path: Path, *, interview_id: int | None, content: Any, kind: str = "pack",
                  visibility: str = "shareable", pseudonymised: bool = False,
                  person_ids: Sequence[int] = ()) -> None:
    """``PrivacyService.record_export`` on an SQLite file, through sqlite3 alone.

    The same row in the same columns, as the ORM writes them (JSON ids, 0/1 flag, UTC time
    as SQLAlchemy's SQLite text), in one immediate transaction with the engine's settings.
    """
    connection = sqlite_connect(database)
    try:
        # As the engine's connections (retain.store.engine): WAL is synced at checkpoints.
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("BEGIN IMMEDIATE")
        people = connection.execute("SELECT id, name, email FROM person").fetchall()
        ids = set(person_ids) | people_named(people, distinct_strings(content))
        connection.execute(
            "INSERT INTO export_record (path, interview_id, person_ids, kind, visibility, pseudonymised, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (str(Path(path).resolve()), interview_id, json.dumps(sorted(ids)), kind, visibility, int(pseudonymised),
             utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")),
        )
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


__all__ = ["held_elsewhere", "load_pack_data", "record_export",
           "successor_findings"]
