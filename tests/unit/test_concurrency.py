"""Reads never wait for a writer on SQLite (WAL + deferred read transactions)."""

from __future__ import annotations

import time

from sqlalchemy import text

from retain.services import Services


def test_reads_do_not_wait_for_an_open_write(sqlite_services: Services) -> None:
    services = sqlite_services
    iid = services.interviews.start("handover", "Priya Raman").id or 0
    services.interviews.answer(iid, "only-you", text="PayBridge payroll interface")
    with services.engine.begin() as writer:
        # Another writer holds the write lock (BEGIN IMMEDIATE) for as long as this block runs.
        writer.execute(text("UPDATE person SET role = 'x'"))
        started = time.perf_counter()
        assert services.interviews.list()[0].id == iid
        assert services.reports.show(iid)["answers"]
        assert services.search.search("payroll")
        assert time.perf_counter() - started < 5, "a read waited for the writer"
