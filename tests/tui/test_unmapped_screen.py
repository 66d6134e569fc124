"""Saved unmapped talk in the app (Pilot): review shows the count, u opens it, accept/assign/drop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from retain.services import Services
from retain.tui.screens.dialogs import ConfirmModal
from retain.tui.screens.import_pick import QuestionPicker
from retain.tui.screens.review import ReviewScreen
from retain.tui.screens.unmapped import UnmappedScreen
from tests.tui.conftest import make_app, settle
from tests.tui.test_journey_app import MEDIUM, wait_for

TEAMS = Path(__file__).parents[1] / "data" / "transcripts" / "handover.teams.vtt"


def _imported(services: Services) -> int:
    transcript, sha256 = services.imports.read(TEAMS)
    plan = services.imports.plan(transcript, sha256, guide_id="handover", person="Dana Whitfield")
    services.imports.save(plan)
    return plan.interview_id or 0


def _row(table: DataTable[str], suggestion: str) -> int:
    return next(i for i in range(table.row_count) if table.get_row_at(i)[2] == suggestion)


async def test_unmapped_talk_is_assigned_and_dropped_from_the_review(sqlite_services: Services) -> None:
    services = sqlite_services
    iid = _imported(services)
    before = services.segments.unmapped(iid)
    contacts = next(s for s in before if s.suggestion == "contacts")
    app = make_app(services)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot)
        app.open_interview(iid)
        await settle(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and bool(app.screen.report))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        summary = str(review.query_one("#review-summary", Static).render())
        assert f"Recording: {len(before)} unmapped segments · press u" in summary
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, UnmappedScreen) and bool(app.screen.segments))
        screen = app.screen
        assert isinstance(screen, UnmappedScreen)
        table = screen.query_one("#unmapped-segments", DataTable)
        assert table.row_count == len(before)

        # a: the low-confidence match goes under its suggested question, as the interviewee said it.
        table.move_cursor(row=_row(table, "contacts"))
        await pilot.pause()
        assert "Who should your successor meet first" in str(screen.query_one("#unmapped-question", Static).render())
        await pilot.press("a")
        await wait_for(pilot, lambda: len(screen.segments) == len(before) - 1)
        (answer,) = [a for a in services.interviews.answers(iid) if a.question_id == "contacts"]
        assert "Gary at ADP support" in answer.text and "Sam Patel:" not in answer.text
        assert contacts.id not in {s.id for s in services.segments.unmapped(iid)}

        # r: small talk the interviewer says is advice after all, picked from the guide.
        table.move_cursor(row=next(i for i in range(table.row_count) if table.get_row_at(i)[1] == "small-talk"))
        small_talk = screen.segments[table.cursor_row]
        await pilot.press("r")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, QuestionPicker)
        options = picker.query_one("#import-questions", OptionList)
        options.highlighted = next(i for i in range(options.option_count)
                                   if options.get_option_at_index(i).id == "advice")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(screen.segments) == len(before) - 2)
        assert small_talk.id not in {s.id for s in services.segments.unmapped(iid)}
        assert any(a.question_id == "advice" for a in services.interviews.answers(iid))

        # d: asks first; no keeps the segment, yes drops it.
        gone = screen.segments[table.cursor_row]
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await settle(pilot)
        assert gone.id in {s.id for s in services.segments.unmapped(iid)}
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: len(screen.segments) == len(before) - 3)
        assert gone.id not in {s.id for s in services.segments.unmapped(iid)}
        left = len(before) - 3

        # Back on the review, the count and the coverage are read again.
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is review and review.unmapped == left)
        summary = str(review.query_one("#review-summary", Static).render())
        assert (f"Recording: {left} unmapped" in summary) if left else ("unmapped" not in summary)
        assert review.check_action("unmapped", ()) == (left > 0)


async def test_overwriting_a_typed_answer_asks_first_and_a_bad_fit_names_the_fix(
    sqlite_services: Services,
) -> None:
    services = sqlite_services
    interview = services.interviews.start("exit", "Dana Whitfield")
    iid = interview.id or 0
    services.interviews.answer(iid, "consent", text="no")
    transcript, sha256 = services.imports.read(TEAMS)
    services.imports.save(services.imports.plan(transcript, sha256, interview_id=iid))
    hello = next(s for s in services.segments.unmapped(iid) if "loud and clear" in s.text)
    app = make_app(services)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot)
        app.push_screen(UnmappedScreen(iid))
        await wait_for(pilot, lambda: isinstance(app.screen, UnmappedScreen) and bool(app.screen.segments))
        screen = app.screen
        assert isinstance(screen, UnmappedScreen)
        table = screen.query_one("#unmapped-segments", DataTable)
        table.move_cursor(row=[s.id for s in screen.segments].index(hello.id))

        async def assign_to(question: str) -> None:
            await pilot.press("r")
            await settle(pilot)
            options = app.screen.query_one("#import-questions", OptionList)
            options.highlighted = next(i for i in range(options.option_count)
                                       if options.get_option_at_index(i).id == question)
            await pilot.press("enter")
            await settle(pilot)

        # "Yes, loud and clear" fits the yes/no consent question, which already says no.
        await assign_to("consent")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        assert "already holds 'no'" in str(confirm.query_one(".dialog-body", Static).render())
        await pilot.press("n")
        await settle(pilot)
        consent = next(a for a in services.interviews.answers(iid) if a.question_id == "consent")
        assert consent.text == "no" and hello.id in {s.id for s in services.segments.unmapped(iid)}
        await assign_to("consent")
        await pilot.press("y")
        await wait_for(pilot, lambda: hello.id not in {s.id for s in screen.segments})
        consent = next(a for a in services.interviews.answers(iid) if a.question_id == "consent")
        assert (consent.text, consent.visibility) == ("yes", "confidential")

        # Nothing said fits a choice question: one line with the app's fix, nothing changes.
        before = [s.id for s in screen.segments]
        table.move_cursor(row=0)
        choice = next(q.id for _, q in screen.guide.questions() if q.type == "choice")
        await assign_to(choice)
        await settle(pilot)
        assert [s.id for s in services.segments.unmapped(iid)] == before
        assert not any(a.question_id == choice for a in services.interviews.answers(iid))
        toasts = [str(n.message) for n in app._notifications]
        assert any("says nothing that fits choice question" in t and "type the answer on the interview screen" in t
                   for t in toasts), toasts


def test_unmapped_snapshot(snap_compare: Any, sqlite_services: Services) -> None:
    """Saved unmapped talk at 100x32: segments on the left, the suggestion and the words on the right."""
    from tests.tui.conftest import SIZE
    from tests.tui.test_snapshots import frozen_clock, still

    iid = _imported(sqlite_services)

    async def unmapped(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.push_screen(UnmappedScreen(iid))
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, UnmappedScreen) and bool(pilot.app.screen.segments))
        table = pilot.app.screen.query_one("#unmapped-segments", DataTable)
        table.move_cursor(row=_row(table, "contacts"))
        await still(pilot)

    app = make_app(sqlite_services, clock=frozen_clock)
    assert snap_compare(app, terminal_size=SIZE, run_before=unmapped)
