"""The home screen: every interview, a filter, the people, and a welcome on an empty database."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.theme import Theme
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static
from textual.worker import get_current_worker

from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import DemoLoaded, InterviewDeleted, InterviewsLoaded
from retain.tui.screens.base import RetainScreen
from retain.tui.widgets.cells import cell, cursor_row_id
from retain.tui.widgets.purge_line import PurgeLine

WELCOME = (
    "Welcome to retain.\n\n"
    "Someone is leaving, and what they know should not leave with them. Start an interview "
    "to capture it, or load the demo data to look around first."
)

STATUS_STYLE = {"leaving": "text-warning", "left": "text-muted", "completed": "text-success"}


def format_when(moment: datetime, now: datetime) -> str:
    """A short local timestamp: the time today, otherwise the date."""
    local = moment.astimezone(now.tzinfo)
    return local.strftime("%H:%M") if local.date() == now.date() else local.strftime("%Y-%m-%d")


class _Stopped(Exception):
    """The app is quitting: stop a long background job."""


class HomeScreen(RetainScreen[None]):
    """Lists interviews and people; the starting point for every action."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]

    BINDINGS = [
        Binding("n", "app.new_interview", "New"),
        Binding("enter", "open", "Open", priority=True, tooltip="Open or resume the selected interview"),
        Binding("slash", "app.search", "Search", key_display="/"),
        Binding("e", "export", "Export", tooltip="Export the selected interview's pack"),
        Binding("w", "app.knowledge", "Who knows"),
        Binding("p", "app.people", "People", tooltip="Status, leaving dates and successors"),
        Binding("u", "open_due", "Due follow-up", show=False, tooltip="Open the follow-up that is due soonest"),
        Binding("escape", "leave_filter", "Leave filter", show=False),
        Binding("i", "import_transcript", "Import", tooltip="Import a recorded interview's transcript"),
        Binding("delete", "delete", "Delete", tooltip="Delete the selected interview (asks first)"),
        Binding("d", "load_demo", "Demo data", show=False, tooltip="Load the demo people and interviews"),
        Binding("f", "focus_filter", "Filter", show=False, tooltip="Filter the interview list"),
        Binding("r", "refresh", "Refresh", show=False, tooltip="Re-read the interview list"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._interviews: list[Any] = []
        self._people: list[tuple[str, str]] = []
        self._due: list[Any] = []
        self._was_empty = False
        self._loaded = False
        # The interview to highlight on the next render (one just created).
        self._highlight: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-body"):
            with Vertical(id="interviews-pane"):
                with Horizontal(id="home-toolbar"):
                    yield Label("Interviews", id="home-title")
                    yield Input(placeholder="Filter: person, guide, status…", id="filter")
                yield Static("", id="due-line")
                yield DataTable(id="interviews", cursor_type="row", zebra_stripes=True)
                yield Static("No interviews match the filter. Esc leaves the filter.", id="no-matches",
                             classes="hint")
                with Vertical(id="welcome"):
                    yield Static(WELCOME, id="welcome-text")
                    with Horizontal(id="welcome-buttons"):
                        yield Button("Start an interview (n)", id="welcome-new", variant="primary")
                        yield Button("Load demo data (d)", id="welcome-demo")
            with Vertical(id="people-pane"):
                yield Label("People", classes="pane-title")
                yield DataTable(id="people", cursor_type="row", show_cursor=False)
                yield PurgeLine("", id="purge-line")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#interviews", DataTable)
        # Fixed widths keep every column on screen at 100 columns (names are cut with "…").
        table.add_column("Person", key="person", width=16)
        table.add_column("Guide", key="guide", width=14)
        table.add_column("Track", key="track", width=8)
        table.add_column("Status", key="status", width=11)
        table.add_column("Done", key="progress", width=5)
        table.add_column("Updated", key="updated", width=10)
        people = self.query_one("#people", DataTable)
        # Fixed widths: measured while the pane was hidden (a narrow start), they stayed too small.
        people.add_column("Name", key="name", width=14)
        people.add_column("Status", key="status", width=7)
        self.query_one("#welcome").display = False
        table.focus()
        # Table cells carry theme colours as values: redraw them when the theme changes.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.retain.services_ready:
            self.on_services_ready()
        else:
            table.loading = True

    def _theme_changed(self, _theme: Theme) -> None:
        self._render_lists()

    def on_services_ready(self) -> None:
        """The database opened: fill the lists."""
        self._load()

    def on_services_failed(self, message: str) -> None:
        """The database could not be opened: say so where the list would be."""
        table = self.query_one("#interviews", DataTable)
        table.loading = False
        table.display = False
        self.query_one("#home-toolbar").display = False
        self.query_one("#welcome-buttons").display = False
        welcome = self.query_one("#welcome-text", Static)
        welcome.update(Content.assemble(Content.styled("The database could not be opened.\n\n", "bold $text-error"),
                                        Content(message)))
        self.query_one("#welcome").display = True
        table.focus()

    def on_screen_resume(self) -> None:
        if self._loaded:
            self._load()

    @work(thread=True, exclusive=True, group="home-load", exit_on_error=False)
    def _load(self) -> None:
        try:
            interviews = self.services.interviews.list()
            # The status as read today: a leaving date in the past reads as left.
            # The app's clock decides "today" (tests freeze it), for statuses and due dates alike.
            day = self.retain.clock().date()
            people = [(p.name, p.status) for p in self.services.people.views(today=day)]
            due = self.services.journey.followups(due_only=True, today=day)
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        self.post_message(InterviewsLoaded(interviews, people, due))

    @on(InterviewsLoaded)
    def _loaded_lists(self, message: InterviewsLoaded) -> None:
        first = not self._loaded
        self._loaded = True
        self._interviews = message.interviews
        self._people = message.people
        self._due = message.due
        self._render_lists()
        self.query_one(PurgeLine).reload()
        if first:
            filter_box = self.query_one("#filter", Input)
            if not filter_box.value:
                # The table could not take focus while it was loading; give it back now.
                self.query_one("#interviews", DataTable).focus()
            self.retain.start_extractor_preload()

    def _render_lists(self) -> None:
        self._render_interviews()
        self._render_due()
        people = self.query_one("#people", DataTable)
        people.clear()
        for name, status in self._people:
            people.add_row(cell(self.app, name), cell(self.app, status, STATUS_STYLE.get(status)), key=name)

    def _render_interviews(self) -> None:
        table = self.query_one("#interviews", DataTable)
        table.loading = False
        selected = self.selected_id()
        needle = self.query_one("#filter", Input).value.strip().casefold()
        now = self.retain.clock()
        table.clear()
        for row in self._interviews:
            haystack = f"{row.person} {row.guide} {row.track} {row.status}".casefold()
            if needle and needle not in haystack:
                continue
            progress = row.progress
            table.add_row(
                cell(self.app, row.person, STATUS_STYLE.get(row.person_status)),
                cell(self.app, row.guide),
                cell(self.app, row.track),
                cell(self.app, row.status.replace("_", " "), STATUS_STYLE.get(row.status)),
                f"{progress.done}/{progress.total}",
                format_when(row.updated_at, now),
                key=str(row.id),
            )
        if self._highlight is not None and str(self._highlight) in table.rows:
            selected, self._highlight = self._highlight, None
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)))
        self.query_one("#no-matches").display = bool(self._interviews) and not table.row_count
        empty = not self._interviews
        self.query_one("#welcome").display = empty
        table.display = not empty
        self.query_one("#home-toolbar").display = not empty
        if not empty and (self._was_empty or self.focused is None):
            # Coming back from the welcome (its buttons had the focus): the list takes it.
            table.focus()
        elif empty and (self.focused is None or not self.focused.display):
            self.query_one("#welcome-new", Button).focus()
        self._was_empty = empty

    def _render_due(self) -> None:
        line = self.query_one("#due-line", Static)
        line.display = bool(self._due)
        if not self._due:
            return
        first = self._due[0]
        late = f", {first.overdue_days} days overdue" if first.overdue_days else ""
        more = f" (+{len(self._due) - 1} more)" if len(self._due) > 1 else ""
        line.update(Content.assemble(
            Content.styled(f"Due{more}: ", "bold $text-warning"),
            Content(f"{first.day}-day follow-up #{first.id} with {first.person}{late} · "),
            Content.styled("u", "bold $text-accent"), Content(" opens it"),
        ))

    def highlight(self, interview_id: int) -> None:
        """Put the cursor on ``interview_id`` at the next render (after it was created)."""
        self._highlight = interview_id
        if self._loaded:
            self._load()

    def action_open_due(self) -> None:
        """Open the follow-up that is due soonest."""
        if not self._due:
            self.notify("No follow-ups are due.")
            return
        self.retain.open_interview(self._due[0].id)

    def action_leave_filter(self) -> None:
        """Esc in the filter: back to the list (a second Esc clears the filter)."""
        box = self.query_one("#filter", Input)
        table = self.query_one("#interviews", DataTable)
        if self.focused is box:
            table.focus()
        elif box.value:
            box.value = ""

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._render_interviews()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#interviews", DataTable).focus()

    def selected_id(self) -> int | None:
        """The interview under the cursor, if any."""
        return cursor_row_id(self.query_one("#interviews", DataTable))

    @on(DataTable.RowSelected, "#interviews")
    def action_open(self) -> None:
        """Open or resume the selected interview."""
        interview_id = self.selected_id()
        if interview_id is not None:
            self.retain.open_interview(interview_id)

    def action_import_transcript(self) -> None:
        """Import a transcript into the selected interview (or a new one when none is selected)."""
        if not self.retain.services_ready:
            return
        from retain.tui.screens.import_review import ImportScreen

        self.app.push_screen(ImportScreen(self.selected_id()))

    def action_export(self) -> None:
        """Export the selected interview."""
        interview_id = self.selected_id()
        if interview_id is None:
            self.notify("Select an interview to export first.", severity="warning")
            return
        self.retain.action_export(interview_id)

    def action_delete(self) -> None:
        """Delete the selected interview after confirmation."""
        interview_id = self.selected_id()
        if interview_id is None:
            return
        from retain.tui.screens.dialogs import ConfirmModal

        row = next(r for r in self._interviews if r.id == interview_id)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.notify(f"Deleting the {row.guide} interview with {row.person}…")
                self._delete(interview_id, f"the {row.guide} interview with {row.person}")

        self.app.push_screen(
            ConfirmModal(
                "Delete this interview?",
                f"The {row.guide} interview with {row.person} ({row.progress.done}/{row.progress.total} "
                "answered) goes, with its answers and everything extracted from them. "
                "This cannot be undone.",
                confirm="Delete",
                danger=True,
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="home-delete", exit_on_error=False)
    def _delete(self, interview_id: int, description: str) -> None:
        # A thread: the erasure scrubs the files (VACUUM, a new search index), which takes
        # seconds on a large database and must not freeze the screen.
        try:
            self.services.interviews.delete(interview_id)
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        self.post_message(InterviewDeleted(description))

    @on(InterviewDeleted)
    def _deleted(self, message: InterviewDeleted) -> None:
        self.notify(f"Deleted {message.description}.")
        self._load()

    def action_focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.query_one("#filter", Input).focus()

    def action_refresh(self) -> None:
        """Re-read the lists."""
        if self.retain.services_ready:
            self._load()

    @on(Button.Pressed, "#welcome-new")
    def _welcome_new(self) -> None:
        self.retain.action_new_interview()

    @on(Button.Pressed, "#welcome-demo")
    def action_load_demo(self) -> None:
        """Load the demo data set, then extract its entities in the background."""
        if not self.retain.services_ready:
            self.notify("The database is still opening; try again in a moment.", severity="warning")
            return
        self.notify("Loading the demo data…")
        self._load_demo(self.retain.extraction_enabled)

    @work(thread=True, exclusive=True, group="demo", exit_on_error=False)
    def _load_demo(self, extract: bool) -> None:
        services = self.services
        try:
            result = services.demo.load()
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        except OSError as exc:
            self.retain.report_error(f"the demo data cannot be read ({exc.strerror}); reinstall retain")
            return
        self.post_message(DemoLoaded(result.interviews, result.answers, extracted=False))
        if not result.new_answer_ids or not extract:
            return
        worker = get_current_worker()

        def stop_if_quitting(_done: int, _total: int) -> None:
            # Extraction commits a chunk at a time; quitting stops it between chunks instead
            # of holding the terminal until every demo answer is done.
            if worker.is_cancelled:
                raise _Stopped

        try:
            with services.extraction_lock:
                services.extraction.extract_answers(result.new_answer_ids, progress=stop_if_quitting)
        except _Stopped:
            return
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        self.post_message(DemoLoaded(result.interviews, result.answers, extracted=True))

    @on(DemoLoaded)
    def _demo_loaded(self, message: DemoLoaded) -> None:
        if message.extracted:
            self.notify(f"Extracted entities and topics from {message.answers} demo answers.")
        elif message.interviews:
            self.notify(f"Loaded {message.interviews} demo interviews ({message.answers} answers).")
        else:
            self.notify("The demo data is already loaded.")
        self._load()
