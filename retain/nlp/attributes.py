"""The model's attribute ruler, applied by table look-up: the same POS, morphology and lemmas.

spaCy's ``attribute_ruler`` maps every tag to its POS and morphology with about 180 one-token
Matcher patterns, so the Matcher walks every token through every pattern: about a tenth of
the small English pipeline's time. A one-token pattern's outcome depends only on the token's
own attributes (tag, lower-case form, dependency, ...), so each distinct combination is
matched once, in Python, and its result (the rules in order, later ones winning, exactly as
``AttributeRuler.set_annotations`` applies them) is cached; the few multi-token patterns
("gon na", "let 's") still go through a small Matcher. A ruler with any pattern this module
cannot read is left as it is. Imports spaCy: only :mod:`retain.nlp.pipeline` imports it.
"""

from __future__ import annotations

import re
from typing import Any

import numpy
from spacy.attrs import IDS
from spacy.matcher import Matcher
from spacy.pipeline.attributeruler import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_READABLE = frozenset({"ORTH", "LOWER", "TAG", "POS", "DEP", "NORM", "IS_SPACE", "IS_PUNCT", "IS_ALPHA"})
_FLAGS = frozenset({"IS_SPACE", "IS_PUNCT", "IS_ALPHA"})
_MAX_CACHED = 200_000


class _NotIn(frozenset[str]):
    """The values a ``NOT_IN`` constraint excludes."""


def _compile(value: Any) -> Any:
    """A token constraint's value as a test of a string, or None if it cannot be read."""
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list):
            return frozenset(arg)
        if op == "NOT_IN" and isinstance(arg, list):
            return _NotIn(arg)
        if op == "REGEX" and isinstance(arg, str):
            return re.compile(arg)
    return None


def _matches(test: Any, value: str | bool) -> bool:
    if isinstance(test, re.Pattern):
        return isinstance(value, str) and test.search(value) is not None
    if isinstance(test, _NotIn):
        return value not in test
    if isinstance(test, frozenset):
        return value in test
    return bool(test == value)


