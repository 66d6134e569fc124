"""HR exit insights: reasons for leaving across exit interviews, behind reporting minimums.

This reads exit-track (confidential) data, so it is for HR only: nothing here feeds a handover
pack, search or the web view. Restricted (escalation) answers are never read at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from retain.config import Settings
from retain.domain.insights import BY_CHOICES, ExitRecord, Insights, Theme, group_key, summarise
from retain.domain.reasons import canonical_reason, separation_kind, yes_no
from retain.domain.suppression import DEFAULT_MIN_GROUP, check_min_group
from retain.errors import InvalidInput
from retain.guides.schema import Guide
from retain.services.base import session_scope
from retain.services.interviews import snapshot_guide
from retain.store.models import Answer, Interview, Mention, Person, Topic

# Interviews started before the guide declared purposes still have these question ids.
FALLBACK_IDS = {
    "primary_reason": "primary-reason",
    "contributing_reasons": "contributing-reasons",
    "separation": "separation",
    "regrettable": "regrettable",
}
QUOTE_QUESTIONS = ("decision-story", "push-factors", "pull-factors", "could-have-stayed")
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EMAIL", "URL"})
PLACEHOLDERS = {"PERSON": "[name]", "GPE": "[place]", "LOC": "[place]", "EMAIL": "[contact]", "URL": "[contact]"}
QUOTES_PER_GROUP = 3
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class _Exit:
    record: ExitRecord
    answers: list[Answer]
    # Free-text answers only: themes and quotes never come from a picked list option.
    free_text: list[Answer]


def _question_id(guide: Guide, purpose: str) -> str:
    question = guide.by_purpose(purpose)
    return question.id if question is not None else FALLBACK_IDS[purpose]


class InsightsService:
    """Counts reasons for leaving across exits, for HR, never below the reporting minimum."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings

    def min_group(self, value: int | None) -> int:
        """The reporting minimum to use: the flag, then config, then 5.

        Raises:
            InvalidInput: Below 3.
        """
        chosen = value if value is not None else (self._settings.insights_min_group or DEFAULT_MIN_GROUP)
        try:
            return check_min_group(chosen)
        except ValueError:
            raise InvalidInput(
                f"--min-group {chosen} is below the floor of 3; groups that small identify people"
            ) from None

    def report(
        self,
        *,
        by: str = "quarter",
        since: date | None = None,
        min_group: int | None = None,
        quotes: bool = False,
    ) -> Insights:
        """The exit insights report.

        Args:
            by: Group exits by ``quarter`` (of the leaving date), ``team``, ``role`` or the main
                ``reason`` (then the counts are the contributing reasons).
            since: Only exits on or after this date.
            min_group: The reporting minimum (default: config ``insights_min_group``, else 5).
            quotes: Add short quotes, from groups that reach the minimum only.

        Returns:
            Counts with every group and cell under the minimum hidden, complementary cells
            hidden too, trends, themes as suggested codes and (if asked) quotes.

        Raises:
            InvalidInput: For an unknown grouping, a minimum below 3, or a ``since`` date that
                leaves out fewer exits than the minimum (comparing with an unfiltered report
                would reveal them).
        """
        if by not in BY_CHOICES:
            raise InvalidInput(f"unknown grouping {by!r}; use one of {', '.join(BY_CHOICES)}")
        k = self.min_group(min_group)
        with session_scope(self._engine, readonly=True) as session:
            exits = self._exits(session)
            if since is not None:
                before = [e for e in exits if e.record.left_on < since]
                if 0 < len(before) < k:
                    raise InvalidInput(
                        f"--since {since.isoformat()} leaves out fewer than {k} exits, which a report "
                        "without it would reveal by subtraction; choose an earlier or later date"
                    )
                exits = [e for e in exits if e.record.left_on >= since]
            report = summarise([e.record for e in exits], by=by, k=k, since=since,
                               themes=lambda minimum: self._themes(session, exits, minimum))
            if quotes and report.n is not None:
                report.quotes = self._quotes(session, exits, report, by)
            return report

    # -- loading --------------------------------------------------------------------------
    def _exits(self, session: Session) -> list[_Exit]:
        rows = session.exec(
            select(Interview, Person)
            .join(Person, col(Person.id) == Interview.person_id)
            .where(Interview.track == "exit")
            .order_by(col(Interview.updated_at).desc())
        ).all()
        latest: dict[int, tuple[Interview, Person]] = {}
        for interview, person in rows:  # one exit per person: their latest exit interview
            latest.setdefault(person.id or 0, (interview, person))
        ids = [i.id for i, _ in latest.values()]
        answers: dict[int, list[Answer]] = {}
        if ids:
            for answer in session.exec(select(Answer).where(col(Answer.interview_id).in_(ids))).all():
                answers.setdefault(answer.interview_id, []).append(answer)
        return [self._exit(i, p, answers.get(i.id or 0, [])) for i, p in latest.values()]

    @staticmethod
    def _exit(interview: Interview, person: Person, answers: list[Answer]) -> _Exit:
        guide = snapshot_guide(interview)
        restricted = {q.id for _, q in guide.questions() if q.restricted}
        usable = [a for a in answers if not a.skipped and a.question_id not in restricted]
        by_id = {a.question_id: a for a in usable}

        def text(purpose: str) -> str | None:
            answer = by_id.get(_question_id(guide, purpose))
            return answer.text if answer is not None else None

        contributing = by_id.get(_question_id(guide, "contributing_reasons"))
        reasons = tuple(
            reason
            for row in (contributing.items if contributing is not None else [])
            if (reason := canonical_reason(row.get("reason"))) is not None
        )
        left_on = person.leaving_date or interview.created_at.date()
        record = ExitRecord(
            interview_id=interview.id or 0, person=person.name, team=person.team or "",
            role=person.role or "", left_on=left_on, primary=canonical_reason(text("primary_reason")),
            contributing=reasons, separation=separation_kind(text("separation")),
            regrettable=yes_no(text("regrettable")),
        )
        prose = {q.id for _, q in guide.questions() if q.type in ("text", "short")}
        return _Exit(record, usable, [a for a in usable if a.question_id in prose])

    # -- themes and quotes ----------------------------------------------------------------
    @staticmethod
    def _themes(session: Session, exits: Sequence[_Exit], k: int) -> list[Theme]:
        answer_person = {a.id: e.record.person for e in exits for a in e.free_text}
        if not answer_person:
            return []
        ids = [i for i in answer_person if i is not None]
        names = {m.text.casefold() for m in session.exec(
            select(Mention).where(col(Mention.answer_id).in_(ids), col(Mention.label).in_(NAME_LABELS))
        ).all()}
        people: dict[str, set[str]] = {}
        spelling: dict[str, str] = {}
        for topic in session.exec(select(Topic).where(col(Topic.answer_id).in_(ids))).all():
            key = topic.phrase.casefold()
            # A theme that names someone or an organisation is about them, not about leaving.
            if any(name in key for name in names):
                continue
            people.setdefault(key, set()).add(answer_person[topic.answer_id])
            spelling.setdefault(key, topic.phrase)
        themes = [Theme(spelling[key], len(who)) for key, who in people.items() if len(who) >= k]
        return sorted(themes, key=lambda t: (-t.people, t.phrase))[:12]

    @staticmethod
    def _quotes(session: Session, exits: Sequence[_Exit], report: Insights, by: str) -> dict[str, list[str]]:
        shown = {g.key for g in report.groups if not g.suppressed}
        quotes: dict[str, list[str]] = {}
        for exit_ in exits:
            key = group_key(exit_.record, by)
            if key not in shown:
                continue
            bucket = quotes.setdefault(key, [])
            # One quote per person, so no single voice stands for a group.
            answer = next((a for a in exit_.free_text if a.question_id in QUOTE_QUESTIONS and a.text.strip()), None)
            if answer is not None and len(bucket) < QUOTES_PER_GROUP:
                bucket.append(_redacted_sentence(session, answer))
        return quotes

    def write(self, report: Insights, out: Path) -> Path:
        """Write the report as HTML (with SVG charts) or Word (with chart images), owner-only.

        Raises:
            InvalidInput: If ``out`` is not a .html or .docx file.
        """
        from retain.packs.insights_report import write_report

        return write_report(report, out)


def _redacted_sentence(session: Session, answer: Answer) -> str:
    """The answer's first sentence, with names of people and organisations taken out."""
    text = answer.text
    spans = sorted(
        (m.start, m.end, m.label) for m in session.exec(
            select(Mention).where(Mention.answer_id == answer.id, col(Mention.label).in_(NAME_LABELS))
        ).all()
    )
    for start, end, label in reversed(spans):
        if 0 <= start < end <= len(text):
            text = text[:start] + PLACEHOLDERS.get(label, "[organisation]") + text[end:]
    first = _SENTENCE.split(" ".join(text.split()), maxsplit=1)[0]
    return first if len(first) <= 220 else first[:217].rstrip() + "…"
