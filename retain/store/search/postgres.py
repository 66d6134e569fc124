"""PostgreSQL search: a weighted tsvector column with a GIN index, ranked with ts_rank."""

from __future__ import annotations

import json
import math
import time
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
from retain.store.search.query import ParsedQuery, Term, fold

# A text search configuration made by the 0002 migration: words as written (no stemmer, no
# stop words, like the FTS5 index) and, where the extension is available, unaccent.
CONFIG = "retain_search"
REGCONFIG = f"'{CONFIG}'::regconfig"
VECTOR = "search_vector"
INDEX = "ix_answer_search_vector"
# Statistics refreshed after bulk work. The people and interviews an import brings matter as
# much as the answers: without their statistics a filter by status plans a nested loop that
# is five times slower.
ANALYZE = "ANALYZE answer, interview, person"
# How long the lexeme statistics are trusted before pg_stats is read again.
STATS_TTL = 300.0
HEADLINE_OPTIONS = (
    f"StartSel={HIGHLIGHT[0]}, StopSel={HIGHLIGHT[1]}, MaxWords=24, MinWords=10, ShortWord=0, "
    f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
)


def repr_lexeme(word: str) -> str:
    """A word as a quoted tsquery operand (the word holds no quote or backslash)."""
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"


def tsquery_sql(query: ParsedQuery) -> tuple[str, list[BindParameter[Any]]]:
    """Render a parsed query as a tsquery expression built from bound parameters.

    Plain words become ``to_tsquery('form' | 'form' ...)`` over their inflected forms; phrases
    and words with inner punctuation go through ``phraseto_tsquery``, so PostgreSQL parses them
    exactly as it parsed the indexed text (e-mail addresses, URLs, hyphenated words); prefixes
    go through ``to_tsquery('word':*)`` with a value that holds only letters and digits.
    """
    params: list[BindParameter[Any]] = []

    def param(value: str) -> str:
        name = f"q{len(params)}"
        params.append(bindparam(name, value))
        return f":{name}"

    def term(item: Term) -> str:
        if item.forms:
            # Forms are letters and digits only, so quoting them cannot produce tsquery syntax.
            return f"to_tsquery({REGCONFIG}, {param(' | '.join(repr_lexeme(f) for f in item.forms))})"
        if not item.prefix:
            return f"phraseto_tsquery({REGCONFIG}, {param(item.raw)})"
        last = f"to_tsquery({REGCONFIG}, {param(repr_lexeme(item.tokens[-1]) + ':*')})"
        if len(item.tokens) == 1:
            return last
        head = f"phraseto_tsquery({REGCONFIG}, {param(' '.join(item.tokens[:-1]))})"
        return f"tsquery_phrase({head}, {last})"

    clauses = []
    for clause in query.clauses:
        rendered = [term(item) for item in clause]
        clauses.append(rendered[0] if len(rendered) == 1 else "(" + " || ".join(rendered) + ")")
    expression = " && ".join(clauses)
    for item in query.excluded:
        expression = f"({expression}) && !!({term(item)})"
    # Parenthesised: @@ binds tighter than && and ||.
    return f"({expression})", params


def estimate_share(query: ParsedQuery, frequencies: dict[str, float], floor: float) -> float:
    """The share of answers a query matches, from per-lexeme shares (see ``_is_common``)."""

    def lexeme(word: str) -> float:
        return frequencies.get(fold(word), floor)

    def term(item: Term) -> float:
        if item.forms:
            return min(1.0, sum(lexeme(form) for form in item.forms))
        shares = [lexeme(token) for token in item.tokens[:-1]] if item.prefix else [lexeme(t) for t in item.tokens]
        if item.prefix:
            stem = fold(item.tokens[-1])
            shares.append(min(1.0, floor + sum(v for k, v in frequencies.items() if k.startswith(stem))))
        return min(shares) if shares else floor

    share = 1.0
    for clause in query.clauses:
        share *= min(1.0, sum(term(item) for item in clause))
    return share


