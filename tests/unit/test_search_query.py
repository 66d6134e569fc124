"""The search query language: parsing, inflection folding, and every query compiled and run on a real index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import tantivy

from retain.config import load_settings
from retain.errors import InvalidInput
from retain.services import Services, open_services
from retain.store.search import SearchFilters
from retain.store.search.backend import IndexedSearch
from retain.store.search.compile import QueryCompiler
from retain.store.search.index import AnswerIndex
from retain.store.search.inflect import word_forms
from retain.store.search.query import check_query, clean_text, fold, parse_query, tokenize
from tests.conftest import _sqlite_url, shared_extractor

# A small real database: words the malformed queries and the rendering checks aim at.
ANSWERS = {
    "only-you": "I run payroll through PayBridge every Monday; e-mail jane@acme.com if the bank file fails.",
    "advice": "The payrolls near month end: AND, NOT and NEAR are plain words here. Ask Müller.",
    "breaks-first": "A draft invoice, drafted twice. 日本 office, v2 of the export.",
}
ALL = SearchFilters(include_confidential=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """Services on a real SQLite file holding :data:`ANSWERS`, its index beside it."""
    folder = tmp_path_factory.mktemp("query-corpus")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RETAIN_CONFIG", str(folder / "none.toml"))
        patch.setenv("RETAIN_DATA_DIR", str(folder / "data"))
        services = open_services(load_settings(db=_sqlite_url(folder)), extractor_factory=shared_extractor)
        try:
            interview = services.interviews.start("handover", "Query Corpus").id or 0
            for question, body in ANSWERS.items():
                services.interviews.answer(interview, question, text=body)
            yield services
        finally:
            services.close()


@pytest.fixture(scope="module")
def memory_index(corpus: Services) -> AnswerIndex:
    """A tantivy index of the corpus kept in memory (no directory), as on read-only media."""
    return AnswerIndex(corpus.engine, None)


def _found(services: Services, query: str) -> set[str]:
    return {hit.question_id for hit in services.search.search(query, include_confidential=True)}


def test_words_must_all_match() -> None:
    parsed = parse_query("payroll export")
    assert [[t.raw for t in clause] for clause in parsed.clauses] == [["payroll"], ["export"]]


def test_every_word_must_match_in_the_index(corpus: Services) -> None:
    assert _found(corpus, "payroll") == {"only-you", "advice"}  # payrolls is an inflection
    assert _found(corpus, "payroll monday") == {"only-you"}


def test_phrase_or_exclude_prefix() -> None:
    parsed = parse_query('"bank file" payroll OR invoice -draft pay*')
    clauses = [[(t.raw, t.phrase, t.prefix) for t in clause] for clause in parsed.clauses]
    assert clauses == [
        [("bank file", True, False)],
        [("payroll", False, False), ("invoice", False, False)],
        [("pay", False, True)],
    ]
    assert [t.raw for t in parsed.excluded] == ["draft"]
    assert set(parsed.excluded[0].forms) >= {"draft", "drafted", "drafting", "drafts"}


def test_phrase_or_exclude_prefix_in_the_index(corpus: Services) -> None:
    assert _found(corpus, '"bank file" payroll OR invoice -draft pay*') == {"only-you"}
    assert _found(corpus, "payroll OR invoice") == set(ANSWERS)
    assert _found(corpus, "payroll OR invoice -drafts") == {"only-you", "advice"}  # -draft's inflections too
    assert _found(corpus, '"file bank"') == set()  # a phrase keeps its order
    assert _found(corpus, "payb*") == {"only-you"}


def test_excluded_phrase() -> None:
    parsed = parse_query('payroll -"bank file"')
    assert [t.raw for t in parsed.excluded] == ["bank file"]
    assert parsed.excluded[0].phrase


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "-", "OR OR", "OR", "payroll OR", "OR payroll", "--", "*", "**", '""', '" "',
     "NEAR(a b)", "a:b", "^c", "(d", ")", "AND", "NOT", "col:value", "'", "\\", "%", "_",
     "\x00", "pay\x00roll", "🙂", "-\"x", "a" * 5000, "a OR OR b", "-payroll", "\"a\" OR -b"],
)
def test_malformed_queries_are_read_literally(query: str, corpus: Services, memory_index: AnswerIndex) -> None:
    parsed = parse_query(query)
    assert not any("\x00" in token for term in (*parsed.terms(), *parsed.excluded) for token in term.tokens)
    # Compiled for a real searcher: a tantivy query, or None when a required part matches nothing.
    searcher = memory_index.current()
    compiled = QueryCompiler(memory_index.schema, searcher, memory_index.prompt_stats(searcher)).compile(parsed)
    assert compiled is None or isinstance(compiled, tantivy.Query)
    if compiled is not None:
        searcher.search(compiled, 10)
    # The whole search, on the in-memory index and on the one beside the file, never fails.
    IndexedSearch(corpus.engine, memory_index).search(parsed, ALL, 10)
    try:
        check_query(query)
    except InvalidInput:
        return  # past the bounds: refused with a clear message before any search runs
    corpus.search.search(query, include_confidential=True)


def test_stray_or_is_the_word_or() -> None:
    assert [[t.raw for t in c] for c in parse_query("OR OR").clauses] == [["or"], ["or"]]
    assert [[t.raw for t in c] for c in parse_query("payroll OR").clauses] == [["payroll"], ["or"]]
    assert [[t.raw for t in c] for c in parse_query("a OR OR b").clauses] == [["a", "b"]]
    assert [[t.raw for t in c] for c in parse_query("a OR -b").clauses] == [["a"], ["or"]]


def test_unbalanced_quote_reads_the_words() -> None:
    parsed = parse_query('"unbalanced quote')
    assert [[t.raw for t in c] for c in parsed.clauses] == [["unbalanced"], ["quote"]]


def test_only_exclusions_are_read_as_words() -> None:
    parsed = parse_query("-payroll")
    assert [[t.raw for t in c] for c in parsed.clauses] == [["payroll"]] and not parsed.excluded


def test_punctuation_only_queries_are_empty() -> None:
    for query in ["-", "*", '""', ":", "^", "( )", "   ", ""]:
        assert parse_query(query).empty, query


def test_one_letter_prefix_is_a_word() -> None:
    term = parse_query("a*").clauses[0][0]
    assert not term.prefix and term.raw == "a"


def test_inner_punctuation_makes_a_phrase() -> None:
    term = parse_query("e-mail").clauses[0][0]
    assert term.phrase and term.tokens == ("e", "mail") and not term.forms
    address = parse_query("jane@acme.com").clauses[0][0]
    assert address.phrase and address.tokens == ("jane", "acme", "com")
    partial = parse_query("e-mai*").clauses[0][0]
    assert partial.phrase and partial.prefix and partial.tokens == ("e", "mai")


def test_inner_punctuation_matches_as_a_phrase(corpus: Services) -> None:
    assert _found(corpus, "jane@acme.com") == {"only-you"}
    assert _found(corpus, "e-mai*") == {"only-you"}
    assert _found(corpus, "e-mail") == {"only-you"}
    assert _found(corpus, "acme.jane") == set()


def test_operator_words_are_plain_words(corpus: Services) -> None:
    parsed = parse_query("NEAR AND NOT")
    assert [[t.raw for t in clause] for clause in parsed.clauses] == [["NEAR"], ["AND"], ["NOT"]]
    assert _found(corpus, "NEAR AND NOT") == {"advice"}
    assert _found(corpus, "NEAR(month end)") == {"advice"}


@pytest.mark.parametrize(
    ("word", "expected", "not_expected"),
    [
        ("payroll", {"payrolls"}, set()),
        ("payrolls", {"payroll"}, {"payrollses"}),
        ("running", {"run", "runs"}, set()),
        ("used", {"use", "using"}, {"us"}),
        ("policies", {"policy"}, set()),
        ("boxes", {"box"}, set()),
        ("stopped", {"stop", "stopping"}, set()),
        ("need", {"needs", "needed"}, set()),
        ("evening", set(), {"even"}),
        ("news", set(), {"new"}),
        ("the", set(), {"thing"}),
        ("status", {"statuses"}, {"statu"}),
    ],
)
def test_inflections(word: str, expected: set[str], not_expected: set[str]) -> None:
    forms = set(word_forms(word))
    assert word in forms
    assert expected <= forms
    assert not (not_expected & forms)


def test_non_english_and_digits_match_exactly() -> None:
    assert word_forms("José") == ("josé",)
    assert word_forms("v2") == ("v2",)
    assert word_forms("of") == ("of",)


def test_quoted_word_turns_inflections_off(corpus: Services) -> None:
    term = parse_query('"payroll"').clauses[0][0]
    assert term.phrase and not term.forms
    assert _found(corpus, '"payroll"') == {"only-you"}
    assert _found(corpus, "Muller") == _found(corpus, "müller") == {"advice"}


def test_tokenize_and_fold() -> None:
    assert tokenize("Ana's e-mail: ana@x.org!") == ("Ana", "s", "e", "mail", "ana", "x", "org")
    assert fold("Müller José") == "muller jose"
    assert clean_text("a\x00b\x07c") == "a b c"


def test_query_text_is_never_sql(corpus: Services) -> None:
    assert _found(corpus, "payroll'; DROP TABLE answer; -- pay*") == set()
    assert len(corpus.interviews.answers(corpus.interviews.list()[0].id)) == len(ANSWERS)
    assert _found(corpus, "payroll") == {"only-you", "advice"}
