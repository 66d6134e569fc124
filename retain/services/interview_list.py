"""The interview list in plain SQL: no ORM and no guide validation, so `interview list` starts fast."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from retain.clock import today
from retain.domain.journey import effective_status
from retain.domain.progress import CountedAnswer, Progress, count_progress
from retain.domain.types import JsonObject
from retain.errors import InvalidInput
from retain.guides.outline import snapshot_questions
from retain.store.rows import RowReader

STATUSES = ("draft", "in_progress", "completed")
# The bound every text filter has (retain.store.search.query.MAX_FILTER_CHARS; a test checks
# they agree): PostgreSQL and SQLite refuse LIKE patterns of ~50,000 characters as too complex.
MAX_FILTER_CHARS = 200


@dataclass(frozen=True)
class InterviewSummary:
    """One row of the interview list."""

    id: int
    person: str
    person_status: str
    guide: str
    track: str
    status: str
    progress: Progress
    updated_at: datetime

    def to_json(self) -> JsonObject:
        """The JSON shape of ``interview list --json``."""
        return {
            "id": self.id,
            "person": self.person,
            "person_status": self.person_status,
            "guide": self.guide,
            "track": self.track,
            "status": self.status,
            "progress": {
                "answered": self.progress.answered,
                "skipped": self.progress.skipped,
                "total": self.progress.total,
            },
            "updated_at": self.updated_at.isoformat(),
        }


def list_interviews(rows: RowReader, *, status: str | None = None, person: str | None = None) -> list[InterviewSummary]:
    """Interviews, most recently updated first, optionally filtered.

    Args:
        rows: The database (sqlite3 alone for the command line, the engine elsewhere).
        status: Only interviews in this status.
        person: Only interviews of people whose name contains this (case-insensitive).

    Raises:
        InvalidInput: For an unknown status or an over-long ``person`` filter.
    """
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    if person is not None and len(person) > MAX_FILTER_CHARS:
        raise InvalidInput(
            f"--person is {len(person):,} characters long; the limit is {MAX_FILTER_CHARS}: "
            "give a name or a short phrase"
        )
    where, params = [], {}
    if status:
        where.append("i.status = :status")
        params["status"] = status
    if person:
        where.append("lower(p.name) LIKE '%' || :person || '%'")
        params["person"] = person.casefold()
    chosen = (" WHERE " + " AND ".join(where)) if where else ""
    interviews = rows.rows(
        "SELECT i.id, p.name, p.status, p.leaving_date, i.guide_id, i.track, i.status, i.updated_at, "
        f"i.guide_snapshot FROM interview i JOIN person p ON p.id = i.person_id{chosen} "
        "ORDER BY i.updated_at DESC, i.id DESC",
        params,
    )
    answers: dict[int, list[CountedAnswer]] = {}
    if interviews:
        for interview_id, question_id, text, items, skipped in rows.rows(
            "SELECT a.interview_id, a.question_id, a.text, a.items, a.skipped FROM answer a "
            f"WHERE a.interview_id IN (SELECT i.id FROM interview i JOIN person p ON p.id = i.person_id{chosen})",
            params,
        ):
            answers.setdefault(int(interview_id), []).append(
                CountedAnswer(str(question_id), text or "", _json(items) or [], bool(skipped))
            )
    on = today()
    return [
        InterviewSummary(
            id=int(iid),
            person=str(name),
            person_status=effective_status(str(person_status), _date(leaving), on),
            guide=str(guide),
            track=str(track),
            status=str(interview_status),
            progress=count_progress(snapshot_questions(_json(snapshot)), answers.get(int(iid), [])),
            updated_at=_utc(updated),
        )
        for iid, name, person_status, leaving, guide, track, interview_status, updated, snapshot in interviews
    ]


def _json(value: Any) -> Any:
    # sqlite3 hands back JSON columns as text; psycopg has already parsed them.
    return json.loads(value) if isinstance(value, str | bytes) else value


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _utc(value: Any) -> datetime:
    """A stored timestamp as the ORM reads it (sqlmodel's UTCDateTime): aware, in UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)


__all__ = ["STATUSES", "InterviewSummary", "list_interviews"]
