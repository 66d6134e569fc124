"""SVG snapshots at 80x24 (the smallest supported terminal) of every main screen, frozen clock.

Update them after a deliberate change with:
pytest tests/tui/test_snapshots_80x24.py --snapshot-update
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from retain.services import Services
from tests.tui.conftest import make_app, settle
from tests.tui.test_snapshots import freeze, still

SMALL = (80, 24)
# A day on which the demo's 60-day follow-up is due, so the home screen shows it.
FROZEN = datetime(2026, 12, 1, 14, 2, 31, tzinfo=UTC)

Snap = Callable[..., bool]


def frozen_clock() -> datetime:
    """The time every snapshot shows."""
    return FROZEN


def interview_of(services: Services, person: str, guide: str) -> int:
    return next(r.id for r in services.interviews.list() if r.person == person and r.guide == guide)


def snap(snap_compare: Snap, services: Services, steps: Callable[[Pilot[Any]], Any]) -> bool:
    freeze(services)

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await steps(pilot)
        await settle(pilot)
        await still(pilot)

    return bool(snap_compare(make_app(services, clock=frozen_clock), terminal_size=SMALL, run_before=run))


def test_home_80x24(snap_compare: Snap, demo_services: Services) -> None:
    async def nothing(_pilot: Pilot[Any]) -> None:
        return None

    assert snap(snap_compare, demo_services, nothing)


def test_interview_80x24(snap_compare: Snap, demo_services: Services) -> None:
    aisha = interview_of(demo_services, "Aisha Mensah", "handover")

    async def open_it(pilot: Pilot[Any]) -> None:
        pilot.app.open_interview(aisha, "follow-up-consent")  # type: ignore[attr-defined]

    assert snap(snap_compare, demo_services, open_it)


def test_review_80x24(snap_compare: Snap, demo_services: Services) -> None:
    aisha = interview_of(demo_services, "Aisha Mensah", "handover")

    async def review(pilot: Pilot[Any]) -> None:
        from retain.tui.screens.review import ReviewScreen

        pilot.app.push_screen(ReviewScreen(demo_services, aisha))
        await settle(pilot)

    assert snap(snap_compare, demo_services, review)


def test_export_80x24(snap_compare: Snap, demo_services: Services) -> None:
    async def export(pilot: Pilot[Any]) -> None:
        await pilot.press("e")

    assert snap(snap_compare, demo_services, export)


def test_search_80x24(snap_compare: Snap, demo_services: Services) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await pilot.press("slash")
        await settle(pilot)
        screen: Any = pilot.app.screen
        screen.query_one("#query", Input).value = "PayBridge"
        for _ in range(50):
            await pilot.pause(0.1)
            if screen.hits:
                break
        await settle(pilot)
        status = screen.query_one("#search-status", Static)
        status.update(re.sub(r"\(\d+ ms", "(5 ms", str(status.render())))

    assert snap(snap_compare, demo_services, search)


def test_map_80x24(snap_compare: Snap, demo_services: Services, shared_extractor: Any) -> None:
    demo_services.extractor_factory = lambda: shared_extractor
    demo_services.extraction.extract_all()

    async def knowledge_map(pilot: Pilot[Any]) -> None:
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+g")
        screen: Any = pilot.app.screen
        for _ in range(50):
            await pilot.pause(0.1)
            if screen.map_entries:
                break

    assert snap(snap_compare, demo_services, knowledge_map)


def test_who_80x24(snap_compare: Snap, demo_services: Services, shared_extractor: Any) -> None:
    demo_services.extractor_factory = lambda: shared_extractor
    demo_services.extraction.extract_all()

    async def who(pilot: Pilot[Any]) -> None:
        await pilot.press("w")
        await settle(pilot)
        screen: Any = pilot.app.screen
        screen.query_one("#topic", Input).value = "statement re-send"
        for _ in range(50):
            await pilot.pause(0.1)
            if screen.entries:
                break

    assert snap(snap_compare, demo_services, who)


def test_people_80x24(snap_compare: Snap, demo_services: Services) -> None:
    async def people(pilot: Pilot[Any]) -> None:
        await pilot.press("p")

    assert snap(snap_compare, demo_services, people)
