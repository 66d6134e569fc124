"""Shared state of the rule component's parts: a rule candidate and the lists every part reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from retain.nlp.lexicon import TITLE_FORMS
from retain.nlp.terms import NameSet, Term


@dataclass(frozen=True)
class Candidate:
    """A span a rule proposes, before overlaps with other rules and the NER are settled."""

    start: int
    end: int
    label: str
    source: str
    term: Term | None = None
    exact: bool = False

    @property
    def length(self) -> int:
        """Tokens covered."""
        return self.end - self.start


class RuleState:
    """The name lists the rule component's mixins share (set by ``RetainEntities.__init__``)."""

    _first_names: NameSet
    _ambiguous_names: NameSet
    _places: frozenset[str]
    _name_ids: Any  # the first names' string ids, a numpy array
    _name_re: re.Pattern[str]
    _generic: frozenset[str]
    _dictionary: frozenset[str]  # lower-case English words (the lemmatizer's index)
    _word_excluded: frozenset[str]  # ... that are first names, places, teams, calendar words

    def _plain_word(self, text: str) -> bool:
        """Whether a one-word name is an ordinary English word and no first name or place."""
        lower = text.lower()
        return lower in self._dictionary and lower not in self._word_excluded

    def _is_first_name(self, token: Any, *, surname_follows: bool) -> bool:
        """Whether a token is a known given name (Mark, Grace and the like only before a surname)."""
        text = token.text
        return text in self._first_names or (surname_follows and text in self._ambiguous_names)

    def _is_name(self, token: Any) -> bool:
        """Whether a token can be (part of) a name: name-shaped and no generic word."""
        return bool(self._name_re.match(token.text)) and token.lower_ not in self._generic

    @staticmethod
    def _capitalised(token: Any) -> bool:
        return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)

    @staticmethod
    def _is_title(token: Any) -> bool:
        return token.text.rstrip(".") in TITLE_FORMS


__all__ = ["Candidate", "RuleState"]
