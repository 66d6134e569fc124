"""SVG snapshots of the home, interview and search screens at 100x32, with a frozen clock.

Update them after a deliberate change with: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from textual.pilot import Pilot
from textual.widgets import Input, Static

from retain.services import Services
from tests.tui.conftest import SIZE, make_app, settle

FROZEN = datetime(2025, 3, 14, 14, 2, 31, tzinfo=UTC)

Snap = Callable[..., bool]


def frozen_clock() -> datetime:
    """The time every snapshot shows."""
    return FROZEN


def freeze(services: Services) -> None:
    """Pin every timestamp the screens show, so snapshots do not depend on today's date."""
    with services.engine.begin() as connection:
        connection.execute(text("UPDATE interview SET updated_at = :t, created_at = :t"),
                           {"t": datetime(2025, 3, 14, 9, 30, tzinfo=UTC)})


async def still(pilot: Pilot[Any]) -> None:
    """Stop cursors blinking, so a snapshot never catches one half-way."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    await settle(pilot)


def priya(services: Services) -> int:
    """The demo's in-progress handover interview."""
    return next(r.id for r in services.interviews.list() if r.person == "Priya Raman" and r.guide == "handover")


def test_home(snap_compare: Snap, demo_services: Services) -> None:
    freeze(demo_services)

    async def ready(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await still(pilot)

    app = make_app(demo_services, clock=frozen_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_interview(snap_compare: Snap, demo_services: Services) -> None:
    freeze(demo_services)
    interview_id = priya(demo_services)

    async def open_it(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        app: Any = pilot.app
        app.open_interview(interview_id, "only-you")
        await settle(pilot)
        await still(pilot)

    app = make_app(demo_services, clock=frozen_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_it)


def test_search(snap_compare: Snap, demo_services: Services) -> None:
    freeze(demo_services)

    async def search(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        screen: Any = pilot.app.screen
        screen.query_one("#query", Input).value = "PayBridge"
        for _ in range(50):  # results arrive after the debounce, from a worker
            await pilot.pause(0.1)
            if screen.hits:
                break
        await settle(pilot)
        # The query time varies from run to run: freeze it like the clock.
        status = screen.query_one("#search-status", Static)
        status.update(re.sub(r"\(\d+ ms", "(5 ms", str(status.render())))
        await still(pilot)

    app = make_app(demo_services, clock=frozen_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=search)
