"""Exit insights for HR: reasons for leaving by quarter, team, role or reason, small groups hidden."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Select, Static
from textual_plotext import PlotextPlot

from retain.domain.insights import BY_CHOICES
from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import InsightsLoaded
from retain.tui.screens.base import RetainScreen

BANNER = (
    "HR ONLY · built from confidential exit interviews · never part of a handover pack. "
    "Groups and counts under the reporting minimum, and counts that would reveal them, are hidden."
)
MINIMUMS = (3, 4, 5, 6, 8, 10)


def hidden(k: int) -> str:
    """How a hidden count reads."""
    return f"<{k}"


class InsightsScreen(RetainScreen[None]):
    """Counts of reasons for leaving across exits, behind the reporting minimum."""

    BINDINGS = [Binding("escape", "back", "Back"), Binding("f5", "reload", "Refresh")]

    def __init__(self) -> None:
        super().__init__()
        self.report: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(BANNER, id="insights-banner", markup=False)
        with self.prevent(Select.Changed), Horizontal(id="insights-controls"):
            yield Select([(f"by {b}", b) for b in BY_CHOICES], value="quarter", allow_blank=False,
                         id="insights-by")
            yield Select([(f"minimum {k}", k) for k in MINIMUMS], value=5, allow_blank=False,
                         id="insights-min")
        yield Static("Loading…", id="insights-status", classes="hint", markup=False)
        yield PlotextPlot(id="insights-chart")
        yield DataTable(id="insights-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Exit insights (HR only)"
        table = self.query_one("#insights-table", DataTable)
        table.add_columns("Group", "n", "Reasons")
        self.action_reload()

    @on(Select.Changed)
    def _changed(self) -> None:
        self.action_reload()

    def action_back(self) -> None:
        """Back to where the report was opened from."""
        self.app.pop_screen()

    def action_reload(self) -> None:
        """Rebuild the report with the chosen grouping and minimum."""
        by = self.query_one("#insights-by", Select).value
        k = self.query_one("#insights-min", Select).value
        self._load(str(by), int(k) if isinstance(k, int) else 5)

    @work(thread=True, exclusive=True, group="insights", exit_on_error=False)
    def _load(self, by: str, k: int) -> None:
        try:
            report = self.services.insights.report(by=by, min_group=k)
        except RetainError as exc:
            self.post_message(InsightsLoaded(None, error=tui_message(exc)))
            return
        self.post_message(InsightsLoaded(report))

    @on(InsightsLoaded)
    def _loaded(self, message: InsightsLoaded) -> None:
        status = self.query_one("#insights-status", Static)
        if message.error:
            status.update(f"retain: error: {message.error}")
            return
        report = self.report = message.report
        k = report.min_group
        table = self.query_one("#insights-table", DataTable)
        table.clear()
        plot = self.query_one("#insights-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if report.n is None:
            status.update(f"Fewer than {k} exits in all: nothing can be shown.")
            plot.refresh()
            return
        for group in report.groups:
            reasons = "hidden to protect a small group" if group.reasons is None else "; ".join(
                f"{c.reason} {hidden(k) if c.n is None else c.n}" for c in group.reasons
            )
            table.add_row(group.key, hidden(k) if group.n is None else str(group.n), reasons)
        shown = [g for g in report.groups if g.n is not None]
        if shown:
            plt.bar([g.key for g in shown], [g.n for g in shown], orientation="horizontal", width=0.3)
        plt.title(f"Exits by {report.by} (hidden groups left out)")
        plot.refresh()
        trends = " · ".join(f"{t.start}→{t.end}: {t.n_start}→{t.n_end}" for t in report.trends)
        status.update(f"{report.n} exits, reporting minimum {k}." + (f" Trends: {trends}" if trends else ""))
