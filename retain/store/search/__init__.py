"""Full-text search over answers: the query language, the filters, and one indexed backend."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from retain.clock import today as utc_today
from retain.highlight import HIGHLIGHT
from retain.store.rows import date_param
from retain.store.search.query import ParsedQuery, Term, parse_query, tokenize
from retain.store.status import status_sql

ELLIPSIS = "…"


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied inside the index, before ranking (the SQL ones as the ids they keep)."""

    person: str | None = None
    guide: str | None = None
    track: str | None = None
    label: str | None = None
    since: date | None = None
    person_status: str | None = None
    interview_status: str | None = None
    include_confidential: bool = False


@dataclass(frozen=True)
class RawHit:
    """A ranked match as a backend returns it: the answer, its score (higher is better), a snippet."""

    answer_id: int
    score: float
    snippet: str


def normalise_key(text: str) -> str:
    """The normalised form used to compare entity and topic texts (spaces collapsed, casefolded)."""
    return " ".join(text.split()).casefold()


def like_escape(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally (used with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def interview_sql(filters: SearchFilters, dialect: str) -> tuple[str | None, dict[str, Any]]:
    """``SELECT i.id FROM interview i WHERE ...`` for the person and interview filters (``None``: none).

    The few matching interviews are found first (the person table is small); every value is
    a ``:name`` parameter.

    Args:
        filters: The search's filters.
        dialect: ``sqlite`` or ``postgresql`` (a date is compared as each stores it).
    """
    params: dict[str, Any] = {}
    people: list[str] = []
    if filters.person:
        people.append("lower(p.name) LIKE :f_person ESCAPE '\\'")
        params["f_person"] = f"%{like_escape(normalise_key(filters.person))}%"
    if filters.person_status:
        # The status as read today: a leaving date in the past reads as left (issue 11).
        people.append(f"{status_sql('p')} = :f_pstatus")
        params["f_pstatus"] = filters.person_status
        params["status_today"] = date_param(dialect, utc_today())
    interview: list[str] = []
    if people:
        # Nested, so the few people are found first and their interviews through the index.
        interview.append(f"i.person_id IN (SELECT p.id FROM person p WHERE {' AND '.join(people)})")
    if filters.guide:
        interview.append("i.guide_id = :f_guide")
        params["f_guide"] = filters.guide.strip()
    if filters.track:
        interview.append("i.track = :f_track")
        params["f_track"] = filters.track
    if filters.interview_status:
        interview.append("i.status = :f_istatus")
        params["f_istatus"] = filters.interview_status
    if not interview:
        return None, params
    return f"SELECT i.id FROM interview i WHERE {' AND '.join(interview)}", params


def label_sql(filters: SearchFilters) -> tuple[str | None, dict[str, Any]]:
    """``SELECT m.answer_id FROM mention m WHERE ...`` for ``--label`` (``None``: no label filter)."""
    if not filters.label:
        return None, {}
    params = {"f_label": filters.label.strip().upper(), "f_key": normalise_key(filters.label)}
    sql = "SELECT m.answer_id FROM mention m WHERE (m.label = :f_label OR m.key = :f_key OR lower(m.text) = :f_key)"
    return sql, params


def iter_chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    """Split a list of ids into chunks small enough for an IN list."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


__all__ = [
    "ELLIPSIS",
    "HIGHLIGHT",
    "ParsedQuery",
    "RawHit",
    "SearchFilters",
    "Term",
    "interview_sql",
    "iter_chunks",
    "label_sql",
    "like_escape",
    "normalise_key",
    "parse_query",
    "tokenize",
]
