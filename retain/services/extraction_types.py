"""What an extraction run reports, and how its PERSON mentions are linked to people in the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from retain.domain.types import JsonObject
from retain.nlp.normalize import normalise


@dataclass
class ExtractStats:
    """What an extraction run did.

    Attributes:
        answers: Answers (re)extracted, empty and skipped ones included.
        mentions: Mentions stored.
        topics: Answer-level topics stored.
        failed: Answers whose extraction failed (left as they were, retried next run).
        seconds: Wall-clock time of the run.
        words: Words in the answers extracted.
        unchanged: Answers left alone because they had not changed since their last extraction.
        errors: One line per failed answer.
    """

    answers: int = 0
    mentions: int = 0
    topics: int = 0
    failed: int = 0
    seconds: float = 0.0
    words: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def words_per_second(self) -> float:
        """Throughput of the run."""
        return self.words / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> JsonObject:
        """The stats as JSON."""
        return {
            "answers": self.answers, "mentions": self.mentions, "topics": self.topics,
            "failed": self.failed, "unchanged": self.unchanged, "words": self.words,
            "seconds": round(self.seconds, 3), "words_per_second": round(self.words_per_second),
            "errors": self.errors,
        }

    def __str__(self) -> str:
        text = (
            f"{self.answers} answer{'s' if self.answers != 1 else ''} ({self.words:,} words): "
            f"{self.mentions} mentions, {self.topics} topics in {self.seconds:.1f}s"
        )
        if self.words and self.seconds > 0:
            text += f" ({self.words_per_second:,.0f} words/s)"
        if self.unchanged:
            text += f"; {self.unchanged} unchanged"
        if self.failed:
            text += f"; {self.failed} failed"
        return text


class PeopleIndex:
    """Links PERSON mentions to Person records: full name, or a first or last name that is unique.

    Args:
        people: ``(id, name)`` of every person in the store.
    """

    def __init__(self, people: Iterable[tuple[int, str]]) -> None:
        self._full: dict[str, int] = {}
        self._canonical: dict[int, str] = {}
        parts_index: dict[str, set[int]] = defaultdict(set)
        for person_id, name in people:
            key = normalise(name)
            if not key:
                continue
            self._full.setdefault(key, person_id)
            self._canonical[person_id] = key
            words = key.split()
            if len(words) > 1:
                parts_index[words[0]].add(person_id)
                parts_index[words[-1]].add(person_id)
        self._parts = dict(parts_index)

    @property
    def names(self) -> list[str]:
        """Every person's normalised full name."""
        return list(self._canonical.values())

    def link(self, key: str) -> tuple[int | None, str]:
        """The person a mention key names, and the key to store (the person's full name).

        "Priya" links to Priya Shah only if no one else in the store is called Priya (first or
        last name); then its key becomes "priya shah", so both spellings count as one entity.
        """
        person_id = self._full.get(key)
        if person_id is None and " " not in key:
            candidates = self._parts.get(key, set())
            if len(candidates) == 1:
                person_id = next(iter(candidates))
        if person_id is None:
            return None, key
        return person_id, self._canonical[person_id]


__all__ = ["ExtractStats", "PeopleIndex"]
