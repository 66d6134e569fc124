"""The TUI words a core error's fix as its own key or button, never as a command-line flag."""

from __future__ import annotations

from textual.widgets import Button, Static

from retain.services import Services
from retain.tui.app import RetainApp
from retain.tui.screens.export import ExportModal
from retain.tui.screens.interview import InterviewScreen
from tests.tui.conftest import SIZE, make_app, settle, type_text


def notices(app: RetainApp) -> list[str]:
    """Every notification the app raised."""
    return [n.message for n in app._notifications]


async def test_loosening_a_confidential_question_names_the_key_not_a_flag(
    sqlite_services: Services,
) -> None:
    # Regression: ctrl+t on an exit question queued "shareable", the save was refused and the
    # TUI showed the CLI's "leave --visibility out".
    interview = sqlite_services.interviews.start("exit", "Ana Silva").id or 0
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(interview, "leaving-context")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await type_text(pilot, "Better offer")
        await pilot.press("ctrl+t")
        await settle(pilot)
        messages = notices(app)
        assert any("ctrl+t" in m and "cannot be made shareable" in m for m in messages), messages
        assert not any("--" in m for m in messages), messages
        assert screen.state("leaving-context").visibility == "confidential"
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = {a.question_id: a for a in sqlite_services.interviews.answers(interview)}
    assert saved["leaving-context"].text == "Better offer"
    assert saved["leaving-context"].visibility == "confidential"


async def test_exporting_an_exit_interview_names_the_checkbox(sqlite_services: Services) -> None:
    interview = sqlite_services.interviews.start("exit", "Ana Silva").id or 0
    app = make_app(sqlite_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.push_screen(ExportModal(interview))
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ExportModal)
        modal.query_one("#export", Button).press()
        await settle(pilot)
        shown = str(modal.query_one("#export-result", Static).render())
        assert "Include confidential answers" in shown, shown
        assert "--include-confidential" not in shown
