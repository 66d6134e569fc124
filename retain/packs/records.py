"""What a pack is built from, as protocols the ORM rows and plain records both satisfy (no SQLAlchemy import).

The ORM rows (:mod:`retain.store.models`) are what the app, the web view and PostgreSQL load;
a one-off ``retain export`` on an SQLite file reads the same columns through the sqlite3
module into the plain records below (:mod:`retain.packs.load_rows`), because importing
SQLAlchemy and SQLModel costs more than building and writing a 60-answer pack. Values are
converted as the ORM converts them: timestamps aware in UTC, JSON parsed, flags as ``bool``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from retain.domain.visibility import Shown


class StoredPerson(Protocol):
    """What a pack reads of a person."""

    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def role(self) -> str | None: ...
    @property
    def team(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def leaving_date(self) -> date | None: ...


class StoredInterview(Protocol):
    """What a pack reads of an interview."""

    @property
    def id(self) -> int | None: ...
    @property
    def guide_id(self) -> str: ...
    @property
    def guide_version(self) -> int: ...
    @property
    def guide_title(self) -> str: ...
    @property
    def track(self) -> str: ...
    @property
    def interviewer(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def review_state(self) -> str: ...
    @property
    def reviewed_by(self) -> str | None: ...
    @property
    def reviewed_at(self) -> datetime | None: ...
    @property
    def accepted_by(self) -> str | None: ...
    @property
    def accepted_at(self) -> datetime | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def completed_at(self) -> datetime | None: ...
    @property
    def reviewed(self) -> bool: ...


class StoredAnswer(Shown, Protocol):
    """What a pack reads of an answer: what the visibility filter reads, and the flattened body."""

    @property
    def body(self) -> str: ...
    @property
    def skip_reason(self) -> str | None: ...
    @property
    def extracted_at(self) -> datetime | None: ...


class StoredMention(Protocol):
    """What a pack reads of a mention."""

    @property
    def answer_id(self) -> int | None: ...
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class StoredTopic(Protocol):
    """What a pack reads of a topic."""

    @property
    def answer_id(self) -> int | None: ...
    @property
    def phrase(self) -> str: ...
    @property
    def score(self) -> float: ...


# The plain records: the columns of each table that packs read, typed as the ORM types them.


@dataclass(slots=True)
class PersonRecord:
    """A ``person`` row."""

    id: int | None
    name: str
    email: str | None
    role: str | None
    team: str | None
    status: str
    leaving_date: date | None


@dataclass(slots=True)
class InterviewRecord:
    """An ``interview`` row (the guide snapshot parsed)."""

    id: int | None
    guide_id: str
    guide_version: int
    guide_title: str
    guide_snapshot: dict[str, Any]
    track: str
    person_id: int
    successor_id: int | None
    interviewer: str | None
    status: str
    review_state: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    accepted_by: str | None
    accepted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None

    @property
    def reviewed(self) -> bool:
        """Whether the pack was reviewed (or accepted since), as ``Interview.reviewed``."""
        return self.review_state != "draft"


@dataclass(slots=True)
class AnswerRecord:
    """An ``answer`` row."""

    id: int | None
    interview_id: int
    question_id: str
    section_id: str
    prompt: str
    text: str
    items: list[dict[str, str]]
    body: str
    visibility: str
    skipped: bool
    skip_reason: str | None
    extracted_at: datetime | None


@dataclass(slots=True)
class MentionRecord:
    """A ``mention`` row."""

    id: int | None
    answer_id: int
    text: str
    label: str
    start: int
    end: int
    key: str
    person_id: int | None


@dataclass(slots=True)
class TopicRecord:
    """A ``topic`` row."""

    id: int | None
    answer_id: int | None
    phrase: str
    score: float


# Column lists, in the order the records take them (quoted: ``end`` is an SQL keyword).
PERSON_COLUMNS = "id, name, email, role, team, status, leaving_date"
INTERVIEW_COLUMNS = (
    "id, guide_id, guide_version, guide_title, guide_snapshot, track, person_id, successor_id, interviewer, "
    "status, review_state, reviewed_by, reviewed_at, accepted_by, accepted_at, created_at, updated_at, completed_at"
)
ANSWER_COLUMNS = ("id, interview_id, question_id, section_id, prompt, text, items, body, visibility, skipped, "
                  "skip_reason, extracted_at")
MENTION_COLUMNS = 'id, answer_id, text, label, start, "end", key, person_id'
TOPIC_COLUMNS = "id, answer_id, phrase, score"


def parse_json(value: Any) -> Any:
    """A JSON column: sqlite3 hands back text, psycopg has already parsed it."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def as_utc(value: Any) -> datetime | None:
    """A stored timestamp as the ORM reads it (SQLModel's ``UTCDateTime``): aware, in UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.utcoffset() is None else moment.astimezone(UTC)


def as_date(value: Any) -> date | None:
    """A stored date (SQLite keeps ISO text)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _utc(value: Any) -> datetime:
    moment = as_utc(value)
    if moment is None:  # pragma: no cover - the column is NOT NULL
        raise ValueError("a required timestamp is missing")
    return moment


def person_record(row: tuple[Any, ...]) -> PersonRecord:
    """A person from a row of :data:`PERSON_COLUMNS`."""
    pid, name, email, role, team, status, leaving = row
    return PersonRecord(pid, name, email, role, team, status, as_date(leaving))


def interview_record(row: tuple[Any, ...]) -> InterviewRecord:
    """An interview from a row of :data:`INTERVIEW_COLUMNS`."""
    (iid, guide_id, version, title, snapshot, track, person_id, successor_id, interviewer, status, review_state,
     reviewed_by, reviewed_at, accepted_by, accepted_at, created, updated, completed) = row
    return InterviewRecord(
        iid, guide_id, int(version), title, parse_json(snapshot), track, person_id, successor_id, interviewer,
        status, review_state, reviewed_by, as_utc(reviewed_at), accepted_by, as_utc(accepted_at), _utc(created),
        _utc(updated), as_utc(completed),
    )


def answer_record(row: tuple[Any, ...]) -> AnswerRecord:
    """An answer from a row of :data:`ANSWER_COLUMNS`."""
    aid, iid, question, section, prompt, text, items, body, visibility, skipped, reason, extracted = row
    return AnswerRecord(aid, iid, question, section, prompt, text, parse_json(items), body, visibility,
                        bool(skipped), reason, as_utc(extracted))


def mention_record(row: tuple[Any, ...]) -> MentionRecord:
    """A mention from a row of :data:`MENTION_COLUMNS`."""
    mid, answer_id, text, label, start, end, key, person_id = row
    return MentionRecord(mid, answer_id, text, label, int(start), int(end), key, person_id)


def topic_record(row: tuple[Any, ...]) -> TopicRecord:
    """A topic from a row of :data:`TOPIC_COLUMNS`."""
    tid, answer_id, phrase, score = row
    return TopicRecord(tid, answer_id, phrase, float(score))


__all__ = [
    "ANSWER_COLUMNS", "INTERVIEW_COLUMNS", "MENTION_COLUMNS", "PERSON_COLUMNS", "TOPIC_COLUMNS",
    "AnswerRecord", "InterviewRecord", "MentionRecord", "PersonRecord", "StoredAnswer", "StoredInterview",
    "StoredMention", "StoredPerson", "StoredTopic", "TopicRecord", "answer_record", "as_date", "as_utc",
    "interview_record", "mention_record", "parse_json", "person_record", "topic_record",
]
