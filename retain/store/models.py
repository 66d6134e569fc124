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
    created_at: datetime = Field(default_factory=utcnow)


class Interview(SQLModel, table=True):
    """One interview, with a snapshot of its guide so that guide edits never change it."""

    __tablename__ = "interview"

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
    reviewed: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None


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
