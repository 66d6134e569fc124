"""Bulk loads: inserted and indexed together, all or nothing, and never shareable by mistake."""

from __future__ import annotations

import gc
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import tantivy
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from retain.config import load_settings
from retain.services import Services, open_services
from retain.services.base import session_scope
from retain.store.engine import _connect_message, make_engine, reader
from retain.store.models import Answer
from retain.store.search.backend import IndexedSearch
from retain.store.search.bulk import BulkAnswer

MOMENT = datetime(2024, 3, 5, 9, 30, 15, 750_000, tzinfo=UTC)


def _start(services: Services, person: str, guide: str = "handover") -> int:
    return services.interviews.start(guide, person).id or 0


def _ids(services: Services, query: str, include_confidential: bool = False) -> set[int]:
    return {hit.answer_id for hit in services.search.search(query, include_confidential=include_confidential)}


def _backend(services: Services) -> IndexedSearch:
    backend = services.search.backend
    assert isinstance(backend, IndexedSearch)
    return backend


def _updated_by_id(services: Services) -> dict[int, int]:
    """The saved time of every indexed answer, as the index holds it."""
    searcher = _backend(services).index.current()
    hits = searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs), count=False).hits
    addresses = [address for _score, address in hits]
    ids = searcher.fast_field_values("id", addresses)
    updated = searcher.fast_field_values("updated", addresses)
    return {int(i): int(u) for i, u in zip(ids, updated, strict=True)}


def test_a_bulk_load_indexes_what_a_rebuild_would(services: Services) -> None:
    """Added to the index as it stands: the same documents as a rebuild from the table."""
    existing = _start(services, "Ada Existing")
    services.interviews.answer(existing, "advice", text="An older answer about the walrus gateway.")
    interview = _start(services, "Bo Bulk")
    other_zone = timezone(timedelta(hours=-5))
    with services.search.bulk_load() as load:
        ids = load.add_answers([
            BulkAnswer(interview, "advice", "Advice?", "The walrus gateway restarts at dawn.", "shareable",
                       MOMENT, MOMENT),
            BulkAnswer(interview, "contacts", "Who?", "Ask these people:", "shareable", MOMENT,
                       MOMENT.astimezone(other_zone), items=[{"name": "Priya", "role": "walrus keeper"}]),
        ])
    assert len(ids) == 2 and ids == sorted(ids)
    assert _ids(services, "walrus") == {*ids, *_ids(services, "older")}
    assert _ids(services, "keeper") == {ids[1]}  # list rows are flattened into the body
    bulk_times = _updated_by_id(services)
    assert _backend(services).index.verify() == []
    services.search.rebuild()
    assert _updated_by_id(services) == bulk_times  # same saved times, to the second
    with services.engine.connect() as connection:
        body = connection.execute(text("SELECT body FROM answer WHERE id = :i"), {"i": ids[1]}).scalar_one()
    assert body == "Ask these people:\nPriya; walrus keeper"
    with session_scope(services.engine) as session:  # the ORM reads back what it would have saved
        saved = session.get(Answer, ids[1])
        assert saved is not None
        assert (saved.created_at, saved.updated_at, saved.items) == (MOMENT, MOMENT, [{"name": "Priya", "role": "walrus keeper"}])


def test_each_timestamp_is_stored_as_given_and_collection_is_back_on_after_a_load(services: Services) -> None:
    """One formatting for equal times must not leak into a different updated_at; gc is restored."""
    interview = _start(services, "Ed Edited")
    later = MOMENT + timedelta(days=2, microseconds=1)
    with services.search.bulk_load() as load:
        same, edited = load.add_answers([
            BulkAnswer(interview, "advice", "Advice?", "Unchanged since typed.", "shareable", MOMENT, MOMENT),
            BulkAnswer(interview, "fragile", "Fragile?", "Edited two days later.", "shareable", MOMENT, later),
        ])
    assert gc.isenabled()  # add_answers turns collection off for its length only
    with session_scope(services.engine) as session:
        stored = {a.id: (a.created_at, a.updated_at) for a in (session.get(Answer, same), session.get(Answer, edited)) if a}
    assert stored == {same: (MOMENT, MOMENT), edited: (MOMENT, later)}
    assert _updated_by_id(services)[edited] - _updated_by_id(services)[same] == 2 * 86_400
    since = (MOMENT + timedelta(days=1)).date()
    assert {hit.answer_id for hit in services.search.search("edited OR unchanged", since=since)} == {edited}
    with pytest.raises(IntegrityError), services.search.bulk_load() as load:
        load.add_answers([BulkAnswer(interview, "advice", "Advice?", "Again.", "shareable", MOMENT, MOMENT)])
    assert gc.isenabled()  # a failed load restores it too


