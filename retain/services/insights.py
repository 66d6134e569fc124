"""HR exit insights behind reporting minimums (placeholder until written)."""

from __future__ import annotations

from sqlalchemy import Engine

from retain.config import Settings


class InsightsService:
    """Counts of reasons for leaving across exit interviews."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings
