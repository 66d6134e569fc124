"""Key phrases from noun chunks, and their TF-IDF scores per answer and per interview."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from retain.nlp.normalize import TITLES

# Parts of speech that never start or end a key phrase ("the", "my", "two", "-").
_EDGE_POS = frozenset({"DET", "PRON", "NUM", "PUNCT", "SYM", "CCONJ", "SCONJ", "ADP", "PART",
                       "SPACE", "INTJ", "AUX", "ADV", "X"})
# Modifiers that say nothing about the topic ("other systems", "the same report").
_VAGUE_MODIFIERS = frozenset({
    "other", "same", "many", "much", "few", "several", "various", "certain", "own", "such",
    "whole", "entire", "main", "different", "particular", "usual", "last", "next", "first",
    "second", "third", "new", "old", "good", "bad", "big", "small", "little", "real", "actual",
    "specific", "general", "important", "current", "previous", "right", "wrong", "lot", "least",
    "most", "more", "less", "every", "each", "any", "some", "all", "both", "either", "only",
})
# Head nouns that are never a topic on their own ("a lot", "the thing", "the time").
VAGUE_NOUNS = frozenset({
    "thing", "stuff", "lot", "bit", "way", "kind", "sort", "type", "part", "something",
    "anything", "everything", "nothing", "someone", "anyone", "everyone", "somebody", "anybody",
    "everybody", "nobody", "one", "ones", "time", "times", "place", "case", "point", "fact",
    "idea", "day", "week", "month", "year", "morning", "afternoon", "evening", "night", "today",
    "tomorrow", "yesterday", "minute", "hour", "moment", "people", "person", "guy", "guys",
    "question", "answer", "example", "number", "end", "start", "side", "rest", "area", "level",
    "term", "terms", "detail", "details", "reason", "problem", "issue", "job", "work", "stage",
    "step", "name", "couple", "half", "order", "use", "help", "sense", "deal", "look", "hand",
    "mind", "home", "sure", "yes", "no", "ok", "okay", "etc", "lots", "plenty", "none",
})


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's English stopwords plus the vague nouns (imported lazily: this module stays spaCy-free)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | VAGUE_NOUNS

# Endings of nouns that name an activity or a practice: a one-word topic only if it has one.
_PROCESS_SUFFIXES = ("tion", "sion", "ment", "ing", "ance", "ence", "ship", "ity", "ism", "ure",
                     "age", "ery", "ology", "ics", "ysis")
_PROCESS_WORDS = frozenset({"payroll", "audit", "budget", "forecast", "compliance", "procurement",
                            "recruitment", "onboarding", "offboarding", "tax", "treasury", "vat",
                            "gdpr", "security", "backup", "backups", "pension", "pensions", "invoicing",
                            "commission", "consolidation", "depreciation", "insurance", "legal"})

MAX_PHRASE_TOKENS = 4
MAX_PHRASE_CHARS = 80
# Entity labels whose noun chunks are not topics: people are who, dates are when.
_NON_TOPIC_LABELS = frozenset({"PERSON", "DATE", "TIME", "RECURRENCE", "EMAIL", "URL",
                               "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY", "GPE", "LOC"})
# Internal teams and file formats are where and how, not what: "Finance", "HR Systems", "PDFs".
_TEAM_WORDS = frozenset({"finance", "hr", "it", "legal", "sales", "marketing", "procurement",
                         "operations", "ops", "engineering", "support", "treasury", "accounts",
                         "systems", "team", "teams", "department", "office", "people", "admin",
                         "pdf", "pdfs", "csv", "csvs", "xlsx", "docx", "zip", "email", "emails"})
_WORDISH = re.compile(r"[^\W\d_]", re.UNICODE)
_MIXED_CASE = re.compile(r"[a-z][A-Z]|^[A-Z]{2,}")


def _token_form(token: Any, *, head: bool) -> str:
    """How a token is written in a phrase.

    Names and acronyms keep their spelling; a plural head noun becomes singular ("payment
    runs" -> "payment run"); modifiers stay as written ("sales team", "shared drive"), because
    lemmatising them turns "sales" into "sale" and "data" into "datum".
    """
    text: str = token.text
    if _MIXED_CASE.search(text):
        return text
    if token.is_sent_start and token.is_title and not token.ent_type_:
        return text.lower()  # "Onboarding starts ...": a capital only because it opens a sentence
    if token.pos_ == "PROPN" or (text[:1].isupper() and not token.is_sent_start):
        return text  # "Irish pension scheme": a capital mid-sentence is a name's
    if head and text.islower() and token.tag_ in ("NNS", "NNPS") and token.lemma_ and token.lemma_ != "datum":
        return str(token.lemma_).lower()  # never "jenkin" from "Jenkins"
    return text.lower()


def _verb_led(items: Sequence[Any]) -> int:
    """How many tokens to drop from a chunk that opens with a subject and its verb.

    The small tagger reads "Workday reorders column headers" as one noun chunk with a plural
    noun "reorders"; with no determiner, a name followed by a plural common noun and then
    more nouns is a subject and a verb, and only what follows is a phrase.
    """
    if len(items) < 3 or items[0].pos_ != "PROPN":
        return 0
    for index in range(1, len(items) - 1):
        token = items[index]
        if token.pos_ == "PROPN":
            continue
        if token.tag_ == "NNS" and token.text.islower() and items[index + 1].pos_ in ("NOUN", "PROPN"):
            return index + 1
        return 0
    return 0


def _index_worthy(word: str) -> bool:
    """Whether one lower-case word is a topic on its own: a process noun, not "paper" or "net".

    A single common noun says little in an index unless it names an activity ("onboarding",
    "reconciliation", "procurement", "payroll"); names and acronyms keep their capitals and
    are judged elsewhere.
    """
    return "-" in word or word.endswith(_PROCESS_SUFFIXES) or word in _PROCESS_WORDS


def _hyphenated(items: Sequence[Any], index: int) -> bool:
    """Whether the token is part of a hyphenated compound ("off-cycle", "month-end")."""
    token = items[index]
    if token.text == "-":
        return False
    after = index + 1 < len(items) and items[index + 1].text == "-" and not token.whitespace_
    before = index > 0 and items[index - 1].text == "-" and not items[index - 1].whitespace_
    return after or before


def _last_words(items: list[Any], limit: int) -> list[Any]:
    """The last ``limit`` words of a chunk, a hyphenated compound counting as one word.

    Cutting inside "month-end" would leave "end payroll reconciliation"; a compound is kept
    whole or dropped whole.
    """
    count, index = 0, len(items)
    while index > 0:
        token = items[index - 1]
        joined = token.text == "-" or (
            index < len(items) and items[index].text == "-" and not token.whitespace_
        )
        if not joined:
            if count == limit:
                break
            count += 1
        index -= 1
    return items[index:]


def _drop_at_start(token: Any) -> bool:
    if token.ent_type_ in _NON_TOPIC_LABELS or _is_title(token) or not _WORDISH.search(token.text):
        return True
    if token.pos_ == "PROPN":
        return False  # "First Meridian Bank" keeps its "First"
    return token.pos_ in _EDGE_POS or token.lower_ in _VAGUE_MODIFIERS or bool(token.is_stop)


def _drop_at_end(token: Any) -> bool:
    return (token.pos_ in _EDGE_POS or bool(token.is_stop) or not _WORDISH.search(token.text)
            or token.ent_type_ in _NON_TOPIC_LABELS)


def _is_title(token: Any) -> bool:
    return token.text.rstrip(".").casefold() in TITLES


def chunk_phrase(tokens: Sequence[Any]) -> str | None:
    """A candidate key phrase from one noun chunk's tokens, or ``None`` if it is no topic.

    Determiners, pronouns, numbers and vague modifiers are trimmed from the edges; what is left
    must contain a real word that is not a stopword and must not be a vague noun on its own.
    """
    items = list(tokens)
    while items and not _hyphenated(items, 0) and _drop_at_start(items[0]):
        items.pop(0)
    while items and not _hyphenated(items, len(items) - 1) and _drop_at_end(items[-1]):
        items.pop()
    if not items:
        return None
    if any(t.ent_type_ in _NON_TOPIC_LABELS for t in items) and all(t.ent_type_ for t in items):
        return None
    if any(t.like_email or t.like_url or "\n" in t.text for t in items):
        return None
    items = items[_verb_led(items):]
    items = _last_words(items, MAX_PHRASE_TOKENS)
    if not items:
        return None
    words = [_token_form(t, head=i == len(items) - 1) for i, t in enumerate(items)]
    stops = stop_words()
    if all(w.lower() in stops for w in words):
        return None
    if len(words) == 1 and words[0].islower() and not _index_worthy(words[0]):
        return None
    if all(w.lower() in _TEAM_WORDS for w in words):
        return None
    parts: list[str] = []
    for i, (token, word) in enumerate(zip(items, words, strict=True)):
        parts.append(word)
        if i < len(items) - 1 and token.whitespace_:
            parts.append(" ")
    phrase = "".join(parts).strip(" .-_/'\"")
    if len(phrase) < 2 or len(phrase) > MAX_PHRASE_CHARS:
        return None
    return phrase


def doc_phrases(doc: Any) -> list[str]:
    """Key-phrase candidates of a parsed Doc, in text order (repeats kept)."""
    phrases: list[str] = []
    for chunk in doc.noun_chunks:
        phrase = chunk_phrase(chunk)
        if phrase is not None:
            phrases.append(phrase)
    return phrases


def fallback_phrases(doc: Any) -> list[str]:
    """Key phrases without a parser (blank fallback pipeline): runs of up to three content words."""
    stops = stop_words()
    phrases: list[str] = []
    run: list[str] = []
    for token in [*doc, None]:
        word = None if token is None else token.text
        content = (word is not None and token is not None and token.is_alpha and len(word) > 2
                   and word.lower() not in stops)
        if content and word is not None and len(run) < 3:
            run.append(word if _MIXED_CASE.search(word) else word.lower())
            continue
        if run:
            phrases.append(" ".join(run))
        run = [word if _MIXED_CASE.search(word) else word.lower()] if content and word else []
    return phrases


def idf(df: int, n_docs: int) -> float:
    """Smoothed inverse document frequency (never zero, so a phrase every answer shares still counts)."""
    return math.log((1 + n_docs) / (1 + df)) + 1.0


def _length_weight(phrase: str) -> float:
    # A multi-word phrase ("vendor payment run") says more than one word ("payment"), and a
    # single common noun ("file", "process") says least of all; a name ("PayBridge") is fine.
    words = phrase.count(" ") + 1
    if words == 1 and phrase.islower():
        return 0.6
    return 1.0 + 0.35 * min(words - 1, 2)


def score_phrases(
    counts: Mapping[str, float], df: Mapping[str, int], n_docs: int, *, limit: int | None = None
) -> list[tuple[str, float]]:
    """TF-IDF with a short-phrase weight, normalised so the best phrase scores 1.0.

    Args:
        counts: Term frequency per phrase (occurrences in an answer, or answers in an interview).
        df: Document frequency per phrase: how many answers in the store contain it.
        n_docs: How many answers the store holds (with extracted topics).
        limit: Keep only the best ``limit`` phrases.

    Returns:
        ``(phrase, score)`` pairs, best first; ties keep the order of ``counts``.
    """
    raw = [
        (phrase, (1.0 + math.log(tf)) * idf(df.get(phrase, 1), n_docs) * _length_weight(phrase))
        for phrase, tf in counts.items()
        if tf > 0
    ]
    if not raw:
        return []
    order = {phrase: i for i, phrase in enumerate(counts)}
    raw.sort(key=lambda item: (-item[1], order[item[0]]))
    top = raw[0][1]
    chosen = raw if limit is None else raw[:limit]
    return [(phrase, round(score / top, 6)) for phrase, score in chosen]


def answer_counts(phrases: Iterable[str]) -> Counter[str]:
    """Occurrences per phrase, in first-seen order."""
    return Counter(phrases)


__all__ = [
    "VAGUE_NOUNS",
    "answer_counts",
    "chunk_phrase",
    "doc_phrases",
    "fallback_phrases",
    "idf",
    "score_phrases",
    "stop_words",
]
