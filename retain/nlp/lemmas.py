"""The model's rule lemmatizer with every result cached: the same lemmas, far fewer Python calls.

spaCy's rule lemmatizer visits every token in Python and caches only the words it inflects;
every singular noun, infinitive or positive adjective goes through its base-form test again
(about a third of the component's time on interview text). A lemma depends only on the token's
text, part of speech and morphology, so one dictionary look-up per token over the Doc's
arrays gives exactly what the stock component gives. The cache holds string hashes, so it is
emptied when a memory zone ends (the strings it points at are freed then). Imports spaCy: only
:mod:`retain.nlp.pipeline` imports it, when a model loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.tokens import Doc

_ATTRS = [ORTH, POS, MORPH, LEMMA]
_MAX_CACHED = 200_000


class CachedLemmatizer(EnglishLemmatizer):
    """``EnglishLemmatizer`` in rule mode, one cached look-up per token (same output)."""

    _hashes: dict[tuple[int, int, int], int]

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables()
        try:
            if not len(doc):
                return doc
            table = doc.to_array(_ATTRS)
            hashes = self._hashes
            if len(hashes) > _MAX_CACHED:
                hashes.clear()  # outside a memory zone nothing else bounds it
            strings = doc.vocab.strings
            lemmas = table[:, 3].copy()
            changed = False
            for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
                if lemma and not self.overwrite:
                    continue  # set earlier (the attribute ruler's exceptions), as spaCy leaves it
                key = (orth, pos, morph)
                value = hashes.get(key)
                if value is None:
                    value = hashes[key] = strings.add(self.lemmatize(doc[i])[0])
                lemmas[i] = value
                changed = True
            if changed:
                doc.from_array([LEMMA], lemmas.reshape(-1, 1).astype(numpy.uint64))  # type: ignore[arg-type]
            return doc
        except Exception as exc:
            self.get_error_handler()(self.name, self, [doc], exc)
            return doc

    @contextmanager
    def memory_zone(self, mem: Any = None) -> Iterator[None]:
        """Forget the cached hashes when spaCy's memory zone frees the strings behind them."""
        try:
            yield
        finally:
            self._hashes = {}


def speed_up_lemmatizer(nlp: Any) -> bool:
    """Swap the stock English rule lemmatizer for :class:`CachedLemmatizer`; whether it was done.

    Only the exact stock class in rule mode is swapped (a lookup-mode or custom lemmatizer is
    left as it is); the component keeps its name, tables and settings.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return False
    pipe = nlp.get_pipe("lemmatizer")
    if type(pipe) is not EnglishLemmatizer or pipe.mode != "rule":
        return False
    pipe.__class__ = CachedLemmatizer
    assert isinstance(pipe, CachedLemmatizer)
    pipe._hashes = {}
    return True


__all__ = ["CachedLemmatizer", "speed_up_lemmatizer"]
