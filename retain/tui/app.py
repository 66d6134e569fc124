"""The Textual app: paints the home screen first, then opens the database and spaCy in workers."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import ExtractorLoaded, ServicesFailed, ServicesReady
from retain.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from retain.config import Settings
    from retain.services import Services

# Nothing heavy is imported at module level: sqlmodel, spaCy and python-docx load in workers
# after the first frame, and the other screens are imported when first opened.


def local_now() -> datetime:
    """The current local time (the clock shown on screen)."""
    return datetime.now().astimezone()


class RetainApp(App[None]):
    """The interview app: conduct, resume, review, export and search interviews."""

    # Absolute, so a subclass defined elsewhere (a plugin, a test) still finds the stylesheet.
    CSS_PATH = Path(__file__).with_name("retain.tcss")
    TITLE = "retain"
    SUB_TITLE = "knowledge-retention interviews"
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(
        self,
        settings: Settings | None = None,
        services: Services | None = None,
        services_factory: Callable[[], Services] | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        preload_extractor: bool = True,
        preload_quiet: float = 1.5,
        strict: bool = False,
    ) -> None:
        """Build the app.

        Args:
            settings: Where the database lives; used when neither services nor a factory is given.
            services: Ready-made services (tests build them on a temp database).
            services_factory: Builds the services in a worker thread.
            clock: Returns the time shown on screen; tests freeze it for snapshots.
            preload_extractor: Load spaCy in the background once the home screen is filled.
            preload_quiet: ...and nobody has typed for this many seconds (twice that at first):
                loading spaCy takes the CPU (and the GIL) for a few seconds; keystrokes come first.
            strict: Let unexpected exceptions end the app (tests); otherwise they are shown
                as a notification and the interview carries on.
        """
        super().__init__()
        self.settings = settings
        self._services = services
        # Services handed in belong to the caller (tests close them); ours we close on exit.
        self._owns_services = services is None
        self._services_factory = services_factory
        self.clock: Callable[[], datetime] = clock or local_now
        self.preload_extractor = preload_extractor
        self.preload_quiet = preload_quiet
        self._last_typing = float("-inf")
        self._preload_checked = False
        self.strict = strict
        self.extractor_state = "idle"  # idle | loading | ready | failed
        self._services_error: str | None = None

    # -- services -----------------------------------------------------------------------
    @property
    def services(self) -> Services:
        """The services; only valid once :class:`ServicesReady` has arrived.

        Raises:
            RetainError: While the database is still opening.
        """
        if self._services is None:
            raise RetainError("the database is still opening; try again in a moment")
        return self._services

    @property
    def services_ready(self) -> bool:
        """Whether the database is open."""
        return self._services is not None

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if self._services is not None:
            self.post_message(ServicesReady(self._services))

    def on_ready(self) -> None:
        # Ready arrives once the first frame is on the terminal: only then pay for sqlmodel.
        if self._services is None:
            self._open_services()

    @work(thread=True, exclusive=True, group="services", exit_on_error=False)
    def _open_services(self) -> None:
        try:
            if self._services_factory is not None:
                services = self._services_factory()
            else:
                from retain.config import load_settings
                from retain.services import open_services

                services = open_services(self.settings or load_settings())
        except RetainError as exc:
            self.post_message(ServicesFailed(tui_message(exc)))
            return
        self.post_message(ServicesReady(services))

    @on(ServicesReady)
    def _services_ready(self, message: ServicesReady) -> None:
        self._services = message.services
        for screen in self.screen_stack:
            hook = getattr(screen, "on_services_ready", None)
            if callable(hook):
                hook()

    @on(ServicesFailed)
    def _services_failed(self, message: ServicesFailed) -> None:
        from retain.tui.screens.dialogs import MessageModal

        self._services_error = message.message
        for screen in self.screen_stack:
            hook = getattr(screen, "on_services_failed", None)
            if callable(hook):
                hook(message.message)
        self.push_screen(MessageModal("Cannot open the database", message.message, error=True))

    @property
    def extraction_enabled(self) -> bool:
        """Whether screens may run spaCy (off when preloading is off, e.g. in most tests)."""
        return self.preload_extractor and self.extractor_state != "failed"

    def note_typing(self) -> None:
        """An answer was just edited: hold the spaCy preload back until typing pauses."""
        self._last_typing = time.monotonic()

    def start_extractor_preload(self) -> None:
        """Load spaCy in the background (once), after the home screen is filled and typing pauses."""
        if not (self.preload_extractor and self.extractor_state == "idle" and self._services is not None):
            return
        if self.preload_quiet > 0:
            # The first check waits twice as long: the interviewer may be opening an interview.
            if not self._preload_checked:
                self._preload_checked = True
                self.set_timer(2 * self.preload_quiet, self.start_extractor_preload)
                return
            quiet_for = time.monotonic() - self._last_typing
            if quiet_for < self.preload_quiet:
                self.set_timer(self.preload_quiet - quiet_for, self.start_extractor_preload)
                return
        self.extractor_state = "loading"
        self._load_extractor()

    @work(thread=True, exclusive=True, group="extractor", exit_on_error=False)
    def _load_extractor(self) -> None:
        started = time.perf_counter()
        warning: str | None = None
        # No ModuleNotFoundError boundary here: a missing spaCy *model* already falls back to
        # a blank pipeline inside retain.nlp, and a missing module is a broken install.
        try:
            with self.services.extraction_lock, warnings.catch_warnings(record=True) as caught:
                # A fallback model warns; on a full-screen app that belongs in a notification.
                warnings.simplefilter("always")
                extractor = self.services.extraction.extractor()
            warning = getattr(extractor, "warning", None) or next((str(w.message) for w in caught), None)
        except RetainError as exc:
            self.extractor_state = "failed"
            self.notify(tui_message(exc), title="Extraction is off", severity="warning", timeout=8)
            return
        self.extractor_state = "ready"
        self.post_message(ExtractorLoaded(time.perf_counter() - started, warning))

    @on(ExtractorLoaded)
    def _extractor_loaded(self, message: ExtractorLoaded) -> None:
        if message.warning:
            self.notify(message.warning, title="Language model", severity="warning", timeout=10)

    # -- errors -------------------------------------------------------------------------
    def report_error(self, message: str, title: str = "retain: error") -> None:
        """Show a service error with the same message the CLI prints (thread-safe)."""
        self.notify(message, title=title, severity="error", timeout=8)

    async def _on_message(self, message: Message) -> None:
        # Textual stops a message loop after an exception reaches it; catching a bug in the
        # app's own handlers and actions here keeps the app answering keys afterwards.
        try:
            await super()._on_message(message)
        except Exception as error:
            if self.strict:
                raise
            self._handle_exception(error)

    def _handle_exception(self, error: Exception) -> None:
        # A RetainError that escapes a handler is a user-fixable problem, never a crash: show
        # the CLI's one-line message and keep running. A bug mid-interview must not throw the
        # interviewer out either: save every word, say what happened, carry on. Tests run
        # strict, so bugs still fail them.
        if isinstance(error, RetainError):
            self.report_error(tui_message(error))
            return
        if self.strict:
            super()._handle_exception(error)
            return
        self.flush_all()
        self.report_error(f"{self._log_unexpected(error)}; your answers are saved", title="retain: bug")

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        self.worker_failed(event)

    def worker_failed(self, event: Worker.StateChanged) -> None:
        """Surface a worker that died of something other than a RetainError (screens forward here)."""
        # Workers catch RetainError themselves; anything else would vanish silently.
        error = event.worker.error
        if event.state == WorkerState.ERROR and error is not None:
            if self.strict and isinstance(error, Exception):
                super()._handle_exception(error)
            else:
                self.report_error(f"in the background: {self._log_unexpected(error)}", title="retain: bug")

    def _log_unexpected(self, error: BaseException) -> str:
        """Write the traceback to the error log (as the CLI does); return the one line to show."""
        from retain.crashlog import one_line, unexpected_message

        logged = unexpected_message(error, self.settings.data_dir if self.settings else None)
        detail = one_line(str(error))[:200]
        # The screen has room for what went wrong; the CLI keeps it to the exception's type.
        return f"unexpected error: {type(error).__name__}: {detail}; {logged.split('; ', 1)[1]}"

    # -- global actions -----------------------------------------------------------------
    def action_help(self) -> None:
        """Show every key binding, grouped by screen."""
        from retain.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_new_interview(self) -> None:
        """Open the new-interview form, then the interview it starts."""
        if not self._require_services():
            return
        from retain.tui.screens.new_interview import NewInterviewModal

        def started(interview_id: int | None) -> None:
            if interview_id is not None:
                # Back on home, the new interview is the highlighted row.
                home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
                if home is not None:
                    home.highlight(interview_id)
                self.open_interview(interview_id)

        self.push_screen(NewInterviewModal(), started)

    def open_interview(self, interview_id: int, question_id: str | None = None) -> None:
        """Open (or resume) an interview, optionally at one question."""
        from retain.tui.screens.interview import InterviewScreen

        try:
            screen = InterviewScreen(self.services, interview_id, question_id=question_id)
        except RetainError as exc:
            self.report_error(tui_message(exc))
            return
        self.push_screen(screen)

    def action_search(self) -> None:
        """Open full-text search."""
        if not self._require_services():
            return
        from retain.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def action_knowledge(self) -> None:
        """Open who-knows and the knowledge map."""
        if not self._require_services():
            return
        from retain.tui.screens.knowledge import KnowledgeScreen

        self.push_screen(KnowledgeScreen())

    def action_people(self) -> None:
        """Open the People screen: status, leaving dates, successors."""
        if not self._require_services():
            return
        from retain.tui.screens.people import PeopleScreen

        self.push_screen(PeopleScreen())

    def action_insights(self) -> None:
        """Open the HR exit insights."""
        if not self._require_services():
            return
        from retain.tui.screens.insights import InsightsScreen

        self.push_screen(InsightsScreen())

    def action_export(self, interview_id: int) -> None:
        """Open the export form for one interview."""
        if not self._require_services():
            return
        from retain.tui.screens.export import ExportModal

        self.push_screen(ExportModal(interview_id))

    def action_load_demo(self) -> None:
        """Load the demo data set (from the home screen)."""
        home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
        if home is not None:
            home.action_load_demo()

    async def action_quit(self) -> None:
        """Save every unsaved word, close the sitting, then quit."""
        self.flush_all()
        self.exit()

    def flush_all(self) -> None:
        """Synchronously save pending answers on every open interview screen."""
        for screen in reversed(self.screen_stack):
            flush = getattr(screen, "flush_before_exit", None)
            if callable(flush):
                flush()

    def _require_services(self) -> bool:
        if self._services is not None:
            return True
        if self._services_error is not None:
            self.report_error(self._services_error)
        else:
            self.notify("The database is still opening; try again in a moment.", severity="warning")
        return False

    # -- command palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the active screen, plus the global ones, in the command palette."""
        commands = getattr(screen, "palette_commands", None)
        if callable(commands):
            yield from commands()
        yield SystemCommand("New interview", "Start an interview with someone who is leaving",
                            self.action_new_interview)
        yield SystemCommand("Search answers", "Full-text search across every interview",
                            self.action_search)
        yield SystemCommand("Who knows / knowledge map", "Who knows about a topic; what only leaving people hold",
                            self.action_knowledge)
        yield SystemCommand("People", "Status, leaving dates and successors; edit a person",
                            self.action_people)
        yield SystemCommand("Exit insights (HR only)", "Reasons for leaving across exits, small groups hidden",
                            self.action_insights)
        yield SystemCommand("Load demo data", "Add the realistic demo people and interviews",
                            self.action_load_demo)
        yield SystemCommand("Help: keys", "Every key binding, grouped by screen", self.action_help)
        yield from super().get_system_commands(screen)

    async def on_unmount(self) -> None:
        self.flush_all()
        if self._services is not None and self._owns_services:
            self._services.close()


__all__ = ["RetainApp", "local_now"]
