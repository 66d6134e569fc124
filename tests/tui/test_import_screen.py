"""The Import screen driven by Pilot: file, speakers, side-by-side review, accept/reassign/skip, save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, Static

from retain.services import Services
from retain.tui.screens.home import HomeScreen
from retain.tui.screens.import_pick import QuestionPicker
from retain.tui.screens.import_review import ImportScreen
from tests.tui.conftest import SIZE, make_app, settle

DATA = Path(__file__).parents[1] / "data" / "transcripts"


def _row(table: DataTable[str], question: str) -> int:
    for index in range(table.row_count):
        if table.get_row_at(index)[2] == question:
            return index
    raise AssertionError(f"no row for {question}")


async def test_import_review_accept_reassign_skip_and_save(sqlite_services: Services) -> None:
    interview = sqlite_services.interviews.start("handover", "Dana Whitfield")
    iid = interview.id or 0
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        assert screen.query_one("#import-into", Select).value == iid
        screen.query_one("#import-path", Input).value = str(DATA / "generic.otter.txt")
        await pilot.press("enter")
        await settle(pilot)
        # Step 2: the guess is shown; generic labels are renamed before mapping.
        assert screen.step == "speakers"
        note = str(screen.query_one("#import-speaker-note", Static).render())
        assert "retain guessed: Speaker 1 asks, Speaker 2 answers" in note
        screen.query_one("#import-rename", Input).value = "Speaker 2=Dana Whitfield"
        screen.query_one("#import-rename", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.step == "review"
        assert screen.plan is not None and screen.plan.mapping.interviewee == "Dana Whitfield"

        # Now the real interview, through the same screen.
        await pilot.press("escape", "escape")
        assert screen.step == "file"
        screen.query_one("#import-path", Input).value = str(DATA / "handover.teams.vtt")
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one("#import-segments", DataTable)
        # Side by side: the segment's words and the question they answer.
        table.move_cursor(row=_row(table, "contacts"))
        await pilot.pause()
        assert "Who should your successor meet first" in str(
            screen.query_one("#import-question", Static).render()
        )
        assert "Gary at ADP support" in str(screen.query_one("#import-segment", Static).render())
        assert table.get_row_at(table.cursor_row)[4] == "review"
        await pilot.press("a")  # accept the low-confidence match
        assert table.get_row_at(_row(table, "contacts"))[4] == "accepted"
        table.move_cursor(row=_row(table, "advice"))
        await pilot.press("s")  # skip it: stays unmapped
        assert table.get_row_at(table.cursor_row)[4] == "skipped"
        table.move_cursor(row=_row(table, "decisions"))
        await pilot.press("r")  # reassign to another question
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, QuestionPicker)
        options = picker.query_one("#import-questions", OptionList)
        options.highlighted = next(
            i for i in range(options.option_count) if options.get_option_at_index(i).id == "fragile"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert table.get_row_at(table.cursor_row)[2] == "fragile"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    answers = {a.question_id: a for a in sqlite_services.interviews.answers(iid)}
    assert "Gary at ADP support" in answers["contacts"].text
    assert "advice" not in answers and "decisions" not in answers
    assert "bank holiday rule" in answers["fragile"].text
    reasons = {s.reason for s in sqlite_services.segments.unmapped(iid)}
    assert "skipped" in reasons


async def test_import_errors_stay_on_the_screen(sqlite_services: Services, tmp_path: Path) -> None:
    bad = tmp_path / "empty.vtt"
    bad.write_bytes(b"")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        assert screen.query_one("#import-new").display  # no interview yet: guide and person
        screen.query_one("#import-path", Input).value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        status = str(screen.query_one("#import-status", Static).render())
        assert status.startswith("retain: error: empty.vtt: the file is empty")
        assert screen.step == "file"


def test_review_snapshot(snap_compare: Any, sqlite_services: Services) -> None:
    """The mapping review at 100x32: segments on the left, question and words on the right."""
    from tests.tui.test_snapshots import frozen_clock, still

    sqlite_services.interviews.start("handover", "Dana Whitfield")

    async def review(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        screen: Any = pilot.app.screen
        screen.query_one("#import-path", Input).value = str(DATA / "handover.teams.vtt")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one("#import-segments", DataTable)
        table.move_cursor(row=_row(table, "contacts"))
        await still(pilot)

    app = make_app(sqlite_services, clock=frozen_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=review)

