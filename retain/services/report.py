"""The interview report behind ``retain interview show``: answers, progress, entities, topics, gaps."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from retain.clock import today
from retain.domain.journey import effective_status
from retain.errors import NotFound
from retain.progress import pack_coverage
from retain.services.base import session_scope
from retain.services.gaps import find_gaps
from retain.services.interviews import compute_progress, snapshot_guide
from retain.services.journey import review_history, review_json, successor_gaps
from retain.store.models import Answer, Interview, Mention, Person, Topic
from retain.store.provenance import answer_sources


def person_json(person: Person | None) -> dict[str, Any] | None:
    """A person as JSON, with the status as of today (a past leaving date reads as left)."""
    if person is None:
        return None
    return {
        "name": person.name,
        "email": person.email,
        "role": person.role,
        "team": person.team,
        "status": effective_status(person.status, person.leaving_date, today()),
        "leaving_date": person.leaving_date.isoformat() if person.leaving_date else None,
    }


def entities_json(mentions: list[Mention], question_of: dict[int, str]) -> list[dict[str, Any]]:
    """Group mentions by normalised key and label: the most common surface text, a count, questions."""
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        groups[(mention.key, mention.label)].append(mention)
    entities: list[dict[str, Any]] = []
    for (_, label), group in groups.items():
        text = Counter(m.text for m in group).most_common(1)[0][0]
        questions = sorted({question_of[m.answer_id] for m in group if m.answer_id in question_of})
        entities.append({"text": text, "label": label, "count": len(group), "questions": questions})
    entities.sort(key=lambda e: (-int(e["count"]), str(e["label"]), str(e["text"]).casefold()))
    return entities


class ReportService:
    """Builds the full picture of one interview."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def show(self, interview_id: int, *, include_confidential: bool = True) -> dict[str, Any]:
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
                raise NotFound(f"no interview {interview_id}; see `retain interview list`")
            guide = snapshot_guide(interview)
            answers = list(
                session.exec(select(Answer).where(Answer.interview_id == interview_id)).all()
            )
            visible = [a for a in answers if include_confidential or a.visibility == "shareable"]
            visible_ids = {a.id for a in visible}
            mentions = [
                m
                for m in session.exec(
                    select(Mention).where(Mention.interview_id == interview_id)
                ).all()
                if m.answer_id in visible_ids
            ]
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
            return {
                "id": interview.id,
                "guide": interview.guide_id,
                "guide_title": interview.guide_title,
                "guide_version": interview.guide_version,
                "track": interview.track,
                "status": interview.status,
                "reviewed": interview.reviewed,
                "review": {**review_json(interview), "history": review_history(session, interview_id)},
                "followup_of": interview.followup_of,
                "followup_day": interview.followup_day,
                "due": interview.due_date.isoformat() if interview.due_date else None,
                "interviewer": interview.interviewer,
                "person": person_json(subject),
                "successor": person_json(successor),
                "created_at": interview.created_at.isoformat(),
                "updated_at": interview.updated_at.isoformat(),
                "completed_at": interview.completed_at.isoformat()
                if interview.completed_at
                else None,
                "progress": {
                    "answered": progress.answered,
                    "skipped": progress.skipped,
                    "total": progress.total,
                    "required_missing": progress.required_missing,
                },
                "answers": [
                    {
                        "question": a.question_id,
                        "section": a.section_id,
                        "prompt": order[a.question_id][1].prompt
                        if a.question_id in order
                        else a.prompt,
                        "type": order[a.question_id][1].type if a.question_id in order else "text",
                        "text": a.text,
                        "items": a.items,
                        "visibility": a.visibility,
                        "skipped": a.skipped,
                        "skip_reason": a.skip_reason,
                        "updated_at": a.updated_at.isoformat(),
                        "source": sources.get(a.id or 0),
                    }
                    for a in sorted(visible, key=lambda a: rank.get(a.question_id, len(rank)))
                ],
                "coverage": [c.to_json() for c in pack_coverage(guide, visible)],
                "entities": entities_json(mentions, {a.id or 0: a.question_id for a in visible}),
                "topics": [{"phrase": t.phrase, "score": round(t.score, 4)} for t in topics],
                "gaps": [
                    g.to_json()
                    for g in find_gaps(
                        guide, visible, mentions,
                        people=[p.name for p in (subject, successor) if p is not None],
                    )
                ]
                # What the successor found wrong or missing, from the follow-ups.
                + successor_gaps(session, interview_id),
            }
