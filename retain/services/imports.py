"""Import a recorded interview's transcript: read it, map it onto the guide, save it in one go."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from retain.clock import utcnow
from retain.errors import InvalidInput, NotFound
from retain.guides.registry import GuideRegistry
from retain.guides.schema import Guide
from retain.imports.mapping import Mapping, Segment, map_transcript
from retain.imports.model import Transcript, Turn, clock
from retain.imports.readers import detect_format, parse, read_bytes
from retain.imports.values import spoken_value
from retain.services.answers import answer_body
from retain.services.base import session_scope
from retain.services.interviews import snapshot_guide
from retain.services.people import ensure_person
from retain.store.models import Answer, AnswerSource, Interview, TranscriptSegment
from retain.store.models import Transcript as TranscriptRow

# What the interviewer decides per segment in the review: a question id to save it under,
# or None to leave it unmapped. Segments not mentioned keep the automatic decision.
Decisions = dict[int, str | None]
IMPORT_HEADING = "[Imported from {file} at {start}]"


@dataclass
class ImportPlan:
    """A transcript mapped onto an interview's guide, before anything is written."""

    mapping: Mapping
    guide: Guide
    sha256: str
    interview_id: int | None = None
    person: str | None = None
    decisions: Decisions = field(default_factory=dict)

    @property
    def transcript(self) -> Transcript:
        """The transcript being imported."""
        return self.mapping.transcript

    def target(self, index: int) -> str | None:
        """The question a segment is saved under (after the interviewer's decisions)."""
        if index in self.decisions:
            return self.decisions[index]
        segment = self.mapping.segments[index]
        return segment.question if segment.reason == "answer" else None

    def to_json(self, *, saved: dict[int, str] | None = None, dry_run: bool = False) -> dict[str, Any]:
        """The ``retain import --json`` document."""
        mapping, answers, unmapped = self.mapping, [], []
        for index, segment in enumerate(mapping.segments):
            start, end = mapping.span(segment)
            target = self.target(index)
            if segment.question is not None or target is not None:
                answers.append({
                    "question": target or segment.question,
                    "start": start,
                    "end": end,
                    "score": segment.score,
                    "review": target is None,
                    # new | appended | replaced once written; planned (dry run) or no otherwise.
                    "saved": saved.get(index, "no") if saved is not None
                    else ("no" if target is None else "planned"),
                })
            if target is None:
                unmapped.append({
                    "start": start,
                    "end": end,
                    "reason": segment.reason,
                    "suggestion": segment.question or segment.suggestion,
                    "text": _segment_text(mapping, segment),
                })
        return {
            "interview": self.interview_id,
            "file": self.transcript.file_name,
            "format": self.transcript.format,
            "speakers": [s.to_json() for s in mapping.speakers],
            "interviewer": mapping.interviewer,
            "interviewee": mapping.interviewee,
            "guessed": mapping.guessed,
            "turns": len(self.transcript.turns),
            "answers": answers,
            "unmapped": unmapped,
            "warnings": list(self.transcript.warnings),
            "dry_run": dry_run,
        }


def _unmapped_reason(plan: ImportPlan, index: int) -> str:
    """Why a segment is not an answer: skipped in review, no usable value, or the mapping's."""
    if plan.target(index) is not None:
        return "already-answered"  # a typed value is kept unless --replace
    if index in plan.decisions:
        return "skipped"
    return plan.mapping.segments[index].reason


def _segment_text(mapping: Mapping, segment: Segment) -> str:
    turns = mapping.transcript.turns
    return "\n".join(f"{turns[i].speaker or 'Unknown'}: {turns[i].text}" for i in segment.turns)


