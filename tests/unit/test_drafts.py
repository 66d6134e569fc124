"""The TUI's draft queue: plain Python over the one save call, newest words always last."""

from __future__ import annotations

import threading
import time
from functools import partial
from itertools import pairwise
from typing import Any

from retain.errors import StoreError
from retain.services import Services
from retain.store.models import Answer
from retain.tui.drafts import DraftQueue


def test_content_visibility_and_skip_are_one_save(services: Services) -> None:
    iid = services.interviews.start("handover", "Priya Raman").id or 0
    queue = DraftQueue(partial(services.interviews.save, iid))
    queue.content("only-you", text="Month-end close")
    queue.visibility("only-you", "confidential")
    queue.content("role-summary", text="Payroll")
    queue.skip("role-summary", "covered later")
    flushed = queue.flush()
    assert not flushed.failed and not queue
    saved = {a.question_id: a for a in services.interviews.answers(iid)}
    assert (saved["only-you"].text, saved["only-you"].visibility) == ("Month-end close", "confidential")
    assert saved["role-summary"].skipped and saved["role-summary"].text == "Payroll"


def test_an_unreachable_database_keeps_the_words_and_a_refusal_drops_them(
    sqlite_services: Services,
) -> None:
    iid = sqlite_services.interviews.start("exit", "Priya Raman").id or 0
    down = threading.Event()
    down.set()

    def save(question_id: str, **change: Any) -> Answer:
        if down.is_set():
            raise StoreError("database error: could not connect")
        return sqlite_services.interviews.save(iid, question_id, **change)

    queue = DraftQueue(save)
    queue.content("leaving-context", text="Better offer")
    assert [q for q, _ in queue.flush().failed] == ["leaving-context"]
    assert queue.waiting() == {"leaving-context"}  # kept for the next flush
    down.clear()
    assert [a.text for a in queue.flush().saved] == ["Better offer"]
    queue.visibility("leaving-context", "shareable")  # refused: confidential by design
    failed = queue.flush().failed
    assert failed and failed[0][1].problem.endswith("cannot be made shareable")
    assert not queue  # a refusal is reported, not retried forever


def test_the_autosave_thread_throttles_instead_of_waiting_for_a_pause(
    sqlite_services: Services,
) -> None:
    # Regression: the save waited for 0.8 s of quiet, so continuous typing was never saved.
    iid = sqlite_services.interviews.start("handover", "Priya Raman").id or 0
    written: list[tuple[float, str]] = []
    queue = DraftQueue(partial(sqlite_services.interviews.save, iid), max_wait=0.15,
                       flushed=lambda f: written.extend((time.monotonic(), a.text) for a in f.saved))
    queue.start()
    try:
        typed = ""
        started = time.monotonic()
        while time.monotonic() - started < 1.5:  # a key every 20 ms, never a pause
            typed += "x"
            queue.content("only-you", text=typed)
            time.sleep(0.02)
        last_key = time.monotonic()
        time.sleep(0.4)
    finally:
        queue.stop()
    assert len(written) >= 6, "saves happened while typing continued"
    gaps = [b - a for (a, _), (b, _) in pairwise(written)]
    assert max(gaps) < 0.5
    assert written[-1][1] == typed and written[-1][0] - last_key < 0.25
    assert sqlite_services.interviews.answers(iid)[0].text == typed
