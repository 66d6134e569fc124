"""Screens one by one: home, new interview, editors, skip, visibility, review, errors, help, palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, DataTable, Input, Label, Static

from retain.errors import StoreError
from retain.guides.registry import GuideRegistry
from retain.resources import guides_dir
from retain.services import Services
from retain.tui.app import RetainApp
from retain.tui.screens.dialogs import ConfirmModal, MessageModal, PromptModal
from retain.tui.screens.export import ExportModal
from retain.tui.screens.help import HelpScreen, binding_groups
from retain.tui.screens.home import HomeScreen
from retain.tui.screens.interview import InterviewScreen
from retain.tui.screens.knowledge import KnowledgeScreen
from retain.tui.screens.new_interview import NewInterviewModal
from retain.tui.screens.review import ReviewScreen
from retain.tui.widgets.capture import CapturePanel
from retain.tui.widgets.editors import ChoiceEditor, DateEditor, ListEditor, TextEditor
from retain.tui.widgets.outline import OutlineRail
from tests.tui.conftest import SIZE, make_app, settle, type_text


def notices(app: RetainApp) -> list[str]:
    """Every notification the app raised (collected even when not displayed)."""
    return [n.message for n in app._notifications]


async def test_home_lists_interviews_people_and_filters(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#interviews", DataTable)
        assert table.row_count == len(demo_services.interviews.list())
        assert table.has_focus
        people = home.query_one("#people", DataTable)
        statuses = {str(people.get_row(key)[1]) for key in people.rows}
        assert {"leaving", "left", "active"} <= statuses
        await pilot.press("f")
        await type_text(pilot, "priya")
        await settle(pilot)
        assert table.row_count == 2
        assert all("Priya" in str(table.get_row_at(i)[0]) for i in range(table.row_count))


async def test_empty_database_welcomes_and_loads_the_demo(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert home.query_one("#welcome").display
        assert "load the demo data" in str(home.query_one("#welcome-text", Static).render())
        await pilot.press("d")
        await settle(pilot, rounds=5)
        assert not home.query_one("#welcome").display
        assert home.query_one("#interviews", DataTable).row_count > 5


async def test_delete_asks_first(sqlite_services: Services) -> None:
    sqlite_services.interviews.start("handover", "Ana Silva")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # the safe button has the focus: enter cancels
        await settle(pilot)
        assert len(sqlite_services.interviews.list()) == 1
        home = app.screen
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert sqlite_services.interviews.list() == []
        assert home.query_one("#welcome").display
        # The deletion (and its scrub of the files) ran in a worker, which reported back.
        assert any("Deleted the handover interview with Ana Silva" in str(n.message) for n in app._notifications)


async def test_new_interview_validates_inline(sqlite_services: Services) -> None:
    sqlite_services.interviews.start("handover", "Ana Silva")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NewInterviewModal)
        await pilot.press("ctrl+s")  # no name yet
        await settle(pilot)
        assert app.screen is modal
        assert "needs a name" in str(modal.query_one("#person-hint", Label).render())
        await type_text(pilot, "ana")
        await settle(pilot)
        person = modal.query_one("#person", Input)
        assert person._suggestion == "Ana Silva"  # autocompleted from existing people
        await pilot.press("right")  # accept the suggestion
        assert person.value == "Ana Silva"
        await settle(pilot)
        assert "existing person" in str(modal.query_one("#person-hint", Label).render())
        modal.query_one("#successor", Input).value = "ana silva"
        await settle(pilot)
        assert "cannot be the person leaving" in str(modal.query_one("#successor-error", Label).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        modal.query_one("#successor", Input).value = "Ben Carter"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert len(sqlite_services.interviews.list()) == 2


async def test_autosave_within_a_quarter_second_and_on_quit(sqlite_services: Services) -> None:
    interview = sqlite_services.interviews.start("handover", "Ana Silva")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(interview.id or 0)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await type_text(pilot, "Payroll")
        await pilot.pause(0.3)  # a save follows a keystroke within 0.25 s, even mid-typing
        await settle(pilot)
        saved = {a.question_id: a.text for a in sqlite_services.interviews.answers(interview.id or 0)}
        assert saved["role-summary"] == "Payroll"
        assert str(screen.query_one("#save-state", Static).render()).startswith("saved ")
        await type_text(pilot, " lead")
        await pilot.press("ctrl+q")  # quit at once: nothing is lost
    saved = {a.question_id: a.text for a in sqlite_services.interviews.answers(interview.id or 0)}
    assert saved["role-summary"] == "Payroll lead"


async def test_skip_with_a_reason_and_navigation(sqlite_services: Services) -> None:
    interview = sqlite_services.interviews.start("handover", "Ana Silva")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(interview.id or 0)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PromptModal)
        await type_text(pilot, "covered later")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.current == "only-you"  # skipping moves on
        answers = {a.question_id: a for a in sqlite_services.interviews.answers(interview.id or 0)}
        assert answers["role-summary"].skipped and answers["role-summary"].skip_reason == "covered later"
        await pilot.press("ctrl+g")  # next section
        assert screen.current == "systems"
        assert isinstance(screen.editor, ListEditor)
        await pilot.press("ctrl+f")  # first unanswered
        await settle(pilot)
        assert screen.current == "only-you"
        await pilot.press("ctrl+o", "down", "enter")  # jump through the rail
        await settle(pilot)
        rail = screen.query_one(OutlineRail)
        assert screen.current == rail.get_option_at_index(rail.highlighted or 0).id
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(screen.editor, TextEditor)


async def test_choice_scale_yesno_and_date_editors(sqlite_url: str, tmp_path: Path) -> None:
    from retain.config import load_settings
    from retain.services import open_services

    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "quick.yaml").write_text(
        "id: quick\ntitle: Quick check\nversion: 1\ntrack: handover\nsections:\n"
        "  - id: s\n    title: One\n    questions:\n"
        "      - {id: pick, prompt: Pick one, type: choice, options: [Red, Green, Blue]}\n"
        "      - {id: score, prompt: How hard, type: scale}\n"
        "      - {id: again, prompt: 'Again?', type: yesno}\n"
        "      - {id: when, prompt: Last day, type: date}\n",
        encoding="utf-8",
    )
    services = open_services(load_settings(db=sqlite_url))
    services.guides = GuideRegistry(guides_dir(), folder)
    interview = services.interviews.start("quick", "Ana Silva")
    app = make_app(services)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            app.open_interview(interview.id or 0)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, InterviewScreen) and isinstance(screen.editor, ChoiceEditor)
            await pilot.press("2")
            await settle(pilot)
            await pilot.press("ctrl+n")
            await pilot.press("5")
            await pilot.press("ctrl+n")
            await pilot.press("y")
            await pilot.press("ctrl+n")
            assert isinstance(screen.editor, DateEditor)
            await type_text(pilot, "2025-13")
            await settle(pilot)
            assert "YYYY-MM-DD" in str(screen.query_one("#date-error", Label).render())
            await pilot.press("backspace", "backspace")
            await type_text(pilot, "06-30")
            await settle(pilot)
            await pilot.press("ctrl+q")
        saved = {a.question_id: a.text for a in services.interviews.answers(interview.id or 0)}
        assert saved == {"pick": "Green", "score": "5", "again": "yes", "when": "2025-06-30"}
    finally:
        services.close()


async def test_confidential_toggle_and_a_question_that_cannot_be_loosened(sqlite_services: Services) -> None:
    handover = sqlite_services.interviews.start("handover", "Ana Silva")
    exit_interview = sqlite_services.interviews.start("exit", "Ana Silva")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(handover.id or 0)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert not screen.query_one("#editor-box").has_class("-confidential")
        await pilot.press("ctrl+t")
        await settle(pilot)
        badge = screen.query_one("#visibility-badge", Label)
        assert "CONFIDENTIAL" in str(badge.render()) and badge.has_class("-confidential")
        rail = screen.query_one(OutlineRail)
        assert "C" in str(rail.get_option("role-summary").prompt)[:3]
        answer = sqlite_services.interviews.answers(handover.id or 0)[0]
        assert answer.visibility == "confidential"
        await pilot.press("escape")
        await settle(pilot)

        app.open_interview(exit_interview.id or 0)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.query_one("#editor-box").has_class("-confidential")  # exit answers are HR-only
        await pilot.press("ctrl+t")  # cannot be made shareable
        await settle(pilot)
        assert any("cannot be made shareable" in message for message in notices(app))
        assert screen.query_one("#editor-box").has_class("-confidential")


async def test_review_shows_coverage_and_completes(sqlite_services: Services) -> None:
    interview = sqlite_services.interviews.start("handover", "Ana Silva")
    sqlite_services.interviews.answer(interview.id or 0, "role-summary", text="Payroll lead.")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(interview.id or 0)
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        sections = [str(row[0]) for row in (review.query_one("#coverage", DataTable).get_row_at(i)
                                            for i in range(review.query_one("#coverage", DataTable).row_count))]
        assert "Role snapshot" in sections and "Systems, tools and access" in sections
        assert "Required question" in str(review.query_one("#gaps", Static).render())
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # required questions are open
        await pilot.press("n")
        await settle(pilot)
        assert sqlite_services.interviews.get(interview.id or 0).status != "completed"
        await pilot.press("e")
        await settle(pilot)
        export = app.screen
        assert isinstance(export, ExportModal)
        assert not export.query_one("#confidential-warning").display
        export.query_one("#include-confidential", Checkbox).value = True
        await settle(pilot)
        assert export.query_one("#confidential-warning").display  # the choice comes with a warning


def test_coverage_counts_per_pack_section(sqlite_services: Services) -> None:
    interview = sqlite_services.interviews.start("handover", "Ana Silva")
    sqlite_services.interviews.answer(interview.id or 0, "systems", items=[{"name": "Okta"}])
    sqlite_services.interviews.skip(interview.id or 0, "recurring")
    report = sqlite_services.reports.show(interview.id or 0).to_json()
    rows = {row["key"]: row for row in report["coverage"]}
    assert rows["systems"]["answered"] == 1 and rows["systems"]["open"] == 0
    assert rows["rhythms"]["skipped"] == 1
    assert rows["people"]["answered"] == 0 and rows["people"]["total"] == 2


async def test_errors_are_notices_not_tracebacks(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(999)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("no interview 999" in message for message in notices(app))


async def test_an_unreachable_database_shows_the_cli_message() -> None:
    def broken() -> Services:
        raise StoreError("cannot open the database /nope/retain.db: unable to open; check the path")

    app = RetainApp(services_factory=broken, preload_extractor=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MessageModal)
        assert "check the path" in str(app.screen.query_one(".dialog-body", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")  # nothing works without a database, but nothing crashes
        await settle(pilot)
        assert any("check the path" in message for message in notices(app))
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_palette_offers_every_screen_action(sqlite_services: Services) -> None:
    interview = sqlite_services.interviews.start("handover", "Ana Silva")
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home_titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Open", "Export", "Delete", "New interview", "Search answers", "Who knows / knowledge map",
                "Load demo data", "Help: keys", "Quit"} <= home_titles
        app.open_interview(interview.id or 0)
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Next", "Back", "Confidential", "Skip", "Add follow-up", "Review", "First open"} <= titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Next")
        result: Any = command.callback()
        if result is not None:
            await result
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen) and app.screen.current == "only-you"


async def test_help_lists_every_binding_by_screen(sqlite_services: Services) -> None:
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(".help-keys").results(Static))
        for _, bindings in binding_groups():
            for binding in bindings:
                description = getattr(binding, "tooltip", "") or getattr(binding, "description", "")
                if description:
                    assert description in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_works_at_80x24(demo_services: Services) -> None:
    priya = next(r for r in demo_services.interviews.list() if r.person == "Priya Raman" and r.guide == "handover")
    app = make_app(demo_services)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_interview(priya.id, "systems")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        for selector in ("#outline", "#card", "#editor-box", "#capture", "#answer-list"):
            region = screen.query_one(selector).region
            assert region.width >= 10 and region.height >= 1, selector
        assert screen.query_one(CapturePanel).region.right <= 80
        await pilot.press("f3")  # hide the capture panel for room
        await settle(pilot)
        assert not screen.query_one(CapturePanel).display


async def test_who_and_map_leave_confidential_answers_out(nlp_services: Services) -> None:
    services = nlp_services
    interview = services.interviews.start("handover", "Ana Silva")
    iid = interview.id or 0
    shared = services.interviews.answer(iid, "only-you", text="I run the Okta access reviews.")
    secret = services.interviews.answer(iid, "breaks-first", text="Zendesk billing is a mess.",
                                        visibility="confidential")
    services.extraction.extract_answers([shared.id or 0, secret.id or 0])
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KnowledgeScreen)
        await type_text(pilot, "Okta")
        await pilot.pause(0.4)
        await settle(pilot)
        assert [entry.person for entry in screen.entries] == ["Ana Silva"]
        screen.query_one("#topic", Input).value = "Zendesk"
        await pilot.pause(0.4)
        await settle(pilot)
        assert screen.entries == []
        await pilot.press("ctrl+g")
        await settle(pilot)
        items = {str(entry.item).casefold() for entry in screen.map_entries}
        assert "okta" in items
        assert "zendesk" not in items


async def test_user_text_is_never_read_as_markup(sqlite_services: Services) -> None:
    interview = sqlite_services.interviews.start("handover", "[b]Ann[/b] Lee")
    sqlite_services.interviews.answer(interview.id or 0, "systems", items=[{"name": "[red]Okta[/red]"}])
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#interviews", DataTable)
        assert str(table.get_row_at(0)[0]) == "[b]Ann[/b] Lee"
        app.open_interview(interview.id or 0, "systems")
        await settle(pilot)
        rows = app.screen.query_one("#answer-list", DataTable)
        # The cell is cut to fit its column, but never parsed: the row detail shows it whole.
        assert str(rows.get_row_at(0)[0]).startswith("[red]")
        assert str(app.screen.query_one("#list-row").render()).endswith("[red]Okta[/red]")


async def test_follows_the_theme(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        people = app.screen.query_one("#people", DataTable)
        leaving = next(people.get_row(key)[1] for key in people.rows if str(people.get_row(key)[1]) == "leaving")
        before = str(leaving.style)
        app.theme = "textual-light"
        await settle(pilot)
        leaving = next(people.get_row(key)[1] for key in people.rows if str(people.get_row(key)[1]) == "leaving")
        assert str(leaving.style) != before  # the warning colour of the new theme
        assert str(leaving.style).lower() == app.theme_variables["text-warning"].lower()


async def test_a_failing_screen_worker_is_reported_not_fatal(sqlite_services: Services) -> None:
    from textual import work

    from retain.tui.screens.base import RetainScreen

    class Broken(RetainScreen[None]):
        @work(thread=True, exit_on_error=False)
        def explode(self) -> None:
            raise ValueError("boom")

    app = make_app(sqlite_services, strict=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = Broken()
        await app.push_screen(screen)
        worker = screen.explode()
        for _ in range(500):  # generous: a loaded CI machine may start the thread late
            if worker.is_finished:
                break
            await pilot.pause(0.02)
        await settle(pilot)
        for _ in range(100):  # the notice follows the worker's state change message
            if any("ValueError: boom" in message for message in notices(app)):
                break
            await pilot.pause(0.02)
        assert any("ValueError: boom" in message for message in notices(app)), notices(app)
