"""Interview use cases: start, answer, skip, progress, complete, reopen, list, show, delete."""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from retain.clock import utcnow
from retain.domain.answers import is_done
from retain.errors import InvalidInput, NotFound
from retain.guides.registry import GuideRegistry
from retain.guides.schema import Guide, Question, Section
from retain.progress import Progress, compute_progress
from retain.services.answers import (
    AnswerChange,
    answer_body,
    check_visibility,
    clean_answer,
    touch_interview,
    upsert_answer,
)
from retain.services.base import get_interview, session_scope
from retain.services.interview_list import InterviewSummary, list_interviews
from retain.services.journey import note_edit, question_number
from retain.services.people import ensure_person
from retain.store.models import Answer, Interview, Sitting


def snapshot_guide(interview: Interview) -> Guide:
    """The guide as it was when the interview started."""
    return Guide.model_validate(interview.guide_snapshot)


class InterviewService:
    """Everything an interviewer does to an interview, for both the CLI and the TUI."""

    def __init__(self, engine: Engine, guides: GuideRegistry) -> None:
        self._engine = engine
        self._guides = guides
        self._snapshots: dict[tuple[int, datetime], Guide] = {}

    # -- starting -------------------------------------------------------------------------
    def start(
        self,
        guide_id: str,
        person: str,
        *,
        role: str | None = None,
        team: str | None = None,
        successor: str | None = None,
        interviewer: str | None = None,
        ref: str | None = None,
    ) -> Interview:
        """Start an interview, creating the person (and successor) if they are new.

        Args:
            guide_id: A shipped or organisation guide id.
            person: The interviewee's name.
            role: Their role, saved on the person.
            team: Their team, saved on the person.
            successor: Who takes over (handover track).
            interviewer: Who runs the interview.
            ref: An optional stable external key.

        Returns:
            The new interview, in ``draft`` status, with a snapshot of the guide.

        Raises:
            NotFound: For an unknown guide (the message lists the available ones).
            InvalidInput: For an empty name.
        """
        guide = self._guides.get(guide_id)
        with session_scope(self._engine) as session:
            subject = ensure_person(session, person, role=role, team=team)
            heir = ensure_person(session, successor) if successor else None
            if heir is not None and heir.id == subject.id:
                raise InvalidInput("the successor cannot be the person leaving; name someone else")
            interview = Interview(
                ref=ref,
                guide_id=guide.id,
                guide_version=guide.version,
                guide_title=guide.title,
                guide_snapshot=guide.model_dump(mode="json"),
                track=guide.track,
                person_id=subject.id or 0,
                successor_id=heir.id if heir else None,
                interviewer=" ".join(interviewer.split()) if interviewer else None,
            )
            session.add(interview)
            session.flush()
            return interview

    # -- reading --------------------------------------------------------------------------
    def get(self, interview_id: int) -> Interview:
        """Load an interview.

        Raises:
            NotFound: If there is no such interview.
        """
        with session_scope(self._engine, readonly=True) as session:
            return self._get(session, interview_id)

    def guide(self, interview_id: int) -> Guide:
        """The guide snapshot an interview uses (kept for its saves: parsed once)."""
        interview = self.get(interview_id)
        guide = snapshot_guide(interview)
        self._snapshots[(interview_id, interview.created_at)] = guide
        return guide

    def answers(self, interview_id: int) -> list[Answer]:
        """An interview's answers, in guide order."""
        with session_scope(self._engine, readonly=True) as session:
            interview = self._get(session, interview_id)
            return self._ordered_answers(session, interview)

    def progress(self, interview_id: int) -> Progress:
        """Answered, skipped and total questions, and the required ones still missing."""
        with session_scope(self._engine, readonly=True) as session:
            interview = self._get(session, interview_id)
            answers = session.exec(select(Answer).where(Answer.interview_id == interview.id)).all()
            return compute_progress(snapshot_guide(interview), answers)

    def list(
        self, *, status: str | None = None, person: str | None = None
    ) -> builtins.list[InterviewSummary]:
        """Interviews, most recently updated first, optionally filtered.

        Raises:
            InvalidInput: For an unknown status.
        """
        # One implementation for every front end: the command line runs the same SQL through
        # sqlite3 alone (retain.store.rows), so the list it prints is this list.
        from retain.store.rows import EngineRows

        return list_interviews(EngineRows(self._engine), status=status, person=person)

    # -- answering ------------------------------------------------------------------------
    def save(
        self,
        interview_id: int,
        question_id: str,
        *,
        text: str | None = None,
        items: builtins.list[dict[str, str]] | None = None,
        visibility: str | None = None,
        skip: bool = False,
        reason: str | None = None,
    ) -> Answer:
        """Save one answer: its content, visibility and skip, in one transaction.

        This is the only write path for answers (the CLI, the TUI's draft queue and the demo
        all call it). It is an atomic upsert, so concurrent first saves of the same question
        never fail with a duplicate key; it touches only this answer and its interview.

        Args:
            interview_id: The interview.
            question_id: A question id of the interview's guide snapshot.
            text: The answer text, kept byte for byte; ``None`` (with ``items`` ``None``)
                keeps the stored content.
            items: Rows of a list question, keyed by the question's field ids.
            visibility: ``confidential`` to tighten a shareable question; ``None`` keeps the
                answer's current visibility (or the question's default for a new answer).
            skip: Mark the question deliberately skipped (any typed text is kept). Saving
                content without ``skip`` un-skips it.
            reason: Why it was skipped.

        Returns:
            The answer as stored.

        Raises:
            NotFound: For an unknown interview or question (the message lists valid ids).
            InvalidInput: When the answer does not fit the question, or a visibility would
                loosen a confidential question.
        """
        now = utcnow()
        with session_scope(self._engine) as session:
            conn = session.connection()
            created, review_state = touch_interview(conn, interview_id, now)
            guide = self._snapshot(session, interview_id, created)
            section, question = self._question(guide, question_id, interview_id)
            vis = check_visibility(guide, question, visibility) if visibility is not None else None
            content = (
                clean_answer(guide, question, text, items, vis)
                if text is not None or items is not None
                else None
            )
            change = AnswerChange(
                content, vis, guide.default_visibility(question), skip=skip, reason=reason
            )
            # A real change to a reviewed or accepted pack puts it back to draft (issue 11);
            # a draft (the usual case while typing) needs no second look.
            if review_state != "draft":
                note_edit(conn, interview_id, question_number(guide, question.id), question.id,
                          change, now)
            return upsert_answer(conn, interview_id, section.id, question, change, now)

    def answer(
        self,
        interview_id: int,
        question_id: str,
        *,
        text: str | None = None,
        items: builtins.list[dict[str, str]] | None = None,
        visibility: str | None = None,
    ) -> Answer:
        """Save the content of one answer (``save`` with text or items; un-skips it)."""
        if text is None and items is None:
            text = ""
        return self.save(interview_id, question_id, text=text, items=items, visibility=visibility)

    def skip(self, interview_id: int, question_id: str, reason: str | None = None) -> Answer:
        """Mark a question as deliberately skipped, keeping any text already typed."""
        return self.save(interview_id, question_id, skip=True, reason=reason)

    def set_visibility(self, interview_id: int, question_id: str, visibility: str) -> Answer:
        """Change one answer's visibility (only ever tighter than the question's default).

        Raises:
            NotFound: If the question has no answer yet.
        """
        with session_scope(self._engine, readonly=True) as session:
            if self._answer_row(session, interview_id, question_id) is None:
                self._get(session, interview_id)
                raise NotFound(f"question {question_id!r} has no answer yet; answer it first")
        return self.save(interview_id, question_id, visibility=visibility)

    def delete_answer(self, interview_id: int, question_id: str) -> None:
        """Remove one answer (and, through the database, its mentions and topics)."""
        with session_scope(self._engine) as session:
            interview = self._get(session, interview_id)
            answer = self._answer_row(session, interview_id, question_id)
            if answer is None:
                raise NotFound(
                    f"question {question_id!r} of interview {interview_id} has no answer"
                )
            note_edit(
                session.connection(), interview_id,
                question_number(snapshot_guide(interview), question_id), question_id, None, utcnow(),
            )
            session.delete(answer)
            self._touch(interview)
            session.add(interview)

    # -- lifecycle ------------------------------------------------------------------------
    def complete(self, interview_id: int) -> Progress:
        """Mark an interview completed; returns its progress so callers can warn about gaps."""
        with session_scope(self._engine) as session:
            interview = self._get(session, interview_id)
            answers = session.exec(select(Answer).where(Answer.interview_id == interview_id)).all()
            interview.status = "completed"
            interview.completed_at = utcnow()
            self._end_open_sittings(session, interview_id)
            self._touch(interview, keep_status=True)
            session.add(interview)
            return compute_progress(snapshot_guide(interview), answers)

    def reopen(self, interview_id: int) -> Interview:
        """Put a completed interview back in progress."""
        with session_scope(self._engine) as session:
            interview = self._get(session, interview_id)
            interview.status = "in_progress"
            interview.completed_at = None
            self._touch(interview, keep_status=True)
            session.add(interview)
            return interview

    def mark_reviewed(self, interview_id: int, reviewed: bool = True) -> Interview:
        """Record that the interviewee reviewed the pack (shown on its cover)."""
        with session_scope(self._engine) as session:
            interview = self._get(session, interview_id)
            interview.review_state = "reviewed" if reviewed else "draft"
            session.add(interview)
            return interview

    def delete(self, interview_id: int) -> None:
        """Delete an interview with its answers, mentions, topics and sittings.

        The deletion is logged (counts only) and the database files are scrubbed, so the
        deleted words are gone from the disk, not only from queries (retain.services.privacy).

        Raises:
            NotFound: If there is no such interview.
        """
        from retain.services.privacy import erase_interviews

        erase_interviews(self._engine, [interview_id])

    # -- sittings -------------------------------------------------------------------------
    def begin_sitting(self, interview_id: int) -> int:
        """Log the start of a sitting (each time the interview is opened or resumed)."""
        with session_scope(self._engine) as session:
            self._get(session, interview_id)
            sitting = Sitting(interview_id=interview_id)
            session.add(sitting)
            session.flush()
            return sitting.id or 0

    def end_sitting(self, sitting_id: int) -> None:
        """Log the end of a sitting."""
        with session_scope(self._engine) as session:
            sitting = session.get(Sitting, sitting_id)
            if sitting is not None and sitting.ended_at is None:
                sitting.ended_at = utcnow()
                session.add(sitting)

    def sittings(self, interview_id: int) -> builtins.list[Sitting]:
        """The session log of an interview, oldest first."""
        with session_scope(self._engine, readonly=True) as session:
            query = select(Sitting).where(Sitting.interview_id == interview_id)
            return list(session.exec(query.order_by(col(Sitting.started_at))).all())

    def first_unanswered(self, interview_id: int) -> str | None:
        """The first question that is neither answered nor skipped, if any."""
        with session_scope(self._engine, readonly=True) as session:
            interview = self._get(session, interview_id)
            done = {
                a.question_id
                for a in session.exec(
                    select(Answer).where(Answer.interview_id == interview_id)
                ).all()
                if is_done(a)
            }
            for _, question in snapshot_guide(interview).questions():
                if question.id not in done:
                    return question.id
            return None

    # -- helpers --------------------------------------------------------------------------
    def _snapshot(self, session: Session, interview_id: int, created: datetime) -> Guide:
        """The interview's guide snapshot, parsed once per interview (it never changes).

        Keyed by id and creation time, so a deleted interview whose id SQLite hands out
        again never reuses a stale snapshot.
        """
        key = (interview_id, created)
        guide = self._snapshots.get(key)
        if guide is None:
            snapshot = session.exec(
                select(Interview.guide_snapshot).where(Interview.id == interview_id)
            ).one()
            guide = Guide.model_validate(snapshot)
            if len(self._snapshots) >= 64:
                self._snapshots.clear()
            self._snapshots[key] = guide
        return guide

    @staticmethod
    def _get(session: Session, interview_id: int) -> Interview:
        return get_interview(session, interview_id)

    @staticmethod
    def _question(guide: Guide, question_id: str, interview_id: int | None) -> tuple[Section, Question]:
        found = guide.question(question_id)
        if found is None:
            ids = ", ".join(q.id for _, q in guide.questions())
            raise NotFound(
                f"unknown question {question_id!r} for interview {interview_id} "
                f"(guide {guide.id}); valid ids: {ids}"
            )
        return found

    @staticmethod
    def _answer_row(session: Session, interview_id: int, question_id: str) -> Answer | None:
        query = select(Answer).where(
            Answer.interview_id == interview_id, Answer.question_id == question_id
        )
        return session.exec(query).first()

    @staticmethod
    def _ordered_answers(session: Session, interview: Interview) -> builtins.list[Answer]:
        order = {q.id: i for i, (_, q) in enumerate(snapshot_guide(interview).questions())}
        answers = session.exec(select(Answer).where(Answer.interview_id == interview.id)).all()
        return sorted(answers, key=lambda a: order.get(a.question_id, len(order)))

    @staticmethod
    def _touch(interview: Interview, *, keep_status: bool = False) -> None:
        interview.updated_at = utcnow()
        if not keep_status and interview.status == "draft":
            interview.status = "in_progress"

    @staticmethod
    def _end_open_sittings(session: Session, interview_id: int) -> None:
        query = select(Sitting).where(
            Sitting.interview_id == interview_id, col(Sitting.ended_at).is_(None)
        )
        for sitting in session.exec(query).all():
            sitting.ended_at = utcnow()
            session.add(sitting)


__all__ = ["InterviewService", "InterviewSummary", "Progress", "answer_body", "compute_progress"]
