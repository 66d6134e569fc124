"""Finding a person's name in free text and replacing it, keeping other offsets valid."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = "[removed person]"
# A first or last name on its own is replaced only when it is this long and nobody else
# known to the database shares it: "Ravi" is Ravi Shah, "Li" or a shared "Sam" is nobody.
MIN_PART = 3


@dataclass(frozen=True)
class Replacement:
    """One replaced span of the original text: ``[start, end)`` became ``length`` characters."""

    start: int
    end: int
    length: int


def _letter(char: str) -> str:
    """A regex for one character that also matches its form without diacritics (é|e)."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    if base and base != char and len(base) == 1:
        return f"[{re.escape(char)}{re.escape(base)}]"
    return re.escape(char)


def _fold(text: str) -> str:
    """Spaces collapsed, diacritics dropped, case folded: José Müller == jose muller."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.split()).casefold()


def _word(word: str) -> str:
    return "".join(_letter(c) for c in word)


def _parts(name: str) -> list[str]:
    return [part for part in re.split(r"[\s\-]+", name) if part]


class NameMatcher:
    """The ways one person's name appears in text: full name, e-mail, unambiguous name parts."""

    def __init__(self, name: str, *, email: str | None = None, others: Iterable[str] = ()) -> None:
        self.name = " ".join(name.split())
        words = _parts(self.name)
        full = r"[\s\-]+".join(_word(w) for w in words)
        taken = {_fold(p) for other in others for p in _parts(other) if _fold(other) != _fold(self.name)}
        unique = [w for w in words if len(w) >= MIN_PART and _fold(w) not in taken and len(words) > 1]
        strict: list[str] = [f"(?i:{full})"]
        if email:
            strict.append(f"(?i:{re.escape(email.strip())})")
        # Name parts alone match only as capitalised words: "Grant" the person, not "grant access".
        strict += [_word(w) for w in sorted(unique, key=len, reverse=True)]
        edge = r"(?<![\w@.])(?:{})(?![\w@])"
        self._strict = re.compile(edge.format("|".join(strict)))
        self._loose = re.compile(edge.format("|".join(strict)), re.IGNORECASE)
        # Fragments for a coarse SQL LIKE prefilter: every form contains one of them. When a
        # form has no usable ASCII fragment, ``needles`` is empty and callers scan everything.
        fragments = [_ascii_run(self.name), *(_ascii_run(w) for w in unique)]
        if email:
            fragments.append(_ascii_run(email.strip()))
        self.needles: list[str] = sorted(set(fragments)) if all(fragments) else []
        self.exact = {self.name.casefold()} | ({email.strip().casefold()} if email else set())

    def found_in(self, text: str, *, loose: bool = False) -> bool:
        """Whether ``text`` names the person (``loose``: name parts in any case, for phrases)."""
        return bool((self._loose if loose else self._strict).search(text))

    def first(self, text: str) -> re.Match[str] | None:
        """The first place ``text`` names the person, if any."""
        return self._strict.search(text)

    def is_exactly(self, text: str) -> bool:
        """Whether ``text`` is just the name (or e-mail), e.g. an interviewer field."""
        return " ".join(text.split()).casefold() in self.exact

    def redact(self, text: str) -> tuple[str, list[Replacement]]:
        """``text`` with every occurrence replaced by :data:`PLACEHOLDER`, and what moved."""
        spans: list[Replacement] = []
        pieces: list[str] = []
        last = 0
        for match in self._strict.finditer(text):
            pieces.append(text[last : match.start()])
            pieces.append(PLACEHOLDER)
            spans.append(Replacement(match.start(), match.end(), len(PLACEHOLDER)))
            last = match.end()
        if not spans:
            return text, []
        pieces.append(text[last:])
        return "".join(pieces), spans

    def redact_value(self, value: Any) -> Any:
        """Redact every string inside a JSON value (dicts, lists), keys included."""
        if isinstance(value, str):
            return self.redact(value)[0]
        if isinstance(value, list):
            return [self.redact_value(v) for v in value]
        if isinstance(value, dict):
            return {self.redact_value(k): self.redact_value(v) for k, v in value.items()}
        return value


def shift_span(spans: Sequence[Replacement], start: int, end: int) -> tuple[int, int] | None:
    """Where ``[start, end)`` of the original text is after the replacements; None if it overlapped one."""
    delta = 0
    for span in spans:
        if span.start < end and start < span.end:
            return None
        if span.end <= start:
            delta += span.length - (span.end - span.start)
    return start + delta, end + delta


def _ascii_run(word: str) -> str:
    """The longest run of ASCII letters in ``word``, casefolded (LIKE cannot fold the rest)."""
    runs = re.findall(r"[A-Za-z0-9]+", word)
    best = max(runs, key=len, default="")
    return best.casefold() if len(best) >= MIN_PART else ""
