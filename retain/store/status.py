"""A person's effective status in SQL, for queries that read it in bulk (light: no ORM import)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from retain.clock import today as utc_today

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import BindParameter


def status_sql(alias: str = "p") -> str:
    """SQL for a person's status as of ``:status_today`` (bind it with :func:`today_param`).

    The same rule as :func:`retain.domain.journey.effective_status`, for queries that read
    status in bulk (who, map, search), so a leaver whose date has passed reads as ``left``.
    """
    return (
        f"CASE WHEN {alias}.status = 'leaving' AND {alias}.leaving_date IS NOT NULL "
        f"AND {alias}.leaving_date < :status_today THEN 'left' ELSE {alias}.status END"
    )


def today_param(today: date | None = None) -> BindParameter[date]:
    """The ``:status_today`` parameter of :func:`status_sql`, typed so both backends compare dates."""
    from sqlalchemy import Date, bindparam

    return bindparam("status_today", value=today or utc_today(), type_=Date)


__all__ = ["status_sql", "today_param"]
