"""Answers: validation against their question, and the one atomic upsert that stores them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, case, update
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from retain.domain.answers import flatten
from retain.errors import Fix, InvalidInput, NotFound
from retain.guides.schema import Guide, Question
from retain.limits import check_answer_size
from retain.store.models import Answer, Interview

_ANSWER: Table = SQLModel.metadata.tables[str(Answer.__tablename__)]
_INTERVIEW: Table = SQLModel.metadata.tables[str(Interview.__tablename__)]

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class CleanAnswer:
    """An answer checked against its question, ready to store."""

    text: str
    items: list[dict[str, str]]
    visibility: str

    @property
    def body(self) -> str:
        """Text plus list rows, flattened: what search indexes and extraction reads."""
        return answer_body(self.text, self.items)


def answer_body(text: str, items: list[dict[str, str]]) -> str:
    """Flatten an answer: the text, then one line per list row (:func:`retain.domain.answers.flatten`)."""
    return flatten(text, items)


def check_visibility(guide: Guide, question: Question, visibility: str | None) -> str:
    """Resolve an answer's visibility: the question's default unless the interviewer tightens it.

    Raises:
        InvalidInput: For an unknown value, or an attempt to loosen a confidential question.
    """
    default = guide.default_visibility(question)
    if visibility is None:
        return default
    if visibility not in ("shareable", "confidential"):
        raise InvalidInput(f"unknown visibility {visibility!r}; use shareable or confidential")
    if default == "confidential" and visibility == "shareable":
        raise InvalidInput(
            f"question {question.id!r} is confidential by design and cannot be made shareable",
            fix=Fix.KEEP_CONFIDENTIAL,
        )
    return visibility


def clean_answer(
    guide: Guide,
    question: Question,
    text: str | None,
    items: list[dict[str, str]] | None,
    visibility: str | None,
) -> CleanAnswer:
    """Check an answer against its question type and return what to store.

    Text is kept byte for byte (emoji, right-to-left text, control characters), except that a
    NUL character is refused because PostgreSQL cannot store it.

    Raises:
        InvalidInput: With a one-line message that names the fix.
    """
    vis = check_visibility(guide, question, visibility)
    if question.type == "list":
        if text:
            raise InvalidInput(
                f"question {question.id!r} is a list; give rows with --item "
                f'\'{{"{question.fields[0].id}": "..."}}\' (fields: {", ".join(question.field_ids)})'
            )
        rows = [i for i in items or [] if isinstance(i, dict)]
        check_answer_size("\n".join(str(v) for row in rows for v in row.values()), len(items or []))
        return CleanAnswer("", [_clean_item(question, item) for item in items or []], vis)
    if items:
        raise InvalidInput(
            f"question {question.id!r} is type {question.type}, not a list; give --text instead of --item"
        )
    value = text or ""
    check_answer_size(value)
    if "\x00" in value:
        raise InvalidInput("the answer contains a NUL character; remove it and save again")
    if value.strip():
        value = _typed_value(question, value)
    return CleanAnswer(value, [], vis)


def _clean_item(question: Question, item: object) -> dict[str, str]:
    if not isinstance(item, dict):
        raise InvalidInput(
            f"a row for {question.id!r} must be an object such as "
            f'\'{{"{question.fields[0].id}": "..."}}\''
        )
    unknown = [key for key in item if key not in question.field_ids]
    if unknown:
        raise InvalidInput(
            f"unknown field {unknown[0]!r} for list question {question.id!r}; "
            f"valid fields: {', '.join(question.field_ids)}"
        )
    row: dict[str, str] = {}
    for field in question.fields:
        value = item.get(field.id, "")
        if isinstance(value, dict | list):  # str() would store "['a']"
            raise InvalidInput(f"field {field.id!r} of {question.id!r} must be text, not a JSON {type(value).__name__}")
        value = "" if value is None else str(value)
        if "\x00" in value:
            raise InvalidInput("a row contains a NUL character; remove it and save again")
        if field.required and not value.strip():
            raise InvalidInput(f"field {field.id!r} of {question.id!r} is required; give a value")
        row[field.id] = value
    if not any(v.strip() for v in row.values()):
        raise InvalidInput(f"a row for {question.id!r} is empty; fill at least one field")
    return row


def _typed_value(question: Question, value: str) -> str:
    kind = question.type
    stripped = value.strip()
    if kind == "choice":
        for option in question.options:
            if option.casefold() == stripped.casefold():
                return option
        raise InvalidInput(
            f"{stripped!r} is not an option of {question.id!r}; choose one of: {', '.join(question.options)}"
        )
    if kind == "scale":
        if stripped not in {"1", "2", "3", "4", "5"}:
            raise InvalidInput(
                f"question {question.id!r} takes a score from 1 to 5, not {stripped!r}"
            )
        return stripped
    if kind == "yesno":
        if stripped.casefold() in YES:
            return "yes"
        if stripped.casefold() in NO:
            return "no"
        raise InvalidInput(f"question {question.id!r} takes yes or no, not {stripped!r}")
    if kind == "date":
        try:
            return date.fromisoformat(stripped).isoformat()
        except ValueError as exc:
            raise InvalidInput(
                f"question {question.id!r} takes a date as YYYY-MM-DD, not {stripped!r}"
            ) from exc
    return value


@dataclass(frozen=True)
class AnswerChange:
    """What one save writes: content, visibility and skip, all optional, applied together.

    Attributes:
        content: The checked text and rows, or ``None`` to keep what is stored.
        visibility: A checked visibility, or ``None`` to keep the stored one (the question's
            default for a new answer).
        default_visibility: The question's default, used when the answer is new.
        skip: Mark the question skipped (keeping its text); content without ``skip`` un-skips.
        reason: Why it was skipped.
    """

    content: CleanAnswer | None
    visibility: str | None
    default_visibility: str
    skip: bool = False
    reason: str | None = None


def touch_interview(conn: Connection, interview_id: int, now: datetime) -> tuple[datetime, str]:
    """Stamp an interview as updated (a draft becomes in progress).

    Returns:
        Its ``created_at`` and ``review_state``, read by the same statement.

    Raises:
        NotFound: If the interview does not exist (it may have been deleted meanwhile).
    """
    iv = _INTERVIEW.c
    row = conn.execute(
        update(_INTERVIEW)
        .where(iv.id == interview_id)
        .values(
            updated_at=now,
            status=case((iv.status == "draft", "in_progress"), else_=iv.status),
        )
        .returning(iv.created_at, iv.review_state)
    ).first()
    if row is None:
        raise NotFound(f"no interview {interview_id}", fix=Fix.LIST_INTERVIEWS)
    return row.created_at, row.review_state


def upsert_answer(
    conn: Connection, interview_id: int, section_id: str, question: Question,
    change: AnswerChange, now: datetime,
) -> Answer:
    """Insert or update one answer in a single ``INSERT ... ON CONFLICT DO UPDATE`` statement.

    Two writers saving the first answer to the same question at once both succeed (the second
    one updates), on SQLite and PostgreSQL alike: there is no read-then-insert window.
    """
    content = change.content
    values: dict[str, Any] = {
        "interview_id": interview_id, "question_id": question.id, "section_id": section_id,
        "prompt": question.prompt,
        "text": content.text if content else "", "items": content.items if content else [],
        "body": content.body if content else "",
        "visibility": change.visibility or change.default_visibility,
        "skipped": change.skip, "skip_reason": _reason(change) if change.skip else None,
        "created_at": now, "updated_at": now,
    }
    # Imported here: the PostgreSQL dialect costs ~20 ms to import, and only a write needs it.
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_ANSWER).values(**values)
    updates: dict[str, Any] = {"section_id": section_id, "prompt": question.prompt, "updated_at": now}
    if content is not None:
        updates |= {"text": stmt.excluded.text, "items": stmt.excluded["items"],
                    "body": stmt.excluded.body}
    if change.visibility is not None:
        updates["visibility"] = change.visibility
    if change.skip:
        updates |= {"skipped": True, "skip_reason": _reason(change)}
    elif content is not None:
        updates |= {"skipped": False, "skip_reason": None}  # typing an answer un-skips it
    row = conn.execute(
        stmt.on_conflict_do_update(index_elements=["interview_id", "question_id"], set_=updates)
        .returning(*_ANSWER.c)
    ).one()
    return Answer(**dict(row._mapping))


def _reason(change: AnswerChange) -> str | None:
    return (change.reason or "").strip() or None
