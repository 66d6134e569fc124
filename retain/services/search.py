"""Full-text search over interview answers, with filters and the confidentiality rule."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from retain.clock import today as utc_today
from retain.domain.types import JsonObject
from retain.domain.visibility import reader_for
from retain.errors import InvalidInput
from retain.store.rows import RowReader, as_rows, date_param, expand
from retain.store.search import HIGHLIGHT, SearchFilters, parse_query
from retain.store.search.backend import IndexedSearch
from retain.store.search.query import check_filter, check_query, clean_text
from retain.store.search.snippets import matcher_for, snippet
from retain.store.status import status_sql

if TYPE_CHECKING:
    # Typing only: ``retain search`` on an SQLite file reads through sqlite3 alone.
    from sqlalchemy import Engine

    from retain.store.search.bulk import BulkLoad

TRACKS = ("exit", "handover")
PERSON_STATUSES = ("active", "leaving", "left")
INTERVIEW_STATUSES = ("draft", "in_progress", "completed")
MAX_LIMIT = 1000

__all__ = ["HIGHLIGHT", "SearchHit", "SearchService"]


@dataclass(frozen=True)
class SearchHit:
    """One matching answer, with where it came from and a highlighted snippet."""

    answer_id: int
    interview_id: int
    person: str
    person_status: str
    guide: str
    track: str
    question_id: str
    prompt: str
    snippet: str
    score: float
    visibility: str

    def to_json(self) -> JsonObject:
        """The JSON shape of ``retain search --json`` (DESIGN.md), plus a few extras."""
        return {
            "interview": self.interview_id,
            "person": self.person,
            "question": self.question_id,
            "snippet": self.snippet,
            "score": self.score,
            "visibility": self.visibility,
            "answer": self.answer_id,
            "person_status": self.person_status,
            "guide": self.guide,
            "track": self.track,
            "prompt": self.prompt,
        }


def _split_status(status: str | None) -> tuple[str | None, str | None]:
    """A status filter names a person status or an interview status; the two sets are disjoint."""
    if status is None:
        return None, None
    value = status.strip().lower()
    if value in PERSON_STATUSES:
        return value, None
    if value in INTERVIEW_STATUSES:
        return None, value
    raise InvalidInput(
        f"unknown status {status!r}; use a person status ({', '.join(PERSON_STATUSES)}) "
        f"or an interview status ({', '.join(INTERVIEW_STATUSES)})"
    )


class SearchService:
    """Search answers with one query language and one ranking on SQLite and PostgreSQL."""

    def __init__(self, source: Engine | RowReader) -> None:
        """Args:
            source: The database's engine, or a reader alone for a read-only quick command
                (:func:`retain.store.rows.open_sqlite_rows`).
        """
        self._rows = as_rows(source)
        self._backend = IndexedSearch(self._rows)
        self._engine = self._backend.engine

    @property
    def backend(self) -> IndexedSearch:
        """The database-specific implementation (tests and the benchmark tune it)."""
        return self._backend

    def search(
        self,
        query: str,
        *,
        person: str | None = None,
        guide: str | None = None,
        track: str | None = None,
        label: str | None = None,
        since: date | None = None,
        status: str | None = None,
        include_confidential: bool = False,
        limit: int = 20,
    ) -> list[SearchHit]:
        """Find answers matching ``query``, best first.

        Args:
            query: Words (all must match), ``"exact phrase"``, ``a OR b``, ``-exclude`` and
                ``prefix*``. Malformed input is read literally and never fails.
            person: Only answers of people whose name contains this (case-insensitive).
            guide: Only interviews that used this guide id.
            track: ``exit`` or ``handover``.
            label: Only answers that mention an entity with this label (``SYSTEM``) or this
                entity text (``PayBridge``).
            since: Only answers saved on or after this date.
            status: A person status (active, leaving, left) or an interview status (draft,
                in_progress, completed).
            include_confidential: Include confidential answers (excluded by default).
            limit: How many hits to return (1 to 1000).

        Returns:
            Hits with ``**``-highlighted snippets, best first.

        Raises:
            InvalidInput: For an unknown track or status, or a limit out of range.
        """
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"--limit must be between 1 and {MAX_LIMIT}, not {limit}")
        check_query(query)
        for name, value in (("--person", person), ("--guide", guide), ("--label", label)):
            check_filter(name, value)
        if track is not None and track.strip().lower() not in TRACKS:
            raise InvalidInput(f"unknown track {track!r}; use exit or handover")
        person_status, interview_status = _split_status(status)
        filters = SearchFilters(
            person=_clean(person),
            guide=_clean(guide),
            track=track.strip().lower() if track else None,
            label=_clean(label),
            since=since,
            person_status=person_status,
            interview_status=interview_status,
            include_confidential=include_confidential,
        )
        parsed = parse_query(query)
        raw = self._backend.search(parsed, filters, limit)
        if not raw:
            return []
        # The database has the last word on who may read: an answer the index still thought
        # shareable is dropped here if it no longer is.
        details = self._details([hit.answer_id for hit in raw], include_confidential)
        matcher = matcher_for(parsed)
        hits: list[SearchHit] = []
        for item in raw:
            row = details.get(item.answer_id)
            if row is None:  # deleted between the two reads
                continue
            hits.append(
                SearchHit(
                    answer_id=item.answer_id,
                    interview_id=int(row["interview_id"]),
                    person=str(row["person"]),
                    person_status=str(row["person_status"]),
                    guide=str(row["guide"]),
                    track=str(row["track"]),
                    question_id=str(row["question_id"]),
                    prompt=str(row["prompt"]),
                    snippet=one_line(item.snippet or snippet(str(row["body"] or ""), matcher)) or one_line(str(row["body"]))[:200],
                    score=item.score,
                    visibility=str(row["visibility"]),
                )
            )
        return hits

    def rebuild(self) -> None:
        """Rebuild the index from every answer (after a bulk load, or to repair it)."""
        self._backend.rebuild()

    def bulk_load(self) -> AbstractContextManager[BulkLoad]:
        """A bulk load: ``load.add_answers(...)`` inserts many answers and indexes them alongside.

        One transaction; the answers show in search once the block has ended. Other writes go
        through ``load.connection`` (see :meth:`retain.store.search.backend.IndexedSearch.bulk_load`).
        """
        return self._backend.bulk_load()

    def _details(self, ids: list[int], include_confidential: bool) -> dict[int, dict[str, Any]]:
        visible = reader_for(include_confidential).answer_sql("a")
        sql, params = expand(
            "SELECT a.id, a.interview_id, a.question_id, a.prompt, a.body, a.visibility, "
            f"i.guide_id, i.track, p.name, {status_sql('p')} "
            "FROM answer a JOIN interview i ON i.id = a.interview_id "
            "JOIN person p ON p.id = i.person_id WHERE a.id IN (:ids)" + visible,
            "ids",
            ids,
        )
        params["status_today"] = date_param(self._rows.dialect, utc_today())
        names = ("id", "interview_id", "question_id", "prompt", "body", "visibility", "guide", "track", "person",
                 "person_status")
        rows = self._rows.rows(sql, params)
        return {int(row[0]): dict(zip(names, row, strict=True)) for row in rows}


def _clean(value: str | None) -> str | None:
    """A filter value without control characters or surrounding spaces; ``None`` if empty."""
    if value is None:
        return None
    return clean_text(value).strip() or None


def one_line(snippet: str) -> str:
    """One line: list rows are joined by newlines in the body, which a listing cannot show."""
    rows = (" ".join(line.split()) for line in snippet.splitlines())
    return " · ".join(row for row in rows if row)
