"""Extraction use cases: run the extractor over answers, store mentions and topics per answer."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, delete, distinct, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from retain.clock import utcnow
from retain.config import Settings
from retain.domain.visibility import HR_READER, SHAREABLE_READER
from retain.errors import Fix, NotFound, RetainError
from retain.guides.schema import Guide
from retain.nlp.extractor import Extraction, Extractor
from retain.nlp.resolve import resolve_mentions, vendor_keys
from retain.nlp.topics import score_phrases
from retain.services.base import session_scope
from retain.services.extraction_types import ExtractStats, PeopleIndex
from retain.store.models import Answer, Interview, Mention, Person, Topic
from retain.store.visibility import readable

log = logging.getLogger("retain.extraction")

# Core tables and their columns: the queries below are plain SQL, typed for mypy.
_TABLES = SQLModel.metadata.tables
_ANSWER = _TABLES[str(Answer.__tablename__)]
_MENTION = _TABLES[str(Mention.__tablename__)]
_TOPIC = _TABLES[str(Topic.__tablename__)]
_INTERVIEW = _TABLES[str(Interview.__tablename__)]
_PERSON = _TABLES[str(Person.__tablename__)]
A, M, T, IV, P = _ANSWER.c, _MENTION.c, _TOPIC.c, _INTERVIEW.c, _PERSON.c

# Answers read from the store, and written back, per transaction: big enough that writes are
# bulk inserts, small enough that memory stays flat however large the store is.
CHUNK = 256
BATCH_SIZE = 64
# Below these sizes worker processes cost more to start than they save.
MIN_PARALLEL_ANSWERS = 200
MIN_PARALLEL_WORDS = 25_000
MAX_ANSWER_TOPICS = 40
INTERVIEW_TOPICS = 15
# Column limits of the mention and topic tables (PostgreSQL enforces them).
_TEXT_MAX, _PHRASE_MAX = 500, 300

ProgressCallback = Callable[[int, int], None]


def _restricted(snapshot: object) -> frozenset[str]:
    """The restricted question ids of a guide snapshot (exit escalations)."""
    try:
        guide = Guide.model_validate(snapshot)
    except ValueError:
        return frozenset()
    return frozenset(q.id for _, q in guide.questions() if q.restricted)


def _open_documents(conn: Connection) -> int:
    """How many shareable, readable answers have topics: the IDF's document count."""
    return int(conn.execute(
        select(func.count(distinct(T.answer_id)))
        .select_from(_TOPIC.join(_ANSWER, A.id == T.answer_id))
        .where(_open_answer())
    ).scalar_one())


def _open_answer() -> ColumnElement[bool]:
    """The answers a shareable reader may read (:meth:`retain.domain.visibility.Reader.may_read`)."""
    return readable()


@dataclass
class _Row:
    id: int
    interview_id: int
    body: str
    read_at: datetime
    # Whether a shareable reader may read it: only those count towards document frequencies.
    open: bool = True

    @property
    def has_text(self) -> bool:
        return bool(self.body.strip())


