"""People: interviewees, successors and named contacts, with their status and leaving dates."""

from __future__ import annotations

import builtins
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from retain.clock import today as utc_today
from retain.domain.journey import PERSON_STATUSES, effective_status
from retain.errors import InvalidInput, NotFound
from retain.services.base import session_scope
from retain.store.models import Answer, Interview, Person
from retain.store.status import status_sql, today_param  # noqa: F401 (re-exported: light module)
from retain.store.visibility import readable

STATUSES = PERSON_STATUSES
MAX_FIELD = 200
MAX_EMAIL = 320
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def find_person(session: Session, name: str) -> Person | None:
    """Find a person by name, ignoring case and surrounding spaces."""
    key = " ".join(name.split()).casefold()
    return session.exec(select(Person).where(func.lower(Person.name) == key)).first()


def lookup(session: Session, name_or_id: str) -> Person:
    """Find a person by id (digits) or by name.

    Raises:
        NotFound: If nobody matches.
    """
    value = name_or_id.strip()
    # Ids are 32-bit on PostgreSQL; longer digit strings ("2**70") are names, never ids.
    is_id = value.isascii() and value.isdigit() and int(value[:20]) < 2**31
    person = session.get(Person, int(value)) if is_id else find_person(session, value)
    if person is None:
        raise NotFound(f"no person {name_or_id!r}; see `retain person list`")
    return person


def _clean(value: str | None, what: str, limit: int = MAX_FIELD) -> str | None:
    if value is None:
        return None
    clean = " ".join(value.split())
    if len(clean) > limit:
        raise InvalidInput(f"{what} is longer than {limit} characters; shorten it")
    return clean


def ensure_person(
    session: Session,
    name: str,
    *,
    role: str | None = None,
    team: str | None = None,
    email: str | None = None,
    status: str | None = None,
    leaving_date: date | None = None,
) -> Person:
    """Return the named person, creating them, and filling in any details that were given.

    Raises:
        InvalidInput: For an empty name or an unknown status.
    """
    clean = _clean(name, "a name") or ""
    if not clean:
        raise InvalidInput("a person needs a name; give --person 'First Last'")
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    person = find_person(session, clean)
    if person is None:
        person = Person(name=clean)
    for attr, value in (
        ("role", _clean(role, "--role")),
        ("team", _clean(team, "--team")),
        ("email", _clean(email, "--email", MAX_EMAIL)),
        ("status", status),
        ("leaving_date", leaving_date),
    ):
        if value is not None:
            setattr(person, attr, value)
    session.add(person)
    session.flush()
    return person


@dataclass(frozen=True)
class PersonView:
    """A person as read today: the status already moved to ``left`` past the leaving date."""

    id: int
    name: str
    role: str | None
    team: str | None
    email: str | None
    status: str
    leaving_date: date | None
    manager: str | None
    successor: str | None

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of ``person list --json``, plus ``manager``."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "team": self.team,
            "email": self.email,
            "status": self.status,
            "leaving_date": self.leaving_date.isoformat() if self.leaving_date else None,
            "successor": self.successor,
            "manager": self.manager,
        }


