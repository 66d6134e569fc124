"""PostgreSQL search: a weighted tsvector column with a GIN index, ranked with ts_rank."""

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
from retain.store.search.query import ParsedQuery, Term

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


class PostgresSearch:
    """tsvector search, ranked exactly by ``ts_rank`` over every match that passes the filters.

    There is no candidate bound: every match is ranked, so the top hits are the true top hits
    under the documented scoring (``ts_rank`` with normalisation 1, answer text weight A and
    the prompt weight C). The planner finds the matches through the GIN index and keeps the
    best ``limit`` while it ranks (a top-N heap sort); headlines are made for those alone.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def search(self, query: ParsedQuery, filters: SearchFilters, limit: int) -> list[RawHit]:
        """Ranked hits, best first."""
        if query.empty:
            return []
        expression, qparams = tsquery_sql(query)
        where, fparams = filter_sql(filters)
        conditions = " ".join(f"AND {condition}" for condition in where)
        with reader(self._engine).connect() as connection:
            # psycopg prepares a statement after a few runs and PostgreSQL may then switch to
            # a generic plan, blind to how common the searched words are: keep plans custom.
            connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
            # Two levels: the ranked top hits, then headlines for those alone, because
            # ts_headline re-parses the whole answer.
            sql = text(
                f"SELECT r.id, r.rank, ts_headline({REGCONFIG}, r.body, {expression}, :opts) FROM ("
                f"  SELECT a.id, a.body, ts_rank(a.{VECTOR}, {expression}, 1) AS rank"
                f"  FROM answer a WHERE a.{VECTOR} @@ {expression} {conditions}"
                "  ORDER BY rank DESC, a.id DESC LIMIT :limit"
                ") AS r ORDER BY r.rank DESC, r.id DESC"
            ).bindparams(*qparams, *fparams, opts=HEADLINE_OPTIONS, limit=limit)
            rows = connection.execute(sql).all()
        return [RawHit(int(row[0]), round(float(row[1]), 6), str(row[2])) for row in rows]

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