class PostgresSearch:
    """tsvector search with bounded ranking (the same idea as the FTS5 backend).

    ``ts_rank`` reads each matching row's vector, so ranking every match of a common word is
    slow; the newest ``candidates`` matches are ranked instead. How to find them depends on
    how many answers match, which is counted first from the planner's statistics (no rows
    are read): a common word walks the primary key backwards and stops after ``candidates``
    matches; anything rarer reads its few matches through the GIN index and sorts them.
    Left to itself the planner mixes these up, because it prices the ``@@`` test on a
    vector far below what it costs.
    """

    candidates = 500
    # Matches above sqrt(factor x candidates x rows) make the backward walk the cheaper plan:
    # it reads about candidates x rows / matches rows in key order, each with an @@ test,
    # where the GIN plan fetches (and rechecks) every match from a random heap page. The
    # factor is the cost of one @@ test over one fetch, measured at 100k answers: a half
    # for words and prefixes, but two and a half for a phrase, whose test walks positions.
    walk_factor = 0.5
    phrase_walk_factor = 2.5

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._stats: tuple[dict[str, float], float] | None = None
        self._stats_read = 0.0

    def search(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> list[RawHit]:
        """Ranked hits, best first."""
        if query.empty:
            return []
        expression, qparams = tsquery_sql(query)
        where, fparams = filter_sql(filters)
        conditions = " ".join(f"AND {condition}" for condition in where)
        matching = f"answer a WHERE a.{VECTOR} @@ {expression} {conditions}"
        k = max(self.candidates, limit)
        with reader(self._engine).connect() as connection:
            # psycopg prepares a statement after a few runs and PostgreSQL may then switch to
            # a generic plan, blind to how common the searched words are: keep plans custom.
            connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
            walk = self._is_common(connection, query, conditions, fparams, k)
            # `a.id + 0` hides the primary key's order, which leaves the GIN index the only
            # way in; the plain `a.id` lets the backward walk stop early.
            order = "a.id" if walk else "a.id + 0"
            # Three levels: the newest candidates (no ranking), the ranked top hits, then
            # headlines for those alone, because ts_headline re-parses the whole answer.
            sql = text(
                f"SELECT r.id, r.rank, ts_headline({REGCONFIG}, r.body, {expression}, :opts) FROM ("
                f"  SELECT c.id, c.body, ts_rank(c.vec, {expression}, 1) AS rank FROM ("
                f"    SELECT a.id, a.{VECTOR} AS vec, a.body FROM {matching}"
                f"    ORDER BY {order} DESC LIMIT :k"
                "  ) AS c ORDER BY rank DESC, c.id DESC LIMIT :limit"
                ") AS r ORDER BY r.rank DESC, r.id DESC"
            ).bindparams(*qparams, *fparams, opts=HEADLINE_OPTIONS, k=k, limit=limit)
            if walk:
                connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            rows = connection.execute(sql).all()
        return [RawHit(int(row[0]), round(float(row[1]), 4), str(row[2])) for row in rows]

    def _is_common(
        self, connection: Connection, query: ParsedQuery, conditions: str, params: list[BindParameter[Any]], k: int
    ) -> bool:
        """Whether so many answers match that walking the primary key beats the GIN index.

        The count is estimated, not read: the share of answers holding each word comes from
        the lexeme statistics ANALYZE keeps for the vector column, and the share the filters
        keep from the planner. A phrase counts as its rarest word, an upper bound, because the
        planner's own guess (the product of its words) is five times too low for phrases of
        common words, and a walk is cheap when it is wrong in that direction.
        """
        stats = self._lexeme_stats(connection)
        if stats is None:
            return False
        frequencies, floor = stats
        share = estimate_share(query, frequencies, floor)
        plan = connection.execute(
            text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM answer a WHERE true {conditions}").bindparams(*params)
        ).scalar_one()
        document = json.loads(plan) if isinstance(plan, str) else plan
        kept = float(document[0]["Plan"]["Plan Rows"])
        total = float(
            connection.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = 'answer'::regclass").scalar_one()
            or 0
        )
        matches = share * kept
        factor = self.phrase_walk_factor if any(t.phrase for t in query.terms()) else self.walk_factor
        return matches > math.sqrt(factor * k * max(total, kept, 1.0))

    def _lexeme_stats(self, connection: Connection) -> tuple[dict[str, float], float] | None:
        """Lexeme -> share of answers, from pg_stats (cached for a few minutes)."""
        now = time.monotonic()
        if self._stats_read and now - self._stats_read < STATS_TTL:
            return self._stats
        row = connection.execute(
            text(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = 'answer' AND attname = :column"
            ),
            {"column": VECTOR},
        ).first()
        self._stats_read = now
        if row is None or not row[0] or not row[1]:
            self._stats = None
        else:
            elements, shares = list(row[0]), [float(x) for x in row[1]]
            # The array ends with the minimum and maximum share and the null share; a word not
            # in the list is rarer than the minimum, so half of it stands in.
            frequencies = dict(zip(elements, shares[: len(elements)], strict=False))
            self._stats = (frequencies, shares[len(elements)] / 2 if len(shares) > len(elements) else 0.0)
        return self._stats

    def rebuild(self) -> None:
        """Rebuild the GIN index (the vector column is generated, so it is always current)."""
        with self._engine.begin() as connection:
            connection.exec_driver_sql(f"REINDEX INDEX {INDEX}")
            connection.exec_driver_sql(ANALYZE)

    @contextmanager
    def bulk_load(self, expected: int = 0) -> Iterator[Connection]:
        """Insert many answers (and their people and interviews), then refresh statistics.

        Args:
            expected: How many answers the load will add. When that is at least as many as the
                table holds, the GIN index is dropped first and built once at the end, which is
                several times faster than updating it row by row.
        """
        with self._engine.begin() as connection:
            existing = int(connection.exec_driver_sql("SELECT count(*) FROM answer").scalar_one())
            rebuild = expected > 0 and expected >= existing
            if rebuild:
                connection.exec_driver_sql(f"DROP INDEX IF EXISTS {INDEX}")
            yield connection
            if rebuild:
                connection.exec_driver_sql(f"CREATE INDEX {INDEX} ON answer USING gin ({VECTOR})")
            connection.exec_driver_sql(ANALYZE)
