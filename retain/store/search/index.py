"""The search index: tantivy over the answer table, derived, rebuildable and kept exact by a change log."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import tantivy

from retain.domain.visibility import SHAREABLE_READER
from retain.store.rows import RowReader, as_rows
from retain.store.search.changes import Head, changes_since, read_head
from retain.store.search.prompts import PromptStats, prompt_id
from retain.store.search.schema import (
    AnswerRow,
    answer_ids,
    answer_rows,
    index_text,
    layout,
    make_schema,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

# One IndexWriter thread per core on a bulk build; a single thread for a handful of changes.
BULK_THREADS = 2
BULK_HEAP = 512 * 1024 * 1024
SYNC_HEAP = 32 * 1024 * 1024
# Past this many changes since the last look, a rebuild (two threads, one pass) is quicker.
REBUILD_AFTER = 20_000
STATE_FILE = "state.json"
PROMPTS_FILE = "prompts.json"
LOCK_FILE = "lock"


@dataclass
class IndexState:
    """What an index on disk was built from, kept beside it in ``state.json``.

    Attributes:
        instance: The database's identity (``search_meta.instance``).
        epoch: The database's epoch when this index was built; a bump means rebuild.
        generation: Which ``gen-N`` directory holds the index.
        seq: Every change up to this sequence number is in the index.
        xmin: PostgreSQL: the oldest transaction still running at the last sync.
        recent: PostgreSQL: sequence numbers already applied from transactions at or after
            ``xmin``, which a later sync sees again and need not re-apply.
    """

    instance: str
    epoch: int
    generation: int
    seq: int
    xmin: int | None = None
    recent: list[int] = field(default_factory=list)
    layout: str = ""


class AnswerIndex:
    """A tantivy index of the answers of one database, brought up to date before every search.

    The database stays the only source of truth. Triggers log every changed answer in
    ``search_change``; :meth:`current` applies the changes logged since the index last
    looked, and rebuilds from scratch when the database's identity or epoch differ from the
    index's (a new database, a bulk load, an erasure). Several processes may share one index
    directory: a file lock serialises the writers, and each reader reopens when the state
    file names a newer generation or sequence.
    """

    def __init__(self, rows: RowReader | Engine, root: Path | None, *, per_instance: bool = False) -> None:
        """Args:
            rows: Reads the database (an engine is read through :class:`EngineRows`).
            root: The index directory, or ``None`` to keep the index in memory.
            per_instance: ``root`` holds one directory per database identity (a server, where
                one URL can reach many schemas or a database recreated under the same name).
        """
        self._rows = as_rows(rows)
        self._base = root
        self._per_instance = per_instance
        self._root = None if per_instance else root
        self._checked = False
        self._schema = make_schema()
        self._lock = threading.RLock()
        self._index: tantivy.Index | None = None
        self._state: IndexState | None = None  # what self._index holds, as this process last saw it
        self._prompts: dict[int, str] = {}  # in memory: the prompt texts (on disk: prompts.json)
        self._stats: tuple[object, PromptStats] | None = None

    @property
    def schema(self) -> tantivy.Schema:
        """The index schema (query builders need it)."""
        return self._schema

    @property
    def root(self) -> Path | None:
        """Where the index lives (``None``: in memory)."""
        return self._root

    def current(self) -> tantivy.Searcher:
        """A searcher over an index that holds every answer committed so far."""
        with self._lock:
            head = read_head(self._rows)
            self._locate(head)
            state = self._saved_state()
            if state is None or not self._compatible(state, head):
                with self._exclusive():
                    state = self._saved_state()
                    if state is None or not self._compatible(state, head):
                        state = self._build(head)
            if self._has_changes(state, head):
                with self._exclusive():
                    state = self._saved_state() or state
                    if self._has_changes(state, head):
                        state = self._apply(state)
            return self._open(state).searcher()

    def prompt_stats(self, searcher: tantivy.Searcher) -> PromptStats:
        """The distinct prompts of the index as :meth:`current` left it, with their counts."""
        from retain.store.search.compile import analyse

        state = self._state
        key = (self._root, state.generation, state.seq, tuple(state.recent)) if state else None
        if self._stats is not None and self._stats[0] == key:
            return self._stats[1]
        texts = self._read_prompts(state.generation) if state is not None else {}
        stats = PromptStats.measure(
            texts, analyse, lambda pid: int(searcher.doc_freq("prompt", pid)), int(searcher.num_docs)
        )
        self._stats = (key, stats)
        return stats

    def rebuild(self) -> None:
        """Build the index again from every answer, leaving nothing of the old one on disk."""
        with self._lock, self._exclusive():
            head = read_head(self._rows)
            self._locate(head)
            self._build(head)

    @contextmanager
    def appending(self) -> Iterator[Appender]:
        """Add many new answers to the index as it stands; :meth:`Appender.publish` shows them.

        The writer lock is held throughout, so no other process re-indexes meanwhile, and if
        the block fails nothing it added is kept.
        """
        with self._lock, self._exclusive():
            head = read_head(self._rows)
            self._locate(head)
            state = self._saved_state()
            if state is None or not self._compatible(state, head):
                state = self._build(head)
            elif self._has_changes(state, head):
                state = self._apply(state)
            index = self._open(state)
            writer = index.writer(heap_size=BULK_HEAP, num_threads=BULK_THREADS)
            appender = Appender(self, index, writer, state, self._read_prompts(state.generation))
            try:
                yield appender
            except BaseException:
                writer.rollback()
                writer.wait_merging_threads()  # ends the writer: tantivy's own lock is let go
                raise

    def verify(self) -> list[str]:
        """Differences between the index and the answer table (none when they agree)."""
        searcher = self.current()
        everything = searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs), count=False)
        addresses = [address for _score, address in everything.hits]
        indexed = answer_ids(searcher, addresses)
        shared_query = tantivy.Query.term_query(self._schema, "shared", 1)
        shared_hits = searcher.search(shared_query, max(1, searcher.num_docs), count=False).hits
        shared = set(answer_ids(searcher, [a for _s, a in shared_hits]))
        rows = {row.id: SHAREABLE_READER.may_read(row) for row in answer_rows(self._rows, None)}
        problems: list[str] = []
        if len(indexed) != len(set(indexed)):
            problems.append("an answer is indexed twice")
        if set(indexed) != set(rows):
            problems.append(f"indexed {sorted(set(indexed) ^ set(rows))[:10]} differ from the answer table")
        wrong = sorted(i for i, readable in rows.items() if readable != (i in shared))
        if wrong:
            problems.append(f"answers {wrong[:10]} have the wrong visibility in the index")
        return problems

    # -- state ---------------------------------------------------------------------------
    def _locate(self, head: Head) -> None:
        """Point at the directory of this database's identity (a new identity: a new index)."""
        if self._per_instance and self._base is not None:
            root: Path | None = self._base / head.instance
            if root != self._root:
                self._root, self._index, self._state, self._checked = root, None, None, False
        if not self._checked:
            self._checked = True
            if self._root is not None and not _writable(self._root):
                # A database on read-only media still answers: the index is built in memory.
                self._root, self._index, self._state = None, None, None

    def _compatible(self, state: IndexState, head: Head) -> bool:
        if head.seq - state.seq > REBUILD_AFTER:
            return False  # a fresh build is quicker than re-indexing one answer at a time
        if head.seq < state.seq:
            return False  # the database went back (a file restored by hand): the index is ahead
        if state.instance != head.instance or state.epoch != head.epoch or state.layout != layout():
            return False
        return self._root is None or (self._root / f"gen-{state.generation}" / "meta.json").exists()

    @staticmethod
    def _has_changes(state: IndexState, head: Head) -> bool:
        # On PostgreSQL a change can commit with a lower number than one already applied, so
        # any change from a transaction running at the last sync is looked at again.
        return head.seq > state.seq or (state.xmin is not None and head.max_xid >= state.xmin)

    def _saved_state(self) -> IndexState | None:
        if self._root is None:
            return self._state
        try:
            data = json.loads((self._root / STATE_FILE).read_text(encoding="utf-8"))
            return IndexState(**data)
        except (OSError, ValueError, TypeError):
            return None

    def _save_state(self, state: IndexState) -> None:
        if self._root is not None:
            # Written whole and renamed, so a reader never sees half a state file.
            temporary = self._root / f"{STATE_FILE}.{os.getpid()}.tmp"
            temporary.write_text(json.dumps(asdict(state)), encoding="utf-8")
            temporary.replace(self._root / STATE_FILE)
        self._state = state

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold the index's writer lock across processes (a no-op in memory)."""
        if self._root is None:
            yield
            return
        self._root.mkdir(parents=True, exist_ok=True)
        with open(self._root / LOCK_FILE, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _open(self, state: IndexState) -> tantivy.Index:
        """This process's handle on the state's generation, reloaded if another process wrote."""
        known = self._state
        if self._index is None or known is None or known.generation != state.generation:
            if self._root is None:
                assert self._index is not None, "an in-memory index is built before it is opened"
            else:
                self._index = self._new_index(self._root / f"gen-{state.generation}")
        elif (known.seq, known.recent, known.epoch) != (state.seq, state.recent, state.epoch):
            # Another process applied changes, or bulk-loaded answers (a new epoch, same seq).
            self._index.reload()
        self._state = state
        assert self._index is not None
        return self._index

    def _new_index(self, path: Path | None) -> tantivy.Index:
        if path is None:
            index = tantivy.Index(self._schema)
        else:
            path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self._schema, path=str(path))
        return index

    # -- writing -------------------------------------------------------------------------
    def _build(self, head: Head) -> IndexState:
        """A new generation from every answer; the head was read before the rows."""
        previous = self._saved_state()
        generation = (previous.generation + 1) if previous is not None else 1
        path = None if self._root is None else self._root / f"gen-{generation}"
        if path is not None and path.exists():
            shutil.rmtree(path)
        index = self._new_index(path)
        writer = index.writer(heap_size=BULK_HEAP, num_threads=BULK_THREADS)
        prompts: dict[int, str] = {}
        for row in answer_rows(self._rows, None):
            writer.add_document(self._document(row, prompts))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self._write_prompts(generation, prompts)
        state = IndexState(head.instance, head.epoch, generation, head.seq, head.xmin, [], layout())
        self._index = index
        self._save_state(state)
        self._remove_other_generations(generation)
        return state

    def _apply(self, state: IndexState) -> IndexState:
        """Re-index the answers changed since ``state``: delete each, add back what still exists."""
        batch = changes_since(self._rows, state.seq, state.xmin, set(state.recent))
        rows = list(answer_rows(self._rows, batch.answer_ids)) if batch.answer_ids else []
        index = self._open(state)
        if not batch.answer_ids:
            # Nothing new, only late commits already applied: move the window on.
            new_state = IndexState(state.instance, state.epoch, state.generation, max(state.seq, batch.seq),
                                   batch.xmin, batch.recent, state.layout)
            self._save_state(new_state)
            return new_state
        writer = index.writer(heap_size=SYNC_HEAP, num_threads=1)
        # By query: delete_documents_by_term reads a Python int as i64, not this u64 field.
        writer.delete_documents_by_query(tantivy.Query.term_set_query(self._schema, "id", batch.answer_ids))
        prompts = self._read_prompts(state.generation)
        known = len(prompts)
        for row in rows:
            writer.add_document(self._document(row, prompts))
        if len(prompts) > known:
            # Before the commit: a reader that sees the new documents must know their prompts.
            self._write_prompts(state.generation, prompts)
        writer.commit()
        writer.wait_merging_threads()
        new_state = IndexState(
            state.instance, state.epoch, state.generation, max(state.seq, batch.seq), batch.xmin, batch.recent,
            state.layout,
        )
        self._save_state(new_state)
        index.reload()
        return new_state

    def _read_prompts(self, generation: int) -> dict[int, str]:
        if self._root is None:
            return dict(self._prompts)
        try:
            data = json.loads((self._root / f"gen-{generation}" / PROMPTS_FILE).read_text(encoding="utf-8"))
            return {int(pid): str(text) for pid, text in data.items()}
        except (OSError, ValueError, AttributeError):
            return {}

    def _write_prompts(self, generation: int, prompts: dict[int, str]) -> None:
        if self._root is None:
            self._prompts = dict(prompts)
            return
        target = self._root / f"gen-{generation}" / PROMPTS_FILE
        temporary = target.with_name(f"{PROMPTS_FILE}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps({str(pid): text for pid, text in prompts.items()}), encoding="utf-8")
        temporary.replace(target)

    @staticmethod
    def _document(row: AnswerRow, prompts: dict[int, str]) -> tantivy.Document:
        document = tantivy.Document()
        document.add_unsigned("id", row.id)
        document.add_unsigned("interview", row.interview_id)
        document.add_text("body", index_text(row.body))
        pid = _prompt_ids.get(row.prompt)
        if pid is None:
            pid = _prompt_ids[row.prompt] = prompt_id(row.prompt)
        prompts.setdefault(pid, row.prompt)
        document.add_unsigned("prompt", pid)
        document.add_unsigned("shared", 1 if row.shared else 0)
        document.add_integer("updated", row.updated)
        return document

    def _remove_other_generations(self, keep: int) -> None:
        """Old generations go at once: an erased answer must not survive in one of them."""
        if self._root is None:
            return
        for child in self._root.glob("gen-*"):
            if child.name != f"gen-{keep}" and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)


