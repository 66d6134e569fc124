"""The derived search index: it follows every commit, across processes and out-of-order commits."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from retain.services import Services
from retain.store.engine import make_engine
from retain.store.search import SearchFilters, parse_query
from retain.store.search.backend import IndexedSearch
from retain.store.search.index import STATE_FILE, AnswerIndex


def _index(services: Services) -> AnswerIndex:
    backend = services.search.backend
    assert isinstance(backend, IndexedSearch)
    return backend.index


def _found(services: Services, query: str) -> set[str]:
    return {hit.question_id for hit in services.search.search(query, include_confidential=True)}


def test_a_second_service_on_the_same_database_sees_each_save(services: Services) -> None:
    interview = services.interviews.start("handover", "Ana Silva").id or 0
    services.interviews.answer(interview, "only-you", text="The quasar export.")
    assert _found(services, "quasar") == {"only-you"}
    # Another process would open its own index object on the same directory.
    other = IndexedSearch(services.engine)
    services.interviews.answer(interview, "advice", text="Another quasar note.")
    assert len(other.search(parse_query("quasar"), SearchFilters(include_confidential=True), 10)) == 2
    assert _found(services, "quasar") == {"only-you", "advice"}
    assert _index(services).verify() == []


def test_a_damaged_or_foreign_index_is_rebuilt(sqlite_services: Services) -> None:
    services = sqlite_services
    interview = services.interviews.start("handover", "Ana Silva").id or 0
    services.interviews.answer(interview, "only-you", text="The quasar export.")
    assert _found(services, "quasar") == {"only-you"}
    root = _index(services).root
    assert root is not None and (root / STATE_FILE).exists()
    (root / STATE_FILE).write_text("{not json", encoding="utf-8")
    assert _found(services, "quasar") == {"only-you"}
    state = json.loads((root / STATE_FILE).read_text(encoding="utf-8"))
    state["layout"] = "0/tantivy v0.1"
    (root / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    assert _found(services, "quasar") == {"only-you"}
    for child in root.glob("gen-*"):
        shutil.rmtree(child)
    assert _found(services, "quasar") == {"only-you"}
    assert _index(services).verify() == []


def test_an_epoch_bump_rebuilds_and_drops_old_generations(sqlite_services: Services) -> None:
    services = sqlite_services
    interview = services.interviews.start("handover", "Ana Silva").id or 0
    services.interviews.answer(interview, "only-you", text="The quasar export.")
    assert _found(services, "quasar") == {"only-you"}
    root = _index(services).root
    assert root is not None
    before = sorted(p.name for p in root.glob("gen-*"))
    services.search.rebuild()
    after = sorted(p.name for p in root.glob("gen-*"))
    assert len(after) == 1 and after != before
    assert _found(services, "quasar") == {"only-you"}


def _writer(url: str, start: int, count: int) -> None:
    from retain.config import load_settings
    from retain.services import Services as Fresh

    services = Fresh(load_settings(db=url))
    interview = services.interviews.start("handover", f"Writer {start}").id or 0
    for number in range(count):
        services.interviews.answer(interview, "only-you", text=f"nebula{start + number} round")
        services.search.search("round")


def test_processes_saving_and_searching_at_once_leave_the_index_exact(sqlite_services: Services) -> None:
    url = sqlite_services.settings.db_url
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(url, base, 15)) for base in (0, 100)]
    for worker in workers:
        worker.start()
    for _ in range(15):
        sqlite_services.search.search("round")
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    # Each writer's last answer (the question is re-answered in place) is what is found.
    assert _found(sqlite_services, "nebula14") == {"only-you"}
    assert _found(sqlite_services, "nebula114") == {"only-you"}
    assert _found(sqlite_services, "nebula13") == set()
    assert _index(sqlite_services).verify() == []


def test_a_late_commit_below_the_applied_number_is_still_found(services: Services, tmp_path: Path) -> None:
    """PostgreSQL numbers changes as transactions run; one can commit after a higher one was applied."""
    if services.engine.dialect.name != "postgresql":
        pytest.skip("SQLite commits one writer at a time, in order")
    interview = services.interviews.start("handover", "Ana Silva").id or 0
    insert = text(
        "INSERT INTO answer (interview_id, question_id, section_id, prompt, text, items, body, visibility, "
        "skipped, created_at, updated_at) VALUES (:i, :q, '', '', :b, '[]', :b, 'shareable', false, now(), now())"
    )
    slow_engine = make_engine(services.settings.db_url)
    try:
        with slow_engine.connect() as slow:
            slow_transaction = slow.begin()
            slow.execute(insert, {"i": interview, "q": "slow", "b": "the latecomer galaxy"})  # takes the lower number
            with services.engine.begin() as fast:
                fast.execute(insert, {"i": interview, "q": "fast", "b": "the early galaxy"})
            assert _found(services, "galaxy") == {"fast"}  # applied past the slow one's number
            slow_transaction.commit()
        assert _found(services, "galaxy") == {"fast", "slow"}
        assert _found(services, "latecomer") == {"slow"}
        assert _index(services).verify() == []
    finally:
        slow_engine.dispose()


def test_a_backup_put_back_in_place_is_not_read_through_the_newer_index(sqlite_services: Services, tmp_path: Path) -> None:
    from retain.config import load_settings
    from retain.services import Services as Fresh

    services = sqlite_services
    interview = services.interviews.start("handover", "Ana Silva").id or 0
    services.interviews.answer(interview, "only-you", text="The alpha export.")
    assert _found(services, "alpha") == {"only-you"}
    copy = services.database.backup(tmp_path / "copy.db")
    services.interviews.answer(interview, "advice", text="The beta runbook.")
    assert _found(services, "beta") == {"advice"}
    url = services.settings.db_url
    path = Path(url.removeprefix("sqlite:///"))
    services.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(copy, path)
    restored = Fresh(load_settings(db=url))
    try:
        assert _found(restored, "beta") == set()
        assert _found(restored, "alpha") == {"only-you"}
        assert _index(restored).verify() == []
    finally:
        restored.close()
