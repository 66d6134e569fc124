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
# Marks for highlight() when ranking without bm25: control characters never typed in answers.
_MARK = ("\x02", "\x03")
# BM25's usual constants, as FTS5 uses them.
K1, B = 1.2, 0.75
# Beyond this many runs of rowids, one lookup per answer (SQLite caps compound selects at 500).
MAX_RUNS = 200
# A bigger in-memory term buffer for bulk indexing: fewer, larger segments to write and merge.
# Rebuilding 1M answers: 1 MB (the default) 33k answers/s, 64 MB 81k/s, 256 MB 98k/s with the
# page cache below. Only filled during the bulk transaction, and only as far as the data needs.
BULK_HASHSIZE = 256 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024
# And a 64 MB page cache (negative: KiB) for the segment writes.
BULK_CACHE_KIB = -64 * 1024
# Both columns with _MARK around each match, for the BM25-from-highlight ranking.
HIGHLIGHTS = f"highlight({FTS_TABLE}, 0, char(2), char(3)), highlight({FTS_TABLE}, 1, char(2), char(3))"
SNIPPET = f"snippet({FTS_TABLE}, 0, '{HIGHLIGHT[0]}', '{HIGHLIGHT[1]}', '{ELLIPSIS}', 20)"


class SqliteSearch:
    """FTS5 search with bounded ranking.

    Ranking every match of a very common word costs time in proportion to the number of
    matches, so the ranked set is bounded: the newest ``candidates`` matches (read in rowid
    order straight from the index, no ranking needed) are ranked (see ``_index_first``).
    When the filters leave only a few answers (one person, one guide, one entity), the query
    is driven from those answers instead and every one of them is ranked (``_filter_first``).
    """

    candidates = 500
    # Above this many matches (estimated), bm25's count of every match costs more than
    # ranking the candidates from highlight() (about 5 ms for 500 candidates).
    common = 30_000
    # Filters that keep at most this many answers: read them from the index run by run.
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
                ranked = self._filter_first(connection, match, kept)
            else:
                ranked = self._index_first(connection, query, match, where, params, limit)
            ranked.sort(key=lambda row: (row[1], -row[0]))
            top = ranked[:limit]
            snippets = self._snippets(connection, query, match, [answer_id for answer_id, _ in top])
        return [RawHit(answer_id, round(-rank, 4), snippets.get(answer_id, "")) for answer_id, rank in top]

    def _kept(self, connection: Connection, source: str, params: list[BindParameter[Any]]) -> list[int] | None:
        """The ids the filters keep, in order, or ``None`` when there are more than a few."""
        # No ORDER BY: with one, SQLite gathers every kept id before sorting, even for a
        # filter that keeps half the table; without it the LIMIT stops the read early.
        sql = text(f"{source} LIMIT :cap").bindparams(*params, cap=self.filter_first_limit + 1)
        kept = sorted(int(row[0]) for row in connection.execute(sql))
        return kept if len(kept) <= self.filter_first_limit else None

    def _filter_first(self, connection: Connection, match: str, kept: list[int]) -> list[tuple[int, float]]:
        """Rank within a small filtered set, read from the index one run of rowids at a time.

        The kept answers come in runs of neighbouring ids (an interview's answers are saved
        together), so each run is one seek into the index rather than one per answer. bm25 is
        not used here because FTS5 recomputes its corpus statistics on every seek (seconds
        for a common word at 1M answers); the matches are ranked with the same BM25 formula
        over what ``highlight()`` reports: how often the query matched in each column, and
        how long the answer is against the others in the set.
        """
        if not kept:
            return []
        runs = _runs(kept)
        select = f"SELECT rowid, {HIGHLIGHTS} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"
        if len(runs) <= MAX_RUNS:
            sql = " UNION ALL ".join(f"{select} AND rowid BETWEEN :l{i} AND :h{i}" for i in range(len(runs)))
            values: dict[str, Any] = {"q": match}
            for i, (low, high) in enumerate(runs):
                values[f"l{i}"], values[f"h{i}"] = low, high
            rows = connection.execute(text(sql), values).all()
        else:
            rows = connection.execute(
                text(f"{select} AND rowid IN :ids").bindparams(bindparam("ids", expanding=True)),
                {"q": match, "ids": kept},
            ).all()
        wanted = set(kept)
        return _bm25_lite([(int(r[0]), str(r[1] or ""), str(r[2] or "")) for r in rows if int(r[0]) in wanted])

    def _index_first(
        self,
        connection: Connection,
        query: ParsedQuery,
        match: str,
        where: list[str],
        params: list[BindParameter[Any]],
        limit: int,
    ) -> list[tuple[int, float]]:
        """Rank the newest matches that pass the filters.

        The candidates are read first without any scoring (a plain walk of the index in
        rowid order). Fewer than ``candidates`` means every match is in hand, and bm25 ranks
        them exactly; its corpus statistics are cheap for such a query. A full set means a
        common query, where bm25 would first count every match in the index to weigh the
        terms (70 ms for "the system" at 1M answers): when the query is a single clause that
        weight is the same for every answer and drops out, so the candidates are ranked with
        the same formula from ``highlight()`` instead.
        """
        conditions = " ".join(f"AND {condition}" for condition in where)
        k = max(self.candidates, limit)
        # CROSS JOIN keeps the index as the outer loop, so rows arrive in rowid order and the
        # LIMIT stops the scan; the columns are computed only for rows that pass.
        body = (
            f"FROM {FTS_TABLE} CROSS JOIN answer a ON a.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH :q {conditions}"
        )

        def candidates(columns: str) -> Any:
            return connection.execute(
                text(
                    f"SELECT {FTS_TABLE}.rowid, {columns} {body} ORDER BY {FTS_TABLE}.rowid DESC LIMIT :k"
                ).bindparams(*params, q=match, k=k)
            ).all()

        ids = [int(row[0]) for row in candidates("1")]
        if len(ids) < k or len(query.clauses) > 1 or self._matches(connection, ids) < self.common:
            return [(int(row[0]), float(row[1])) for row in candidates(BM25)]
        # The second pass reads only the candidates: their rowid range, checked against the
        # list, with no filters to apply again.
        rows = connection.execute(
            text(
                f"SELECT rowid, {HIGHLIGHTS} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q "
                "AND rowid BETWEEN :low AND :high AND +rowid IN :ids"
            ).bindparams(bindparam("ids", expanding=True)),
            {"q": match, "low": min(ids), "high": max(ids), "ids": ids},
        ).all()
        return _bm25_lite([(int(row[0]), str(row[1] or ""), str(row[2] or "")) for row in rows])

    @staticmethod
    def _matches(connection: Connection, ids: list[int]) -> float:
        """How many answers match in all, judged from how densely the newest candidates lie."""
        newest = int(connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM answer").scalar_one())
        return len(ids) / max(1, newest - min(ids) + 1) * newest

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


def _runs(ids: list[int], gap: int = 8) -> list[tuple[int, int]]:
    """Sorted ids as (first, last) runs, bridging gaps of up to ``gap`` foreign ids."""
    runs: list[list[int]] = []
    for value in ids:
        if runs and value - runs[-1][1] <= gap:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    return [(low, high) for low, high in runs]


def _bm25_lite(rows: list[tuple[int, str, str]]) -> list[tuple[int, float]]:
    """BM25 over highlighted columns: term frequency from the marks, length from word counts.

    Returns (rowid, rank) with rank negative and lower for better, like FTS5's bm25().
    """
    if not rows:
        return []
    # Spaces stand in for a word count: str.count runs in C, and a ratio is all BM25 needs.
    lengths = [(row[1].count(" ") + 1, row[2].count(" ") + 1) for row in rows]
    averages = (sum(b for b, _ in lengths) / len(rows), sum(p for _, p in lengths) / len(rows))
    ranked: list[tuple[int, float]] = []
    for (rowid, body, prompt), length in zip(rows, lengths, strict=True):
        score = 0.0
        for i, column in enumerate((body, prompt)):
            frequency = column.count(_MARK[0])
            if frequency:
                norm = K1 * (1 - B + B * length[i] / averages[i])
                score += COLUMN_WEIGHTS[i] * frequency * (K1 + 1) / (frequency + norm)
        ranked.append((rowid, -score))
    return ranked
