"""Pseudonymised packs: names, e-mail addresses and phone numbers become stable placeholders.

Works on the typed pack context before any renderer sees it, so every format (Word,
Markdown, HTML, JSON) and the file name get the same placeholders. The key that maps them
back is returned separately and never goes into the pack.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from retain.domain.redaction import MIN_PART

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers: an international prefix, a bracketed area code, or 9+ digits in spaced
# groups. Dates (2026-12-01) and references (JE-2026-06-1187) do not qualify.
PHONE = re.compile(r"(?<![\w+/-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\w/-])")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _fold(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.split()).casefold()


def _pattern(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    return r"[\s\-]+".join(re.escape(w) for w in words)


def is_phone(text: str) -> bool:
    """Whether a candidate match is a phone number rather than a date or a count."""
    digits = sum(c.isdigit() for c in text)
    if ISO_DATE.match(text) or not 7 <= digits <= 15:
        return False
    if text.startswith(("+", "(")):
        return True
    return digits >= 9 and (" " in text or re.fullmatch(r"\d{3}[-.]\d{3}[-.]\d{4}", text) is not None)


@dataclass
class Pseudonymiser:
    """Replaces people's names, e-mail addresses and phone numbers with placeholders.

    Args:
        names: Every name known to belong to a person (the person table, PERSON mentions,
            contact rows). Placeholders are numbered in the order the pack first uses them,
            so the interviewee on the cover is Person 1.
    """

    names: list[str]
    key: dict[str, str] = field(default_factory=dict)
    _numbers: dict[str, str] = field(default_factory=dict)
    _emails: dict[str, str] = field(default_factory=dict)
    _phones: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        canonical: dict[str, str] = {}
        for name in self.names:
            clean = " ".join(name.split())
            if clean and _fold(clean) not in canonical:
                canonical[_fold(clean)] = clean
        self._canonical = canonical
        split = {folded: [w for w in re.split(r"[\s\-]+", folded) if w] for folded in canonical}
        # A first or last name alone ("Ravi", an extracted PERSON or in prose) stands for its
        # person when no other full name shares it; otherwise it is a person of its own.
        owners: dict[str, set[str]] = {}
        for folded, words in split.items():
            for word in words if len(words) > 1 else []:
                owners.setdefault(word, set()).add(folded)
        self._alias = {w: next(iter(o)) for w, o in owners.items() if len(o) == 1 and len(w) >= MIN_PART}
        full = sorted((n for f, n in canonical.items() if len(split[f]) > 1), key=len, reverse=True)
        single = sorted((n for f, n in canonical.items() if len(split[f]) == 1), key=len, reverse=True)
        alternatives = [f"(?i:{_pattern(n)})" for n in full]
        # Single names and parts match only capitalised, as in prose: "Grant" the person,
        # not "grant access".
        alternatives += [re.escape(n[:1].upper() + n[1:]) for n in single]
        alternatives += [re.escape(p[:1].upper() + p[1:]) for p in sorted(self._alias, key=len, reverse=True)
                         if p not in canonical]
        self._names = re.compile(r"(?<![\w@])(?:" + "|".join(alternatives) + r")(?![\w@])") if alternatives else None

    def _placeholder(self, folded: str) -> str:
        if folded not in self._numbers:
            self._numbers[folded] = f"Person {len(self._numbers) + 1}"
        return self._numbers[folded]

    def text(self, value: str) -> str:
        """One string with every name, e-mail and phone number replaced."""
        if not value:
            return value
        value = EMAIL.sub(lambda m: self._token(self._emails, m.group(), "email"), value)
        value = PHONE.sub(lambda m: self._token(self._phones, m.group(), "phone") if is_phone(m.group())
                          else m.group(), value)
        if self._names is not None:
            value = self._names.sub(self._name, value)
        return value

    def _name(self, match: re.Match[str]) -> str:
        folded = _fold(match.group())
        owner = self._alias.get(folded, folded)
        placeholder = self._placeholder(owner)
        self.key[placeholder] = self._canonical.get(owner, match.group())
        return placeholder

    def _token(self, seen: dict[str, str], original: str, kind: str) -> str:
        folded = original.casefold()
        if folded not in seen:
            seen[folded] = f"[{kind} {len(seen) + 1}]"
        self.key[seen[folded]] = original
        return seen[folded]

    def apply(self, context: Any) -> Any:
        """Replace in place every string of a context (dataclasses, dicts, lists); returns it."""
        return self._walk(context, {})

    def _walk(self, value: Any, memo: dict[int, Any]) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bool | int | float) or value is None:
            return value
        if id(value) in memo:  # an entry shown in several places is one object
            return memo[id(value)]
        if isinstance(value, list):
            memo[id(value)] = value
            value[:] = [self._walk(v, memo) for v in value]
        elif isinstance(value, dict):
            memo[id(value)] = value
            items = [(self._walk(k, memo), self._walk(v, memo)) for k, v in value.items()]
            value.clear()
            value.update(items)
        elif is_dataclass(value) and not isinstance(value, type):
            memo[id(value)] = value
            for f in fields(value):
                setattr(value, f.name, self._walk(getattr(value, f.name), memo))
        return value

    def key_document(self) -> dict[str, str]:
        """Placeholder -> original, only for what the pack actually used."""
        return dict(sorted(self.key.items(), key=lambda kv: (kv[0][:1] == "[", _natural(kv[0]))))


def _natural(text: str) -> tuple[str, int]:
    head, _, tail = text.rstrip("]").rpartition(" ")
    return (head, int(tail)) if tail.isdigit() else (text, 0)


def names_from_context(context: Any) -> Iterable[str]:
    """Names the context itself says are people: PERSON entities and contact rows."""
    for entity in getattr(context, "entities", []) or []:
        if getattr(entity, "label", "") == "PERSON":
            yield entity.text
    table = (getattr(context, "tables", {}) or {}).get("contacts")
    for row in getattr(table, "rows", []) or []:
        name = getattr(row, "values", {}).get("name", "")
        if name:
            yield name
