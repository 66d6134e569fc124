"""How the TUI words a core error's fix: the key or button to use, never a command-line flag."""

from __future__ import annotations

from retain.errors import Fix, RetainError

TUI_FIXES: dict[Fix, str] = {
    Fix.FORCE: "tick “Replace the output file if it exists”",
    Fix.INCLUDE_CONFIDENTIAL: "tick “Include confidential answers (HR only)” to write the HR exit report",
    Fix.KEEP_CONFIDENTIAL: "it stays confidential (ctrl+t only tightens a shareable question)",
    Fix.LIST_INTERVIEWS: "press escape and pick one from the interview list",
    Fix.UPGRADE_SCHEMA: "quit (ctrl+q) and run `retain db upgrade` in a terminal",
    Fix.CHOOSE_OUT: "type another folder or file in “Output file”",
    Fix.CHECK_TEMPLATE: "fix the template, then export again",
    Fix.REPLACE: "confirm “Replace” to overwrite it",
    Fix.ANSWER_BY_HAND: "type the answer on the interview screen",
}


def tui_message(error: RetainError) -> str:
    """The error's one-line message, with its fix phrased for the TUI."""
    return error.phrased(TUI_FIXES)


__all__ = ["TUI_FIXES", "tui_message"]