class Appender:
    """The open writer of a bulk load (see :meth:`AnswerIndex.appending`)."""

    def __init__(self, owner: AnswerIndex, index: tantivy.Index, writer: tantivy.IndexWriter, state: IndexState,
                 prompts: dict[int, str]) -> None:
        self._owner = owner
        self._index = index
        self._writer = writer
        self._state = state
        self._prompts = prompts
        self._known = len(prompts)

    def add(self, rows: list[AnswerRow]) -> None:
        """Hand answers to the writer (its threads index them; nothing shows before publish)."""
        for row in rows:
            self._writer.add_document(AnswerIndex._document(row, self._prompts))

    def publish(self, epoch: int) -> None:
        """Commit what was added, once the database has committed it, at the database's new epoch.

        If this fails, the saved state still names the old epoch, so the next search rebuilds.
        """
        owner, state = self._owner, self._state
        if len(self._prompts) > self._known:
            owner._write_prompts(state.generation, self._prompts)
        self._writer.commit()
        self._writer.wait_merging_threads()
        self._index.reload()
        owner._save_state(IndexState(state.instance, epoch, state.generation, state.seq, state.xmin,
                                     state.recent, state.layout))


# A million answers share a few hundred prompts: hash each text once per process.
_prompt_ids: dict[str, int] = {}


def _writable(root: Path) -> bool:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(root, os.W_OK | os.X_OK)


__all__ = ["AnswerIndex", "Appender", "IndexState"]
