"""The leaver's journey after the interview: pack review and sign-off, and successor follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel, col, select

from retain.clock import today as utc_today
from retain.clock import utcnow
from retain.domain.journey import (
    ASKED_PURPOSE,
    FOLLOWUP_DAYS,
    FOLLOWUP_GUIDE,
    corrections_as_gaps,
    long_date,
    review_label,
)
from retain.errors import InvalidInput
from retain.guides.schema import Guide
from retain.packs.followups import followup_finding
from retain.services.answers import AnswerChange
from retain.services.base import get_interview, session_scope
from retain.store.models import Answer, Interview, Person, ReviewEvent

if TYPE_CHECKING:
    # Only a type: the save path in interviews.py imports this module's edit hook.
    from retain.services.interviews import InterviewService

MAX_NAME = 200
MAX_NOTE = 2000
_INTERVIEW = SQLModel.metadata.tables["interview"]
_EVENT = SQLModel.metadata.tables["review_event"]
_ANSWER = SQLModel.metadata.tables["answer"]


def review_json(interview: Interview) -> dict[str, Any]:
    """``{"state","reviewed_by","reviewed_at","accepted_by","accepted_at","label"}``."""
    return {
        "state": interview.review_state,
        "reviewed_by": interview.reviewed_by,
        "reviewed_at": interview.reviewed_at.isoformat() if interview.reviewed_at else None,
        "accepted_by": interview.accepted_by,
        "accepted_at": interview.accepted_at.isoformat() if interview.accepted_at else None,
        "label": label_of(interview),
    }


def label_of(interview: Interview) -> str:
    """``REVIEWED by Nora Lindqvist, 3 Dec 2026`` (or ``ACCEPTED ...``, ``DRAFT``)."""
    return review_label(
        interview.review_state,
        interview.reviewed_by,
        interview.reviewed_at,
        interview.accepted_by,
        interview.accepted_at,
    )


def question_number(guide: Guide, question_id: str) -> int | None:
    """The question's number as the app and the guide show it (1-based, never renumbered)."""
    for number, (_, question) in enumerate(guide.questions(), start=1):
        if question.id == question_id:
            return number
    return None


def revert_review(conn: Connection, interview_id: int, what: str, now: datetime) -> bool:
    """Put a reviewed or accepted pack back to draft after an edit, noting what changed.

    Called by the save path inside its transaction, so the edit and the revert commit together.

    Args:
        conn: The connection of the saving transaction.
        interview_id: The interview that was edited.
        what: What changed, e.g. ``answer to Q8 (only-you) changed``.
        now: The time of the edit.

    Returns:
        Whether the pack had been signed off (and is a draft again).
    """
    iv = _INTERVIEW.c
    row = conn.execute(
        core_select(iv.review_state, iv.reviewed_by, iv.reviewed_at, iv.accepted_by, iv.accepted_at)
        .where(iv.id == interview_id)
    ).first()
    if row is None or row.review_state == "draft":
        return False
    label = review_label(
        row.review_state, row.reviewed_by, row.reviewed_at, row.accepted_by, row.accepted_at
    )
    conn.execute(
        update(_INTERVIEW)
        .where(iv.id == interview_id)
        .values(
            review_state="draft",
            reviewed_by=None,
            reviewed_at=None,
            accepted_by=None,
            accepted_at=None,
        )
    )
    conn.execute(
        insert(_EVENT).values(
            interview_id=interview_id,
            state="draft",
            by=None,
            note=f"{what} after the pack was {label}; review it again",
            at=now,
        )
    )
    return True