class TableAttributeRuler(AttributeRuler):
    """``AttributeRuler`` whose one-token patterns are looked up per distinct token (same output)."""

    _exact: list[tuple[tuple[str, ...], dict[tuple[str | bool, ...], list[int]]]]  # attributes -> values -> rules
    _tests: list[tuple[int, list[tuple[str, Any]]]]  # rules with IN / NOT_IN / REGEX tests
    _keys: list[str]
    _cache: dict[tuple[int, ...], tuple[int, ...]]
    _multi: Any  # a Matcher of the multi-token patterns, under their rule ids
    _columns: list[int] | None  # the attribute ids the rules set (None: an extension among them)
    _merged: dict[tuple[int, ...], list[tuple[int, int]]]

    def prepare(self) -> bool:
        """Read the patterns; False (and nothing changed) if any is beyond a table look-up."""
        exact: dict[tuple[str, ...], dict[tuple[str | bool, ...], list[int]]] = {}
        tested: list[tuple[int, list[tuple[str, Any]]]] = []
        multi = Matcher(self.vocab, validate=False)
        keys: set[str] = set()
        rules: list[Any] = list(self.patterns)
        for index, rule in enumerate(rules):  # rule i was added as str(i)
            for pattern in rule["patterns"]:
                if len(pattern) > 1:
                    multi.add(str(index), [pattern])
                    continue
                tests: list[tuple[str, Any]] = []
                for attr, value in sorted(pattern[0].items()):
                    test = _compile(value)
                    if attr not in _READABLE or test is None or (attr in _FLAGS) != isinstance(test, bool):
                        return False
                    tests.append((attr, test))
                    keys.add(attr)
                if all(isinstance(test, (str, bool)) for _, test in tests):
                    # Equality only: one dictionary look-up per attribute group finds the rule.
                    group = exact.setdefault(tuple(a for a, _ in tests), {})
                    group.setdefault(tuple(t for _, t in tests), []).append(index)
                else:
                    tested.append((index, tests))
        self._exact = list(exact.items())
        self._tests = tested
        self._keys = sorted(keys)
        self._cache = {}
        self._multi = multi if len(multi) else None
        ids = {attr for attrs in self.attrs for attr in attrs}
        self._columns = sorted(ids) if all(isinstance(attr, int) for attr in ids) else None
        self._merged = {}
        return True

    def _merge(self, rules: tuple[int, ...]) -> list[tuple[int, int]]:
        """(column, value) pairs of the rules' attributes, later rules winning."""
        assert self._columns is not None
        position = {attr: column for column, attr in enumerate(self._columns)}
        merged: dict[int, int] = {}
        for index in rules:
            merged.update(self.attrs[index])
        return [(position[attr], value) for attr, value in merged.items()]

    def _rules_for(self, row: tuple[int, ...], strings: Any) -> tuple[int, ...]:
        values: dict[str, str | bool] = {}
        for attr, value in zip(self._keys, row, strict=True):
            values[attr] = bool(value) if attr in _FLAGS else strings[value] if value else ""
        found: set[int] = set()
        for attrs, table in self._exact:
            found.update(table.get(tuple(values[a] for a in attrs), ()))
        found.update(index for index, tests in self._tests
                     if all(_matches(test, values[attr]) for attr, test in tests))
        return tuple(sorted(found))

    def __call__(self, doc: Doc) -> Doc:
        try:
            if not len(doc):
                return doc
            rows = doc.to_array([IDS[k] for k in self._keys]).tolist() if self._keys else [[]] * len(doc)
            cache = self._cache
            if len(cache) > _MAX_CACHED:
                cache.clear()  # one entry per distinct (tag, word, ...): bounded on a long run
            strings = doc.vocab.strings
            per_token: list[tuple[int, ...]] = []
            for row in rows:
                key = tuple(row)
                found = cache.get(key)
                if found is None:
                    found = cache[key] = self._rules_for(key, strings)
                per_token.append(found)
            extra: dict[int, list[int]] = {}
            if self._multi is not None:
                for match_id, start, end in self._multi(doc, allow_missing=True):
                    index = int(self.vocab.strings[match_id])
                    target = range(start, end)[self.indices[index]]
                    extra.setdefault(target, []).append(index)
            if self._columns is None:  # an extension attribute among the rules: token by token
                for i, found in enumerate(per_token):
                    for index in sorted({*found, *extra.get(i, ())}):
                        set_token_attrs(doc[i], self.attrs[index])
                return doc
            # Every rule's attributes merged in rule order (later rules win, as spaCy applies
            # them), written as columns in one call instead of a Token object per token.
            columns = self._columns
            table = doc.to_array(list[int | str](columns)).tolist()
            merged = self._merged
            for i, found in enumerate(per_token):
                if found:
                    values = merged.get(found)
                    if values is None:
                        values = merged[found] = self._merge(found)
                    row = table[i]
                    for column, value in values:
                        row[column] = value
            doc.from_array(columns, numpy.array(table, dtype=numpy.uint64))  # type: ignore[arg-type]
            for i, more in extra.items():  # the multi-token rules' tokens, all their rules in order
                for index in sorted({*per_token[i], *more}):
                    set_token_attrs(doc[i], self.attrs[index])
            return doc
        except Exception as exc:
            self.get_error_handler()(self.name, self, [doc], exc)
            return doc


def speed_up_attribute_ruler(nlp: Any) -> bool:
    """Swap the stock ``attribute_ruler`` for :class:`TableAttributeRuler`; whether it was done."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    pipe = nlp.get_pipe("attribute_ruler")
    if type(pipe) is not AttributeRuler:
        return False
    swapped: Any = pipe
    swapped.__class__ = TableAttributeRuler
    if not swapped.prepare():
        swapped.__class__ = AttributeRuler  # a pattern beyond a table look-up: keep the Matcher
        return False
    return True


__all__ = ["TableAttributeRuler", "speed_up_attribute_ruler"]
