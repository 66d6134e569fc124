"""Normalised mention keys: casefolded, titles and possessives stripped, variants merged."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the gazetteer (and PyYAML) load only when the key map is built
    from retain.nlp.terms import Term

# Honorifics dropped from the front of a name ("Dr. Patel" and "Patel" are the same person).
TITLES: frozenset[str] = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "lady", "lord", "rev",
     # as typed in other countries and on wards: "Herr Nolte", "Mme Rivière", "Sister Quaye"
     "herr", "frau", "mme", "mlle", "madame", "monsieur", "sr", "sra", "srta", "dott", "ing", "lic",
     "khun", "cllr", "councillor", "sister", "rabbi", "imam", "capt", "captain", "bu", "ibu", "pak",
     "bapak", "kak"}
)
_TITLE = re.compile(
    r"^(?:" + "|".join(t.capitalize() for t in sorted(TITLES)) + r"|" + "|".join(sorted(TITLES)) + r")\.?$"
)
_WS = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?*_`"


def normalise(text: str) -> str:
    """The comparable form of a mention: ``"Dr. Tom O'Neill's"`` -> ``"tom o'neill"``.

    Unicode is NFKC-normalised and casefolded, whitespace folded, surrounding quotes and
    punctuation dropped, then a leading "the", a leading title and a trailing possessive go.
    """
    value = _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip().strip(_EDGE_PUNCT).strip()
    value = _POSSESSIVE.sub("", value).strip()
    words = value.split(" ")
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    # Titles are matched as written ("Ms", "Dr."), so "MS Teams" keeps its "MS".
    if len(words) > 1 and _TITLE.match(words[0]):
        words = words[1:]
    return " ".join(words).strip(_EDGE_PUNCT).strip().casefold()


class KeyMap:
    """Maps every known variant of a term to one key, so "JIRA" and "Jira Cloud" merge.

    Args:
        terms: Gazetteer and glossary terms; a later term never steals an earlier alias.
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        self._aliases: dict[str, str] = {}
        for term in terms:
            canonical = normalise(term.name)
            for variant in term.variants:
                self._aliases.setdefault(normalise(variant), canonical)

    @classmethod
    def from_aliases(cls, aliases: dict[str, str]) -> KeyMap:
        """A key map from a ready alias table (normalised variant -> key), e.g. a cached one."""
        keymap = cls(())
        keymap._aliases = dict(aliases)
        return keymap

    @property
    def aliases(self) -> dict[str, str]:
        """A copy of the alias table: normalised variant -> key."""
        return dict(self._aliases)

    def key(self, text: str) -> str:
        """The normalised key of a mention's text."""
        value = normalise(text)
        return self._aliases.get(value, value)

    def known(self, text: str) -> bool:
        """Whether the text is a variant of a known term."""
        return normalise(text) in self._aliases

    def __len__(self) -> int:
        return len(self._aliases)


@lru_cache(maxsize=1)
def default_keymap() -> KeyMap:
    """The key map of the shipped gazetteer alone (used where no settings are at hand)."""
    from retain.nlp.keycache import cached_aliases

    def build() -> dict[str, str]:
        from retain.nlp.terms import gazetteer_terms

        return KeyMap(gazetteer_terms()).aliases

    # Cached on disk under a digest of the gazetteer and this code: `retain who` and a pack
    # export need one lookup, not PyYAML and 900 terms (~40 ms of every such command).
    return KeyMap.from_aliases(cached_aliases(build))


def mention_key(text: str) -> str:
    """The normalised key of a mention, merging gazetteer variants."""
    return default_keymap().key(text)


__all__ = ["TITLES", "KeyMap", "default_keymap", "mention_key", "normalise"]
