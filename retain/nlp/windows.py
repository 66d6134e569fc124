"""Run a token Matcher only on short windows where one of its patterns can start (cheap)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy
from spacy.attrs import LIKE_EMAIL, LIKE_NUM, LIKE_URL, LOWER

_FLAGS = {"LIKE_NUM": 1, "LIKE_EMAIL": 2, "LIKE_URL": 3}
_ATTRS = [LOWER, LIKE_NUM, LIKE_EMAIL, LIKE_URL]


def starting_words(nlp: Any, patterns: Sequence[Sequence[dict[str, Any]]]) -> tuple[frozenset[int], tuple[int, ...]]:
    """The lower-case word hashes and flag columns a pattern's first token can match.

    The e-mail and URL patterns are one flag each and always included. Raises ``ValueError``
    for a first token this cheap look-up cannot express (an optional token, another attribute).
    """
    words: set[int] = set()
    flags = {_FLAGS["LIKE_EMAIL"], _FLAGS["LIKE_URL"]}
    for pattern in patterns:
        first = dict(pattern[0])
        if "OP" in first:
            raise ValueError(f"a pattern starts with an optional token: {first}")
        lower = first.pop("LOWER", None)
        if isinstance(lower, dict):
            words.update(nlp.vocab.strings.add(w) for w in lower["IN"])
        elif isinstance(lower, str):
            words.add(nlp.vocab.strings.add(lower))
        for key in list(first):
            if key in _FLAGS and first[key] is True:
                flags.add(_FLAGS[key])
                del first[key]
            elif key == "IS_UPPER":
                del first[key]  # narrows a LOWER match; the window still starts there
        if first or (lower is None and not flags):
            raise ValueError(f"a pattern's first token is not a word or a flag: {pattern[0]}")
    return frozenset(words), tuple(sorted(flags))


def matches_in_windows(matcher: Any, doc: Any, starts: tuple[frozenset[int], tuple[int, ...]],
                       reach: int) -> list[tuple[int, int, int]]:
    """``matcher(doc)``'s matches, found by matching only windows of ``reach`` tokens.

    Every match begins at a token ``starting_words`` allows and is shorter than ``reach``, so
    merged windows from each such token hold every match whole, and no match crosses two.
    """
    words, flags = starts
    if not len(doc):
        return []
    table = doc.to_array(_ATTRS)
    flagged = set(table[:, list(flags)].any(axis=1).nonzero()[0].tolist())
    # A set look-up per token: cheaper than numpy.isin, which sorts both arrays every call.
    hits = sorted(flagged.union(i for i, h in enumerate(table[:, 0].tolist()) if h in words))
    found: list[tuple[int, int, int]] = []
    window_start = window_end = -1
    for index in hits:
        if index <= window_end:
            window_end = min(len(doc), index + reach)
            continue
        if window_end > window_start >= 0:
            found += [(m, s + window_start, e + window_start) for m, s, e in matcher(doc[window_start:window_end])]
        window_start, window_end = index, min(len(doc), index + reach)
    if window_end > window_start >= 0:
        found += [(m, s + window_start, e + window_start) for m, s, e in matcher(doc[window_start:window_end])]
    return found


def sorted_ids(strings: Any, texts: Any) -> Any:
    """The string-store ids of ``texts``, sorted, for :func:`in_sorted` (a numpy array)."""
    return numpy.array(sorted({strings.add(t) for t in texts}), dtype="uint64")


def in_sorted(values: Any, ids: Any) -> Any:
    """Which of ``values`` (a Doc column of ids) are in the sorted ``ids``: a boolean array.

    A binary search per token: ``numpy.isin`` sorts both arrays every call, and a list of
    twenty thousand given names is too long to sort again for every answer.
    """
    at = numpy.minimum(numpy.searchsorted(ids, values), len(ids) - 1)
    return ids[at] == values


__all__ = ["in_sorted", "matches_in_windows", "sorted_ids", "starting_words"]