def note_edit(
    conn: Connection,
    interview_id: int,
    number: int | None,
    question_id: str,
    change: AnswerChange | None,
    now: datetime,
) -> bool:
    """Before an answer is saved (or deleted, ``change`` ``None``): revert a signed-off pack.

    Only a real change reverts it: re-saving the same text (an autosave) leaves the review
    standing. Cheap when the pack is a draft (one indexed read).

    Returns:
        Whether the pack went back to draft.
    """
    iv = _INTERVIEW.c
    state = conn.execute(core_select(iv.review_state).where(iv.id == interview_id)).scalar()
    if state is None or state == "draft":
        return False
    av = _ANSWER.c
    stored = conn.execute(
        core_select(av.text, av["items"], av.visibility, av.skipped).where(
            av.interview_id == interview_id, av.question_id == question_id
        )
    ).first()
    label = f"Q{number} ({question_id})" if number else question_id
    if change is None:
        what = f"the answer to {label} was deleted"
    elif stored is None:
        what = f"{label} was answered"
    elif change.skip and not stored.skipped:
        what = f"{label} was skipped"
    elif change.content is not None and (
        change.content.text != stored.text or change.content.items != (stored.items or [])
        or stored.skipped
    ):
        what = f"the answer to {label} changed"
    elif change.visibility is not None and change.visibility != stored.visibility:
        what = f"{label} was made {change.visibility}"
    else:
        return False
    return revert_review(conn, interview_id, what, now)


def _name(value: str, what: str) -> str:
    clean = " ".join(value.split())
    if not clean:
        raise InvalidInput(f"{what} needs a name; give --by 'First Last'")
    if len(clean) > MAX_NAME:
        raise InvalidInput(f"{what} is longer than {MAX_NAME} characters; shorten it")
    return clean


def _note(value: str | None) -> str | None:
    if value is None:
        return None
    clean = value.strip()
    if len(clean) > MAX_NOTE:
        raise InvalidInput(f"--note is longer than {MAX_NOTE} characters; shorten it")
    return clean or None


def review_history(session: Session, interview_id: int) -> list[dict[str, Any]]:
    """The sign-off history of an interview, oldest first: ``[{"state","by","at","date","note"}]``."""
    events = session.exec(
        select(ReviewEvent)
        .where(col(ReviewEvent.interview_id) == interview_id)
        .order_by(col(ReviewEvent.at), col(ReviewEvent.id))
    ).all()
    return [
        {"state": e.state, "by": e.by, "at": e.at.isoformat(), "date": long_date(e.at), "note": e.note}
        for e in events
    ]


def successor_findings(session: Session, interview_id: int) -> list[dict[str, Any]]:
    """What the successor's follow-ups added to a handover (shareable answers only).

    Returns:
        One entry per answered follow-up: ``{"id","day","person","answers":[{"question",
        "number","prompt","text","items","purpose"}]}``, earliest day first.
    """
    rows = session.exec(
        select(Interview)
        .where(col(Interview.followup_of) == interview_id)
        .order_by(col(Interview.followup_day), col(Interview.id))
    ).all()
    findings: list[dict[str, Any]] = []
    for row in rows:
        answers = session.exec(select(Answer).where(col(Answer.interview_id) == row.id).order_by(col(Answer.id))).all()
        found = followup_finding(row.id or 0, row.followup_day, Guide.model_validate(row.guide_snapshot), answers,
                                 partial(_person_name, session, row.person_id))
        if found is not None:
            findings.append(found)
    return findings


