"""The Textual interview app."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retain.config import Settings


def run(settings: Settings) -> None:
    """Open the interview app on the configured database."""
    from retain.tui.app import RetainApp

    RetainApp(settings=settings).run()