def test_confidential_and_skipped_bulk_answers_stay_out_of_shareable_search(services: Services) -> None:
    interview = _start(services, "Cy Confidential", guide="exit")
    with services.search.bulk_load() as load:
        secret, skipped, open_ = load.add_answers([
            BulkAnswer(interview, "why-leaving", "Why?", "The ocelot manager was unbearable.", "confidential",
                       MOMENT, MOMENT),
            BulkAnswer(interview, "advice", "Advice?", "An ocelot aside typed before a skip.", "shareable",
                       MOMENT, MOMENT, skipped=True),
            BulkAnswer(interview, "handover", "Handover?", "The ocelot runbook is on the wiki.", "shareable",
                       MOMENT, MOMENT),
        ])
    assert _ids(services, "ocelot") == {open_}
    assert _ids(services, "ocelot", include_confidential=True) == {secret, skipped, open_}
    assert _backend(services).index.verify() == []


def test_a_failed_bulk_load_changes_nothing(services: Services) -> None:
    interview = _start(services, "Di Duplicate")
    services.interviews.answer(interview, "advice", text="The heron cluster is fine.")
    before = _ids(services, "heron")
    duplicate = BulkAnswer(interview, "advice", "Advice?", "A second heron answer.", "shareable", MOMENT, MOMENT)
    with pytest.raises(IntegrityError), services.search.bulk_load() as load:
        load.add_answers([
            BulkAnswer(interview, "fragile", "Fragile?", "The heron backups.", "shareable", MOMENT, MOMENT),
            duplicate,
        ])
    assert _ids(services, "heron") == before
    with services.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM answer")).scalar_one() == 1
    assert _backend(services).index.verify() == []
    # The change log still works: a save after the failure is found at once.
    services.interviews.answer(interview, "fragile", text="The heron disks fill up.")
    assert len(_ids(services, "heron")) == 2


def test_a_timestamp_without_a_timezone_is_refused_before_anything_is_written(services: Services) -> None:
    interview = _start(services, "Ed Naive")
    naive = datetime(2024, 1, 1, 12, 0)
    with pytest.raises(ValueError, match="timezone"), services.search.bulk_load() as load:
        load.add_answers([BulkAnswer(interview, "advice", "Advice?", "A naive kestrel.", "shareable", naive, naive)])
    assert _ids(services, "kestrel") == set()
    with services.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM answer")).scalar_one() == 0


def test_other_writes_in_the_block_go_through_the_change_log(services: Services) -> None:
    interview = _start(services, "Flo Mixed")
    with services.search.bulk_load() as load:
        (added,) = load.add_answers([
            BulkAnswer(interview, "advice", "Advice?", "The marmot export.", "shareable", MOMENT, MOMENT),
        ])
        load.connection.execute(text("UPDATE answer SET body = 'The marmot export and the lynx import.' "
                                     "WHERE id = :i"), {"i": added})
    assert _ids(services, "lynx") == {added}
    assert _backend(services).index.verify() == []


def test_another_process_index_sees_a_bulk_load(sqlite_url: str) -> None:
    """A second reader of the same index directory reloads: the epoch moved, the seq did not."""
    first = open_services(load_settings(db=sqlite_url))
    second = open_services(load_settings(db=sqlite_url))
    try:
        interview = _start(first, "Gus Shared")
        first.interviews.answer(interview, "advice", text="The bison queue.")
        assert len(_ids(second, "bison")) == 1
        with first.search.bulk_load() as load:
            load.add_answers([BulkAnswer(interview, "fragile", "Fragile?", "The bison disks.", "shareable",
                                         MOMENT, MOMENT)])
        assert len(_ids(second, "bison")) == 2
    finally:
        first.close()
        second.close()


def test_sqlite_is_back_in_wal_mode_after_a_load(sqlite_url: str, tmp_path: Path) -> None:
    """The load leaves WAL only when it is alone with the file, and always returns to it."""
    services = open_services(load_settings(db=sqlite_url))
    path = sqlite_url.removeprefix("sqlite:///")
    try:
        interview = _start(services, "Hal Journal")
        with services.search.bulk_load() as load:
            mode = load.connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
            load.add_answers([BulkAnswer(interview, "advice", "Advice?", "Alone with the file.", "shareable",
                                         MOMENT, MOMENT)])
        assert mode == "delete"
        with sqlite3.connect(path) as other:  # someone else has it open: the load stays in WAL
            other.execute("SELECT count(*) FROM answer").fetchall()
            with services.search.bulk_load() as load:
                mode = load.connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
                load.add_answers([BulkAnswer(interview, "fragile", "Fragile?", "Not alone with the file.",
                                             "shareable", MOMENT, MOMENT)])
            assert mode == "wal"
        with pytest.raises(IntegrityError), services.search.bulk_load() as load:
            load.add_answers([BulkAnswer(interview, "advice", "Advice?", "A duplicate.", "shareable",
                                         MOMENT, MOMENT)])
        with sqlite3.connect(path) as check:
            assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert len(_ids(services, "file")) == 2
    finally:
        services.close()


