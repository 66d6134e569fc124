"""Where imported answers came from: the recording's file, start and end time, and speaker."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # SQLModel is imported where the session is used: a one-off export reads these rows
    # through sqlite3 alone (see answer_sources_sql).
    from sqlmodel import Session

    from retain.store.rows import RowReader

# One row per stretch of a recording, in id order: answer id, file name, start, end, speaker.
SourceRow = tuple[int, str, float | None, float | None, str | None]

_SOURCES_SQL = (
    's.answer_id, t.file_name, s.start, s."end", s.speaker FROM answer_source s '
    "JOIN transcript t ON t.id = s.transcript_id JOIN answer a ON a.id = s.answer_id "
    "WHERE a.interview_id = :interview_id ORDER BY s.id"
)


def answer_sources(session: Session, interview_id: int) -> dict[int, dict[str, Any]]:
    """Each imported answer's source, keyed by answer id; typed answers are absent.

    An answer assembled from several stretches of one recording spans from the first to the
    last; ``file`` is the transcript's file name, times are seconds from its start.
    """
    from sqlmodel import col, select

    from retain.store.models import Answer, AnswerSource, Transcript

    rows = session.exec(
        select(AnswerSource, Transcript.file_name)
        .join(Transcript, col(Transcript.id) == AnswerSource.transcript_id)
        .join(Answer, col(Answer.id) == AnswerSource.answer_id)
        .where(Answer.interview_id == interview_id)
        .order_by(col(AnswerSource.id))
    ).all()
    return merge_sources((s.answer_id, name, s.start, s.end, s.speaker) for s, name in rows)


def answer_sources_sql(rows: RowReader, interview_id: int) -> dict[int, dict[str, Any]]:
    """:func:`answer_sources` through a plain SQL reader (sqlite3 alone for the command line)."""
    found = rows.rows("SELECT " + _SOURCES_SQL, {"interview_id": interview_id})
    return merge_sources((int(a), str(f), start, end, speaker) for a, f, start, end, speaker in found)


def merge_sources(rows: Iterable[SourceRow]) -> dict[int, dict[str, Any]]:
    """Fold the stretches of each answer (in id order) into one source per answer."""
    sources: dict[int, dict[str, Any]] = {}
    for answer_id, file_name, start, end, speaker in rows:
        found = sources.get(answer_id)
        if found is None:
            sources[answer_id] = {"file": file_name, "start": start, "end": end, "speaker": speaker}
        elif found["file"] == file_name and end is not None:
            found["end"] = max(found["end"] or 0.0, end)
    return sources


__all__ = ["answer_sources", "answer_sources_sql", "merge_sources"]
