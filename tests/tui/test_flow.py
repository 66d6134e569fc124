"""The full interview flow in the app, on SQLite and PostgreSQL: conduct, quit, resume, complete, export."""

from __future__ import annotations

import zipfile
from pathlib import Path

from textual.widgets import DataTable, Input

from retain.services import Services
from retain.tui.screens.export import ExportModal
from retain.tui.screens.home import HomeScreen
from retain.tui.screens.interview import InterviewScreen
from retain.tui.screens.new_interview import NewInterviewModal
from retain.tui.screens.review import ReviewScreen
from retain.tui.screens.row_form import RowFormModal
from retain.tui.widgets.editors import ListEditor
from tests.tui.conftest import SIZE, make_app, settle, type_text

ROLE = "I own the month-end close."
SECRET = "PayBridge export; unfair reviews."


async def test_full_flow(services: Services, tmp_path: Path) -> None:
    """New interview → three answers incl. a list row → one confidential → quit → resume → complete → export."""
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#welcome").display  # the empty database welcomes

        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewInterviewModal)
        await type_text(pilot, "Ana Silva")
        app.screen.query_one("#role", Input).value = "Payroll lead"
        app.screen.query_one("#successor", Input).value = "Ben Carter"
        await pilot.press("ctrl+s")
        await settle(pilot)

        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        interview_id = screen.interview_id
        assert screen.current == "role-summary"
        await type_text(pilot, ROLE)
        await pilot.press("ctrl+n")  # navigation saves
        assert screen.current == "only-you"
        await type_text(pilot, SECRET)
        await pilot.press("ctrl+t")  # this one is confidential
        await settle(pilot)
        assert screen.query_one("#visibility-badge").has_class("-confidential")
        assert screen.query_one("#editor-box").has_class("-confidential")

        await pilot.press("ctrl+n", "ctrl+n")
        assert screen.current == "in-flight"
        editor = screen.editor
        assert isinstance(editor, ListEditor)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RowFormModal)
        await type_text(pilot, "Payroll migration")
        await pilot.press("enter")
        await type_text(pilot, "half done")
        await pilot.press("enter", "enter", "enter")  # next step and due stay empty; the last enter saves
        await settle(pilot)
        assert app.screen is screen
        assert editor.items == [{"item": "Payroll migration", "status": "half done", "next_step": "", "due": ""}]
        await pilot.press("ctrl+q")

    answers = {a.question_id: a for a in services.interviews.answers(interview_id)}
    assert answers["role-summary"].text == ROLE
    assert answers["role-summary"].visibility == "shareable"
    assert answers["only-you"].text == SECRET
    assert answers["only-you"].visibility == "confidential"
    assert answers["in-flight"].items[0]["item"] == "Payroll migration"
    sittings = services.interviews.sittings(interview_id)
    assert len(sittings) == 1 and sittings[0].ended_at is not None

    out = tmp_path / "pack.docx"
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#interviews", DataTable)
        assert table.row_count == 1
        await pilot.press("enter")  # resume
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.current == "breaks-first"  # the first unanswered question
        assert screen.state("only-you").visibility == "confidential"
        assert screen.state("role-summary").text == ROLE
        assert len(services.interviews.sittings(interview_id)) == 2  # a new sitting

        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.press("c")  # required questions are open: it asks first
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert services.interviews.get(interview_id).status == "completed"

        await pilot.press("e")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ExportModal)
        modal.query_one("#out", Input).value = str(out)
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=6)
        assert modal.written == str(out)
        assert "Wrote" in str(modal.query_one("#export-result").render())
        await pilot.press("escape", "escape", "escape")
        await pilot.press("ctrl+q")

    assert out.is_file()
    with zipfile.ZipFile(out) as docx:
        document = docx.read("word/document.xml").decode("utf-8")
    assert "month-end close" in document
    # The confidential answer never reaches the handover pack without the explicit choice.
    assert "PayBridge export" not in document