KILLED_LOAD = """
import sys, time
from datetime import UTC, datetime
from retain.config import load_settings
from retain.services import open_services
from retain.store.search.bulk import BulkAnswer

services = open_services(load_settings(db=sys.argv[1]))
interview = services.interviews.start("handover", "Kim Killed").id
now = datetime.now(UTC)
with services.search.bulk_load() as load:
    load.add_answers(BulkAnswer(interview, f"q{n}", "Prompt?", f"Doomed yak answer {n}. " * 40, "shareable", now, now)
                     for n in range(30_000))
    print("loading", flush=True)
    time.sleep(120)
"""


def test_a_bulk_load_killed_midway_leaves_the_database_and_index_as_they_were(sqlite_url: str) -> None:
    """kill -9 inside the block: the rows roll back, WAL comes back, and search agrees with the table."""
    import signal
    import subprocess
    import sys

    services = open_services(load_settings(db=sqlite_url))
    interview = _start(services, "Lee Before")
    services.interviews.answer(interview, "advice", text="The yak shaver survives.")
    assert len(_ids(services, "yak")) == 1
    services.close()
    child = subprocess.Popen([sys.executable, "-c", KILLED_LOAD, sqlite_url], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "loading"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    services = open_services(load_settings(db=sqlite_url))
    try:
        with services.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert connection.execute(text("SELECT count(*) FROM answer")).scalar_one() == 1
        assert len(_ids(services, "yak")) == 1
        assert _backend(services).index.verify() == []
    finally:
        services.close()


def test_a_new_connection_during_a_load_still_reads(sqlite_url: str) -> None:
    """Regression: the connect-time ``journal_mode = WAL`` failed with "database is locked"."""
    services = open_services(load_settings(db=sqlite_url))
    try:
        interview = _start(services, "Ivy Reader")
        with services.search.bulk_load() as load:
            load.add_answers([BulkAnswer(interview, "advice", "Advice?", "Read during a load.", "shareable",
                                         MOMENT, MOMENT)])
            assert load.connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "delete"
            other = make_engine(sqlite_url)
            try:
                with reader(other).connect() as connection:  # a read (BEGIN, not BEGIN IMMEDIATE)
                    assert connection.exec_driver_sql("SELECT count(*) FROM person").scalar_one() == 1
            finally:
                other.dispose()
    finally:
        services.close()


def test_a_locked_file_is_reported_as_busy_not_as_a_permissions_problem(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        message = _connect_message(engine, OperationalError("BEGIN", None, sqlite3.OperationalError("database is locked")))
    finally:
        engine.dispose()
    assert "busy with a long write" in message and "permissions" not in message


ANALYSER_CASES = [
    "The PayBridge export runs at 06:00; e-mail Ana (ana@example.com) if it FAILS.",
    "José Müller, Ørsted, Łódź, Straße, æsir, naïve café, ﬁle, Ⅻ, ½ and 2½ days.",
    "x" * 39 + " " + "y" * 40 + " " + "z" * 41 + " short é" + "e" * 38 + " ok",
    "tabs\tand\nnew lines, under_scores, dots.in.names and 3.14159 and C++ and #hashtags",
    "日本語のテキスト and Ελληνικά and русский текст mixed with ASCII",
]


@pytest.mark.parametrize("text", ANALYSER_CASES)
def test_the_built_in_analyzer_indexes_exactly_the_query_words(text: str) -> None:
    """The body field uses tantivy's compiled ``default`` analyzer; queries use :func:`analyse`.

    Every word ``analyse`` gives must be a term of the document, at its position (a phrase of
    all the words matches).
    """
    from retain.store.search.schema import analyse, index_text, make_schema

    index = tantivy.Index(make_schema())
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    document = tantivy.Document()
    document.add_unsigned("id", 1)
    document.add_text("body", index_text(text))
    writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    schema = make_schema()
    words = analyse(text)
    assert words and all(len(word.encode()) < 40 for word in words)
    for word in words:
        assert searcher.doc_freq("body", word) == 1, word
    phrase = tantivy.Query.phrase_query(schema, "body", words) if len(words) > 1 else None
    if phrase is not None:
        assert searcher.search(phrase, 1).count == 1
    assert searcher.doc_freq("body", "z" * 41) == 0
