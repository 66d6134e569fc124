"""Full-text search over answers: one interface, an FTS5 backend and a PostgreSQL backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Protocol

from sqlalchemy import BindParameter, Connection, Engine, bindparam

from retain.domain.visibility import reader_for
from retain.highlight import HIGHLIGHT
from retain.store.search.query import ParsedQuery, Term, parse_query, tokenize
from retain.store.status import status_sql, today_param

ELLIPSIS = "…"


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied in SQL, before ranking."""

    person: str | None = None
    guide: str | None = None
    track: str | None = None
    label: str | None = None
    since: date | None = None
    person_status: str | None = None
    interview_status: str | None = None
    include_confidential: bool = False

    @property
    def selective(self) -> bool:
        """Whether a filter may leave few answers, so driving the query from it can pay off.

        ``since`` is left out: answers have no index on their date, so counting what it
        leaves would scan the table.
        """
        return bool(
            self.person or self.guide or self.label or self.track or self.person_status
            or self.interview_status
        )


@dataclass(frozen=True)
class RawHit:
    """A ranked match as a backend returns it: the answer, its score (higher is better), a snippet."""

    answer_id: int
    score: float
    snippet: str


class SearchBackend(Protocol):
    """What each database's search implementation provides."""

    def search(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> list[RawHit]:
        """Ranked hits, best first."""
        ...

    def rebuild(self) -> None:
        """Rebuild the index from the answer table."""
        ...

    def bulk_load(self, expected: int = 0) -> AbstractContextManager[Connection]:
        """A connection for bulk inserts into ``answer``, indexed in one pass at the end."""
        ...


def normalise_key(text: str) -> str:
    """The normalised form used to compare entity and topic texts (spaces collapsed, casefolded)."""
    return " ".join(text.split()).casefold()


def like_escape(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally (used with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_sql(filters: SearchFilters) -> tuple[list[str], list[BindParameter[Any]]]:
    """SQL conditions on ``answer a`` alone, the same text on SQLite and PostgreSQL.

    Interview and person filters become ``a.interview_id IN (...)``: the few matching
    interviews are found first (the person table is small), so the answers are reached
    through their interview index instead of a scan. Every value is a bound parameter.
    """
    where: list[str] = []
    params: list[BindParameter[Any]] = []
    visible = reader_for(filters.include_confidential).answer_sql("a")
    if visible:
        # The one visibility rule (retain.domain.visibility): shareable and not skipped.
        where.append(visible.removeprefix(" AND "))
    people: list[str] = []
    if filters.person:
        people.append("lower(p.name) LIKE :f_person ESCAPE '\\'")
        params.append(bindparam("f_person", f"%{like_escape(normalise_key(filters.person))}%"))
    if filters.person_status:
        # The status as read today: a leaving date in the past reads as left (issue 11).
        people.append(f"{status_sql('p')} = :f_pstatus")
        params.append(bindparam("f_pstatus", filters.person_status))
        params.append(today_param())
    interview: list[str] = []
    if people:
        # Nested, so the few people are found first and their interviews through the index.
        interview.append(f"i.person_id IN (SELECT p.id FROM person p WHERE {' AND '.join(people)})")
    if filters.guide:
        interview.append("i.guide_id = :f_guide")
        params.append(bindparam("f_guide", filters.guide.strip()))
    if filters.track:
        interview.append("i.track = :f_track")
        params.append(bindparam("f_track", filters.track))
    if filters.interview_status:
        interview.append("i.status = :f_istatus")
        params.append(bindparam("f_istatus", filters.interview_status))
    if interview:
        where.append(f"a.interview_id IN (SELECT i.id FROM interview i WHERE {' AND '.join(interview)})")
    if filters.since is not None:
        # Imported here: sqlmodel's package import costs ~0.1 s a search without --since skips.
        from sqlmodel.sql.sqltypes import UTCDateTime

        where.append("a.updated_at >= :f_since")
        start = datetime.combine(filters.since, time.min, tzinfo=UTC)
        params.append(bindparam("f_since", start, type_=UTCDateTime()))
    if filters.label:
        where.append(
            "a.id IN (SELECT m.answer_id FROM mention m WHERE m.label = :f_label"
            " OR m.key = :f_key OR lower(m.text) = :f_key)"
        )
        params.append(bindparam("f_label", filters.label.strip().upper()))
        params.append(bindparam("f_key", normalise_key(filters.label)))
    return where, params


def backend_for(engine: Engine) -> SearchBackend:
    """The search backend for an engine's database."""
    if engine.dialect.name == "postgresql":
        from retain.store.search.postgres import PostgresSearch

        return PostgresSearch(engine)
    from retain.store.search.sqlite import SqliteSearch

    return SqliteSearch(engine)


def iter_chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """Split a list of ids into chunks small enough for an IN list."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


__all__ = [
    "ELLIPSIS",
    "HIGHLIGHT",
    "ParsedQuery",
    "RawHit",
    "SearchBackend",
    "SearchFilters",
    "Term",
    "backend_for",
    "filter_sql",
    "iter_chunks",
    "like_escape",
    "normalise_key",
    "parse_query",
    "tokenize",
]
