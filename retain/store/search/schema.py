"""What the search index holds: its fields, its analyzer, and the answer columns it is built from."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple

import tantivy

from retain.domain.visibility import SHAREABLE_READER
from retain.store.rows import RowReader, expand

# The words of an answer are indexed as tantivy's simple tokenizer splits them (runs of
# letters and digits), lower-cased and folded to ASCII, so "José Müller" is "jose muller".
# A "word" longer than this is noise (base64, a pasted hash): it is dropped, not indexed.
# The limit of tantivy's built-in "default" analyzer, which indexes the answers (see below).
MAX_TOKEN_BYTES = 40
# Rows read per round trip while building.
BUILD_BATCH = 5_000
# Bumped when the schema or the analyzer changes; with the tantivy version, an index written
# by another release is rebuilt rather than read.
LAYOUT = 4


def layout() -> str:
    """What an index on disk must have been written with to be read as it is."""
    return f"{LAYOUT}/{getattr(tantivy, '__version__', 'unknown')}"


def make_analyzer() -> tantivy.TextAnalyzer:
    """The analyzer for query words, prompts and non-ASCII answers."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_BYTES))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


@lru_cache(maxsize=1)
def _analyzer() -> tantivy.TextAnalyzer:
    return make_analyzer()


def analyse(text: str) -> list[str]:
    """The index's words for some text (``E-mail`` -> ``e``, ``mail``; ``Müller`` -> ``muller``)."""
    return list(_analyzer().analyze(text))


def index_text(body: str) -> str:
    """What the body field is handed, for tantivy's built-in ``default`` analyzer.

    That analyzer (simple tokenizer, the same length limit, lower case) is compiled into
    tantivy and costs about 15% less CPU per word than one assembled from Python, which is
    most of a bulk load. On ASCII text it gives exactly :func:`analyse`'s words; any other
    text is analysed here first and handed over as those words, one space apart, so the
    words and their positions are :func:`analyse`'s either way (5% of answers at most).
    """
    return body if body.isascii() else " ".join(analyse(body))


def make_schema() -> tantivy.Schema:
    """Fields: the answer id, its interview, its words, who may read it, and when it was saved."""
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    builder.add_unsigned_field("interview", indexed=True, fast=True)
    builder.add_text_field("body", stored=False, tokenizer_name="default", index_option="position")
    # The question's prompt by id: its words are scored once per distinct prompt (prompts.py).
    builder.add_unsigned_field("prompt", indexed=True)
    # 1 when a shareable reader may read the answer (retain.domain.visibility), else 0.
    builder.add_unsigned_field("shared", indexed=True)
    # Only a fast field: the "since" filter scans its column, and not indexing it (one new
    # term per answer, like the id) saves a tenth of the indexing time of a bulk load.
    builder.add_integer_field("updated", indexed=False, fast=True)
    return builder.build()


def answer_ids(searcher: tantivy.Searcher, addresses: list[tantivy.DocAddress]) -> list[int]:
    """The answer ids of some hits (the id fast field is on every document)."""
    return [int(value) for value in searcher.fast_field_values("id", addresses) if value is not None]


class AnswerRow(NamedTuple):
    """The columns of an answer the index holds."""

    id: int
    interview_id: int
    body: str
    prompt: str
    visibility: str
    skipped: bool
    updated: int
    shared: bool


def answer_rows(rows: RowReader, ids: list[int] | None) -> Iterator[AnswerRow]:
    """The indexed columns of some answers (``None``: all), with the saved time in epoch seconds."""
    if rows.dialect == "sqlite":
        updated = "CAST(strftime('%s', a.updated_at) AS INTEGER)"
    else:
        updated = "CAST(floor(extract(epoch FROM a.updated_at)) AS BIGINT)"
    # Who may read it, by the one rule (retain.domain.visibility) in its SQL form.
    shared = f"CASE WHEN 1 = 1{SHAREABLE_READER.answer_sql('a')} THEN 1 ELSE 0 END"
    sql = f"SELECT a.id, a.interview_id, a.body, a.prompt, a.visibility, a.skipped, {updated}, {shared} FROM answer a"
    if ids is None:
        found: Iterable[tuple[Any, ...]] = rows.stream(sql, batch=BUILD_BATCH)
    else:
        found = (
            row
            for start in range(0, len(ids), 500)
            for row in rows.rows(*expand(f"{sql} WHERE a.id IN (:ids)", "ids", ids[start : start + 500]))
        )
    for row in found:
        # A damaged date reads as the epoch rather than failing the whole index.
        yield AnswerRow(int(row[0]), int(row[1]), str(row[2] or ""), str(row[3] or ""), str(row[4]),
                        bool(row[5]), int(row[6] or 0), bool(row[7]))


__all__ = [
    "BUILD_BATCH",
    "LAYOUT",
    "MAX_TOKEN_BYTES",
    "AnswerRow",
    "analyse",
    "answer_ids",
    "answer_rows",
    "index_text",
    "layout",
    "make_analyzer",
    "make_schema",
]
