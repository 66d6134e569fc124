"""Time helpers: every stored timestamp is timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC: the day leaving dates and follow-up due dates are compared with."""
    return utcnow().date()
