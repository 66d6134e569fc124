"""Question prompts in the search index: a few hundred texts shared by a million answers, scored once each.

Every answer of a question carries the same prompt, so the index stores a prompt's id per
answer instead of its words, and this module scores each distinct prompt with the same BM25
that tantivy gives the answer text (k1 1.2, b 0.75, the field's average length). A query then
adds each matching prompt's score to its answers as a constant. That is the ranking a
tokenised prompt field would give, without tokenising the same question a million times or
checking a common phrase's positions in every one of them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

K1 = 1.2
B = 0.75
# Ids stay below 2**63: tantivy's Python binding reads some integers as signed.
ID_MASK = (1 << 63) - 1


def prompt_id(text: str) -> int:
    """A stable id for a prompt's text (the same in every process and on every machine)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") & ID_MASK


@dataclass(frozen=True)
class PromptStats:
    """The distinct prompts of an index, their words, and how many answers carry each.

    Attributes:
        words: Each prompt's words, as the index's analyzer splits them.
        counts: How many answers carry each prompt.
        total: How many answers the index holds.
    """

    words: Mapping[int, tuple[str, ...]]
    counts: Mapping[int, int]
    total: int

    @classmethod
    def measure(
        cls, texts: Mapping[int, str], analyse: Callable[[str], list[str]], count: Callable[[int], int], total: int
    ) -> PromptStats:
        """Split each prompt into words and count its answers (``count`` asks the index)."""
        counts = {pid: count(pid) for pid in texts}
        words = {pid: tuple(analyse(text)) for pid, text in texts.items() if counts[pid]}
        return cls(words, {pid: counts[pid] for pid in words}, total)

    @property
    def average_length(self) -> float:
        """The average prompt length in words, over answers (as tantivy averages a field)."""
        if not self.total:
            return 0.0
        return sum(len(self.words[pid]) * n for pid, n in self.counts.items()) / self.total

    def _idf(self, answers: int) -> float:
        return math.log(1 + (self.total - answers + 0.5) / (answers + 0.5))

    def _weight(self, idf: float, frequency: int, length: int) -> float:
        average = self.average_length or 1.0
        return idf * (1 + K1) * frequency / (frequency + K1 * (1 - B + B * length / average))

    def _answers_with(self, prompts: Iterable[int]) -> int:
        return sum(self.counts[pid] for pid in prompts)

    def words_score(self, alternatives: Iterable[str]) -> dict[int, float]:
        """Per prompt, the summed BM25 of each alternative word it holds (inflections, prefix words)."""
        scores: dict[int, float] = {}
        for word in set(alternatives):
            holders = {pid: sum(1 for w in words if w == word) for pid, words in self.words.items() if word in words}
            if not holders:
                continue
            idf = self._idf(self._answers_with(holders))
            for pid, frequency in holders.items():
                scores[pid] = scores.get(pid, 0.0) + self._weight(idf, frequency, len(self.words[pid]))
        return scores

    def prefix_words(self, stem: str) -> list[str]:
        """The prompt words that start with ``stem``."""
        return sorted({w for words in self.words.values() for w in words if w.startswith(stem)})

    def phrase_score(self, phrase: tuple[str, ...]) -> dict[int, float]:
        """Per prompt holding the phrase: BM25 with the phrase's count and its words' summed IDF.

        That is how tantivy scores a phrase: the sum of its terms' weights, with the number of
        times the phrase occurs as the term frequency.
        """
        size = len(phrase)
        holders: dict[int, int] = {}
        for pid, words in self.words.items():
            found = sum(1 for i in range(len(words) - size + 1) if words[i : i + size] == phrase)
            if found:
                holders[pid] = found
        if not holders:
            return {}
        idf = 0.0
        for word in phrase:
            idf += self._idf(self._answers_with(pid for pid, words in self.words.items() if word in words))
        return {pid: self._weight(idf, frequency, len(self.words[pid])) for pid, frequency in holders.items()}

    def prefix_phrase_score(self, phrase: tuple[str, ...]) -> dict[int, float]:
        """A phrase whose last word is a prefix: each completion found in a prompt, scored as a phrase."""
        scores: dict[int, float] = {}
        for word in self.prefix_words(phrase[-1]):
            for pid, score in self.phrase_score((*phrase[:-1], word)).items():
                scores[pid] = scores.get(pid, 0.0) + score
        return scores


__all__ = ["PromptStats", "prompt_id"]
