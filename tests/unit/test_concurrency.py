"""Concurrency: reads never wait for a writer on SQLite; concurrent saves never lose a write."""

from __future__ import annotations

import multiprocessing
import os
import time
from typing import Any

from sqlalchemy import text

from retain.config import load_settings
from retain.services import Services, open_services


def test_reads_do_not_wait_for_an_open_write(sqlite_services: Services) -> None:
    services = sqlite_services
    iid = services.interviews.start("handover", "Priya Raman").id or 0
    services.interviews.answer(iid, "only-you", text="PayBridge payroll interface")
    with services.engine.begin() as writer:
        # Another writer holds the write lock (BEGIN IMMEDIATE) for as long as this block runs.
        writer.execute(text("UPDATE person SET role = 'x'"))
        started = time.perf_counter()
        assert services.interviews.list()[0].id == iid
        assert services.reports.show(iid).to_json()["answers"]
        assert services.search.search("payroll")
        assert time.perf_counter() - started < 5, "a read waited for the writer"


def _save_first_answers(url: str, interview_ids: list[int], barrier: Any, results: Any) -> None:
    """One process: save the first answer to three questions of every interview."""
    from retain.config import load_settings
    from retain.errors import RetainError
    from retain.services import open_services

    services = open_services(load_settings(db=url))
    failures: list[str] = []
    barrier.wait()
    for interview_id in interview_ids:
        for question in QUESTIONS:
            try:
                services.interviews.answer(interview_id, question, text=f"from {os.getpid()}")
            except RetainError as exc:
                failures.append(exc.message)
    services.close()
    results.put(failures)


QUESTIONS = ("role-summary", "only-you", "breaks-first")


def test_concurrent_first_saves_never_lose_a_write(db_url: str) -> None:
    # Regression: on PostgreSQL, 20 of 450 saves failed with `duplicate key value violates
    # unique constraint "uq_answer_question"` (a read, then an insert, raced).
    services = open_services(load_settings(db=db_url))
    ids = [services.interviews.start("handover", f"Racer {n}").id or 0 for n in range(50)]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(3), context.Queue()
    workers = [
        context.Process(target=_save_first_answers, args=(db_url, ids, barrier, results))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    failures = [message for _ in workers for message in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=30)
    try:
        assert failures == [], f"{len(failures)} of 450 saves failed: {failures[0]}"
        for interview_id in ids:
            answers = services.interviews.answers(interview_id)
            assert sorted(a.question_id for a in answers) == sorted(QUESTIONS)
            assert all(a.text.startswith("from ") for a in answers)
    finally:
        services.close()
