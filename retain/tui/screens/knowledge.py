"""Who knows / knowledge map: people and evidence for a topic; what only leaving people hold."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
)
from textual.widgets.option_list import Option

from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import MapLoaded, WhoFound
from retain.tui.screens.base import RetainScreen
from retain.tui.widgets.cells import cell, highlighted, one_line

WHO_DELAY = 0.3


def who_prompt(entry: Any) -> Content:
    """A person, their status and mention count, then up to three pieces of evidence."""
    status = str(getattr(entry, "status", ""))
    parts: list[Content | str] = [
        Content.styled(str(entry.person), "bold"),
        Content.styled(f" ({status})", "$text-warning" if status in ("leaving", "left") else "$text-muted"),
        Content.styled(f"  {entry.count} mention{'s' if entry.count != 1 else ''}", "$text-muted"),
    ]
    for evidence in list(getattr(entry, "evidence", []))[:3]:
        parts.append(Content.styled(f"\n  #{evidence.interview} {evidence.question}: ", "$text-muted"))
        parts.append(highlighted(str(evidence.snippet), width=90))
    named_by = list(getattr(entry, "named_by", []) or [])
    if named_by:
        parts.append(Content.styled(f"\n  named by {', '.join(str(n) for n in named_by)}", "$text-muted"))
    return Content.assemble(*parts)


class KnowledgeScreen(RetainScreen[None]):
    """Who knows about a topic, and the knowledge-concentration map."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+t", "show_tab('who')", "Who knows", priority=True, tooltip="The who-knows tab"),
        Binding("ctrl+g", "show_tab('map')", "Map", priority=True, tooltip="The knowledge-concentration map"),
        Binding("f5", "refresh_map", "Refresh map", show=False),
    ]

    def __init__(self, topic: str = "") -> None:
        super().__init__()
        self._topic = topic
        self.entries: list[Any] = []
        self.map_entries: list[Any] = []
        self._debounce: Timer | None = None
        self._map_loaded = False
        self._map_width = 0
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="knowledge", initial="who"):
            with TabPane("Who knows (ctrl+t)", id="who"):
                yield Input(self._topic, placeholder="A topic, system or person: okta, payroll, month-end",
                            id="topic")
                yield Static("Type a topic to see who knows about it.", id="who-status", classes="hint",
                             markup=False)
                yield OptionList(id="who-results")
            with TabPane("Knowledge map (ctrl+g)", id="map"):
                yield Static("What only leaving people hold comes first.", id="map-status", classes="hint",
                             markup=False)
                yield DataTable(id="map-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="map-detail", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Who knows"
        self._fit_map(self.size.width or 80)
        self.query_one("#topic", Input).focus()
        # Table cells carry theme colours as values: redraw them when the theme changes.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._topic:
            self._who(self._topic)

    def _theme_changed(self, _theme: Theme) -> None:
        if self._map_loaded:
            self._map(MapLoaded(self.map_entries))

    def on_resize(self) -> None:
        if self._map_width != self.size.width:
            self._fit_map(self.size.width)
            if self._map_loaded:
                self._map(MapLoaded(self.map_entries))

    def _fit_map(self, width: int) -> None:
        """Columns that fit the screen; Why gets what is left, and the row detail shows it all."""
        table = self.query_one("#map-table", DataTable)
        table.clear(columns=True)
        free = max(width - 2 * 4 - 2, 40)
        widths = {"item": free // 4, "people": free * 3 // 10}
        widths["why"] = free - widths["item"] - widths["people"]
        for label, key in (("Item", "item"), ("People", "people"), ("Why", "why")):
            table.add_column(label, key=key, width=widths[key])
        self._map_width = width
        self._widths = widths

    @on(Input.Changed, "#topic")
    def _topic_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(WHO_DELAY, self._run_who)

    @on(Input.Submitted, "#topic")
    def _run_who(self) -> None:
        topic = self.query_one("#topic", Input).value.strip()
        if topic:
            self._who(topic)

    @work(thread=True, exclusive=True, group="who", exit_on_error=False)
    def _who(self, topic: str) -> None:
        try:
            entries = self.services.knowledge.who(topic)
        except RetainError as exc:
            self.post_message(WhoFound(topic, [], error=tui_message(exc)))
            return
        self.post_message(WhoFound(topic, list(entries)))

    @on(WhoFound)
    def _found(self, message: WhoFound) -> None:
        status = self.query_one("#who-status", Static)
        if message.error:
            status.update(f"retain: error: {message.error}")
            return
        self.entries = message.entries
        self.query_one("#who-results", OptionList).set_options(
            Option(who_prompt(entry), id=str(n)) for n, entry in enumerate(self.entries)
        )
        count = len(self.entries)
        if count:
            self.query_one("#who-results", OptionList).highlighted = 0
        status.update(f"{count} {'person knows' if count == 1 else 'people know'} about {message.topic!r}"
                      if count else f"Nobody has mentioned {message.topic!r} in a shareable answer.")

    @on(OptionList.OptionSelected, "#who-results")
    def _open_evidence(self, event: OptionList.OptionSelected) -> None:
        entry = self.entries[int(event.option.id or 0)]
        evidence = list(getattr(entry, "evidence", []))
        if evidence and str(evidence[0].interview).isdigit():
            from retain.tui.screens.answer_view import AnswerViewModal

            # Read-only: a successor reading old evidence must not land in someone's live editor.
            self.app.push_screen(AnswerViewModal(int(evidence[0].interview), str(evidence[0].question)))

    @on(TabbedContent.TabActivated)
    def _tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "map" and not self._map_loaded:
            self._load_map()

    def action_show_tab(self, tab: str) -> None:
        """Switch between the two tabs."""
        self.query_one(TabbedContent).active = tab
        if tab == "who":
            self.query_one("#topic", Input).focus()
        else:
            self.query_one("#map-table", DataTable).focus()

    def action_refresh_map(self) -> None:
        """Rebuild the map."""
        self._load_map()

    @work(thread=True, exclusive=True, group="map", exit_on_error=False)
    def _load_map(self) -> None:
        try:
            entries = self.services.knowledge.map()
        except RetainError as exc:
            self.post_message(MapLoaded([], error=tui_message(exc)))
            return
        self.post_message(MapLoaded(list(entries)))

    @on(MapLoaded)
    def _map(self, message: MapLoaded) -> None:
        status = self.query_one("#map-status", Static)
        if message.error:
            status.update(f"retain: error: {message.error}")
            return
        self._map_loaded = True
        # At-risk items first; the service's own order is kept within each group.
        self.map_entries = sorted(message.entries, key=lambda e: not getattr(e, "at_risk", False))
        table = self.query_one("#map-table", DataTable)
        table.clear()
        widths = self._widths
        for n, entry in enumerate(self.map_entries):
            people = ", ".join(f"{name} ({status})" if status != "active" else str(name)
                               for name, status in entry.people)
            risk = bool(entry.at_risk)
            item = f"{'! ' if risk else ''}{entry.item} · {entry.label}"
            why = str(getattr(entry, "reason", "") or "")
            table.add_row(
                cell(self.app, one_line(item, widths.get("item", 28)), "text-error" if risk else None, bold=risk),
                cell(self.app, one_line(people, widths.get("people", 30))),
                cell(self.app, one_line(why, widths.get("why", 30)),
                     "text-error" if risk else None),
                key=str(n),
            )
        self._show_detail()
        at_risk = sum(1 for e in self.map_entries if e.at_risk)
        status.update(f"{len(self.map_entries)} items, {at_risk} at risk (held only by people who are leaving)")

    def _current(self) -> Any | None:
        table = self.query_one("#map-table", DataTable)
        if not table.row_count or not self.map_entries:
            return None
        row = table.cursor_row
        return self.map_entries[row] if 0 <= row < len(self.map_entries) else None

    @on(DataTable.RowHighlighted, "#map-table")
    def _show_detail(self) -> None:
        """The whole row under the cursor, wrapped: nothing in the Why column is ever lost."""
        entry = self._current()
        detail = self.query_one("#map-detail", Static)
        if entry is None:
            detail.update("")
            return
        people = ", ".join(f"{name} ({status})" for name, status in entry.people)
        why = getattr(entry, "reason", None)
        detail.update(f"{entry.item} ({entry.label}) · held by {people}"
                      + (f" · AT RISK: {why}" if entry.at_risk and why else "")
                      + " · enter shows who knows and the evidence")

    @on(DataTable.RowSelected, "#map-table")
    def _open_map_row(self) -> None:
        """Enter on a map row: who knows about that item, with the evidence to open."""
        entry = self._current()
        if entry is None:
            return
        self.query_one("#topic", Input).value = str(entry.item)
        self.query_one(TabbedContent).active = "who"
        self._who(str(entry.item))
        self.query_one("#who-results", OptionList).focus()

    def action_back(self) -> None:
        """Back."""
        self.app.pop_screen()