class ImportService:
    """Transcript imports for the CLI and the TUI."""

    def __init__(self, engine: Engine, guides: GuideRegistry) -> None:
        self._engine = engine
        self._guides = guides

    def read(self, path: Path, fmt: str | None = None) -> tuple[Transcript, str]:
        """Read a transcript file and the SHA-256 of its bytes.

        Raises:
            TranscriptError: With one line naming the file and the fix.
        """
        found = detect_format(path, fmt)
        data = read_bytes(path)
        return parse(data, path.name, found), hashlib.sha256(data).hexdigest()

    def plan(
        self,
        transcript: Transcript,
        sha256: str,
        *,
        interview_id: int | None = None,
        guide_id: str | None = None,
        person: str | None = None,
        interviewee: str | None = None,
        interviewer: str | None = None,
        rename: dict[str, str] | None = None,
    ) -> ImportPlan:
        """Map a transcript onto an existing interview, or onto a guide for a new one.

        Args:
            transcript: What :meth:`read` returned.
            sha256: The file's hash (an import is refused twice into one interview).
            interview_id: Import into this interview...
            guide_id: ...or start a new interview on this guide...
            person: ...for this person.
            interviewee: The speaker who answers; guessed when left out.
            interviewer: The speaker who asks; guessed when left out.
            rename: Speaker labels to rename first (``{"Speaker 1": "Dana Whitfield"}``).

        Raises:
            InvalidInput: For a wrong combination of target options.
            NotFound: For an unknown interview or guide.
            TranscriptError: When a named speaker is not in the transcript.
        """
        if (interview_id is None) == (guide_id is None):
            raise InvalidInput("give either --interview ID or --guide G --person NAME")
        if guide_id is not None and not (person or "").strip():
            raise InvalidInput("--guide needs --person NAME (who the interview is with)")
        if interview_id is not None:
            with session_scope(self._engine, readonly=True) as session:
                row = session.get(Interview, interview_id)
                if row is None:
                    raise NotFound(f"no interview {interview_id}; see `retain interview list`")
                guide = snapshot_guide(row)
        else:
            guide = self._guides.get(guide_id or "")
        transcript = transcript.renamed(rename or {})
        mapping = map_transcript(transcript, guide, interviewee=interviewee, interviewer=interviewer)
        return ImportPlan(mapping, guide, sha256, interview_id, person)

    def save(self, plan: ImportPlan, *, replace: bool = False) -> dict[int, str]:
        """Write a planned import in one transaction: transcript, answers, sources, segments.

        An answer that already holds text gets the imported text appended under a marked
        heading; ``replace`` overwrites it instead. Imported answers take the question's
        default visibility (an existing answer keeps its own, which is never looser). Every
        segment not saved as an answer is stored as a ``TranscriptSegment`` whose ``reason``
        is the mapping's (``small-talk``, ``off-guide``, ``interruption``, ``low-confidence``,
        ``no-speakers``) or the save's (``skipped`` in review, ``no-answer``, ``needs-value``
        when nothing said fits a choice/yes-no/scale/date question, ``already-answered``).

        Returns:
            For each saved segment index: ``new``, ``appended`` or ``replaced``.

        Raises:
            InvalidInput: If this file was already imported into the interview (pass
                ``replace`` to import it again).
        """
        mapping, guide = plan.mapping, plan.guide
        outcome: dict[int, str] = {}
        with session_scope(self._engine) as session:
            interview = self._target(session, plan)
            interview_id = interview.id or 0
            self._refuse_twice(session, interview_id, plan, replace)
            by_question: dict[str, list[int]] = {}
            for index, _ in enumerate(mapping.segments):
                target = plan.target(index)
                if target is not None:
                    by_question.setdefault(target, []).append(index)
            confidential = interview.track == "exit" or any(
                guide.default_visibility(q) == "confidential"
                for _, q in guide.questions()
                if q.id in by_question
            )
            visibility = "confidential" if confidential else "shareable"
            row = TranscriptRow(
                interview_id=interview_id,
                file_name=plan.transcript.file_name[:300],
                format=plan.transcript.format,
                sha256=plan.sha256,
                turns=[t.to_json() for t in plan.transcript.turns],
                speakers=[s.to_json() | {"role": s.role} for s in mapping.speakers],
                interviewer=mapping.interviewer,
                interviewee=mapping.interviewee,
                visibility=visibility,
            )
            session.add(row)
            session.flush()
            kept: set[int] = set()
            unsaved: dict[int, str] = {}
            # One read up front: a query per question would autoflush the rows added so far.
            existing = {
                a.question_id: a
                for a in session.exec(select(Answer).where(Answer.interview_id == interview_id))
            }
            for question_id, indexes in by_question.items():
                found = guide.question(question_id)
                if found is None:
                    raise NotFound(f"unknown question {question_id!r} for guide {guide.id}")
                section, question = found
                segments = [mapping.segments[i] for i in indexes]
                spoken = "\n\n".join(t for t in (mapping.answer_text(s) for s in segments) if t)
                value = spoken_value(question, spoken) if spoken else None
                if value is None:
                    # Nothing was said, or nothing fits the question's type: stays unmapped.
                    unsaved.update(dict.fromkeys(indexes, "needs-value" if spoken else "no-answer"))
                    continue
                answer = existing.get(question_id)
                start = mapping.span(segments[0])[0]
                mode = "new"
                if answer is None:
                    answer = Answer(
                        interview_id=interview_id,
                        question_id=question_id,
                        visibility=guide.default_visibility(question),
                    )
                elif answer.text.strip() and not replace:
                    if question.type not in ("text", "short", "list"):
                        continue  # a typed value is never overwritten without --replace
                    heading = IMPORT_HEADING.format(file=row.file_name, start=clock(start) or "-")
                    value, mode = f"{answer.text.rstrip()}\n\n{heading}\n{value}", "appended"
                elif answer.text.strip():
                    mode = "replaced"
                answer.text = value
                answer.body = answer_body(answer.text, answer.items)
                answer.section_id, answer.prompt = section.id, question.prompt
                answer.skipped, answer.skip_reason = False, None
                answer.updated_at, answer.extracted_at = utcnow(), None
                session.add(answer)
                session.flush()
                for index, segment in zip(indexes, segments, strict=True):
                    seg_start, seg_end = mapping.span(segment)
                    session.add(AnswerSource(
                        answer_id=answer.id or 0, transcript_id=row.id or 0, start=seg_start,
                        end=seg_end, speaker=mapping.interviewee, score=segment.score,
                    ))
                    outcome[index] = mode
                    kept.add(index)
            for index, segment in enumerate(mapping.segments):
                if index in kept:
                    continue
                seg_start, seg_end = mapping.span(segment)
                speakers = {mapping.transcript.turns[i].speaker for i in segment.turns}
                session.add(TranscriptSegment(
                    transcript_id=row.id or 0, interview_id=interview_id, start=seg_start,
                    end=seg_end, speaker=", ".join(sorted(s or "Unknown" for s in speakers))[:200],
                    text=_segment_text(mapping, segment),
                    reason=unsaved.get(index) or _unmapped_reason(plan, index),
                    suggestion=segment.question or segment.suggestion, score=segment.score,
                    visibility=visibility,
                ))
            interview.updated_at = utcnow()
            if interview.status == "draft":
                interview.status = "in_progress"
            session.add(interview)
        plan.interview_id = interview_id
        return outcome

    def transcripts(self, interview_id: int) -> list[TranscriptRow]:
        """The transcripts imported into an interview, oldest first."""
        with session_scope(self._engine, readonly=True) as session:
            query = select(TranscriptRow).where(TranscriptRow.interview_id == interview_id)
            return list(session.exec(query.order_by(col(TranscriptRow.id))).all())

    def _target(self, session: Session, plan: ImportPlan) -> Interview:
        if plan.interview_id is not None:
            interview = session.get(Interview, plan.interview_id)
            if interview is None:
                raise NotFound(f"no interview {plan.interview_id}; see `retain interview list`")
            return interview
        subject = ensure_person(session, plan.person or "")
        guide = plan.guide
        interview = Interview(
            guide_id=guide.id,
            guide_version=guide.version,
            guide_title=guide.title,
            guide_snapshot=guide.model_dump(mode="json"),
            track=guide.track,
            person_id=subject.id or 0,
            interviewer=plan.mapping.interviewer,
        )
        session.add(interview)
        session.flush()
        return interview

    @staticmethod
    def _refuse_twice(session: Session, interview_id: int, plan: ImportPlan, replace: bool) -> None:
        earlier = session.exec(
            select(TranscriptRow).where(
                TranscriptRow.interview_id == interview_id, TranscriptRow.sha256 == plan.sha256
            )
        ).first()
        if earlier is None:
            return
        if not replace:
            raise InvalidInput(
                f"{plan.transcript.file_name} was already imported into interview {interview_id} "
                f"on {earlier.imported_at:%Y-%m-%d}; pass --replace to import it again"
            )
        # Importing again with --replace: the earlier copy and its unmapped talk go.
        session.delete(earlier)
        session.flush()


def source_turns(row: TranscriptRow) -> list[Turn]:
    """A stored transcript's turns."""
    return [Turn.from_json(t) for t in row.turns]