class ExtractionService:
    """Runs the extractor over answers and keeps the Mention and Topic tables in step.

    Args:
        engine: The database.
        settings: Settings (model name, glossary).
        extractor_factory: Builds the extractor; defaults to the spaCy one for ``settings``.
            Tests and the TUI inject one to share a loaded pipeline.
    """

    def __init__(self, engine: Engine, settings: Settings,
                 extractor_factory: Callable[[], Extractor] | None = None) -> None:
        self._engine = engine
        self._settings = settings
        self._factory = extractor_factory
        self._extractor: Extractor | None = None
        self._lock = threading.Lock()

    # -- the extractor ----------------------------------------------------------------------
    def extractor(self) -> Extractor:
        """The extractor, built and loaded once (slow the first time), shared by all threads."""
        if self._extractor is None:
            with self._lock:
                if self._extractor is None:
                    if self._factory is not None:
                        extractor = self._factory()
                    else:
                        from retain.nlp.extractor import load_extractor

                        extractor = load_extractor(self._settings)
                    extractor.load()
                    self._extractor = extractor
        return self._extractor

    def preview(self, text: str) -> Extraction:
        """Extract text that is not saved yet (the TUI's live panel); nothing is stored.

        The mentions are resolved as the store resolves them (known people's names win, keys
        the store knows as a SYSTEM are SYSTEM), so the panel and the follow-ups agree.
        """
        extraction = self.extractor().extract(text)
        if extraction.error or not extraction.mentions:
            return extraction
        with session_scope(self._engine) as session:
            conn = session.connection()
            names = list(conn.execute(select(P.name)).scalars())
            keys = [m.key for m in extraction.mentions]
            systems = set(conn.execute(
                select(M.key).where(M.label == "SYSTEM", M.key.in_(keys)).distinct()
            ).scalars())
        mentions = resolve_mentions(text, extraction.mentions, people=names, system_keys=systems,
                                    vendors=vendor_keys())
        return Extraction(mentions, extraction.phrases, extraction.error)

    # -- running ----------------------------------------------------------------------------
    def extract_interview(self, interview_id: int, *, force: bool = False, processes: int = 1,
                          progress: ProgressCallback | None = None) -> ExtractStats:
        """Extract one interview's answers (only changed ones unless ``force``).

        Raises:
            NotFound: If there is no such interview.
        """
        return self.extract_interviews([interview_id], force=force, processes=processes, progress=progress)

    def extract_interviews(self, interview_ids: Sequence[int], *, force: bool = False, processes: int = 1,
                           progress: ProgressCallback | None = None) -> ExtractStats:
        """Extract the answers of several interviews (only changed ones unless ``force``).

        Raises:
            NotFound: If one of the interviews does not exist.
        """
        wanted = list(dict.fromkeys(interview_ids))
        with session_scope(self._engine) as session:
            conn = session.connection()
            found = set(conn.execute(select(IV.id).where(IV.id.in_(wanted))).scalars())
            missing = [i for i in wanted if i not in found]
            if missing:
                raise NotFound(f"no interview {missing[0]}", fix=Fix.LIST_INTERVIEWS)
            ids = list(conn.execute(
                select(A.id).where(A.interview_id.in_(wanted)).order_by(A.id)
            ).scalars())
        return self.extract_answers(ids, force=force, processes=processes, progress=progress)

    def extract_all(self, *, force: bool = False, processes: int = 1,
                    progress: ProgressCallback | None = None) -> ExtractStats:
        """Extract every answer whose text changed since its last extraction (all with ``force``)."""
        with session_scope(self._engine) as session:
            conn = session.connection()
            total = conn.execute(select(func.count()).select_from(_ANSWER)).scalar_one()
            query = select(A.id).order_by(A.id)
            if not force:
                query = query.where(
                    A.extracted_at.is_(None) | (A.extracted_at < A.updated_at)
                )
            ids = list(conn.execute(query).scalars())
        stats = self.extract_answers(ids, force=True, processes=processes, progress=progress)
        stats.unchanged += total - len(ids)
        return stats

    def extract_answers(self, answer_ids: Sequence[int], *, force: bool = True, processes: int = 1,
                        progress: ProgressCallback | None = None) -> ExtractStats:
        """Extract answers and replace what was stored for them.

        For each answer its old mentions and answer-level topics are deleted and the new ones
        inserted (in bulk, a chunk of answers per transaction), then the interview-level topics
        of every touched interview are recomputed. Skipped and empty answers end up with
        nothing. Confidential answers are extracted too: their rows keep the link to the
        answer, and every reader filters on the answer's visibility.

        Args:
            answer_ids: The answers; unknown ids are ignored.
            force: Redo answers that have not changed since their last extraction.
            processes: Worker processes for large batches; small batches run in-process.
            progress: Called with ``(done, total)`` after each chunk.

        Returns:
            What was done; failed answers are counted and described, not raised.
        """
        ids = list(dict.fromkeys(int(i) for i in answer_ids))
        stats = ExtractStats()
        if not ids:
            return stats
        extractor = self.extractor()  # loading the model is not part of the run's time
        started = time.perf_counter()
        people = self._people_index()
        df, n_docs = self._document_frequencies()
        processes = self._choose_processes(processes, ids)
        touched: set[int] = set()
        pending: deque[_Row] = deque()
        buffer: list[tuple[_Row, Extraction]] = []
        done = 0

        def texts() -> Iterator[str]:
            for row in self._rows(ids, force, stats):
                pending.append(row)
                if row.has_text:
                    yield row.body

        def flush() -> None:
            nonlocal done
            if buffer:
                self._write(buffer, people, df, n_docs, stats, touched)
                done += len(buffer)
                buffer.clear()
            if progress is not None:
                progress(min(done + stats.unchanged, len(ids)), len(ids))

        empty = Extraction([], [])
        for extraction in self._stream(extractor, texts(), pending, processes):
            while pending and not pending[0].has_text:
                buffer.append((pending.popleft(), empty))
            buffer.append((pending.popleft(), extraction))
            if len(buffer) >= CHUNK:
                flush()
        while pending:
            buffer.append((pending.popleft(), empty))
        flush()
        if touched:
            self.propagate_systems()
            self.refresh_interview_topics(sorted(touched))
        stats.seconds = time.perf_counter() - started
        return stats

    @staticmethod
    def _stream(extractor: Extractor, texts: Iterator[str], pending: deque[_Row],
                processes: int) -> Iterator[Extraction]:
        """``extract_many`` over the texts; if it raises, redo the texts in flight one by one."""
        while True:
            try:
                yield from extractor.extract_many(texts, n_process=processes, batch_size=BATCH_SIZE)
                return
            except RetainError:
                raise
            except Exception as exc:  # an extractor that raises instead of reporting
                log.warning("batch extraction failed (%s); retrying its answers one by one", exc)
                for row in [r for r in pending if r.has_text]:
                    try:
                        yield extractor.extract(row.body)
                    except Exception as one:
                        yield Extraction([], [], error=f"{type(one).__name__}: {str(one)[:200]}")
                processes = 1

    def _choose_processes(self, processes: int, ids: Sequence[int]) -> int:
        processes = max(1, min(processes, os.cpu_count() or 1))
        if processes == 1 or len(ids) < MIN_PARALLEL_ANSWERS:
            return 1
        chars = 0
        with session_scope(self._engine) as session:
            conn = session.connection()
            for start in range(0, len(ids), 1000):
                part = ids[start:start + 1000]
                chars += conn.execute(
                    select(func.coalesce(func.sum(func.length(A.body)), 0))
                    .where(A.id.in_(part))
                ).scalar_one()
        # About six characters a word in English prose.
        return processes if chars / 6 >= MIN_PARALLEL_WORDS else 1

    # -- reading ----------------------------------------------------------------------------
    def _rows(self, ids: Sequence[int], force: bool, stats: ExtractStats) -> Iterator[_Row]:
        """Answers to extract, a chunk per short transaction (never one open across writes)."""
        for start in range(0, len(ids), CHUNK):
            part = ids[start:start + CHUNK]
            read_at = utcnow()
            with session_scope(self._engine) as session:
                result = session.connection().execute(
                    select(A.id, A.interview_id, A.body, A.skipped, A.visibility,
                           A.updated_at, A.extracted_at)
                    .where(A.id.in_(part))
                ).all()
            by_id = {r.id: r for r in result}
            for answer_id in part:
                r = by_id.get(answer_id)
                if r is None:
                    continue
                if not force and r.extracted_at is not None and r.extracted_at >= r.updated_at:
                    stats.unchanged += 1
                    continue
                # A skipped answer keeps its typed text but yields nothing.
                yield _Row(r.id, r.interview_id, "" if r.skipped else (r.body or ""), read_at,
                           open=SHAREABLE_READER.may_read(r))

    def _people_index(self) -> PeopleIndex:
        with session_scope(self._engine) as session:
            rows = session.connection().execute(select(P.id, P.name)).all()
        return PeopleIndex((r.id, r.name) for r in rows)

    def _document_frequencies(self) -> tuple[dict[str, int], int]:
        """How many answers contain each phrase, and how many answers have topics.

        Only answers a shareable reader may read count: a confidential answer's words must not
        change which topics a shareable pack shows, however many of them there are.
        """
        with session_scope(self._engine) as session:
            conn = session.connection()
            df = {phrase: int(n) for phrase, n in conn.execute(
                select(T.phrase, func.count())
                .select_from(_TOPIC.join(_ANSWER, A.id == T.answer_id))
                .where(_open_answer())
                .group_by(T.phrase)
            ).all()}
            n_docs = _open_documents(conn)
        return df, n_docs

    # -- writing ----------------------------------------------------------------------------
    def _write(self, items: list[tuple[_Row, Extraction]], people: PeopleIndex, df: dict[str, int],
               n_docs: int, stats: ExtractStats, touched: set[int]) -> None:
        ok: list[tuple[_Row, Extraction]] = []
        for row, extraction in items:
            if extraction.error:
                stats.failed += 1
                stats.errors.append(f"answer {row.id}: {extraction.error}")
                log.warning("extraction failed for answer %s: %s", row.id, extraction.error)
            else:
                ok.append((row, extraction))
        if not ok:
            return
        with session_scope(self._engine) as session:
            conn = session.connection()
            ids = [row.id for row, _ in ok]
            # An answer deleted since it was read is left out rather than failing the chunk.
            alive = set(conn.execute(select(A.id).where(A.id.in_(ids))).scalars())
            ok = [(row, ex) for row, ex in ok if row.id in alive]
            ids = [row.id for row, _ in ok]
            if not ids:
                return
            mentions, topics = self._rows_to_insert(ok, people, df, n_docs)
            conn.execute(delete(_MENTION).where(M.answer_id.in_(ids)))
            conn.execute(delete(_TOPIC).where(T.answer_id.in_(ids)))
            if mentions:
                conn.execute(insert(_MENTION), mentions)
            if topics:
                conn.execute(insert(_TOPIC), topics)
            # The time each answer was read: an edit made since then leaves it out of date.
            by_time: dict[datetime, list[int]] = defaultdict(list)
            for row, _ in ok:
                by_time[row.read_at].append(row.id)
            for read_at, group in by_time.items():
                conn.execute(update(_ANSWER).where(A.id.in_(group)).values(extracted_at=read_at))
        for row, _ in ok:
            touched.add(row.interview_id)
            stats.words += len(row.body.split())
        stats.answers += len(ok)
        stats.mentions += len(mentions)
        stats.topics += len(topics)

    @staticmethod
    def _rows_to_insert(ok: list[tuple[_Row, Extraction]], people: PeopleIndex, df: dict[str, int],
                        n_docs: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        mentions: list[dict[str, Any]] = []
        topics: list[dict[str, Any]] = []
        docs = max(n_docs, 1) + sum(1 for row, _ in ok if row.open)
        for row, extraction in ok:
            # A known person's name wins over the model's span ("Kwame Asante in Finance").
            for m in resolve_mentions(row.body, extraction.mentions, people=people.names):
                person_id, key = people.link(m.key) if m.label == "PERSON" else (None, m.key)
                mentions.append({
                    "answer_id": row.id, "interview_id": row.interview_id,
                    "text": m.text[:_TEXT_MAX], "label": m.label, "start": m.start, "end": m.end,
                    "key": key[:_TEXT_MAX], "person_id": person_id,
                })
            counts = Counter(p[:_PHRASE_MAX] for p in extraction.phrases)
            for phrase, score in score_phrases(counts, df, docs, limit=MAX_ANSWER_TOPICS):
                topics.append({"interview_id": row.interview_id, "answer_id": row.id,
                               "phrase": phrase, "score": score})
        return mentions, topics

    def store_extraction(self, answer_id: int, body: str, extraction: Extraction | None) -> bool:
        """Store an extraction already made of an answer's text (the TUI's live preview).

        Per-answer work only: the answer's mentions and topics are replaced and it is marked
        extracted. The store-wide passes (relabelling, interview topics) are left to
        :meth:`refresh_derived`, which runs in the background or on ``retain extract``.

        Args:
            answer_id: The saved answer.
            body: The text that was extracted; nothing is stored if the answer's body differs
                (it changed since), so a stale preview never overwrites a newer one.
            extraction: The preview's result (``None`` for an empty text).

        Returns:
            Whether it was stored.
        """
        read_at = utcnow()
        with session_scope(self._engine, readonly=True) as session:
            row = session.connection().execute(
                select(A.id, A.interview_id, A.body, A.skipped).where(A.id == answer_id)
            ).first()
        if row is None or (row.body or "") != body:
            return False
        text = "" if row.skipped else body
        result = extraction if extraction is not None and text.strip() else Extraction([], [])
        df, n_docs = self._document_frequencies()
        stats = ExtractStats()
        self._write([(_Row(row.id, row.interview_id, text, read_at), result)],
                    self._people_index(), df, n_docs, stats, set())
        return stats.answers == 1

    def refresh_derived(self, interview_ids: Sequence[int]) -> None:
        """The store-wide passes that follow new mentions: relabelling and interview topics."""
        self.propagate_systems()
        self.refresh_interview_topics(interview_ids)

    def propagate_systems(self) -> int:
        """Label every mention of a known in-house system SYSTEM, wherever the model said ORG.

        "the PayBridge interface" proves PayBridge is a system; the statistical model still
        calls a bare "PayBridge" an ORG elsewhere. Once any mention of a key is a SYSTEM, its
        ORG, PRODUCT, GPE, LOC and FAC mentions (and one-word PERSON mentions that match no
        person) become SYSTEM too, store-wide, on evidence a shareable reader may see (see
        below). Vendors named
        after their product (Salesforce, Workday) are left alone: "at Salesforce" is a company.

        Returns:
            How many mentions were relabelled.
        """
        from retain.nlp.normalize import normalise as norm
        from retain.nlp.terms import gazetteer_terms, organisation_terms

        vendors = {norm(v) for t in gazetteer_terms() if t.company for v in t.variants}
        vendors |= {norm(t.name) for t in organisation_terms()}
        changed = 0
        with session_scope(self._engine) as session:
            conn = session.connection()
            # Relabelling is store-wide, so it may only rest on evidence the reader may see:
            # a SYSTEM seen in a shareable answer relabels every mention of its key; one seen
            # only in confidential (or skipped) answers relabels only mentions that are
            # themselves out of a shareable reader's sight.
            hidden = select(A.id).where(~_open_answer())
            seen_by: dict[str, bool] = {}
            for key, open_ in conn.execute(
                select(M.key, _open_answer()).select_from(_MENTION.join(_ANSWER, A.id == M.answer_id))
                .where(M.label == "SYSTEM").distinct()
            ).all():
                if key not in vendors:
                    seen_by[key] = seen_by.get(key, False) or bool(open_)
            for everywhere in (True, False):
                keys = sorted(k for k, open_ in seen_by.items() if open_ is everywhere)
                for start in range(0, len(keys), 500):
                    part = keys[start:start + 500]
                    scope = [] if everywhere else [M.answer_id.in_(hidden)]
                    result = conn.execute(
                        update(_MENTION)
                        .where(M.key.in_(part), M.label.in_(["ORG", "PRODUCT", "GPE", "LOC", "FAC"]), *scope)
                        .values(label="SYSTEM")
                    )
                    changed += result.rowcount or 0
                    # A one-word "person" nobody in the store is called: "Atlas" the data warehouse.
                    result = conn.execute(
                        update(_MENTION)
                        .where(M.key.in_([k for k in part if " " not in k]), M.label == "PERSON",
                               M.person_id.is_(None), *scope)
                        .values(label="SYSTEM")
                    )
                    changed += result.rowcount or 0
        return changed

    def refresh_interview_topics(self, interview_ids: Sequence[int]) -> int:
        """Recompute the interview-level topics (``answer_id`` NULL) of these interviews.

        A phrase scores by how many of the interview's answers contain it, times its inverse
        document frequency over every answer in the store, with a small bonus for two- and
        three-word phrases. Only shareable answers count, so a confidential answer's phrases
        never surface in a handover pack; an exit interview (confidential and HR-only as a
        whole) counts all its answers except restricted ones: escalations are never themes.
        Document frequencies count shareable answers only.

        Returns:
            How many interview-level topics were stored.
        """
        stored = 0
        for start in range(0, len(interview_ids), 100):
            part = list(interview_ids[start:start + 100])
            with session_scope(self._engine) as session:
                conn = session.connection()
                n_docs = _open_documents(conn)
                tracks = {i: (t, _restricted(snapshot)) for i, t, snapshot in conn.execute(
                    select(IV.id, IV.track, IV.guide_snapshot).where(IV.id.in_(part))
                ).all()}
                for interview_id in part:
                    track, restricted = tracks.get(interview_id, (None, frozenset()))
                    stored += self._refresh_one(conn, interview_id, track, restricted, n_docs)
        return stored

    @staticmethod
    def _refresh_one(conn: Connection, interview_id: int, track: str | None, restricted: frozenset[str],
                     n_docs: int) -> int:
        rows = conn.execute(
            select(T.phrase, A.visibility, A.skipped, A.question_id)
            .join(_ANSWER, A.id == T.answer_id)
            .where(T.interview_id == interview_id)
            .order_by(A.id, T.id)
        ).all()
        # An exit interview is read by HR as a whole; a handover's topics are what anyone may read.
        reader = HR_READER if track == "exit" else SHAREABLE_READER
        counts: Counter[str] = Counter(
            r.phrase for r in rows if reader.may_read(r) and not r.skipped and r.question_id not in restricted
        )
        conn.execute(delete(_TOPIC).where(T.interview_id == interview_id, T.answer_id.is_(None)))
        if not counts:
            return 0
        mine = select(T.phrase).where(T.interview_id == interview_id,
                                          T.answer_id.is_not(None)).scalar_subquery()
        df = {phrase: int(n) for phrase, n in conn.execute(
            select(T.phrase, func.count())
            .select_from(_TOPIC.join(_ANSWER, A.id == T.answer_id))
            .where(_open_answer(), T.phrase.in_(mine))
            .group_by(T.phrase)
        ).all()}
        scored = score_phrases(counts, df, n_docs, limit=INTERVIEW_TOPICS)
        conn.execute(insert(_TOPIC), [
            {"interview_id": interview_id, "answer_id": None, "phrase": phrase, "score": score}
            for phrase, score in scored
        ])
        return len(scored)


__all__ = ["ExtractStats", "ExtractionService", "PeopleIndex"]
