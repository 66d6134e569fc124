"""SQLite search: an FTS5 external-content index over answers, kept in sync by triggers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import BindParameter, Connection, Engine, bindparam, text

from retain.store.engine import reader
from retain.store.search import (
    ELLIPSIS,
    HIGHLIGHT,
    RawHit,
    SearchFilters,
    filter_sql,
)
from retain.store.search.query import ParsedQuery

FTS_TABLE = "answer_fts"
# Words are indexed as written (case and diacritics folded), with no stemmer: a query word is
# widened to its inflections instead (retain.store.search.inflect), so prefixes stay exact and
# both backends agree. docs/search.md gives the reasoning against porter.
TOKENIZE = "unicode61 remove_diacritics 2"
# The index as the 0002 migration creates it (a test keeps the two in step).
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "body, prompt, content='answer', content_rowid='id', "
    f"tokenize='{TOKENIZE}', prefix='2 3')"
)
# Single saves go through these; bulk loads drop them and index in one pass (bulk_load).
TRIGGERS: dict[str, str] = {
    "answer_fts_ai": (
        "CREATE TRIGGER answer_fts_ai AFTER INSERT ON answer BEGIN "
        "INSERT INTO answer_fts(rowid, body, prompt) VALUES (new.id, new.body, new.prompt); END"
    ),
    "answer_fts_ad": (
        "CREATE TRIGGER answer_fts_ad AFTER DELETE ON answer BEGIN "
        "INSERT INTO answer_fts(answer_fts, rowid, body, prompt) "
        "VALUES ('delete', old.id, old.body, old.prompt); END"
    ),
    "answer_fts_au": (
        "CREATE TRIGGER answer_fts_au AFTER UPDATE OF body, prompt ON answer BEGIN "
        "INSERT INTO answer_fts(answer_fts, rowid, body, prompt) "
        "VALUES ('delete', old.id, old.body, old.prompt); "
        "INSERT INTO answer_fts(rowid, body, prompt) VALUES (new.id, new.body, new.prompt); END"
    ),
}
# Column weights: words in the answer count four times as much as words of the prompt.
COLUMN_WEIGHTS = (1.0, 0.25)
BM25 = f"bm25({FTS_TABLE}, {COLUMN_WEIGHTS[0]}, {COLUMN_WEIGHTS[1]})"
# A bigger in-memory term buffer for bulk indexing: fewer, larger segments to write and merge.
# Rebuilding 1M answers: 1 MB (the default) 33k answers/s, 64 MB 81k/s, 256 MB 98k/s with the
# page cache below. Only filled during the bulk transaction, and only as far as the data needs.
BULK_HASHSIZE = 256 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024
# And a 64 MB page cache (negative: KiB) for the segment writes.
BULK_CACHE_KIB = -64 * 1024
SNIPPET = f"snippet({FTS_TABLE}, 0, '{HIGHLIGHT[0]}', '{HIGHLIGHT[1]}', '{ELLIPSIS}', 20)"


class SqliteSearch:
    """FTS5 search, ranked exactly by ``bm25()`` over every match that passes the filters.

    There is no candidate bound: the top hits are the true top hits under the documented
    scoring (FTS5's BM25, answer text weighted four times the prompt) for every query. Two
    plans, both a single statement so that ``bm25()`` weighs the terms once per query:

    * **index first** (the default): the index is the outer loop and each match is joined
      to its ``answer`` row for the filters; SQLite keeps only the best ``limit`` rows while
      it scores (a top-k sort), so memory stays small.
    * **filter first**: when the filters keep at most ``filter_first_limit`` answers (one
      person, one guide, one entity), the index is read over the kept ids' rowid range only
      and every row outside the kept set is dropped before it is scored.
    """

    # Filters that keep at most this many answers: read the index over their rowid range.
    filter_first_limit = 1000

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def search(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> list[RawHit]:
        """Ranked hits, best first (see the class docstring for the plan)."""
        if query.empty:
            return []
        match = query.to_fts5()
        where, params = filter_sql(filters)
        source = f"SELECT a.id FROM answer a WHERE {' AND '.join(where) or '1'}"
        with reader(self._engine).connect() as connection:
            kept = self._kept(connection, source, params) if filters.selective else None
            if kept is not None:
                top = self._filter_first(connection, match, kept, limit)
            else:
                top = self._index_first(connection, match, where, params, limit)
            snippets = self._snippets(connection, query, match, [answer_id for answer_id, _ in top])
        # Significant digits, not decimals: a word in most answers has a tiny weight (FTS5 floors
        # its IDF at 1e-6), and four decimals would show every such score as 0.
        return [RawHit(answer_id, float(f"{-rank:.6g}"), snippets.get(answer_id, "")) for answer_id, rank in top]

    def _kept(self, connection: Connection, source: str, params: list[BindParameter[Any]]) -> list[int] | None:
        """The ids the filters keep, in order, or ``None`` when there are more than a few."""
        # No ORDER BY: with one, SQLite gathers every kept id before sorting, even for a
        # filter that keeps half the table; without it the LIMIT stops the read early.
        sql = text(f"{source} LIMIT :cap").bindparams(*params, cap=self.filter_first_limit + 1)
        kept = sorted(int(row[0]) for row in connection.execute(sql))
        return kept if len(kept) <= self.filter_first_limit else None

    def _filter_first(
        self, connection: Connection, match: str, kept: list[int], limit: int
    ) -> list[tuple[int, float]]:
        """Rank within a small filtered set: one pass over the kept ids' rowid range.

        One statement and one range, not one seek per answer or per run of answers: FTS5
        recomputes bm25's term weights (a count of every match in the whole index) for each
        seek, which is seconds for a common word at 1M answers. Rows outside the kept set
        are dropped by the ``+rowid IN`` test before ``bm25()`` is computed for them.
        """
        if not kept:
            return []
        rows = connection.execute(
            text(
                f"SELECT rowid, {BM25} AS score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
                "AND rowid BETWEEN :low AND :high AND +rowid IN :ids ORDER BY score, rowid DESC LIMIT :limit"
            ).bindparams(bindparam("ids", expanding=True)),
            {"q": match, "low": kept[0], "high": kept[-1], "ids": kept, "limit": limit},
        ).all()
        return [(int(row[0]), float(row[1])) for row in rows]

    def _index_first(
        self,
        connection: Connection,
        match: str,
        where: list[str],
        params: list[BindParameter[Any]],
        limit: int,
    ) -> list[tuple[int, float]]:
        """Score every match that passes the filters and keep the best ``limit``.

        CROSS JOIN keeps the index as the outer loop: driven from ``answer`` instead, each
        answer would be one seek into the index, and each seek recomputes the term weights.
        """
        conditions = " ".join(f"AND {condition}" for condition in where)
        join = f"CROSS JOIN answer a ON a.id = {FTS_TABLE}.rowid " if where else ""
        rows = connection.execute(
            text(
                f"SELECT {FTS_TABLE}.rowid, {BM25} AS score FROM {FTS_TABLE} {join}"
                f"WHERE {FTS_TABLE} MATCH :q {conditions} ORDER BY score, {FTS_TABLE}.rowid DESC LIMIT :limit"
            ).bindparams(*params, q=match, limit=limit)
        ).all()
        return [(int(row[0]), float(row[1])) for row in rows]

    @staticmethod
    def _snippets(connection: Connection, query: ParsedQuery, match: str, ids: list[int]) -> dict[int, str]:
        """Snippets for the hits shown.

        One seek per hit is cheapest, except for a prefix the prefix indexes do not cover
        (four letters or more): every seek would merge that prefix's terms again, so a walk
        over the hits' rowid range does it once.
        """
        if not ids:
            return {}
        if any(term.prefix for term in query.terms()):
            sql = text(
                f"SELECT rowid, {SNIPPET} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
                "AND rowid BETWEEN :low AND :high AND +rowid IN :ids"
            ).bindparams(bindparam("ids", expanding=True))
            rows = connection.execute(sql, {"q": match, "low": min(ids), "high": max(ids), "ids": ids})
            return {int(row[0]): str(row[1]) for row in rows}
        # SQLite runs the IN list as one index seek per hit, inside a single statement.
        sql = text(f"SELECT rowid, {SNIPPET} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q AND rowid IN :ids")
        rows = connection.execute(sql.bindparams(bindparam("ids", expanding=True)), {"q": match, "ids": ids})
        return {int(row[0]): str(row[1]) for row in rows}

    def rebuild(self) -> None:
        """Re-read every answer into the index, then merge its segments for faster queries."""
        with self._engine.begin() as connection, _bulk_settings(connection):
            connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
            connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")

    @contextmanager
    def bulk_load(self, expected: int = 0) -> Iterator[Connection]:
        """Insert many answers with the triggers off, then index them in one pass.

        Only inserts belong inside: the index is brought up to date by reading the rows added
        since the block started (SQLite gives new rows ids above the old maximum), or by a full
        'rebuild' when the load is at least as big as what was there. Everything happens in one
        transaction, so no other writer ever sees the triggers missing.

        Args:
            expected: How many answers the load will add (unused here: SQLite counts them after).
        """
        with self._engine.begin() as connection:
            before = int(connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM answer").scalar_one())
            existing = int(connection.exec_driver_sql("SELECT count(*) FROM answer").scalar_one())
            for name in TRIGGERS:
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            yield connection
            added = int(
                connection.execute(text("SELECT count(*) FROM answer WHERE id > :m"), {"m": before}).scalar_one()
            )
            with _bulk_settings(connection):
                if added >= existing:
                    connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
                elif added:
                    connection.execute(
                        text(
                            f"INSERT INTO {FTS_TABLE}(rowid, body, prompt) "
                            "SELECT id, body, prompt FROM answer WHERE id > :m"
                        ),
                        {"m": before},
                    )
            for ddl in TRIGGERS.values():
                connection.exec_driver_sql(ddl)


@contextmanager
def _bulk_settings(connection: Connection) -> Iterator[None]:
    """A big FTS5 term buffer and page cache for one bulk indexing pass, then the old values.

    The page cache is a per-connection setting and the connection goes back to the pool, so
    it is restored; the term buffer is stored in the index's config and only matters within
    one large transaction, but is restored too.
    """
    cache = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
    _set_hashsize(connection, BULK_HASHSIZE)
    try:
        yield
    finally:
        _set_hashsize(connection, DEFAULT_HASHSIZE)
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")


def _set_hashsize(connection: Connection, size: int) -> None:
    connection.execute(
        text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', :size)"), {"size": size}
    )
