"""The TUI's error funnel: an unexpected exception is logged and shown as one line, not a crash."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from retain.services import Services
from retain.tui.app import RetainApp
from tests.tui.conftest import SIZE, settle


class BrokenApp(RetainApp):
    """The real app with one key whose action has a bug."""

    BINDINGS = [("f9", "boom", "A bug")]

    def action_boom(self) -> None:
        raise ZeroDivisionError("division by zero in a handler")


async def test_an_unexpected_error_is_logged_and_shown_as_one_line(sqlite_services: Services) -> None:
    app = BrokenApp(services=sqlite_services, preload_extractor=False, strict=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("f9")  # the app still answers keys after the first bug
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert app.is_running  # the interviewer is not thrown out
        assert sum("ZeroDivisionError" in m for m in messages) == 2, messages
    log = Path(os.environ["RETAIN_DATA_DIR"]) / "logs" / "errors.log"
    line = next(m for m in messages if "ZeroDivisionError" in m)
    assert "\n" not in line and str(log) in line and "answers are saved" in line
    assert "division by zero in a handler" in log.read_text()  # the traceback, for debugging
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
