"""Unmapped transcript talk after an import: list it, save a segment as an answer, or drop it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from retain.clock import utcnow
from retain.errors import Fix, InvalidInput, NotFound
from retain.imports.model import clock
from retain.imports.values import spoken_value
from retain.services.answers import answer_body, check_visibility
from retain.services.base import session_scope
from retain.services.imports import IMPORT_HEADING
from retain.services.interviews import snapshot_guide
from retain.store.models import Answer, AnswerSource, Interview, TranscriptSegment
from retain.store.models import Transcript as TranscriptRow

VISIBILITY_ORDER = {"shareable": 0, "confidential": 1}


@dataclass(frozen=True)
class SegmentAssigned:
    """What saving a segment as an answer did."""

    segment: int
    interview: int
    question: str
    mode: str  # new, appended or replaced
    visibility: str

    def to_json(self) -> dict[str, object]:
        """The ``transcript assign --json`` document."""
        return {"segment": self.segment, "interview": self.interview, "question": self.question,
                "saved": self.mode, "visibility": self.visibility}


def interviewee_words(segment: TranscriptSegment, transcript: TranscriptRow) -> str:
    """The interviewee's words in a stored segment, one paragraph per turn.

    A stored segment reads ``Speaker: text`` per turn. With no interviewee (a transcript without
    speakers) or none of their turns in it, every turn's words are kept: the interviewer has
    said this talk answers the question.
    """
    speakers = sorted({str(s.get("name") or "") for s in transcript.speakers} | {"Unknown"}, key=len,
                      reverse=True)
    turns: list[tuple[str, list[str]]] = []
    for line in segment.text.split("\n"):
        speaker = next((s for s in speakers if s and line.startswith(f"{s}: ")), None)
        if speaker is not None:
            turns.append((speaker, [line[len(speaker) + 2:]]))
        elif turns:
            turns[-1][1].append(line)  # a turn that ran over several lines
        else:
            turns.append(("", [line]))
    theirs = [t for t in turns if transcript.interviewee and t[0] == transcript.interviewee] or turns
    return "\n\n".join("\n".join(lines).strip() for _, lines in theirs if "".join(lines).strip())


class SegmentService:
    """Imported talk that is not an answer: what the interviewer does with it afterwards."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def unmapped(self, interview_id: int) -> list[TranscriptSegment]:
        """An interview's unmapped segments in transcript order.

        Raises:
            NotFound: If there is no such interview.
        """
        with session_scope(self._engine, readonly=True) as session:
            if session.get(Interview, interview_id) is None:
                raise NotFound(f"no interview {interview_id}", fix=Fix.LIST_INTERVIEWS)
            query = select(TranscriptSegment).where(TranscriptSegment.interview_id == interview_id)
            return list(session.exec(query.order_by(col(TranscriptSegment.id))).all())

    def assign(self, segment_id: int, question_id: str, *, replace: bool = False,
               visibility: str | None = None) -> SegmentAssigned:
        """Save an unmapped segment as the answer to a question, with its recording time.

        As in an import, the words are appended under a marked heading to an answer that
        already holds text (``replace`` overwrites it), and a typed value (choice, yes/no,
        scale, date) is taken only if what was said fits it. The answer is never looser than
        the segment: talk from a transcript that held confidential answers stays confidential.

        Raises:
            NotFound: For an unknown segment or question.
            InvalidInput: If nothing said fits a typed question, or a typed answer would be
                overwritten without ``replace``.
        """
        with session_scope(self._engine) as session:
            segment, transcript, interview = self._load(session, segment_id)
            guide = snapshot_guide(interview)
            found = guide.question(question_id)
            if found is None:
                raise NotFound(f"no question {question_id!r} in guide {guide.id}; "
                               f"see `retain guides show {guide.id}`")
            section, question = found
            wanted = check_visibility(guide, question, visibility)
            words = interviewee_words(segment, transcript)
            value = spoken_value(question, words) if words else None
            if value is None:
                raise InvalidInput(f"segment {segment_id} says nothing that fits {question.type} question "
                                   f"{question_id!r}", fix=Fix.ANSWER_BY_HAND)
            answer = session.exec(select(Answer).where(
                Answer.interview_id == interview.id, Answer.question_id == question_id)).first()
            mode = "new"
            if answer is None:
                answer = Answer(interview_id=interview.id or 0, question_id=question_id, visibility=wanted)
            elif answer.text.strip() and not replace:
                if question.type not in ("text", "short", "list"):
                    raise InvalidInput(f"question {question_id!r} already holds {answer.text!r}",
                                       fix=Fix.REPLACE)
                heading = IMPORT_HEADING.format(file=transcript.file_name, start=clock(segment.start) or "-")
                value, mode = f"{answer.text.rstrip()}\n\n{heading}\n{value}", "appended"
            elif answer.text.strip():
                mode = "replaced"
            answer.visibility = max(answer.visibility, wanted, segment.visibility, key=VISIBILITY_ORDER.__getitem__)
            answer.text, answer.body = value, answer_body(value, answer.items)
            answer.section_id, answer.prompt = section.id, question.prompt
            answer.skipped, answer.skip_reason = False, None
            answer.updated_at, answer.extracted_at = utcnow(), None
            session.add(answer)
            session.flush()
            session.add(AnswerSource(answer_id=answer.id or 0, transcript_id=transcript.id or 0,
                                     start=segment.start, end=segment.end,
                                     speaker=transcript.interviewee, score=segment.score))
            session.delete(segment)
            self._touch(session, interview)
            return SegmentAssigned(segment_id, interview.id or 0, question_id, mode, answer.visibility)

    def drop(self, segment_id: int) -> TranscriptSegment:
        """Delete an unmapped segment (small talk nobody needs); the transcript keeps the turns.

        Raises:
            NotFound: For an unknown segment.
        """
        with session_scope(self._engine) as session:
            segment, _, interview = self._load(session, segment_id)
            session.delete(segment)
            self._touch(session, interview)
            return segment

    @staticmethod
    def _load(session: Session, segment_id: int) -> tuple[TranscriptSegment, TranscriptRow, Interview]:
        segment = session.get(TranscriptSegment, segment_id)
        transcript = session.get(TranscriptRow, segment.transcript_id) if segment else None
        interview = session.get(Interview, segment.interview_id) if segment else None
        if segment is None or transcript is None or interview is None:
            raise NotFound(f"no unmapped segment {segment_id}; see `retain transcript unmapped ID`")
        return segment, transcript, interview

    @staticmethod
    def _touch(session: Session, interview: Interview) -> None:
        interview.updated_at = utcnow()
        if interview.status == "draft":
            interview.status = "in_progress"
        session.add(interview)
