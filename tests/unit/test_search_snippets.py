"""Snippets: the window with the most matches, each match marked, cut with an ellipsis."""

from __future__ import annotations

from retain.store.search.query import parse_query
from retain.store.search.snippets import WINDOW, snippet

LONG = " ".join(f"word{i}" for i in range(60))


def test_a_word_and_its_inflections_are_marked() -> None:
    assert snippet("Run the payrolls, then the payroll file.", parse_query("payroll")) == (
        "Run the **payrolls**, then the **payroll** file."
    )


def test_a_phrase_is_marked_as_one_run_and_only_where_it_occurs() -> None:
    text = "The bank file format changed; the file bank is elsewhere."
    assert snippet(text, parse_query('"bank file"')) == "The **bank file** format changed; the file bank is elsewhere."


def test_a_prefix_marks_every_word_it_starts() -> None:
    assert snippet("PayBridge pays payroll; nobody else.", parse_query("pay*")) == (
        "**PayBridge** **pays** **payroll**; nobody else."
    )


def test_case_and_diacritics_fold_but_the_text_is_kept() -> None:
    assert snippet("Ask José Müller about it.", parse_query("jose muller")) == "Ask **José** **Müller** about it."


def test_the_window_is_where_the_matches_are_with_an_ellipsis_at_each_cut() -> None:
    text = f"{LONG} the ledger close {LONG}"
    result = snippet(text, parse_query("ledger"))
    assert "**ledger**" in result and result.startswith("…") and result.endswith("…")
    assert len(result.strip("…").split()) == WINDOW


def test_no_match_in_the_body_gives_its_opening() -> None:
    result = snippet(LONG, parse_query("successor"))
    assert result.startswith("word0 word1") and result.endswith("…") and "**" not in result


def test_text_without_words_is_returned_as_is() -> None:
    assert snippet("  —  ", parse_query("payroll")) == "—"