def _person_name(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    return person.name if person else "?"


def successor_gaps(session: Session, interview_id: int) -> list[dict[str, Any]]:
    """Gaps on a handover from its follow-ups: what the successor found wrong or missing.

    Each has the shape of ``interview show --json`` gaps: ``{"kind","message","follow_up",
    "question","item"}``, with ``kind`` ``successor_found``.
    """
    return corrections_as_gaps(successor_findings(session, interview_id))


@dataclass(frozen=True)
class FollowupView:
    """One successor follow-up, and when it is due."""

    id: int
    followup_of: int
    day: int
    due: date
    person: str
    leaver: str
    status: str
    overdue_days: int

    def to_json(self) -> dict[str, Any]:
        """``{"id","followup_of","day","due"}`` plus who, status and days overdue."""
        return {
            "id": self.id,
            "followup_of": self.followup_of,
            "day": self.day,
            "due": self.due.isoformat(),
            "person": self.person,
            "leaver": self.leaver,
            "status": self.status,
            "overdue_days": self.overdue_days,
        }


class JourneyService:
    """Review, accept and follow up a handover."""

    def __init__(self, engine: Engine, interviews: InterviewService) -> None:
        self._engine = engine
        self._interviews = interviews

    # -- review and sign-off -----------------------------------------------------------------
    def review(self, interview_id: int, by: str, note: str | None = None) -> Interview:
        """Record that the interviewee or their manager checked the pack.

        Raises:
            NotFound: For an unknown interview.
            InvalidInput: For an empty interview, an accepted pack, or a bad name or note.
        """
        reviewer = _name(by, "--by")
        clean_note = _note(note)
        with session_scope(self._engine) as session:
            interview = self._get(session, interview_id)
            if interview.review_state == "accepted":
                raise InvalidInput(
                    f"interview {interview_id} is already {label_of(interview)}; "
                    "an edit puts it back to draft"
                )
            if not session.exec(
                select(Answer.id).where(col(Answer.interview_id) == interview_id).limit(1)
            ).first():
                raise InvalidInput(
                    f"interview {interview_id} has no answers to review yet; answer it first"
                )
            now = utcnow()
            interview.review_state = "reviewed"
            interview.reviewed_by = reviewer
            interview.reviewed_at = now
            session.add(interview)
            session.add(
                ReviewEvent(interview_id=interview_id, state="reviewed", by=reviewer, note=clean_note, at=now)
            )
            return interview

    def accept(self, interview_id: int, by: str, note: str | None = None) -> Interview:
        """Record that the successor confirmed the reviewed pack is usable.

        Raises:
            NotFound: For an unknown interview.
            InvalidInput: For a pack that is not reviewed, an exit interview, or a bad name.
        """
        accepter = _name(by, "--by")
        clean_note = _note(note)
        with session_scope(self._engine) as session:
            interview = self._get(session, interview_id)
            if interview.track != "handover":
                raise InvalidInput(
                    f"interview {interview_id} is an exit interview; only a handover pack is "
                    "accepted by a successor"
                )
            if interview.review_state == "draft":
                raise InvalidInput(
                    f"interview {interview_id} is still a draft; review it first with "
                    f"`retain interview review {interview_id} --by NAME`"
                )
            now = utcnow()
            interview.review_state = "accepted"
            interview.accepted_by = accepter
            interview.accepted_at = now
            session.add(interview)
            session.add(
                ReviewEvent(interview_id=interview_id, state="accepted", by=accepter, note=clean_note, at=now)
            )
            return interview

    def history(self, interview_id: int) -> list[dict[str, Any]]:
        """The sign-off history, oldest first (see :func:`review_history`)."""
        with session_scope(self._engine, readonly=True) as session:
            self._get(session, interview_id)
            return review_history(session, interview_id)

    # -- follow-ups --------------------------------------------------------------------------
    def start_followup(
        self, interview_id: int, day: int, *, interviewer: str | None = None
    ) -> FollowupView:
        """Start the ``day``-day follow-up of a handover, with its successor as the subject.

        Raises:
            NotFound: For an unknown interview.
            InvalidInput: For a bad day, an exit interview or a follow-up, a handover with no
                successor or no start date, or a follow-up that exists already.
        """
        if day not in FOLLOWUP_DAYS:
            raise InvalidInput(
                f"--day {day} is not a follow-up day; use one of {', '.join(map(str, FOLLOWUP_DAYS))}"
            )
        with session_scope(self._engine, readonly=True) as session:
            handover = self._get(session, interview_id)
            if handover.track != "handover" or handover.followup_of is not None:
                raise InvalidInput(
                    f"interview {interview_id} is not a handover interview; follow up the handover "
                    "the successor received (see `retain interview list`)"
                )
            subject = session.get(Person, handover.person_id)
            successor_id = handover.successor_id or (subject.successor_id if subject else None)
            successor = session.get(Person, successor_id) if successor_id else None
            if successor is None or subject is None:
                raise InvalidInput(
                    f"interview {interview_id} has no successor to follow up; name one with "
                    f"`retain person set {subject.name if subject else 'NAME'!r} --successor NAME`"
                )
            start = handover.successor_start or subject.leaving_date
            if start is None:
                raise InvalidInput(
                    f"no start date for {successor.name}: give {subject.name} a leaving date "
                    f"with `retain person set {subject.name!r} --leaving-date YYYY-MM-DD`"
                )
            existing = session.exec(
                select(Interview.id).where(
                    col(Interview.followup_of) == interview_id, col(Interview.followup_day) == day
                )
            ).first()
            if existing:
                raise InvalidInput(
                    f"the {day}-day follow-up of interview {interview_id} exists already: "
                    f"interview {existing}"
                )
            successor_name, leaver = successor.name, subject.name
        from retain.domain.journey import followup_due

        due = followup_due(start, day)
        record = self._interviews.start(
            FOLLOWUP_GUIDE,
            successor_name,
            interviewer=interviewer,
            ref=None,
        )
        with session_scope(self._engine) as session:
            row = self._get(session, record.id or 0)
            row.followup_of = interview_id
            row.followup_day = day
            row.due_date = due
            session.add(row)
        today = utc_today()
        return FollowupView(
            id=record.id or 0,
            followup_of=interview_id,
            day=day,
            due=due,
            person=successor_name,
            leaver=leaver,
            status=record.status,
            overdue_days=max(0, (today - due).days),
        )

    def followups(
        self, *, of: int | None = None, due_only: bool = False, today: date | None = None
    ) -> list[FollowupView]:
        """Follow-ups, soonest due first: all of them, those of one handover, or only those due.

        Args:
            of: Only the follow-ups of this handover interview.
            due_only: Only those due today or overdue, and not yet completed.
            today: The day to compare due dates with (default: today, UTC).
        """
        day = today or utc_today()
        with session_scope(self._engine, readonly=True) as session:
            query = select(Interview).where(col(Interview.followup_of).is_not(None))
            if of is not None:
                query = query.where(col(Interview.followup_of) == of)
            rows = [row for row in session.exec(query).all()]
            ids = {r.person_id for r in rows}
            originals = {
                o.id: o
                for o in session.exec(
                    select(Interview).where(
                        col(Interview.id).in_([r.followup_of for r in rows] or [0])
                    )
                ).all()
            }
            ids |= {o.person_id for o in originals.values()}
            names = {
                p.id: p.name
                for p in session.exec(
                    select(Person).where(col(Person.id).in_(sorted(ids) or [0]))
                ).all()
            }
        found: list[FollowupView] = []
        for row in rows:
            due = row.due_date or day
            if due_only and (due > day or row.status == "completed"):
                continue
            original = originals.get(row.followup_of or 0)
            found.append(
                FollowupView(
                    id=row.id or 0,
                    followup_of=row.followup_of or 0,
                    day=row.followup_day or 0,
                    due=due,
                    person=names.get(row.person_id, "?"),
                    leaver=names.get(original.person_id, "?") if original else "?",
                    status=row.status,
                    overdue_days=0 if row.status == "completed" else max(0, (day - due).days),
                )
            )
        found.sort(key=lambda f: (f.due, f.id))
        return found

    def successor_findings(self, interview_id: int) -> list[dict[str, Any]]:
        """What the successor's follow-ups added to a handover (see :func:`successor_findings`)."""
        with session_scope(self._engine, readonly=True) as session:
            return successor_findings(session, interview_id)

    def successor_gaps(self, interview_id: int) -> list[dict[str, Any]]:
        """Gaps on a handover from its follow-ups (see :func:`successor_gaps`)."""
        with session_scope(self._engine, readonly=True) as session:
            return successor_gaps(session, interview_id)

    @staticmethod
    def asked_purpose() -> str:
        """The purpose of the "who did you have to ask" question (it feeds `who`)."""
        return ASKED_PURPOSE

    @staticmethod
    def _get(session: Session, interview_id: int) -> Interview:
        return get_interview(session, interview_id)