@dataclass(frozen=True)
class PersonDetail:
    """``person show``: the person, their interviews, and what colleagues named them for."""

    person: PersonView
    interviews: list[dict[str, Any]] = field(default_factory=list)
    named_for: list[dict[str, Any]] = field(default_factory=list)
    successor_of: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of ``person show --json``."""
        return {
            **self.person.to_json(),
            "interviews": self.interviews,
            "named_for": self.named_for,
            "successor_of": self.successor_of,
        }


def view(session: Session, person: Person, today: date | None = None) -> PersonView:
    """A person as read on ``today`` (default: today, UTC)."""
    names = _names(session, [person.manager_id, person.successor_id])
    return PersonView(
        id=person.id or 0,
        name=person.name,
        role=person.role,
        team=person.team,
        email=person.email,
        status=effective_status(person.status, person.leaving_date, today or utc_today()),
        leaving_date=person.leaving_date,
        manager=names.get(person.manager_id or 0),
        successor=names.get(person.successor_id or 0),
    )


def _names(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    rows = session.exec(select(Person.id, Person.name).where(col(Person.id).in_(wanted))).all()
    return {int(pid or 0): name for pid, name in rows}


class PeopleService:
    """List, find and update people."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def list(self) -> Sequence[Person]:
        """Every person, by name (the stored rows; see :meth:`views` for the status as read)."""
        with session_scope(self._engine, readonly=True) as session:
            return session.exec(select(Person).order_by(col(Person.name))).all()

    def views(self, *, status: str | None = None, today: date | None = None) -> builtins.list[PersonView]:
        """Every person as read on ``today``, by name, optionally only one status.

        Raises:
            InvalidInput: For an unknown status.
        """
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        with session_scope(self._engine, readonly=True) as session:
            people = session.exec(select(Person).order_by(col(Person.name))).all()
            names = {p.id or 0: p.name for p in people}
            day = today or utc_today()
            found = [
                PersonView(
                    id=p.id or 0,
                    name=p.name,
                    role=p.role,
                    team=p.team,
                    email=p.email,
                    status=effective_status(p.status, p.leaving_date, day),
                    leaving_date=p.leaving_date,
                    manager=names.get(p.manager_id or 0),
                    successor=names.get(p.successor_id or 0),
                )
                for p in people
            ]
        return [p for p in found if status is None or p.status == status]

    def get(self, name: str) -> Person:
        """Find a person by name or id.

        Raises:
            NotFound: If nobody has that name.
        """
        with session_scope(self._engine, readonly=True) as session:
            return lookup(session, name)

    def show(self, name_or_id: str, *, today: date | None = None) -> PersonDetail:
        """A person, their interviews, and what other interviewees named them as a contact for.

        Raises:
            NotFound: If nobody matches.
        """
        with session_scope(self._engine, readonly=True) as session:
            person = lookup(session, name_or_id)
            interviews = [
                {
                    "id": i.id,
                    "guide": i.guide_id,
                    "track": i.track,
                    "status": i.status,
                    "review": i.review_state,
                    "followup_of": i.followup_of,
                    "updated_at": i.updated_at.isoformat(),
                }
                for i in session.exec(
                    select(Interview)
                    .where(Interview.person_id == person.id)
                    .order_by(col(Interview.created_at))
                ).all()
            ]
            successor_of = [
                p.name
                for p in session.exec(
                    select(Person).where(Person.successor_id == person.id).order_by(col(Person.name))
                ).all()
            ]
            for heir_of in session.exec(
                select(Person)
                .join(Interview, col(Interview.person_id) == Person.id)
                .where(Interview.successor_id == person.id)
            ).all():
                if heir_of.name not in successor_of:
                    successor_of.append(heir_of.name)
            return PersonDetail(
                person=view(session, person, today),
                interviews=interviews,
                named_for=self._named_for(session, person),
                successor_of=successor_of,
            )

    @staticmethod
    def _named_for(session: Session, person: Person) -> builtins.list[dict[str, Any]]:
        """Rows of shareable contact lists (other people's interviews) that name this person."""
        key = person.name.casefold()
        first = key.split()[0] if key.split() else key
        found: builtins.list[dict[str, Any]] = []
        rows = session.exec(
            select(Answer, Interview, Person)
            .join(Interview, col(Interview.id) == Answer.interview_id)
            .join(Person, col(Person.id) == Interview.person_id)
            .where(readable(), Interview.person_id != person.id)
        ).all()
        for answer, interview, subject in rows:
            for item in answer.items:
                name = str(item.get("name") or "").strip().casefold()
                if name and name in (key, first):
                    about = "; ".join(str(v) for k, v in item.items() if k != "name" and v)
                    found.append(
                        {
                            "interview": interview.id,
                            "question": answer.question_id,
                            "named_by": subject.name,
                            "about": about,
                        }
                    )
        return found

    def names(self, prefix: str = "", limit: int = 20) -> builtins.list[str]:
        """Names starting with ``prefix`` (case-insensitive), for autocomplete."""
        with session_scope(self._engine, readonly=True) as session:
            query = select(Person.name).order_by(col(Person.name)).limit(limit)
            if prefix:
                query = query.where(func.lower(Person.name).startswith(prefix.casefold()))
            return builtins.list(session.exec(query).all())

    def set_status(self, name: str, status: str, leaving_date: date | None = None) -> Person:
        """Mark a person active, leaving or left."""
        with session_scope(self._engine) as session:
            person = lookup(session, name)
            return ensure_person(session, person.name, status=status, leaving_date=leaving_date)

    def update(
        self,
        name_or_id: str,
        *,
        status: str | None = None,
        leaving_date: date | None = None,
        clear_leaving_date: bool = False,
        role: str | None = None,
        team: str | None = None,
        email: str | None = None,
        successor: str | None = None,
        manager: str | None = None,
        today: date | None = None,
    ) -> PersonView:
        """Change a person's details; a leaving date alone marks an active person as leaving.

        Args:
            name_or_id: Who.
            status: ``active``, ``leaving`` or ``left``.
            leaving_date: Their last day.
            clear_leaving_date: Remove the leaving date (someone who stays after all).
            role: Their role.
            team: Their team.
            email: Their email address.
            successor: Who takes over (created if new); an empty string clears it.
            manager: Their manager (created if new); an empty string clears it.
            today: The day the status is read on (tests).

        Raises:
            NotFound: If nobody matches.
            InvalidInput: For an unknown status, a bad email, or naming the person themselves.
        """
        if email is not None and email.strip() and not _EMAIL.match(email.strip()):
            raise InvalidInput(f"{email!r} is not an email address; use name@example.org")
        with session_scope(self._engine) as session:
            person = lookup(session, name_or_id)
            if leaving_date is not None and status is None and person.status == "active":
                status = "leaving"
            ensure_person(
                session,
                person.name,
                role=role,
                team=team,
                email=email,
                status=status,
                leaving_date=leaving_date,
            )
            if clear_leaving_date:
                person.leaving_date = None
            for attr, value, what in (
                ("successor_id", successor, "successor"),
                ("manager_id", manager, "manager"),
            ):
                if value is None:
                    continue
                if not value.strip():
                    setattr(person, attr, None)
                    continue
                other = ensure_person(session, value)
                if other.id == person.id:
                    raise InvalidInput(f"{person.name} cannot be their own {what}; name someone else")
                setattr(person, attr, other.id)
            session.add(person)
            session.flush()
            return view(session, person, today)
