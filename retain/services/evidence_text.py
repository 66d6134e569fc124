"""How an answer's text is matched to a topic, quoted as evidence, and read for "nobody else knows"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from retain.services.search import one_line
from retain.store.search import ELLIPSIS, HIGHLIGHT, tokenize
from retain.store.search.inflect import word_forms
from retain.store.search.query import fold

# Characters of context either side of a quoted span.
SNIPPET_CONTEXT = 70

# What people say when they are the only one who knows something.
RISK_PATTERNS = re.compile(
    r"\b(?:nobody|no one|no-one|noone)\s+else\s+(?:really\s+|actually\s+|here\s+)?"
    r"(?:knows?|understands?|can|could|has|does|touches|remembers)\b"
    r"|\b(?:nobody|no one|no-one|noone)\s+(?:really\s+|actually\s+)?(?:knows|understands)\b"
    r"|\bonly\s+(?:I|me|myself)\s+(?:really\s+|actually\s+)?(?:knows?|understands?|can|have|do|remember)\b"
    r"|\b(?:I\s+am|I'm|I’m)\s+the\s+only\s+(?:one|person)\b"
    r"|\bthe\s+only\s+(?:one|person)\s+who\b"
    r"|\bonly\s+person\s+who\b"
    r"|\bsingle\s+point\s+of\s+failure\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?;\n]+")
# What follows a risk phrase that refers back to the sentence before: "...knows how."
BACK_REFERENCE = re.compile(r"\s*(?:how|it|this|that|them|why|where|what|about it|[.!?,;:)]|$)", re.IGNORECASE)


class TopicMatcher:
    """Decides whether a piece of text is about a topic: every topic word, in any inflection."""

    def __init__(self, topic: str) -> None:
        self.words = [fold(token) for token in tokenize(topic)]
        self._forms = [set(word_forms(word)) | {word} for word in self.words]
        self.all_forms: set[str] = set().union(*self._forms) if self._forms else set()

    def coverage(self, value: str) -> float:
        """The share of topic words that occur in ``value`` (0 to 1)."""
        if not self.words:
            return 0.0
        present = {fold(token) for token in tokenize(value)}
        return sum(1 for forms in self._forms if forms & present) / len(self._forms)

    def matches(self, value: str) -> bool:
        """Whether every topic word occurs in ``value``."""
        return bool(self.words) and self.coverage(value) == 1.0

    def highlight(self, value: str) -> str:
        """``value`` with the topic words wrapped in the highlight markers."""
        wanted = self.all_forms
        pieces: list[str] = []
        last = 0
        for match in re.finditer(r"\w+", value):
            if fold(match.group()) in wanted:
                pieces.append(value[last : match.start()])
                pieces.append(f"{HIGHLIGHT[0]}{match.group()}{HIGHLIGHT[1]}")
                last = match.end()
        pieces.append(value[last:])
        return one_line("".join(pieces))


def excerpt(body: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> str:
    """A one-line window of ``body`` around ``[start, end)``, that span highlighted."""
    start = max(0, min(start, len(body)))
    end = max(start, min(end, len(body)))
    left = max(0, start - context)
    right = min(len(body), end + context)
    # Cut at word boundaries so the excerpt never starts or ends mid-word.
    if left > 0:
        space = body.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(body):
        space = body.rfind(" ", end, right)
        right = space if space != -1 else right
    middle = f"{HIGHLIGHT[0]}{body[start:end]}{HIGHLIGHT[1]}" if end > start else ""
    text_ = body[left:start] + middle + body[end:right]
    text_ = one_line(text_)
    return (ELLIPSIS if left > 0 else "") + text_ + (ELLIPSIS if right < len(body) else "")


def topic_snippet(body: str, matcher: TopicMatcher) -> str:
    """A window of the answer from a little before the first topic word, cut at spaces."""
    highlighted = matcher.highlight(body)
    marker = max(highlighted.find(HIGHLIGHT[0]), 0)
    left = max(0, marker - SNIPPET_CONTEXT)
    right = min(len(highlighted), marker + 3 * SNIPPET_CONTEXT)
    if left > 0:
        left = highlighted.find(" ", left, marker) + 1 or left
    if right < len(highlighted):
        space = highlighted.rfind(" ", marker, right)
        right = space if space > marker else right
    window = highlighted[left:right]
    return (ELLIPSIS if left > 0 else "") + window + (ELLIPSIS if right < len(highlighted) else "")


def sentence_ends(body: str) -> list[int]:
    """Offsets where each sentence ends, for telling which sentence an offset falls in."""
    return [match.end() for match in SENTENCE_END.finditer(body)]


def sentence_of(ends: list[int], offset: int) -> int:
    for index, end in enumerate(ends):
        if offset < end:
            return index
    return len(ends)


def risk_phrase_near(body: str, spans: Iterable[tuple[int, int]]) -> str | None:
    """A "nobody else knows" phrase about a span: in its sentence, or pointing back to it.

    The next sentence counts when the phrase points back ("I run the PayBridge export.
    Nobody else knows how."), not when it names its own subject ("Nobody else knows the Okta
    setup" is about Okta, not about what the sentence before it said).
    """
    found = [(match.start(), match.end(), match.group()) for match in RISK_PATTERNS.finditer(body)]
    if not found:
        return None
    ends = sentence_ends(body)
    for start, _ in spans:
        sentence = sentence_of(ends, start)
        for offset, end, phrase in found:
            where = sentence_of(ends, offset)
            if where == sentence or (where == sentence + 1 and BACK_REFERENCE.match(body, end)):
                return " ".join(phrase.split())
    return None


__all__ = ["RISK_PATTERNS", "SNIPPET_CONTEXT", "TopicMatcher", "excerpt", "risk_phrase_near", "sentence_ends", "sentence_of", "topic_snippet"]
