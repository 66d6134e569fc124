"""Snippets: the stretch of an answer with the most query words, the matches marked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retain.highlight import HIGHLIGHT
from retain.store.search import ELLIPSIS
from retain.store.search.query import ParsedQuery, fold

# Words shown around the matches, as FTS5's snippet() showed them.
WINDOW = 20
# Letters and digits: the index's word pieces (tantivy's simple tokenizer).
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Matcher:
    """What a query highlights: words (with their inflections), prefixes, and phrases."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]


def matcher_for(query: ParsedQuery) -> Matcher:
    """The words a query matches, folded as the index folds them (computed once per search)."""
    words: set[str] = set()
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for term in query.terms():
        tokens = tuple(fold(token) for token in term.tokens)
        if term.forms:
            words.update(fold(form) for form in term.forms)
        elif term.prefix and len(tokens) == 1:
            prefixes.append(tokens[0])
        elif len(tokens) == 1:
            words.add(tokens[0])
        else:
            phrases.append(tokens)
    return Matcher(frozenset(words), tuple(prefixes), tuple(phrases))


def snippet(body: str, query: ParsedQuery | Matcher) -> str:
    """The best window of ``body`` for ``query``, with ``**`` around each match.

    The window is the run of :data:`WINDOW` words holding the most matches (the first such
    run), with an ellipsis where it cuts the answer. Without a match in the body (the prompt
    matched), it is the opening of the answer.
    """
    matcher = query if isinstance(query, Matcher) else matcher_for(query)
    if body.isascii():
        # Most answers: lower-casing is the whole fold and keeps every offset.
        lowered = body.lower()
        found = list(WORD.finditer(lowered))
        spans = [(m.start(), m.end()) for m in found]
        folded = [m.group() for m in found]
    else:
        spans = [(m.start(), m.end()) for m in WORD.finditer(body)]
        folded = [fold(body[start:end]) for start, end in spans]
    if not spans:
        return body.strip()
    marked = _marked(folded, matcher)
    hits = [1 if run else 0 for run in marked]
    best, best_count = 0, -1
    count = sum(hits[:WINDOW])
    for first in range(0, max(1, len(spans) - WINDOW + 1)):
        if first:
            count += hits[first + WINDOW - 1] if first + WINDOW - 1 < len(hits) else 0
            count -= hits[first - 1]
        if count > best_count:
            best, best_count = first, count
    last = min(len(spans), best + WINDOW) - 1
    pieces: list[str] = []
    # At either end of the answer, its own punctuation is kept ("...the file.").
    cursor = 0 if best == 0 else spans[best][0]
    index = best
    while index <= last:
        start, end = spans[index]
        if marked[index]:
            run_end = index
            while run_end + 1 <= last and marked[run_end + 1] and marked[run_end + 1] == marked[index]:
                run_end += 1
            pieces.append(body[cursor:start] + HIGHLIGHT[0] + body[start : spans[run_end][1]] + HIGHLIGHT[1])
            cursor = spans[run_end][1]
            index = run_end + 1
            continue
        pieces.append(body[cursor:end])
        cursor = end
        index += 1
    if last == len(spans) - 1:
        pieces.append(body[cursor:])
    text = "".join(pieces).strip()
    if best > 0:
        text = ELLIPSIS + text
    if last < len(spans) - 1:
        text += ELLIPSIS
    return text


def _marked(folded: list[str], matcher: Matcher) -> list[int]:
    """For each word: 0, or a run id shared by the words of one phrase match."""
    marked = [0] * len(folded)
    run = 0
    words, prefixes = matcher.words, matcher.prefixes
    for index, word in enumerate(folded):
        if word in words or (prefixes and word.startswith(prefixes)):
            run += 1
            marked[index] = run
    for phrase in matcher.phrases:
        size = len(phrase)
        for index in range(len(folded) - size + 1):
            if tuple(folded[index : index + size]) == phrase:
                run += 1
                for offset in range(size):
                    marked[index + offset] = run
    return marked


__all__ = ["WINDOW", "Matcher", "matcher_for", "snippet"]
