"""SQLModel tables: people, interviews, sittings, answers, mentions and topics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from retain.clock import utcnow


class Person(SQLModel, table=True):
    """Someone who is interviewed, named as a successor, or named as a contact."""

    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    role: str | None = Field(default=None, max_length=200)
    team: str | None = Field(default=None, max_length=200)
    status: str = Field(default="active", max_length=16)  # active | leaving | left
    leaving_date: date | None = None
    # Plain ids, not foreign keys: SQLite can add and drop such columns in place, and a
    # forgotten person's id simply stops resolving (readers treat it as nobody).
    manager_id: int | None = None
    successor_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Interview(SQLModel, table=True):
    """One interview, with a snapshot of its guide so that guide edits never change it."""

    __tablename__ = "interview"
    # SQLite would hand a deleted interview's id to the next one; an old link or export must
    # never point at someone else's interview (migration 0004_hardening).
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    # A stable external key, e.g. for demo data or imports; keeps loads idempotent.
    ref: str | None = Field(default=None, unique=True, max_length=200)
    guide_id: str = Field(index=True, max_length=100)
    guide_version: int = 1
    guide_title: str = Field(default="", max_length=300)
    guide_snapshot: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    track: str = Field(index=True, max_length=16)  # exit | handover
    person_id: int = Field(foreign_key="person.id", index=True)
    successor_id: int | None = Field(default=None, foreign_key="person.id")
    interviewer: str | None = Field(default=None, max_length=200)
    status: str = Field(default="draft", index=True, max_length=16)
    # The pack's sign-off: draft -> reviewed (interviewee or manager) -> accepted (successor).
    review_state: str = Field(default="draft", max_length=16)
    reviewed_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = None
    accepted_by: str | None = Field(default=None, max_length=200)
    accepted_at: datetime | None = None
    # A successor follow-up points at the handover it follows up, with its day and due date.
    followup_of: int | None = Field(default=None, index=True)
    followup_day: int | None = None
    due_date: date | None = None
    # When the successor starts (the subject's leaving date when not set).
    successor_start: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None

    @property
    def reviewed(self) -> bool:
        """Whether the pack was reviewed (or accepted since)."""
        return self.review_state != "draft"


class ReviewEvent(SQLModel, table=True):
    """One step of a pack's sign-off history: reviewed, accepted, or back to draft after an edit."""

    __tablename__ = "review_event"

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    state: str = Field(max_length=16)  # draft | reviewed | accepted
    by: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: datetime = Field(default_factory=utcnow)


class Sitting(SQLModel, table=True):
    """One session of an interview: an interview can be resumed across several sittings."""

    __tablename__ = "sitting"

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class Answer(SQLModel, table=True):
    """The answer to one question of one interview (upserted as it is typed)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("interview_id", "question_id", name="uq_answer_question"),)

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    question_id: str = Field(max_length=100)
    section_id: str = Field(default="", max_length=100)
    # The prompt as asked, kept beside the answer so search can weigh it without the guide.
    prompt: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    items: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # Text plus list items, flattened: what search indexes and extraction reads.
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    visibility: str = Field(default="shareable", max_length=16)
    skipped: bool = False
    skip_reason: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    extracted_at: datetime | None = None


class Mention(SQLModel, table=True):
    """An entity found in an answer, with character offsets into the answer's body."""

    __tablename__ = "mention"
    __table_args__ = (Index("ix_mention_key_label", "key", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", index=True, ondelete="CASCADE")
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    text: str = Field(max_length=500)
    label: str = Field(max_length=32)
    start: int
    end: int
    key: str = Field(max_length=500)
    person_id: int | None = Field(default=None, foreign_key="person.id")


class Topic(SQLModel, table=True):
    """A key phrase of an answer (``answer_id`` set) or of a whole interview (``answer_id`` null)."""

    __tablename__ = "topic"

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    answer_id: int | None = Field(
        default=None, foreign_key="answer.id", index=True, ondelete="CASCADE"
    )
    phrase: str = Field(max_length=300, index=True)
    score: float = 0.0


class ExportRecord(SQLModel, table=True):
    """A file retain wrote that holds personal data: a pack, a pseudonym key, an access export.

    Kept without a foreign key, so the record outlives the interview: forgetting a person
    must still find the packs on disk that name them.
    """

    __tablename__ = "export_record"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(sa_column=Column(Text, nullable=False))
    interview_id: int | None = Field(default=None, index=True)
    # Everyone whose name the file holds (subject, successor, people named in the answers).
    person_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: str = Field(default="pack", max_length=16)  # pack | key | access
    visibility: str = Field(default="shareable", max_length=16)
    pseudonymised: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class ErasureLog(SQLModel, table=True):
    """An erasure: when, what kind, how much. Never a name or any text, only salted hashes."""

    __tablename__ = "erasure_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    kind: str = Field(max_length=16)  # forget | purge | delete
    counts: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # HMAC-SHA256 of each erased person's normalised name, keyed by the database's salt.
    subjects: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class PrivacySetting(SQLModel, table=True):
    """Key/value settings of the privacy features; holds the erasure log's salt."""

    __tablename__ = "privacy_setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class Transcript(SQLModel, table=True):
    """A recorded interview's whole transcript, as imported (turns kept as JSON)."""

    __tablename__ = "transcript"

    id: int | None = Field(default=None, primary_key=True)
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    file_name: str = Field(max_length=300)
    format: str = Field(max_length=8)  # vtt | srt | txt | docx
    sha256: str = Field(max_length=64)
    # [{"start", "end", "speaker", "text"}]: every word, whether it mapped onto a question or not.
    turns: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    speakers: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    interviewer: str | None = Field(default=None, max_length=200)
    interviewee: str | None = Field(default=None, max_length=200)
    # Confidential as a whole on the exit track, or when any question it feeds is confidential.
    visibility: str = Field(default="confidential", max_length=16)
    imported_at: datetime = Field(default_factory=utcnow)


class AnswerSource(SQLModel, table=True):
    """Where an imported answer came from: the transcript, the time span and the speaker."""

    __tablename__ = "answer_source"

    id: int | None = Field(default=None, primary_key=True)
    answer_id: int = Field(foreign_key="answer.id", index=True, ondelete="CASCADE")
    transcript_id: int = Field(foreign_key="transcript.id", index=True, ondelete="CASCADE")
    start: float | None = None
    end: float | None = None
    speaker: str | None = Field(default=None, max_length=200)
    score: float = 0.0


class TranscriptSegment(SQLModel, table=True):
    """Transcript talk that is not (yet) an answer: small talk, off-guide, low-confidence."""

    __tablename__ = "transcript_segment"

    id: int | None = Field(default=None, primary_key=True)
    transcript_id: int = Field(foreign_key="transcript.id", index=True, ondelete="CASCADE")
    interview_id: int = Field(foreign_key="interview.id", index=True, ondelete="CASCADE")
    start: float | None = None
    end: float | None = None
    speaker: str | None = Field(default=None, max_length=200)
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    reason: str = Field(default="small-talk", max_length=32)
    suggestion: str | None = Field(default=None, max_length=100)
    score: float = 0.0
    visibility: str = Field(default="confidential", max_length=16)
