"""The search query language: parsing, FTS5 and tsquery rendering, inflection folding (no database)."""

from __future__ import annotations

import pytest

from retain.store.search.inflect import word_forms
from retain.store.search.postgres import tsquery_sql
from retain.store.search.query import clean_text, fold, parse_query, tokenize


def test_words_must_all_match() -> None:
    parsed = parse_query("payroll export")
    assert [[t.raw for t in clause] for clause in parsed.clauses] == [["payroll"], ["export"]]
    assert parsed.to_fts5().count(" AND ") == 1


def test_phrase_or_exclude_prefix() -> None:
    parsed = parse_query('"bank file" payroll OR invoice -draft pay*')
    clauses = [[(t.raw, t.phrase, t.prefix) for t in clause] for clause in parsed.clauses]
    assert clauses == [
        [("bank file", True, False)],
        [("payroll", False, False), ("invoice", False, False)],
        [("pay", False, True)],
    ]
    assert [t.raw for t in parsed.excluded] == ["draft"]
    fts = parsed.to_fts5()
    assert fts.startswith('("bank file" AND (("payroll" OR')
    assert '"pay"*' in fts and fts.endswith('NOT ("draft" OR "drafted" OR "drafting" OR "drafts")')


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
def test_malformed_queries_are_read_literally(query: str) -> None:
    parsed = parse_query(query)
    fts = parsed.to_fts5()
    # Every user character ends up inside a double-quoted FTS5 string or is dropped.
    outside = "".join(part for index, part in enumerate(fts.split('"')) if index % 2 == 0)
    assert set(outside) <= set("()* ANDORTN")
    expression, params = tsquery_sql(parsed) if not parsed.empty else ("", [])
    assert all("\x00" not in str(p.value) for p in params)
    assert expression.count("(") == expression.count(")")


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
    assert parse_query("jane@acme.com").to_fts5() == '"jane acme com"'
    assert parse_query("e-mai*").to_fts5() == '"e mai"*'


def test_fts5_keywords_are_quoted() -> None:
    assert parse_query("NEAR AND NOT").to_fts5() == (
        '("near" OR "neared" OR "nearing" OR "nears") AND "and" AND "not"'
    )


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


def test_quoted_word_turns_inflections_off() -> None:
    assert parse_query('"payroll"').to_fts5() == '"payroll"'


def test_tokenize_and_fold() -> None:
    assert tokenize("Ana's e-mail: ana@x.org!") == ("Ana", "s", "e", "mail", "ana", "x", "org")
    assert fold("Müller José") == "muller jose"
    assert clean_text("a\x00b\x07c") == "a b c"


def test_tsquery_parameters_are_bound() -> None:
    expression, params = tsquery_sql(parse_query("payroll'; DROP TABLE answer; -- pay*"))
    assert "DROP" not in expression
    values = [str(p.value) for p in params]
    assert any("payroll" in value for value in values)
    assert "'pay':*" in values
