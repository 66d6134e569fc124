"""Span repairs shared by the rule component: clean text, trailing prepositions, lone acronyms."""

from __future__ import annotations

import re
from typing import Any

# Characters that are never part of a name: byte-order marks, zero-width and control
# characters (tab and line breaks excepted). They are replaced one for one by a space before
# parsing, so every character offset stays valid.
_INVISIBLE = re.compile("[\ufeff\ufffe\u200b\u200c\u200d\u2060\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# A name ends where a prepositional phrase starts: "Kwame Asante in Finance", "Deloitte in
# Leeds", "Sarah Jones at Deloitte". "of", "for", "and" and "&" are kept: "Bank of England",
# "Institute for Fiscal Studies", "Marks and Spencer".
PERSON_CUTS = frozenset({"in", "at", "from", "with", "on", "via", "by", "for", "of", "to", "into",
                         "within", "under", "over", "about", "after", "before", "and", "or"})
ORG_CUTS = frozenset({"in", "at", "from", "with", "on", "via", "by", "to", "into", "within",
                      "under", "about", "after", "before"})
# After these a company tail becomes an organisation of its own ("Sarah Jones at Deloitte").
COMPANY_PREPS = frozenset({"at", "from", "with"})
# Articles before an abbreviation make it a thing ("a BOM", "an SLA"), not an organisation.
_ARTICLES = frozenset({"a", "an"})


def clean_text(text: str) -> str:
    """The text with invisible characters replaced by spaces (same length, same offsets)."""
    if _INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub(" ", text)


def prepositional_cut(tokens: Any, label: str, particles: frozenset[str]) -> int | None:
    """Where a PERSON or ORG span should end because a prepositional phrase begins, or ``None``.

    Args:
        tokens: The span's tokens.
        label: The span's label (only PERSON and ORG are cut).
        particles: Lower-case surname parts that are not prepositions ("de", "van").
    """
    cuts = PERSON_CUTS if label == "PERSON" else ORG_CUTS if label == "ORG" else None
    if cuts is None:
        return None
    for index in range(1, len(tokens) - 1):
        token = tokens[index]
        if token.lower_ in particles and label == "PERSON":
            continue
        if token.lower_ in cuts and token.text.islower():
            return index
    return None


def lone_abbreviation(tokens: Any) -> bool:
    """Whether a one-token span is an abbreviation used as a thing: "a BOM", "the FX rates".

    An article before it ("a BOM", "an SLA") or a lower-case noun it modifies ("FX rates",
    "NOC dashboard") says it names a kind of thing, not an organisation.
    """
    if len(tokens) != 1:
        return False
    token = tokens[0]
    text = token.text
    if not (text.isupper() and text.isalpha() and 2 <= len(text) <= 5):
        return False
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if before is not None and before.lower_ in _ARTICLES:
        return True
    return (after is not None and after.text.islower() and after.pos_ == "NOUN"
            and token.dep_ == "compound")


__all__ = ["COMPANY_PREPS", "ORG_CUTS", "PERSON_CUTS", "clean_text", "lone_abbreviation",
           "prepositional_cut"]
