"""The review screen: coverage per pack section, gaps with follow-ups, entities and topics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.theme import Theme
from textual.widgets import DataTable, Footer, Header, Label, Static

from retain.errors import RetainError
from retain.tui.fixes import tui_message
from retain.tui.messages import ReviewLoaded
from retain.tui.screens.base import RetainScreen
from retain.tui.widgets.cells import cell, one_line

if TYPE_CHECKING:
    from retain.services import Services


def bar(done: int, total: int, width: int = 10) -> str:
    """A small text bar for a table cell."""
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


class ReviewScreen(RetainScreen[None]):
    """Before completing: what is covered, what is missing, what was extracted."""

    BINDINGS = [
        Binding("c", "complete", "Complete", tooltip="Mark the interview completed"),
        Binding("o", "reopen", "Reopen", tooltip="Put a completed interview back in progress"),
        Binding("v", "mark_reviewed", "Mark reviewed",
                tooltip="Record that the interviewee or manager checked the pack (asks who)"),
        Binding("a", "accept", "Accept",
                tooltip="Record that the successor accepted the reviewed pack (asks who)"),
        Binding("e", "export", "Export", tooltip="Write the handover pack or HR report"),
        Binding("f", "followup", "Follow-up",
                tooltip="Start the successor's next follow-up (30, 60 or 90 days after they started)"),
        Binding("u", "unmapped", "Unmapped talk",
                tooltip="Recorded talk an import left unmapped: save it as an answer or drop it"),
        Binding("r", "refresh", "Refresh", show=False),
        Binding("escape", "back", "Back"),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    def __init__(self, services: Services, interview_id: int) -> None:
        super().__init__()
        self._svc = services
        self.interview_id = interview_id
        self.guide = services.interviews.guide(interview_id)
        self.report: dict[str, Any] = {}
        self.unmapped = 0  # saved transcript segments that are not answers yet

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review"):
            yield Static("", id="review-summary")
            with Horizontal(id="review-top"):
                with Vertical(id="coverage-pane"):
                    yield Label("Coverage by pack section", classes="pane-title")
                    yield DataTable(id="coverage", cursor_type="row", show_cursor=False)
                with Vertical(id="gaps-pane"):
                    yield Label("Gaps and follow-up questions", classes="pane-title", id="gaps-title")
                    yield Static("", id="gaps")
            with Horizontal(id="review-bottom"):
                with Vertical(id="entities-pane"):
                    yield Label("Entities", classes="pane-title")
                    yield DataTable(id="entities", cursor_type="row", zebra_stripes=True)
                with Vertical(id="topics-pane"):
                    yield Label("Topics", classes="pane-title")
                    yield Static("", id="topics")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#coverage", DataTable)
        for label, width in (("Section", 30), ("Done", 5), ("Open", 4), ("", 10)):
            table.add_column(label, width=width)
        entities = self.query_one("#entities", DataTable)
        for label in ("Entity", "Label", "Count", "Questions"):
            entities.add_column(label)
        self.title = self.guide.title
        self._load()
        # Table cells carry theme colours as values: redraw them when the theme changes.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: Theme) -> None:
        if self.report:
            self._loaded(ReviewLoaded(self.report, self.unmapped))


    @work(thread=True, exclusive=True, group="review", exit_on_error=False)
    def _load(self) -> None:
        try:
            # The screen renders the report's JSON shape, the same as `interview show --json`.
            report = self._svc.reports.show(self.interview_id).to_json()
            unmapped = len(self._svc.segments.unmapped(self.interview_id))
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        self.post_message(ReviewLoaded(report, unmapped))

    @on(ReviewLoaded)
    def _loaded(self, message: ReviewLoaded) -> None:
        report = self.report = message.report
        self.unmapped = message.unmapped
        person = (report.get("person") or {}).get("name", "?")
        self.sub_title = f"{person} · #{self.interview_id}"
        progress = report["progress"]
        missing = progress.get("required_missing") or []
        summary = [
            Content.styled(f"{person} · {report.get('guide_title') or report['guide']} · ", "bold"),
            Content.styled(str(report["status"]).replace("_", " "),
                           "bold $text-success" if report["status"] == "completed" else "bold $text-warning"),
            Content(f"\n{progress['answered']} answered, {progress['skipped']} skipped, "
                    f"{progress['total']} questions"),
        ]
        if missing:
            summary.append(Content.styled(f" · required still open: {', '.join(missing)}", "$text-error"))
        review = report.get("review") or {}
        label = str(review.get("label") or "DRAFT")
        summary.append(Content("\nPack: "))
        summary.append(Content.styled(label, "bold $text-warning" if label == "DRAFT" else "bold $text-success"))
        history = review.get("history") or []
        if history and history[-1].get("state") == "draft" and history[-1].get("note"):
            # Why a signed-off pack is a draft again: the edit that reverted it.
            summary.append(Content.styled(f" · {history[-1]['note']}", "$text-muted"))
        if self.unmapped:
            summary.append(Content.styled(
                f"\nRecording: {self.unmapped} unmapped segment{'s' if self.unmapped != 1 else ''}"
                " · press u to assign or drop", "$text-warning"))
        self.query_one("#review-summary", Static).update(Content.assemble(*summary))
        self.refresh_bindings()

        table = self.query_one("#coverage", DataTable)
        table.clear()
        for row in report["coverage"]:
            done = row["answered"] + row["skipped"]
            colour = "text-success" if row["open"] == 0 else ("text-warning" if done else "text-error")
            table.add_row(cell(self.app, row["title"]), f"{done}/{row['total']}", str(row["open"]),
                          cell(self.app, bar(done, row["total"]), colour))

        gaps = report.get("gaps") or []
        self.query_one("#gaps-title", Label).update(f"Gaps and follow-up questions ({len(gaps)})")
        lines = [
            Content.assemble(Content.styled("• ", "$text-warning"), Content(str(g.get("message", ""))),
                             Content.styled("\n  Ask: ", "bold $text-accent"), Content(str(g.get("follow_up", ""))))
            for g in gaps
        ]
        self.query_one("#gaps", Static).update(
            Content("\n").join(lines) if lines else Content.styled("No gaps found.", "$text-success")
        )

        entities = self.query_one("#entities", DataTable)
        entities.clear()
        for entity in report.get("entities") or []:
            entities.add_row(cell(self.app, one_line(str(entity["text"]), 30)), entity["label"],
                             str(entity["count"]), one_line(", ".join(entity.get("questions") or []), 30))
        topics = [t["phrase"] for t in report.get("topics") or []]
        self.query_one("#topics", Static).update(
            Content("\n").join(Content(f"· {t}") for t in topics[:20]) if topics
            else Content.styled("No topics yet (extraction runs as answers are saved).", "$text-muted")
        )

    def action_refresh(self) -> None:
        """Re-read the report."""
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show complete, reopen, review and accept only where they apply."""
        status = self.report.get("status")
        state = (self.report.get("review") or {}).get("state")
        if action == "complete":
            return status != "completed"
        if action == "reopen":
            return status == "completed"
        if action == "mark_reviewed":
            return bool(self.report) and state != "accepted"
        if action == "accept":
            return self.report.get("track") == "handover" and state == "reviewed"
        if action == "unmapped":
            return self.unmapped > 0
        if action == "followup":
            return (self.report.get("track") == "handover" and not self.report.get("followup_of")
                    and bool(self.report.get("successor")))
        return True

    def action_followup(self) -> None:
        """Ask which follow-up (30, 60 or 90 days), start it, and open it."""
        from retain.tui.screens.dialogs import PromptModal

        taken = {f.day for f in self._svc.journey.followups(of=self.interview_id)}
        day = next((d for d in (30, 60, 90) if d not in taken), 30)

        def chosen(value: str | None) -> None:
            if value is None:
                return
            try:
                started = self._svc.journey.start_followup(self.interview_id, int(value.strip() or day))
            except ValueError:
                self.retain.report_error(f"{value.strip()!r} is not a follow-up day; use 30, 60 or 90")
                return
            except RetainError as exc:
                self.retain.report_error(exc.message)
                return
            self.notify(f"{started.day}-day follow-up with {started.person} started, due {started.due.isoformat()}.",
                        title="Follow-up")
            self.retain.open_interview(started.id)

        successor = str((self.report.get("successor") or {}).get("name") or "the successor")
        self.app.push_screen(PromptModal(
            "Start a successor follow-up?",
            f"A follow-up interview with {successor} about this handover. Days after they started: 30, 60 or 90.",
            placeholder="30, 60 or 90", confirm="Start", value=str(day),
        ), chosen)

    def action_complete(self) -> None:
        """Complete the interview, asking first if required questions or gaps are open."""
        missing = (self.report.get("progress") or {}).get("required_missing") or []
        gaps = self.report.get("gaps") or []
        if not missing and not gaps:
            self._complete()
            return
        from retain.tui.screens.dialogs import ConfirmModal

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._complete()

        open_items = []
        if missing:
            open_items.append(f"{len(missing)} required question(s) are neither answered nor skipped: "
                              f"{', '.join(missing)}.")
        if gaps:
            open_items.append(f"{len(gaps)} gap(s) have follow-up questions still to ask.")
        self.app.push_screen(
            ConfirmModal("Complete with open items?", " ".join(open_items) + " Complete anyway?",
                         confirm="Complete"),
            confirmed,
        )

    def action_mark_reviewed(self) -> None:
        """Ask who reviewed the pack, then record it (draft -> reviewed)."""
        person = str((self.report.get("person") or {}).get("name") or "")
        self._sign_off(
            "Mark the pack reviewed?",
            "Who checked the pack: the interviewee or their manager? Press enter to record it.",
            person, "Mark reviewed", self._svc.journey.review,
        )

    def action_accept(self) -> None:
        """Ask which successor accepts the pack, then record it (reviewed -> accepted)."""
        successor = str((self.report.get("successor") or {}).get("name") or "")
        self._sign_off(
            "Accept the pack as usable?",
            "The successor confirms the reviewed pack is usable. Who accepts it? Press enter to record it.",
            successor, "Accept", self._svc.journey.accept,
        )

    def _sign_off(self, title: str, message: str, name: str, confirm: str, record: Any) -> None:
        from retain.tui.screens.dialogs import PromptModal

        def named(by: str | None) -> None:
            if by is None:
                return
            try:
                interview = record(self.interview_id, by)
            except RetainError as exc:
                self.retain.report_error(tui_message(exc))
                return
            from retain.services.journey import label_of

            self.notify(f"The pack is {label_of(interview)}.", title="Signed off")
            self._load()

        self.app.push_screen(
            PromptModal(title, message, placeholder="First Last", confirm=confirm, value=name), named
        )

    def _complete(self) -> None:
        try:
            self._svc.interviews.complete(self.interview_id)
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        self.notify("Interview completed. Press e to export the pack.", title="Completed")
        self._load()

    def action_reopen(self) -> None:
        """Put a completed interview back in progress."""
        try:
            self._svc.interviews.reopen(self.interview_id)
        except RetainError as exc:
            self.retain.report_error(tui_message(exc))
            return
        self.notify("Interview reopened.")
        self._load()

    def action_unmapped(self) -> None:
        """Open the imported talk that is not an answer yet."""
        from retain.tui.screens.unmapped import UnmappedScreen

        # Assigning talk changes coverage, gaps and entities: read them again on the way back
        # (only then: the review's own dialogs reload what they change).
        def back(_: None) -> None:
            self._load()

        self.app.push_screen(UnmappedScreen(self.interview_id), back)

    def action_export(self) -> None:
        """Open the export form."""
        self.retain.action_export(self.interview_id)

    def action_back(self) -> None:
        """Back to the interview."""
        self.app.pop_screen()
