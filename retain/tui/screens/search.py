"""The search screen: results as you type, highlighted snippets, filters; enter opens the answer."""

from __future__ import annotations

import time
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Checkbox, Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import SearchFinished
from retain.tui.screens.base import RetainScreen
from retain.tui.screens.new_interview import PeopleSuggester
from retain.tui.widgets.cells import highlighted
from retain.tui.widgets.tickbox import TickBox

# Results refresh this long after the last keystroke.
SEARCH_DELAY = 0.25
LIMIT = 50

LABELS = ["SYSTEM", "PERSON", "ORG", "RECURRENCE", "DATE", "EMAIL", "URL", "GPE", "PRODUCT"]


def hit_prompt(hit: Any) -> Content:
    """Two lines per hit: who, which guide and question; then the snippet, highlighted."""
    head: list[Content | str] = [Content.styled(str(hit.person), "bold")]
    if getattr(hit, "person_status", "active") in ("leaving", "left"):
        head.append(Content.styled(f" ({hit.person_status})", "$text-warning"))
    head.append(Content.styled(f"  {hit.guide} · {hit.question_id}", "$text-muted"))
    if hit.visibility == "confidential":
        head.append(Content.styled("  CONFIDENTIAL", "bold reverse $text-error"))
    snippet = " ".join(str(hit.snippet).split())
    return Content.assemble(*head, "\n  ", highlighted(snippet))


class SearchScreen(RetainScreen[None]):
    """Full-text search over every answer (shareable only, unless asked otherwise)."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+l", "focus_query", "Query", priority=True, tooltip="Put the cursor in the search box"),
        Binding("down", "focus_results", "Results", show=False),
        Binding("ctrl+o", "open_hit", "Open", priority=True, tooltip="Open the highlighted answer"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial_query = query
        self.hits: list[Any] = []
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-bar"):
            yield Input(self._initial_query, placeholder="Search every answer: okta, \"month end\", payroll -draft",
                        id="query")
            with Horizontal(id="search-filters"):
                yield Input(placeholder="person", id="search-person",
                            suggester=PeopleSuggester(self.services))
                yield Select([(g.id, g.id) for g in self.services.guides.all()], prompt="any guide",
                             id="search-guide")
                yield Select([(label.lower(), label) for label in LABELS], prompt="any label",
                             id="search-label")
                yield TickBox("include confidential", id="search-confidential")
        yield Static("Type to search; enter opens an answer.", id="search-status", classes="hint", markup=False)
        yield OptionList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Search"
        self.query_one("#query", Input).focus()
        if self._initial_query:
            self._run()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SEARCH_DELAY, self._run)

    @on(Input.Submitted, "#query")
    def _submitted(self) -> None:
        if self.hits:
            self.action_focus_results()

    def filters(self) -> dict[str, Any]:
        """The search arguments as set on screen."""
        guide = self.query_one("#search-guide", Select).value
        label = self.query_one("#search-label", Select).value
        person = self.query_one("#search-person", Input).value.strip()
        return {
            "person": person or None,
            "guide": guide if isinstance(guide, str) else None,
            "label": label if isinstance(label, str) else None,
            "include_confidential": self.query_one("#search-confidential", Checkbox).value,
        }

    def _run(self) -> None:
        query = self.query_one("#query", Input).value.strip()
        if not query:
            self.hits = []
            self.query_one("#results", OptionList).clear_options()
            self.query_one("#search-status", Static).update("Type to search; enter opens an answer.")
            return
        self._search(query, self.filters())

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str, filters: dict[str, Any]) -> None:
        started = time.perf_counter()
        try:
            hits = self.services.search.search(query, limit=LIMIT, **filters)
        except RetainError as exc:
            self.post_message(SearchFinished(query, [], 0.0, error=tui_message(exc)))
            return
        self.post_message(SearchFinished(query, list(hits), time.perf_counter() - started))

    @on(SearchFinished)
    def _finished(self, message: SearchFinished) -> None:
        if message.query != self.query_one("#query", Input).value.strip():
            return  # a slower, older search: a newer one is on its way
        status = self.query_one("#search-status", Static)
        results = self.query_one("#results", OptionList)
        if message.error:
            status.update(f"retain: error: {message.error}")
            status.set_class(True, "-error")
            return
        status.set_class(False, "-error")
        self.hits = message.hits
        results.set_options(Option(hit_prompt(hit), id=str(n)) for n, hit in enumerate(self.hits))
        if self.hits:
            results.highlighted = 0
        shown = "confidential included" if self.filters()["include_confidential"] else "shareable only"
        status.update(f"{len(self.hits)} result{'s' if len(self.hits) != 1 else ''} for {message.query!r} "
                      f"({message.seconds * 1000:.0f} ms, {shown}); enter opens")

    @on(OptionList.OptionSelected, "#results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.open_hit(int(event.option.id or 0))

    def open_hit(self, index: int) -> None:
        """Show a result's answer read-only (its own key opens the interview to edit it)."""
        if 0 <= index < len(self.hits):
            from retain.tui.screens.answer_view import AnswerViewModal

            hit = self.hits[index]
            self.app.push_screen(AnswerViewModal(
                int(hit.interview_id), str(hit.question_id),
                include_confidential=bool(self.filters()["include_confidential"]),
            ))

    def action_open_hit(self) -> None:
        """Open the highlighted result."""
        highlighted_index = self.query_one("#results", OptionList).highlighted
        if highlighted_index is not None:
            self.open_hit(highlighted_index)

    def action_focus_query(self) -> None:
        """Back to the search box."""
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        """Move to the results."""
        results = self.query_one("#results", OptionList)
        if results.option_count:
            results.focus()

    def action_back(self) -> None:
        """Back to where search was opened from."""
        self.app.pop_screen()
