"""One canonical entity per thing: known names win, short forms merge, follow-ups de-duplicated.

Pure functions over mention-like objects (anything with ``text``, ``label``, ``start``, ``end``
and ``key``), shared by the live capture panel, the extraction service and the gap analysis so
that they all read the same resolved entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from retain.nlp.extractor import ExtractedMention
from retain.nlp.normalize import mention_key, normalise
from retain.nlp.spans import ORG_CUTS, PERSON_CUTS

# Labels a known system's mention may carry by mistake ("org PayBridge").
_RELABELLED = frozenset({"ORG", "PRODUCT", "GPE", "LOC", "FAC"})


def entity_key(text: str, label: str = "") -> str:
    """The key of an item as a person would write it: a mention, a list row, a follow-up.

    The mention key (case, titles, possessives, gazetteer aliases) of the text without a
    trailing prepositional phrase, so "Kwame Asante in Finance" and "Kwame Asante" agree.
    """
    words = normalise(text).split(" ")
    cuts = PERSON_CUTS if label in ("PERSON", "") else ORG_CUTS
    for index in range(1, len(words) - 1):
        if words[index] in cuts:
            words = words[:index]
            break
    return mention_key(" ".join(words))


def align_to_known(text: str, start: int, end: int, names: Iterable[str]) -> tuple[int, int] | None:
    """Where a known person's name overlaps a PERSON span, the name's own offsets.

    "Kwame Asante in Finance" becomes "Kwame Asante" when Kwame Asante is a known person, and
    "Asante" inside "Kwame Asante" grows to the full name. ``None`` if no known name overlaps.
    """
    best: tuple[int, int] | None = None
    for name in names:
        name = name.strip()
        if " " not in name:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in name.split()) + r"(?!\w)"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            overlaps = match.start() < end and match.end() > start
            if overlaps and (best is None or match.end() - match.start() > best[1] - best[0]):
                best = (match.start(), match.end())
    return best


def resolve_mentions(
    text: str,
    mentions: Sequence[ExtractedMention],
    *,
    people: Iterable[str] = (),
    system_keys: Iterable[str] = (),
    vendors: Iterable[str] = (),
) -> list[ExtractedMention]:
    """The mentions of one text as the store will see them.

    Args:
        text: The text the offsets point into.
        mentions: What the extractor found.
        people: Full names of known people: where a PERSON span disagrees with one, the name wins.
        system_keys: Keys known as SYSTEM elsewhere (the store): their ORG mentions become SYSTEM.
        vendors: Keys of vendors named after their product, which stay as labelled.

    Returns:
        The mentions with known names aligned, labels made consistent and duplicates (same
        span) dropped, in text order.
    """
    index = _name_index(tuple(p for p in people if p and " " in p.strip()))
    systems = set(system_keys) - set(vendors)
    out: list[ExtractedMention] = []
    seen: set[tuple[int, int]] = set()
    for m in mentions:
        if m.label == "PERSON" and index:
            # Only names sharing a word with the span can overlap it.
            near = {n for w in normalise(m.text).split() for n in index.get(w, ())}
            aligned = align_to_known(text, m.start, m.end, sorted(near)) if near else None
            if aligned is not None and aligned != (m.start, m.end):
                piece = text[aligned[0]:aligned[1]]
                m = replace(m, text=piece, start=aligned[0], end=aligned[1], key=mention_key(piece))
        if m.label in _RELABELLED and m.key in systems:
            m = replace(m, label="SYSTEM")
        if (m.start, m.end) in seen:
            continue
        seen.add((m.start, m.end))
        out.append(m)
    return sorted(out, key=lambda m: m.start)


@lru_cache(maxsize=8)
def _name_index(names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Known full names by each of their words (cached: the same people for a whole run)."""
    index: dict[str, set[str]] = {}
    for name in names:
        for word in normalise(name).split():
            index.setdefault(word, set()).add(name)
    return {word: tuple(sorted(found)) for word, found in index.items()}


def short_forms(mentions: Iterable[Any]) -> dict[str, str]:
    """Map a one-word PERSON key to the full name it is short for in the same interview.

    "Kwame" after "Kwame Asante" is Kwame Asante, as long as no other full name mentioned
    starts or ends with that word.
    """
    full: dict[str, set[str]] = {}
    keys = {m.key for m in mentions if m.label == "PERSON" and m.key}
    for key in keys:
        words = key.split()
        if len(words) > 1:
            full.setdefault(words[0], set()).add(key)
            full.setdefault(words[-1], set()).add(key)
    return {key: next(iter(full[key])) for key in keys
            if " " not in key and len(full.get(key, ())) == 1}


def distinct_entities(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """``(text, label)`` pairs, one per entity: same key once, short forms under the full name.

    For the live panel: "Kwame Asante", "Kwame" and "KWAME ASANTE" show as one person, and a
    name with two labels shows with SYSTEM if either is SYSTEM.
    """
    items = [(text, label, mention_key(text)) for text, label in pairs]
    people = [_Keyed(key, "PERSON") for _, label, key in items if label == "PERSON"]
    aliases = short_forms(people)
    systems = {key for _, label, key in items if label == "SYSTEM"}
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for text, label, key in items:
        key = aliases.get(key, key) if label == "PERSON" else key
        if key in seen:
            continue
        seen.add(key)
        out.append((text, "SYSTEM" if key in systems and label in _RELABELLED else label))
    return out


@dataclass(frozen=True)
class _Keyed:
    key: str
    label: str


def listed(item: str, label: str, rows: Iterable[str]) -> bool:
    """Whether a list already holds an item, after normalisation.

    Exact keys match ("JIRA" and "Jira Cloud"), and for people a row covers a short form or a
    longer spelling of the same name ("Kwame" or "Kwame Asante in Finance" by "Kwame Asante").
    """
    key = entity_key(item, label)
    if not key:
        return True
    row_keys = {entity_key(r, label) for r in rows if r and r.strip()}
    if key in row_keys:
        return True
    if label != "PERSON":
        return False
    words = key.split()
    for row in row_keys:
        parts = row.split()
        if not parts:
            continue
        if len(words) == 1 and words[0] in (parts[0], parts[-1]):
            return True
        if len(parts) > 1 and words[: len(parts)] == parts:
            return True
    return False


@lru_cache(maxsize=1)
def vendor_keys() -> frozenset[str]:
    """Keys of vendors named after their product and of known organisations (never relabelled)."""
    from retain.nlp.terms import gazetteer_terms, organisation_terms

    keys = {normalise(v) for t in gazetteer_terms() if t.company for v in t.variants}
    keys |= {normalise(t.name) for t in organisation_terms()}
    return frozenset(keys)


def label_map(mentions: Iterable[Any]) -> Mapping[str, str]:
    """The one label each key carries: SYSTEM once any mention of it is a SYSTEM."""
    labels: dict[str, str] = {}
    for m in mentions:
        if m.label == "SYSTEM" or m.key not in labels:
            labels[m.key] = m.label
    return labels


__all__ = ["align_to_known", "distinct_entities", "entity_key", "label_map", "listed", "resolve_mentions",
           "short_forms", "vendor_keys"]
