"""The interview report behind ``retain interview show``: answers, progress, entities, topics, gaps.

The report is a typed document (:class:`InterviewReport`); ``to_json()`` prints the JSON shape
of DESIGN.md. It is read through the one visibility filter (:mod:`retain.domain.visibility`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import Engine
from sqlmodel import col, select

from retain.clock import today
from retain.domain.documents import Model, doc
from retain.domain.entities import group_mentions
from retain.domain.gaps import Gap, find_gaps
from retain.domain.journey import effective_status
from retain.domain.progress import Coverage, compute_progress, pack_coverage
from retain.domain.topics import TopicEvidence
from retain.domain.types import InterviewStatus, JsonObject, JsonValue, Track, Visibility
from retain.domain.visibility import reader_for, view
from retain.errors import Fix, NotFound
from retain.services.base import session_scope
from retain.services.interviews import snapshot_guide
from retain.services.journey import review_history, review_json, successor_gaps
from retain.store.models import Answer, Interview, Mention, Person, Topic
from retain.store.provenance import answer_sources


@dataclass(slots=True)
class ReportPerson(Model):
    """A person, with the status as of today (a past leaving date reads as left)."""

    name: str = doc("their name")
    email: str | None = doc("email address")
    role: str | None = doc("role")
    team: str | None = doc("team")
    status: str = doc("`active`, `leaving` or `left`, as of today")
    leaving_date: str | None = doc("ISO 8601 leaving date")


@dataclass(slots=True)
class ReportProgress(Model):
    """How far the interview has got."""

    answered: int = doc("questions answered")
    skipped: int = doc("questions skipped")
    total: int = doc("questions in the guide")
    required_missing: list[str] = doc("required questions neither answered nor skipped")


@dataclass(slots=True)
class ReportAnswer(Model):
    """One answer the reader may see."""

    question: str = doc("question id")
    section: str = doc("guide section id")
    prompt: str = doc("the question as asked")
    type: str = doc("question type")
    text: str = doc("the answer text")
    items: list[dict[str, str]] = doc("list rows")
    visibility: Visibility = doc("`shareable` or `confidential`")
    skipped: bool = doc("whether it was skipped")
    skip_reason: str | None = doc("why")
    updated_at: str = doc("when it last changed")
    source: JsonValue = doc("where an imported answer came from, or null")


@dataclass(slots=True)
class ReportEntity(Model):
    """An entity of the readable answers."""

    text: str = doc("its usual spelling")
    label: str = doc("its label")
    count: int = doc("how many mentions")
    questions: list[str] = doc("the questions it is mentioned in")


@dataclass(slots=True)
class ReportTopic(Model):
    """An interview-level topic."""

    phrase: str = doc("the phrase")
    score: float = doc("its score")


@dataclass(slots=True)
class InterviewReport(Model):
    """The ``interview show`` document (the JSON shape of DESIGN.md, plus a few extras)."""

    id: int = doc("interview id")
    guide: str = doc("guide id")
    guide_title: str = doc("guide title")
    guide_version: int = doc("guide version")
    track: Track = doc("`exit` or `handover`")
    status: InterviewStatus = doc("`draft`, `in_progress` or `completed`")
    reviewed: bool = doc("whether the pack was reviewed")
    review: JsonObject = doc("review state and history")
    followup_of: int | None = doc("the interview this follows up")
    followup_day: int | None = doc("30, 60 or 90")
    due: str | None = doc("when the follow-up is due")
    interviewer: str | None = doc("who interviewed")
    person: ReportPerson | None = doc("the person interviewed")
    successor: ReportPerson | None = doc("the successor")
    created_at: str = doc("started")
    updated_at: str = doc("last changed")
    completed_at: str | None = doc("completed")
    progress: ReportProgress = doc("progress")
    answers: list[ReportAnswer] = doc("the answers the reader may see, in guide order")
    coverage: list[Coverage] = doc("questions per pack section")
    entities: list[ReportEntity] = doc("entities, most mentioned first")
    topics: list[ReportTopic] = doc("interview-level topics, best first")
    gaps: list[Gap] = doc("what the interview still misses")


def person_report(person: Person | None) -> ReportPerson | None:
    """A person as the report shows them."""
    if person is None:
        return None
    return ReportPerson(
        name=person.name, email=person.email, role=person.role, team=person.team,
        status=effective_status(person.status, person.leaving_date, today()),
        leaving_date=person.leaving_date.isoformat() if person.leaving_date else None,
    )


def person_json(person: Person | None) -> JsonObject | None:
    """A person as JSON, with the status as of today (a past leaving date reads as left)."""
    found = person_report(person)
    return found.to_json() if found is not None else None


def report_entities(mentions: list[Mention], question_of: dict[int, str]) -> list[ReportEntity]:
    """Mentions grouped by normalised key and label: the usual spelling, a count, the questions."""
    entities = [
        ReportEntity(group.text, group.label, group.count,
                     sorted({question_of[m.answer_id] for m in group.mentions if m.answer_id in question_of}))
        for group in group_mentions(mentions)
    ]
    entities.sort(key=lambda e: (-e.count, e.label, e.text.casefold()))
    return entities


class ReportService:
    """Builds the full picture of one interview."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def show(self, interview_id: int, *, include_confidential: bool = True) -> InterviewReport:
        """The ``interview show`` document (the JSON shape of DESIGN.md, plus a few extras).

        Args:
            interview_id: The interview.
            include_confidential: Whether confidential answers (and what was extracted from
                them) are included. The interviewer's own view includes them.

        Raises:
            NotFound: If there is no such interview.
        """
        with session_scope(self._engine, readonly=True) as session:
            interview = session.get(Interview, interview_id)
            if interview is None:
                raise NotFound(f"no interview {interview_id}", fix=Fix.LIST_INTERVIEWS)
            guide = snapshot_guide(interview)
            answers = list(
                session.exec(select(Answer).where(Answer.interview_id == interview_id)).all()
            )
            seen = view(
                answers,
                list(session.exec(select(Mention).where(Mention.interview_id == interview_id)).all()),
                reader_for(include_confidential),
            )
            visible, mentions = seen.answers, seen.mentions
            answer_topics = session.exec(
                select(Topic).where(Topic.interview_id == interview_id, col(Topic.answer_id).is_not(None))
            ).all()
            said = TopicEvidence.of(seen.readable, answer_topics)
            topics = session.exec(
                select(Topic)
                .where(Topic.interview_id == interview_id, col(Topic.answer_id).is_(None))
                .order_by(col(Topic.score).desc())
            ).all()
            subject = session.get(Person, interview.person_id)
            successor = (
                session.get(Person, interview.successor_id) if interview.successor_id else None
            )
            order = {q.id: (s, q) for s, q in guide.questions()}
            rank = {qid: i for i, qid in enumerate(order)}
            progress = compute_progress(guide, answers)
            sources = answer_sources(session, interview_id)  # null for typed answers
            return InterviewReport(
                id=interview.id or 0,
                guide=interview.guide_id,
                guide_title=interview.guide_title,
                guide_version=interview.guide_version,
                track=cast(Track, interview.track),
                status=cast(InterviewStatus, interview.status),
                reviewed=interview.reviewed,
                review={**review_json(interview), "history": cast(JsonValue, review_history(session, interview_id))},
                followup_of=interview.followup_of,
                followup_day=interview.followup_day,
                due=interview.due_date.isoformat() if interview.due_date else None,
                interviewer=interview.interviewer,
                person=person_report(subject),
                successor=person_report(successor),
                created_at=interview.created_at.isoformat(),
                updated_at=interview.updated_at.isoformat(),
                completed_at=interview.completed_at.isoformat() if interview.completed_at else None,
                progress=ReportProgress(progress.answered, progress.skipped, progress.total,
                                        progress.required_missing),
                answers=[
                    ReportAnswer(
                        question=a.question_id,
                        section=a.section_id,
                        prompt=order[a.question_id][1].prompt if a.question_id in order else a.prompt,
                        type=order[a.question_id][1].type if a.question_id in order else "text",
                        text=a.text,
                        items=a.items,
                        visibility=cast(Visibility, a.visibility),
                        skipped=a.skipped,
                        skip_reason=a.skip_reason,
                        updated_at=a.updated_at.isoformat(),
                        source=sources.get(a.id or 0),
                    )
                    for a in sorted(visible, key=lambda a: rank.get(a.question_id, len(rank)))
                ],
                coverage=pack_coverage(guide, visible),
                entities=report_entities(mentions, {a.id or 0: a.question_id for a in seen.readable}),
                # Interview-level topics count every answer of an exit interview: a reader sees
                # only those that an answer they may read says.
                topics=[ReportTopic(t.phrase, round(t.score, 4)) for t in topics if said.shows(t.phrase)],
                gaps=find_gaps(guide, visible, mentions,
                               people=[p.name for p in (subject, successor) if p is not None])
                # What the successor found wrong or missing, from the follow-ups.
                + [_gap(found) for found in successor_gaps(session, interview_id)],
            )


def _gap(found: JsonObject) -> Gap:
    """A follow-up finding as a gap."""
    question, item = found.get("question"), found.get("item")
    return Gap(kind=str(found.get("kind") or ""), message=str(found.get("message") or ""),
               follow_up=str(found.get("follow_up") or ""),
               question=str(question) if question is not None else None,
               item=str(item) if item is not None else None)


__all__ = ["InterviewReport", "ReportService", "person_json", "report_entities"]
