"""Core errors carry a structured fix; the CLI words it as a flag, the TUI as a key or button."""

from __future__ import annotations

from pathlib import Path

import pytest

from retain.errors import COMMAND_LINE, ConfidentialityError, Fix, InvalidInput, StoreError
from retain.services import Services
from retain.tui.fixes import TUI_FIXES, tui_message
from tests.conftest import CliInvoker


def test_every_fix_is_worded_by_both_front_ends() -> None:
    assert set(COMMAND_LINE) == set(Fix) == set(TUI_FIXES)
    for fix, wording in TUI_FIXES.items():
        # The TUI names its keys and buttons: never a command-line flag of its own.
        assert "--" not in wording, (fix, wording)


def test_the_cli_says_pass_force_and_the_tui_names_its_checkbox(
    run_cli: CliInvoker, sqlite_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "backup.db"
    assert run_cli("db", "backup", str(target), db=sqlite_url).exit_code == 0
    refused = run_cli("db", "backup", str(target), db=sqlite_url)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == f"retain: error: {target} exists; choose another file or pass --force"
    error = StoreError(f"{target} exists", fix=Fix.FORCE)
    assert error.problem == f"{target} exists" and error.fix is Fix.FORCE
    assert tui_message(error) == f"{target} exists; tick “Replace the output file if it exists”"


def test_a_confidential_question_cannot_be_loosened_either_way(services: Services) -> None:
    interview = services.interviews.start("exit", "Ana Silva").id or 0
    with pytest.raises(InvalidInput) as caught:
        services.interviews.save(interview, "leaving-context", text="x", visibility="shareable")
    assert caught.value.fix is Fix.KEEP_CONFIDENTIAL
    assert caught.value.message.endswith("; leave --visibility out")
    assert "ctrl+t" in tui_message(caught.value) and "--" not in tui_message(caught.value)
    assert services.interviews.answers(interview) == []  # nothing written


def test_an_exit_report_asks_for_the_flag_or_the_checkbox(services: Services) -> None:
    interview = services.interviews.start("exit", "Ana Silva").id or 0
    with pytest.raises(ConfidentialityError) as caught:
        services.exports.export(interview, fmt="md")
    assert "--include-confidential" in caught.value.message
    assert "Include confidential answers" in tui_message(caught.value)
    assert "--include-confidential" not in tui_message(caught.value)
