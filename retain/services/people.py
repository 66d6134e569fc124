"""People: interviewees, successors and named contacts."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from retain.errors import InvalidInput, NotFound
from retain.services.base import session_scope
from retain.store.models import Person

STATUSES = ("active", "leaving", "left")


def find_person(session: Session, name: str) -> Person | None:
    """Find a person by name, ignoring case and surrounding spaces."""
    key = " ".join(name.split()).casefold()
    return session.exec(select(Person).where(func.lower(Person.name) == key)).first()


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
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInput("a person needs a name; give --person 'First Last'")
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    person = find_person(session, clean)
    if person is None:
        person = Person(name=clean)
    for attr, value in (
        ("role", role),
        ("team", team),
        ("email", email),
        ("status", status),
        ("leaving_date", leaving_date),
    ):
        if value is not None:
            setattr(person, attr, value)
    session.add(person)
    session.flush()
    return person


class PeopleService:
    """List, find and update people."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def list(self) -> Sequence[Person]:
        """Every person, by name."""
        with session_scope(self._engine) as session:
            return session.exec(select(Person).order_by(col(Person.name))).all()

    def get(self, name: str) -> Person:
        """Find a person by name.

        Raises:
            NotFound: If nobody has that name.
        """
        with session_scope(self._engine) as session:
            person = find_person(session, name)
            if person is None:
                raise NotFound(f"no person named {name!r}; see `retain interview list`")
            return person

    def names(self, prefix: str = "", limit: int = 20) -> builtins.list[str]:
        """Names starting with ``prefix`` (case-insensitive), for autocomplete."""
        with session_scope(self._engine) as session:
            query = select(Person.name).order_by(col(Person.name)).limit(limit)
            if prefix:
                query = query.where(func.lower(Person.name).startswith(prefix.casefold()))
            return list(session.exec(query).all())

    def set_status(self, name: str, status: str, leaving_date: date | None = None) -> Person:
        """Mark a person active, leaving or left."""
        with session_scope(self._engine) as session:
            person = find_person(session, name)
            if person is None:
                raise NotFound(f"no person named {name!r}; see `retain interview list`")
            return ensure_person(session, person.name, status=status, leaving_date=leaving_date)
