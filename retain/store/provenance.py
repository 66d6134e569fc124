"""Where imported answers came from: the recording's file, start and end time, and speaker."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from retain.store.models import Answer, AnswerSource, Transcript


def answer_sources(session: Session, interview_id: int) -> dict[int, dict[str, Any]]:
    """Each imported answer's source, keyed by answer id; typed answers are absent.

    An answer assembled from several stretches of one recording spans from the first to the
    last; ``file`` is the transcript's file name, times are seconds from its start.
    """
    rows = session.exec(
        select(AnswerSource, Transcript.file_name)
        .join(Transcript, col(Transcript.id) == AnswerSource.transcript_id)
        .join(Answer, col(Answer.id) == AnswerSource.answer_id)
        .where(Answer.interview_id == interview_id)
        .order_by(col(AnswerSource.id))
    ).all()
    sources: dict[int, dict[str, Any]] = {}
    for source, file_name in rows:
        found = sources.get(source.answer_id)
        if found is None:
            sources[source.answer_id] = {
                "file": file_name,
                "start": source.start,
                "end": source.end,
                "speaker": source.speaker,
            }
        elif found["file"] == file_name and source.end is not None:
            found["end"] = max(found["end"] or 0.0, source.end)
    return sources
