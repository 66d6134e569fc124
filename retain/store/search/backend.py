"""Search on either database through one derived tantivy index: exact BM25 top hits, filters, snippets."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import tantivy

from retain.store.rows import EngineRows, RowReader, as_rows
from retain.store.search import RawHit, SearchFilters, interview_sql, label_sql
from retain.store.search.changes import bump_epoch
from retain.store.search.compile import QueryCompiler
from retain.store.search.index import AnswerIndex
from retain.store.search.query import ParsedQuery
from retain.store.search.schema import answer_ids

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from retain.store.search.bulk import BulkLoad

# Where the indexes go instead of beside the SQLite file or under the data directory.
SEARCH_DIR_ENV = "RETAIN_SEARCH_DIR"


def index_root(rows: RowReader) -> Path | None:
    """The index directory for a database.

    A SQLite file keeps its index beside it (``retain.db.search``), so copying or deleting
    the two together is natural; an in-memory SQLite keeps it in memory. A server database
    gets one under ``RETAIN_SEARCH_DIR`` or the data directory, named after the URL (never the
    password), and each index checks the database's identity before it answers.
    """
    location = rows.location
    base = os.environ.get(SEARCH_DIR_ENV)
    if rows.dialect == "sqlite":
        if location is None:
            return None
        if base:
            return Path(base).expanduser() / _name(str(Path(location).resolve()))
        return Path(location + ".search")
    key = _name(location or "")
    if not base:
        from platformdirs import user_data_dir

        return Path(os.environ.get("RETAIN_DATA_DIR") or user_data_dir("retain")).expanduser() / "search" / key
    return Path(base).expanduser() / key


def _name(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class IndexedSearch:
    """Ranked search over a database's answers, the same on SQLite and PostgreSQL.

    The ranking is BM25 (tantivy's: k1 1.2, b 0.75, per field), summed over the query's words,
    with a prompt match weighted a quarter of an answer match. Every match that passes the
    filters is scored (about 20 ns each, in Rust), so the hits are the exact top hits under
    that scoring.
    Filters are applied inside the index: who may read (a field written from the one
    visibility rule), the saved date, and the interviews or answers an SQL filter keeps.
    """

    def __init__(self, source: Engine | RowReader, index: AnswerIndex | None = None) -> None:
        """Args:
            source: An engine (reads and bulk loads), or a reader alone (the read-only light
                path of a quick command, through sqlite3).
            index: The index to use (tests pass an in-memory one); by default the database's own.
        """
        self._rows = as_rows(source)
        self._engine = self._rows.engine if isinstance(self._rows, EngineRows) else None
        if index is None:
            index = AnswerIndex(self._rows, index_root(self._rows), per_instance=self._rows.dialect != "sqlite")
        self._index = index
        # How many index searches the last query took (1 unless a tie crossed the cut).
        self.last_fetches = 0

    @property
    def engine(self) -> Engine | None:
        """The engine, for writers (``None`` on the read-only light path)."""
        return self._engine

    @property
    def index(self) -> AnswerIndex:
        """The derived index (the benchmark and tests look inside)."""
        return self._index

    def search(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> list[RawHit]:
        """Ranked hits, best first; among equal scores the newest answer first.

        The snippet is left empty: the caller reads each hit's text anyway
        (:func:`retain.store.search.snippets.snippet` makes it from there).
        """
        if query.empty:
            return []
        searcher = self._index.current()
        compiled = self.compile(query, filters, searcher)
        if compiled is None:
            return []
        # Hits past the cut tell whether equal scores cross it: if they do, fetch on until
        # the whole tie is in, so that "newest first" decides among them rather than the
        # order of the index's segments. Fetching 161 costs what fetching 21 does (every
        # match is scored either way: "of the" at 1M answers is 96 ms for both), and it
        # holds the usual tie of a few answers, so one search is nearly always enough.
        fetch = max(8 * limit, 160) + 1
        self.last_fetches = 0
        while True:
            hits = searcher.search(compiled, fetch, count=False).hits
            self.last_fetches += 1
            if len(hits) < fetch or hits[-1][0] < hits[limit - 1][0]:
                break
            fetch *= 4
        ids = answer_ids(searcher, [address for _s, address in hits])
        ranked = sorted(zip(ids, (float(score) for score, _a in hits), strict=True), key=lambda p: (-p[1], -p[0]))
        return [RawHit(answer_id, float(f"{score:.6g}"), "") for answer_id, score in ranked[:limit]]

    def compile(self, query: ParsedQuery, filters: SearchFilters, searcher: tantivy.Searcher) -> tantivy.Query | None:
        """The whole query for a searcher, filters included (``None``: nothing can match)."""
        schema = self._index.schema
        matched = QueryCompiler(schema, searcher, self._index.prompt_stats(searcher)).compile(query)
        if matched is None:
            return None
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [(tantivy.Occur.Must, matched)]
        restrictions: list[tantivy.Query] = []
        if not filters.include_confidential:
            restrictions.append(tantivy.Query.term_query(schema, "shared", 1))
        if filters.since is not None:
            start = int(datetime.combine(filters.since, time.min, tzinfo=UTC).timestamp())
            restrictions.append(tantivy.Query.range_query(schema, "updated", tantivy.FieldType.Integer, start, None))
        kept = self._kept(filters)
        if kept is not None:
            field, values = kept
            if not values:
                return None
            restrictions.append(tantivy.Query.term_set_query(schema, field, values))
        # Filters select; they add nothing to the score.
        clauses.extend((tantivy.Occur.Must, tantivy.Query.const_score_query(r, 0.0)) for r in restrictions)
        return tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else matched

    def _kept(self, filters: SearchFilters) -> tuple[str, list[int]] | None:
        """The interviews (or, with ``--label``, answers) the SQL filters keep; ``None``: all."""
        interviews, params = interview_sql(filters, self._rows.dialect)
        labels, label_params = label_sql(filters)
        if interviews is None and labels is None:
            return None
        if labels is not None:
            sql = labels if interviews is None else f"{labels} AND m.interview_id IN ({interviews})"
            return "id", sorted({int(row[0]) for row in self._rows.rows(sql, {**label_params, **params})})
        assert interviews is not None
        return "interview", [int(row[0]) for row in self._rows.rows(interviews, params)]

    def rebuild(self) -> None:
        """Build the index again from every answer (after a repair, or to drop all traces)."""
        self._index.rebuild()

    @contextmanager
    def bulk_load(self) -> Iterator[BulkLoad]:
        """A bulk load: answers added with :meth:`BulkLoad.add_answers` are inserted and indexed together.

        One transaction; the index shows the new answers once it has committed. They are not
        in the change log, so the database's epoch is bumped: any other index of it (another
        machine's, for a server) rebuilds, while this one carries on from where it stands.
        Whatever else the block writes through ``load.connection`` is logged and indexed by
        the next search as usual.
        """
        from retain.store.search.bulk import BulkLoad, bulk_connection

        if self._engine is None:
            raise RuntimeError("a bulk load needs the engine, not the read-only light path")
        with self._index.appending() as appender:
            with bulk_connection(self._engine) as connection:
                load = BulkLoad(connection, appender)
                yield load
                epoch = bump_epoch(connection)
            appender.publish(epoch)


__all__ = ["SEARCH_DIR_ENV", "IndexedSearch", "index_root"]
