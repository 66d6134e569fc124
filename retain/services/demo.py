"""Load the realistic demo data set (idempotent: a second run adds nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine
from sqlmodel import Session, select

from retain.clock import utcnow
from retain.domain.journey import followup_due
from retain.services.base import session_scope
from retain.services.interviews import InterviewService
from retain.services.people import ensure_person, find_person
from retain.store.models import Interview, Person, ReviewEvent

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "demo.yaml"
# More exit interviews, so the exit insights have one group over the reporting minimum.
EXITS_FILE = DEMO_FILE.with_name("exits.yaml")


@dataclass(frozen=True)
class DemoResult:
    """What a demo load added."""

    people: int
    interviews: int
    answers: int
    new_answer_ids: list[int]


def _as_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class DemoService:
    """Loads ``retain/demo/demo.yaml`` through the ordinary services."""

    def __init__(
        self, engine: Engine, interviews: InterviewService, source: Path = DEMO_FILE
    ) -> None:
        self._engine = engine
        self._interviews = interviews
        self._source = source

    def load(self) -> DemoResult:
        """Add the demo people and interviews that are not there yet.

        Returns:
            Counts of what was added (all zero on a second run).
        """
        data = yaml.safe_load(self._source.read_text(encoding="utf-8"))
        if self._source == DEMO_FILE:
            extra = yaml.safe_load(EXITS_FILE.read_text(encoding="utf-8"))
            data = {key: [*data[key], *extra[key]] for key in ("people", "interviews")}
        new_people = 0
        with session_scope(self._engine) as session:
            for person in data["people"]:
                if find_person(session, person["name"]) is None:
                    new_people += 1
                leaving = person.get("leaving_date")
                ensure_person(
                    session,
                    person["name"],
                    role=person.get("role"),
                    team=person.get("team"),
                    email=person.get("email"),
                    status=person.get("status", "active"),
                    leaving_date=leaving
                    if isinstance(leaving, date) or leaving is None
                    else date.fromisoformat(str(leaving)),
                )
            # Managers and successors once everyone exists (they name each other).
            for person in data["people"]:
                row = find_person(session, person["name"])
                for attr, key in (("manager_id", "manager"), ("successor_id", "successor")):
                    if row is not None and person.get(key):
                        setattr(row, attr, ensure_person(session, person[key]).id)
                        session.add(row)
            existing = set(session.exec(select(Interview.ref)).all())
        new_interviews = new_answers = 0
        answer_ids: list[int] = []
        for spec in data["interviews"]:
            if spec["ref"] in existing:
                continue
            ids = self._load_interview(spec)
            new_interviews += 1
            new_answers += len(ids)
            answer_ids.extend(ids)
        return DemoResult(new_people, new_interviews, new_answers, answer_ids)

    def _load_interview(self, spec: dict[str, Any]) -> list[int]:
        record = self._interviews.start(
            spec["guide"],
            spec["person"],
            successor=spec.get("successor"),
            interviewer=spec.get("interviewer"),
            ref=spec["ref"],
        )
        interview_id = record.id or 0
        answer_ids: list[int] = []
        for question_id, answer in (spec.get("answers") or {}).items():
            if "skipped" in answer:
                saved = self._interviews.skip(interview_id, question_id, answer.get("skipped"))
            else:
                saved = self._interviews.answer(
                    interview_id,
                    question_id,
                    text=answer.get("text"),
                    items=answer.get("items"),
                    visibility=answer.get("visibility"),
                )
            answer_ids.append(saved.id or 0)
        status = spec.get("status", "in_progress")
        if status == "completed":
            self._interviews.complete(interview_id)
        started = _as_datetime(spec.get("started"))
        with session_scope(self._engine) as session:
            interview = session.get(Interview, interview_id)
            assert interview is not None
            if status == "draft":
                interview.status = "draft"
            if started is not None:
                interview.created_at = started
            _sign_off(session, interview, spec)
            _link_followup(session, interview, spec)
            session.add(interview)
        return answer_ids


def _sign_off(session: Session, interview: Interview, spec: dict[str, Any]) -> None:
    """The demo's review and acceptance, set after the answers (an edit would revert them)."""
    for state, key in (("reviewed", "review"), ("accepted", "accept")):
        step = spec.get(key)
        if not step:
            continue
        at = _as_datetime(step.get("at")) or utcnow()
        interview.review_state = state
        if state == "reviewed":
            interview.reviewed_by, interview.reviewed_at = step["by"], at
        else:
            interview.accepted_by, interview.accepted_at = step["by"], at
        session.add(
            ReviewEvent(
                interview_id=interview.id or 0, state=state, by=step["by"], note=step.get("note"), at=at
            )
        )


def _link_followup(session: Session, interview: Interview, spec: dict[str, Any]) -> None:
    """Point a demo follow-up at its handover, due ``day`` days after the leaver's last day."""
    of = spec.get("followup_of")
    if not of:
        return
    original = session.exec(select(Interview).where(Interview.ref == of)).first()
    if original is None:
        return
    leaver = session.get(Person, original.person_id)
    interview.followup_of = original.id
    interview.followup_day = int(spec["day"])
    if leaver is not None and leaver.leaving_date is not None:
        interview.due_date = followup_due(leaver.leaving_date, int(spec["day"]))
