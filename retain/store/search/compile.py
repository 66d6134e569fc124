"""The search query language compiled to a tantivy query: BM25 over the answer, the prompt weighted lower."""

from __future__ import annotations

from collections.abc import Sequence

import tantivy

from retain.store.search.prompts import PromptStats
from retain.store.search.query import ParsedQuery, Term
from retain.store.search.schema import analyse

# The answer's words; prompts are scored per distinct text (retain.store.search.prompts).
BODY = "body"
# Words of the question prompt count a quarter as much as words of the answer.
PROMPT_BOOST = 0.25
# A prefix is every indexed word that starts with it, each scored. ``re*`` in a million
# answers is about 1,000 words (33 ms). Past this many words over the whole query (a crafted
# query of 32 prefixes), the rarest still match, through one regex each, but score 0.
MAX_PREFIX_WORDS = 10_000

Occur = tantivy.Occur




class QueryCompiler:
    """Turns a parsed query into a tantivy query for one searcher (prefixes need its words)."""

    def __init__(self, schema: tantivy.Schema, searcher: tantivy.Searcher, prompts: PromptStats) -> None:
        self._schema = schema
        self._searcher = searcher
        self._prompts = prompts
        self._prefix_budget = MAX_PREFIX_WORDS

    def compile(self, query: ParsedQuery) -> tantivy.Query | None:
        """The query, or ``None`` when some required part cannot match anything."""
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for clause in query.clauses:
            options = [compiled for term in clause if (compiled := self.term(term)) is not None]
            if not options:
                return None
            clauses.append((Occur.Must, _any(options)))
        for term in query.excluded:
            compiled = self.term(term)
            if compiled is not None:
                clauses.append((Occur.MustNot, compiled))
        return tantivy.Query.boolean_query(clauses)

    def term(self, term: Term) -> tantivy.Query | None:
        """One term over the answer and its prompt (``None``: no answer has it)."""
        shape = _shape(term)
        if shape is None:
            return None
        options = [q for q in (self._in_body(*shape), self._in_prompt(*shape)) if q is not None]
        return _any(options) if options else None

    def _in_prompt(self, kind: str, words: tuple[str, ...]) -> tantivy.Query | None:
        """The answers whose prompt holds the term, each prompt's BM25 added as a constant."""
        prompts = self._prompts
        if kind == "alternatives":
            scores = prompts.words_score(words)
        elif kind == "prefix":
            scores = prompts.words_score(prompts.prefix_words(words[0]))
        elif kind == "prefix phrase":
            scores = prompts.prefix_phrase_score(words)
        else:  # a word or a phrase
            scores = prompts.words_score(words) if len(words) == 1 else prompts.phrase_score(words)
        if not scores:
            return None
        return _any([
            tantivy.Query.const_score_query(tantivy.Query.term_query(self._schema, "prompt", pid), PROMPT_BOOST * score)
            for pid, score in sorted(scores.items())
        ])

    def _in_body(self, kind: str, words: tuple[str, ...]) -> tantivy.Query | None:
        """The term in the answer's own words, scored by tantivy's BM25."""
        if kind == "alternatives":
            present = [w for w in words if self._searcher.doc_freq(BODY, w)]
            return _any([self._word(w) for w in present]) if present else None
        if kind in ("prefix", "prefix phrase"):
            return self._prefixed(words)
        if any(not self._searcher.doc_freq(BODY, w) for w in words):
            return None  # a word no answer has: the phrase cannot match
        if len(words) == 1:
            return self._word(words[0])
        phrase: list[str | tuple[int, str]] = list(words)
        return tantivy.Query.phrase_query(self._schema, BODY, phrase)

    def _prefixed(self, words: Sequence[str]) -> tantivy.Query | None:
        """``pay*``: any word starting so; ``"bank fi"*``: the phrase with its last word so."""
        stem = words[-1]
        expansions = [word for word, _count in self._searcher.terms_with_prefix(BODY, stem)]
        if not expansions:
            return None
        if len(words) > 1:
            # Each word a regex, the last one open-ended: every expansion, not tantivy's first 50.
            pattern: list[str | tuple[int, str]] = [_regex_escape(word) for word in words[:-1]]
            pattern.append(_regex_prefix(stem))
            return tantivy.Query.regex_phrase_query(self._schema, BODY, pattern)
        ranked = expansions[: self._prefix_budget]  # most frequent first
        self._prefix_budget -= len(ranked)
        options = [self._word(word) for word in ranked]
        if len(expansions) > len(ranked):
            rest = tantivy.Query.regex_query(self._schema, BODY, _regex_prefix(stem))
            options.append(tantivy.Query.const_score_query(rest, 0.0))
        return _any(options) if options else None

    def _word(self, word: str) -> tantivy.Query:
        return tantivy.Query.term_query(self._schema, BODY, word)


def _shape(term: Term) -> tuple[str, tuple[str, ...]] | None:
    """What kind of term it is and its words as the index holds them, analysed once for both fields.

    ``alternatives``: a word and its inflections, any of which matches; ``prefix`` and
    ``prefix phrase``: the last word open-ended; ``exact``: a word or a phrase as typed.
    """
    if term.forms:
        return "alternatives", tuple(sorted({word for form in term.forms for word in analyse(form)}))
    words = tuple(analyse(" ".join(term.tokens)))
    if not words:
        return None
    if term.prefix:
        return ("prefix" if len(words) == 1 else "prefix phrase"), words
    return "exact", words


def _any(options: list[tantivy.Query]) -> tantivy.Query:
    if len(options) == 1:
        return options[0]
    return tantivy.Query.boolean_query([(Occur.Should, option) for option in options])


REGEX_SPECIAL = frozenset(".+*?()|[]{}^$\\#&~\"<>@")


def _regex_escape(word: str) -> str:
    """A word as a literal regex (it is the user's text)."""
    return "".join("\\" + char if char in REGEX_SPECIAL else char for char in word)


def _regex_prefix(stem: str) -> str:
    """A regex matching words that start with ``stem``."""
    return _regex_escape(stem) + ".*"


__all__ = ["PROMPT_BOOST", "QueryCompiler", "analyse"]
