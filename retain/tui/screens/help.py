"""The help screen: every key binding, grouped by screen, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from retain.tui.screens.base import RetainModal

INTRO = (
    "retain saves every answer within a second of the last keystroke, on every move between "
    "questions, and on quit. ctrl+p opens the command palette: every action is there too."
)


def binding_groups() -> list[tuple[str, list[BindingType]]]:
    """Each screen's bindings, imported lazily so the help never goes stale."""
    from retain.tui.app import RetainApp
    from retain.tui.screens.export import ExportModal
    from retain.tui.screens.home import HomeScreen
    from retain.tui.screens.interview import InterviewScreen
    from retain.tui.screens.knowledge import KnowledgeScreen
    from retain.tui.screens.new_interview import NewInterviewModal
    from retain.tui.screens.review import ReviewScreen
    from retain.tui.screens.row_form import RowFormModal
    from retain.tui.screens.search import SearchScreen
    from retain.tui.screens.unmapped import UnmappedScreen
    from retain.tui.widgets.editors import ChoiceEditor, ListEditor

    palette = Binding("ctrl+p", "command_palette", "Command palette: every action, searchable")
    return [
        ("Everywhere", [*RetainApp.BINDINGS, palette]),
        ("Home", HomeScreen.BINDINGS),
        ("Interview", InterviewScreen.BINDINGS),
        ("Interview: list questions (table focused)", ListEditor.BINDINGS),
        ("Interview: choice, scale and yes/no questions", ChoiceEditor.BINDINGS),
        ("Review", ReviewScreen.BINDINGS),
        ("Unmapped talk (review, u)", UnmappedScreen.BINDINGS),
        ("Search", SearchScreen.BINDINGS),
        ("Who knows / map", KnowledgeScreen.BINDINGS),
        ("New interview form", NewInterviewModal.BINDINGS),
        ("List row form", RowFormModal.BINDINGS),
        ("Export form", ExportModal.BINDINGS),
    ]


class HelpScreen(RetainModal[None]):
    """Lists every key binding."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Label("Keys", classes="dialog-title")
            yield Static(INTRO, classes="hint", markup=False)
            for title, bindings in binding_groups():
                yield Label(title, classes="help-group")
                yield Static(self._binding_rows(bindings), classes="help-keys")

    def _binding_rows(self, bindings: Iterable[BindingType]) -> Content:
        lines: list[Content] = []
        for binding in bindings:
            if not isinstance(binding, Binding):
                continue
            description = binding.tooltip or binding.description
            if not description:
                description = self._describe(binding.action)
            keys = ", ".join(
                self.app.get_key_display(Binding(key.strip(), binding.action, key_display=binding.key_display))
                for key in binding.key.split(",")
            )
            lines.append(Content.assemble(Content.styled(f"{keys:>18}  ", "bold $text-accent"), Content(description)))
        return Content("\n").join(lines)

    @staticmethod
    def _describe(action: str) -> str:
        # Keys such as 1-5 on a scale have no description in the footer; say what they do.
        if action.startswith("pick("):
            return f"choose option {int(action[5:-1]) + 1}"
        if action.startswith("pick_value("):
            return f"choose {action[12:-2]}"
        return action.replace("_", " ")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
