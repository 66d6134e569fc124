"""The leaver's journey in the app (Pilot), the People screen, and the new-user TUI defects."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Button, DataTable, Input, OptionList, Static, TabbedContent

from retain.clock import today
from retain.services import Services
from retain.tui.screens.answer_view import AnswerViewModal
from retain.tui.screens.dialogs import ConfirmModal, PromptModal
from retain.tui.screens.export import ExportModal
from retain.tui.screens.home import HomeScreen
from retain.tui.screens.interview import InterviewScreen
from retain.tui.screens.knowledge import KnowledgeScreen
from retain.tui.screens.new_interview import NewInterviewModal
from retain.tui.screens.people import PeopleScreen, PersonModal
from retain.tui.screens.review import ReviewScreen
from retain.tui.screens.search import SearchScreen
from retain.tui.widgets.editors import ChoiceButton, ListEditor
from retain.tui.widgets.tickbox import TickBox
from tests.tui.conftest import make_app, settle, type_text

SMALL = (80, 24)
MEDIUM = (100, 30)


async def wait_for(pilot: Any, check: Any, rounds: int = 40) -> None:
    for _ in range(rounds):
        await settle(pilot)
        if check():
            return
    raise AssertionError("the app never got there")


async def test_the_journey_in_the_app(sqlite_services: Services) -> None:
    """New interview with a leaving date -> answer -> review -> export REVIEWED -> 30-day
    follow-up -> its "missing" row is a gap on the original -> accept -> ACCEPTED."""
    services = sqlite_services
    left = (today() - timedelta(days=40)).isoformat()
    app = make_app(services)
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewInterviewModal)
        form.query_one("#person", Input).value = "Nora Lindqvist"
        form.query_one("#role", Input).value = "Treasury Lead"
        form.query_one("#leaving", Input).value = left
        form.query_one("#successor", Input).value = "Tom Okafor"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        handover = interview.interview_id
        nora = services.people.show("Nora Lindqvist").person
        assert (nora.status, nora.leaving_date, nora.role) == ("left", today() - timedelta(days=40), "Treasury Lead")
        await type_text(pilot, "Treasury operations and the Kyriba bank feed.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert services.interviews.answers(handover)[0].text == "Treasury operations and the Kyriba bank feed."

        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and bool(app.screen.report))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert not review.check_action("reopen", ()) and not review.check_action("accept", ())
        await pilot.press("v")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, PromptModal)
        assert prompt.query_one("#prompt-input", Input).value == "Nora Lindqvist"
        await pilot.press("enter")
        await wait_for(pilot, lambda: (review.report.get("review") or {}).get("state") == "reviewed")
        assert "REVIEWED by Nora Lindqvist" in str(review.query_one("#review-summary", Static).render())

        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportModal)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportModal) and app.screen.written is not None)
        export: Any = app.screen
        import docx

        written = Path(export.written)
        header = docx.Document(str(written)).sections[0].header.paragraphs[0].text
        assert "SHAREABLE HANDOVER — REVIEWED by Nora Lindqvist" in header
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, PromptModal)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.interview_id != handover)
        followup = app.screen
        assert isinstance(followup, InterviewScreen)
        assert services.reports.show(followup.interview_id).to_json()["followup_day"] == 30
        app.open_interview(followup.interview_id, "wrong-missing")
        await settle(pilot)
        editor = app.screen.query_one(ListEditor)
        editor.focus_editor()
        await pilot.press("a")
        await settle(pilot)
        await type_text(pilot, "The Thursday re-send of the bank file")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_for(pilot, lambda: any(
            a.question_id == "wrong-missing" for a in services.interviews.answers(followup.interview_id)))
        gaps = services.reports.show(handover).to_json()["gaps"]
        assert any("found this wrong or missing: The Thursday re-send of the bank file" in str(g["message"])
                   for g in gaps)

        app.open_interview(handover)
        await settle(pilot)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.interview_id == handover
                       and bool(app.screen.report))
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.check_action("accept", ())
        await pilot.press("a")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, PromptModal) and prompt.query_one("#prompt-input", Input).value == "Tom Okafor"
        await pilot.press("enter")
        await wait_for(pilot, lambda: (review.report.get("review") or {}).get("state") == "accepted")
    context = services.exports.context(handover)
    assert context.cover.review_label.startswith("ACCEPTED by Tom Okafor")
    assert context.label.startswith("SHAREABLE HANDOVER — ACCEPTED by Tom Okafor")


async def test_people_screen_lists_statuses_and_edits_a_person(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        table = screen.query_one("#people-table", DataTable)
        # Every column is on screen at 80 columns.
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 80
        statuses = {str(table.get_row(key)[1]) for key in table.rows}
        assert {"active", "leaving", "left"} <= statuses
        table.move_cursor(row=table.get_row_index(str(demo_services.people.get("Tom Okafor").id)))
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PersonModal)
        assert form.query_one("#save", Button).region.bottom <= 24
        form.query_one("#person-leaving", Input).value = "2099-01-31"
        form.query_one("#person-team", Input).value = "Payroll"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
    tom = demo_services.people.show("Tom Okafor").person
    assert (tom.status, tom.leaving_date.isoformat() if tom.leaving_date else None, tom.team) == (
        "leaving", "2099-01-31", "Payroll")


async def test_person_form_rejects_a_bad_date(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PersonModal)
        form.query_one("#person-leaving", Input).value = "31/12/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PersonModal)
        assert "is not a date; use YYYY-MM-DD" in str(form.query_one("#person-error").render())


async def test_home_filter_esc_no_matches_and_n_starts_an_interview(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("f")
        await type_text(pilot, "zzzz")
        await settle(pilot)
        assert home.query_one("#no-matches").display
        assert home.query_one("#interviews", DataTable).row_count == 0
        await pilot.press("escape")
        await settle(pilot)
        assert home.query_one("#interviews", DataTable).has_focus  # Esc leaves the filter
        await pilot.press("escape")
        await settle(pilot)
        assert home.query_one("#filter", Input).value == ""  # a second Esc clears it
        assert not home.query_one("#no-matches").display
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewInterviewModal)  # n starts an interview, not a letter in the filter
        assert home.query_one("#filter", Input).value == ""


async def test_home_highlights_a_new_interview_and_shows_the_due_follow_up(demo_services: Services) -> None:
    from datetime import UTC, datetime

    app = make_app(demo_services, clock=lambda: datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        due = str(home.query_one("#due-line", Static).render())
        assert "60-day follow-up" in due and "Isabel Ortiz" in due and "2 days overdue" in due
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewInterviewModal)
        assert form.query_one("#start", Button).region.bottom <= 24  # the form fits at 80x24
        assert str(form.query_one("#role-label").render()) == "Role"
        assert str(form.query_one("#team-label").render()) == "Team"
        form.query_one("#person", Input).value = "Zoe New"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, InterviewScreen))
        created = app.screen.interview_id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await settle(pilot)
        table = home.query_one("#interviews", DataTable)
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == str(created)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.interview_id == next(f.id for f in demo_services.journey.followups(due_only=True))


async def test_export_dialog_fits_80x24_and_ticks_show_a_glyph(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportModal)
        for button in dialog.query(Button):
            assert button.region.bottom <= 24 and button.region.right <= 80, button.id
        box = dialog.query_one("#include-confidential", TickBox)
        assert box.BUTTON_INNER == " "
        box.value = True
        await settle(pilot)
        assert box.BUTTON_INNER == "✓"  # ticked and unticked differ by more than colour
        assert dialog.query_one("#export", Button).region.bottom <= 24  # still, with the warning shown


async def test_choice_options_wrap_instead_of_being_cut(demo_services: Services) -> None:
    app = make_app(demo_services)
    aisha = next(r.id for r in demo_services.interviews.list() if r.person == "Aisha Mensah" and r.guide == "handover")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.open_interview(aisha, "follow-up-consent")
        await settle(pilot)
        buttons = list(app.screen.query(ChoiceButton))
        assert [b.BUTTON_INNER for b in buttons] == ["●", " ", " ", " "]
        third = buttons[2]
        assert third.region.height >= 2  # "3. Yes, for a limited period only" wraps at 80 columns
        assert "…" not in str(third.render())


async def test_list_columns_fit_at_100x30(demo_services: Services) -> None:
    app = make_app(demo_services)
    aisha = next(r.id for r in demo_services.interviews.list() if r.person == "Aisha Mensah" and r.guide == "handover")
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot)
        app.open_interview(aisha, "systems")
        await settle(pilot)
        editor = app.screen.query_one(ListEditor)
        table = editor.query_one("#answer-list", DataTable)
        assert len(table.columns) == 4
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= editor.size.width
        row = str(editor.query_one("#list-row").render())
        assert row.startswith("System or tool: NetSuite · ")  # the highlighted row in full


async def test_map_why_column_and_enter_opens_the_evidence_read_only(demo_services: Services,
                                                                     shared_extractor: Any) -> None:
    demo_services.extractor_factory = lambda: shared_extractor
    demo_services.extraction.extract_all()
    app = make_app(demo_services)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen)
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: bool(screen.map_entries))
        table = screen.query_one("#map-table", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Item", "People", "Why"]
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 80
        first = screen.map_entries[0]
        detail = str(screen.query_one("#map-detail", Static).render())
        assert str(first.reason) in detail  # the whole reason, wrapped below the table
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(screen.entries))
        assert screen.query_one(TabbedContent).active == "who"
        assert screen.query_one("#topic", Input).value == str(first.item)
        assert screen.query_one("#who-results", OptionList).has_focus
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, AnswerViewModal)  # read-only, not someone's live editor
        assert not app.screen_stack or not any(isinstance(s, InterviewScreen) for s in app.screen_stack)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)  # editing is an explicit key


async def test_search_hit_opens_read_only(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#query", Input).value = "PayBridge"
        await wait_for(pilot, lambda: bool(screen.hits))
        screen.open_hit(0)
        await settle(pilot)
        assert isinstance(app.screen, AnswerViewModal)
        assert "read-only" in str(app.screen.query_one("#answer-title").render())


async def test_complete_asks_when_gaps_are_open_and_reopen_only_when_completed(demo_services: Services) -> None:
    app = make_app(demo_services)
    priya = next(r.id for r in demo_services.interviews.list() if r.person == "Priya Raman" and r.guide == "handover")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        app.push_screen(ReviewScreen(demo_services, priya))
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and bool(app.screen.report))
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert not review.check_action("reopen", ())  # in progress: nothing to reopen
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # required questions or gaps are open
        await pilot.press("n")
        await settle(pilot)
        assert demo_services.interviews.get(priya).status == "in_progress"
