"""Deleting rows with everything that hangs off them, and redacting a name everywhere else.

The walk follows the foreign keys declared on the models, so tables added later (drafts,
transcripts, follow-ups, ...) are erased with their interview or person without this module
having to know them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    String,
    Table,
    Text,
    cast,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import retain.store.models  # noqa: F401  (registers every table on SQLModel.metadata)
from retain.domain.answers import flatten
from retain.domain.redaction import NameMatcher, shift_span

CHUNK = 500
# Tables the erasure itself keeps: its own log, its salt, and the export records (handled apart).
KEEP = frozenset({"erasure_log", "privacy_setting", "export_record", "alembic_version"})
# Answer columns redacted together, so mention offsets stay right (see redact_answers).
ANSWER_COLUMNS = frozenset({"text", "items", "body"})
# Links kept as plain ids, without a foreign key: emptied when the row they point at goes.
IMPLICIT_LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "person": (("person", "manager_id"), ("person", "successor_id")),
    "interview": (("interview", "followup_of"),),
}
NAMES = {"person": "people", "interview": "interviews", "answer": "answers", "sitting": "sittings",
         "mention": "mentions", "topic": "topics"}


def kind_name(table: str) -> str:
    """The plural used in counts: ``person`` -> ``people``, ``draft`` -> ``drafts``."""
    return NAMES.get(table, table if table.endswith("s") else f"{table}s")


def _is_text(column: Column[Any]) -> bool:
    """Whether a column holds text or JSON (sqlmodel's AutoString wraps String)."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    return isinstance(kind, String | Text | JSON)


def _tables() -> dict[str, Table]:
    return dict(SQLModel.metadata.tables)


def _chunks(ids: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


@dataclass
class Erasure:
    """What one erasure did, for the JSON result, the log and the file scrub."""

    counts: Counter[str] = field(default_factory=Counter)
    cleared: Counter[str] = field(default_factory=Counter)
    redacted_answers: set[int] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)


class Eraser:
    """Erases inside one transaction on ``connection`` (see :func:`retain.store.erase.erasing`)."""

    def __init__(self, connection: Connection, *, count_only: bool = False) -> None:
        self.db = connection
        self.dry = count_only
        self.result = Erasure()
        self._tables = _tables()
        self._gone: dict[str, set[Any]] = {}

    # -- deleting -------------------------------------------------------------------------
    def delete_rows(self, table_name: str, ids: Sequence[int]) -> None:
        """Delete rows by id with every row that references them, children first.

        A nullable link to a person (a successor, a manager) is cleared rather than followed;
        a mention of the person is deleted, because it is their name in someone's answer.
        """
        ids = sorted(set(ids))
        if not ids:
            return
        table = self._tables[table_name]
        for child, column in self._references(table):
            if child.name in KEEP:
                continue
            clear = column.nullable and (
                (table_name == "person" and child.name != "mention")
                or any(fk.ondelete and fk.ondelete.upper() == "SET NULL" for fk in column.foreign_keys)
            )
            for chunk in _chunks(ids):
                if clear:
                    self._clear(child, column, chunk)
                    continue
                pk = self._pk(child)
                if pk is None:
                    self._delete_where(child, column.in_(chunk))
                    continue
                found = list(self.db.execute(select(pk).where(column.in_(chunk))).scalars())
                self.delete_rows(child.name, [r for r in found if r is not None])
        for linked_name, column_name in IMPLICIT_LINKS.get(table_name, ()):
            linked = self._tables.get(linked_name)
            if linked is not None and column_name in linked.c:
                for chunk in _chunks(ids):
                    self._clear(linked, linked.c[column_name], chunk)
        self._delete_where(table, self._pk_or_fail(table).in_(ids))

    def _references(self, table: Table) -> list[tuple[Table, Column[Any]]]:
        found: list[tuple[Table, Column[Any]]] = []
        for child in self._tables.values():
            for fk in child.foreign_keys:
                if fk.column.table is table and child is not table:
                    found.append((child, fk.parent))
        return found

    def _clear(self, table: Table, column: Column[Any], ids: Sequence[int]) -> None:
        condition = column.in_(ids)
        n = self.db.execute(select(func.count()).select_from(table).where(condition)).scalar_one()
        if n:
            self.result.cleared[f"{table.name}.{column.name}"] += n
            self.result.tables.add(table.name)
            if not self.dry:
                self.db.execute(update(table).where(condition).values({column.name: None}))

    def _delete_where(self, table: Table, condition: ColumnElement[bool]) -> None:
        pk = self._pk(table)
        if pk is None:
            n = self.db.execute(select(func.count()).select_from(table).where(condition)).scalar_one()
            if n and not self.dry:
                self.db.execute(delete(table).where(condition))
        else:
            # A row reached twice (a mention through its answer and its interview) counts once,
            # which matters for a dry run, where nothing is gone after the first visit.
            gone = self._gone.setdefault(table.name, set())
            fresh = sorted(set(self.db.execute(select(pk).where(condition)).scalars()) - gone)
            gone.update(fresh)
            n = len(fresh)
            if not self.dry:
                for chunk in _chunks(fresh):
                    self.db.execute(delete(table).where(pk.in_(chunk)))
        if n:
            self.result.counts[kind_name(table.name)] += n
            self.result.tables.add(table.name)

    @staticmethod
    def _pk(table: Table) -> Column[Any] | None:
        keys = list(table.primary_key.columns)
        return keys[0] if len(keys) == 1 and keys[0].name == "id" else None

    def _pk_or_fail(self, table: Table) -> Column[Any]:
        pk = self._pk(table)
        if pk is None:  # pragma: no cover - every retain table has an integer id
            raise RuntimeError(f"table {table.name} has no id column")
        return pk

    # -- redacting ------------------------------------------------------------------------
    def redact_answers(self, matcher: NameMatcher, person_id: int, skip_interviews: Sequence[int]) -> None:
        """Replace the name in other people's answers, fixing or dropping their mentions and topics."""
        answer, mention, topic = (self._tables[n] for n in ("answer", "mention", "topic"))
        query = select(answer.c["id"], answer.c["text"], answer.c["items"], answer.c["body"])
        if matcher.needles:
            query = query.where(or_(*(func.lower(answer.c.body).like(f"%{n}%") for n in matcher.needles)))
        if skip_interviews:
            query = query.where(answer.c.interview_id.not_in(list(skip_interviews)))
        for answer_id, text, items, body in self.db.execute(query).all():
            new_body, spans = matcher.redact(body)
            if not spans:
                continue
            new_text = matcher.redact(text)[0]
            new_items = matcher.redact_value(items)
            self.result.redacted_answers.add(answer_id)
            self.result.tables.update({"answer", "mention", "topic"})
            rebuilt = flatten(new_text, new_items) == new_body
            values: dict[str, Any] = {"text": new_text, "items": new_items, "body": flatten(new_text, new_items)}
            if not rebuilt:  # pragma: no cover - a name never spans an item boundary
                values["extracted_at"] = None
            mentions = self.db.execute(
                select(mention.c.id, mention.c.start, mention.c.end, mention.c.text, mention.c.person_id)
                .where(mention.c.answer_id == answer_id)
            ).all()
            for mention_id, start, end, mention_text, linked in mentions:
                moved = shift_span(spans, start, end) if rebuilt else None
                if moved is None or linked == person_id or matcher.found_in(mention_text, loose=True):
                    self._delete_where(mention, mention.c.id == mention_id)
                elif moved != (start, end) and not self.dry:
                    self.db.execute(update(mention).where(mention.c.id == mention_id)
                                    .values(start=moved[0], end=moved[1]))
            if not self.dry:
                self.db.execute(update(answer).where(answer.c.id == answer_id).values(values))
        self.result.counts["redacted_answers"] = len(self.result.redacted_answers)
        # Key phrases naming them ("priya raman's pay run"), of an answer or a whole interview.
        phrases = select(topic.c.id, topic.c.phrase)
        if matcher.needles:
            phrases = phrases.where(or_(*(func.lower(topic.c.phrase).like(f"%{n}%") for n in matcher.needles)))
        doomed = [tid for tid, phrase in self.db.execute(phrases).all() if matcher.found_in(phrase, loose=True)]
        for chunk in _chunks(doomed):
            self._delete_where(topic, topic.c.id.in_(chunk))

    def redact_columns(self, matcher: NameMatcher) -> None:
        """Redact the name in every other text column: interviewer fields, notes, guide snapshots.

        A field that is only the name (an interviewer, a reviewer) is emptied when it may be.
        """
        for table in self._tables.values():
            if table.name in KEEP:
                continue
            pk = self._pk(table)
            columns = [
                c for c in table.columns
                if _is_text(c) and not c.primary_key
                and not (table.name == "answer" and c.name in ANSWER_COLUMNS)
            ]
            if pk is None or not columns:
                continue
            query = select(pk, *columns)
            if matcher.needles:
                query = query.where(or_(*(
                    func.lower(cast(c, Text)).like(f"%{n}%") for c in columns for n in matcher.needles
                )))
            gone = self._gone.get(table.name, set())
            for row in self.db.execute(query).all():
                if row[0] in gone:  # a dry run still sees the rows it would delete
                    continue
                values = self._redacted_row(matcher, columns, row[1:])
                if values:
                    self.result.cleared.update(f"{table.name}.{name}" for name in values)
                    self.result.tables.add(table.name)
                    if not self.dry:
                        self.db.execute(update(table).where(pk == row[0]).values(values))

    @staticmethod
    def _redacted_row(matcher: NameMatcher, columns: Sequence[Column[Any]], row: Sequence[Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column, value in zip(columns, row, strict=True):
            if isinstance(value, str):
                if matcher.is_exactly(value) and column.nullable:
                    values[column.name] = None
                elif matcher.found_in(value):
                    values[column.name] = matcher.redact(value)[0]
            elif isinstance(value, dict | list):
                new = matcher.redact_value(value)
                if new != value:
                    values[column.name] = new
        return values
