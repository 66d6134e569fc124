"""Shared plumbing for services: sessions that keep objects usable after commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from retain.errors import Fix, NotFound, StoreError
from retain.store.engine import reader
from retain.store.models import Interview


@contextmanager
def session_scope(engine: Engine, *, readonly: bool = False) -> Iterator[Session]:
    """A session that commits on success, rolls back on error, and never expires objects.

    Args:
        engine: The database.
        readonly: Begin SQLite transactions DEFERRED, so the reads never wait for a writer.

    Raises:
        StoreError: If the database fails underneath (unreachable, read-only, locked).
    """
    session = Session(reader(engine) if readonly else engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise StoreError(
            f"database error: {_first_line(exc)}; check the database and try again"
        ) from exc
    except DBAPIError as exc:
        session.rollback()
        raise StoreError(f"database error: {_first_line(exc)}") from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _first_line(exc: DBAPIError) -> str:
    text = str(getattr(exc, "orig", exc)) or type(exc).__name__
    return text.strip().splitlines()[0]


def get_interview(session: Session, interview_id: int) -> Interview:
    """The interview with this id.

    Raises:
        NotFound: If there is none.
    """
    interview = session.get(Interview, interview_id)
    if interview is None:
        raise NotFound(f"no interview {interview_id}", fix=Fix.LIST_INTERVIEWS)
    return interview
