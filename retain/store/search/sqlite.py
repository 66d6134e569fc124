"""SQLite search: an FTS5 external-content index over answers, kept in sync by triggers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import BindParameter, Connection, Engine, text

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
CREATE_FTS = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
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
# Marks for highlight() in the filter-first plan: control characters never typed in answers.
_MARK = ("\x02", "\x03")
# BM25's usual constants, as FTS5 uses them.
K1, B = 1.2, 0.75
# A bigger in-memory term buffer for bulk indexing: fewer, larger segments to write and merge
# (2.4x faster at 200k answers than the 1 MB default). Only held during the bulk transaction.
BULK_HASHSIZE = 128 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024
SNIPPET = f"snippet({FTS_TABLE}, 0, '{HIGHLIGHT[0]}', '{HIGHLIGHT[1]}', '{ELLIPSIS}', 20)"


class SqliteSearch:
    """FTS5 search with bounded ranking.

    Ranking every match of a very common word costs time in proportion to the number of
    matches, so the ranked set is bounded: the newest ``candidates`` matches (read in rowid
    order straight from the index, no ranking needed) are ranked by bm25. When the filters
    leave only a few answers (one person, one guide, one entity), the query is driven from
    those answers instead and every one of them is ranked (see ``_filter_first``).
    """

    candidates = 1000
    filter_first_limit = 1000

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def search(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> list[RawHit]:
        """Ranked hits, best first (see the class docstring for the plan)."""
        if query.empty:
            return []
        match = query.to_fts5()
        where, params = filter_sql(filters)
        with self._engine.connect() as connection:
            ranked: list[tuple[int, float]] | None = None
            if filters.selective:
                ranked = self._filter_first(connection, match, where, params)
            if ranked is None:
                ranked = self._index_first(connection, match, where, params, limit)
            ranked.sort(key=lambda row: (row[1], -row[0]))
            top = ranked[:limit]
            snippets = self._snippets(connection, match, [answer_id for answer_id, _ in top])
        return [RawHit(answer_id, round(-rank, 4), snippets.get(answer_id, "")) for answer_id, rank in top]

    def _filter_first(
        self,
        connection: Connection,
        match: str,
        where: list[str],
        params: list[BindParameter[Any]],
    ) -> list[tuple[int, float]] | None:
        """Rank within a small filtered set, or ``None`` when the filters leave too many answers.

        Each filtered answer is looked up in the index by rowid, which is cheap; bm25 is not
        used here because FTS5 recomputes its corpus statistics on every lookup (seconds for
        a common word). The matches are ranked with the same BM25 formula over what
        ``highlight()`` reports: how often the query matched in each column, and how long the
        answer is against the others in the set.
        """
        source = f"SELECT a.id FROM answer a WHERE {' AND '.join(where) or '1'}"
        count_sql = text(f"SELECT count(*) FROM ({source} LIMIT :cap) AS s").bindparams(
            *params, cap=self.filter_first_limit + 1
        )
        if int(connection.execute(count_sql).scalar_one()) > self.filter_first_limit:
            return None
        sql = text(
            f"SELECT rowid, highlight({FTS_TABLE}, 0, :open, :close), "
            f"highlight({FTS_TABLE}, 1, :open, :close) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH :q AND rowid IN ({source})"
        ).bindparams(*params, q=match, open=_MARK[0], close=_MARK[1])
        rows = [(int(row[0]), str(row[1] or ""), str(row[2] or "")) for row in connection.execute(sql)]
        return _bm25_lite(rows)

    def _index_first(
        self,
        connection: Connection,
        match: str,
        where: list[str],
        params: list[BindParameter[Any]],
        limit: int,
    ) -> list[tuple[int, float]]:
        conditions = " ".join(f"AND {condition}" for condition in where)
        # CROSS JOIN keeps the index as the outer loop, so rows arrive in rowid order and the
        # LIMIT stops the scan; bm25 runs only on the rows that pass the filters.
        sql = text(
            f"SELECT {FTS_TABLE}.rowid, {BM25} FROM {FTS_TABLE} "
            f"CROSS JOIN answer a ON a.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH :q {conditions} "
            f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT :k"
        ).bindparams(*params, q=match, k=max(self.candidates, limit))
        return [(int(row[0]), float(row[1])) for row in connection.execute(sql)]

    @staticmethod
    def _snippets(connection: Connection, match: str, ids: list[int]) -> dict[int, str]:
        sql = text(f"SELECT rowid, {SNIPPET} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q AND rowid = :id")
        found: dict[int, str] = {}
        for answer_id in ids:
            row = connection.execute(sql, {"q": match, "id": answer_id}).first()
            if row is not None:
                found[answer_id] = str(row[1])
        return found

    def rebuild(self) -> None:
        """Re-read every answer into the index, then merge its segments for faster queries."""
        with self._engine.begin() as connection:
            _set_hashsize(connection, BULK_HASHSIZE)
            connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
            connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
            _set_hashsize(connection, DEFAULT_HASHSIZE)

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
            _set_hashsize(connection, BULK_HASHSIZE)
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
            _set_hashsize(connection, DEFAULT_HASHSIZE)
            for ddl in TRIGGERS.values():
                connection.exec_driver_sql(ddl)


def _set_hashsize(connection: Connection, size: int) -> None:
    connection.execute(
        text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', :size)"), {"size": size}
    )

def _bm25_lite(rows: list[tuple[int, str, str]]) -> list[tuple[int, float]]:
    """BM25 over highlighted columns: term frequency from the marks, length from word counts.

    Returns (rowid, rank) with rank negative and lower for better, like FTS5's bm25().
    """
    if not rows:
        return []
    lengths = [[max(1, len(column.split())) for column in row[1:]] for row in rows]
    averages = [sum(length[i] for length in lengths) / len(lengths) for i in range(2)]
    ranked: list[tuple[int, float]] = []
    for (rowid, *columns), length in zip(rows, lengths, strict=True):
        score = 0.0
        for i, column in enumerate(columns):
            frequency = column.count(_MARK[0])
            if frequency:
                norm = K1 * (1 - B + B * length[i] / averages[i])
                score += COLUMN_WEIGHTS[i] * frequency * (K1 + 1) / (frequency + norm)
        ranked.append((rowid, -score))
    return ranked
