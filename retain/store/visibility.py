"""The domain's visibility rule as a SQL condition over the ``answer`` table, for Core queries."""

from __future__ import annotations

from sqlalchemy import Boolean, ColumnElement, literal_column

from retain.domain.visibility import SHAREABLE_READER, Reader


def readable(reader: Reader = SHAREABLE_READER, table: str = "answer") -> ColumnElement[bool]:
    """Whether ``reader`` may read an answer (:meth:`Reader.may_read`), as a boolean SQL expression.

    Built from :meth:`Reader.answer_sql`, so SQL and Python apply the one rule; ``true`` for a
    reader who may read everything.
    """
    condition = reader.answer_sql(table).removeprefix(" AND ") or "1 = 1"
    return literal_column(f"({condition})", Boolean)


__all__ = ["readable"]
