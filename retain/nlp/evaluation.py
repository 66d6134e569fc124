"""Entity evaluation against labelled answers: exact-span precision, recall and F1 per label."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EVAL_LABELS: tuple[str, ...] = ("PERSON", "ORG", "SYSTEM")

# A predictor returns the (start, end, label) spans it finds in a text.
Predictor = Callable[[Sequence[str]], Iterable[Iterable[tuple[int, int, str]]]]


@dataclass(frozen=True)
class EvalAnswer:
    """One labelled answer: its text and its gold ``(text, label)`` entities."""

    text: str
    entities: tuple[tuple[str, str], ...]
    role: str = ""

    def gold_spans(self) -> set[tuple[int, int, str]]:
        """Every occurrence of every gold entity, longest entities placed first."""
        taken: set[int] = set()
        spans: set[tuple[int, int, str]] = set()
        for text, label in sorted(self.entities, key=lambda e: -len(e[0])):
            pattern = re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")
            for match in pattern.finditer(self.text):
                chars = set(range(match.start(), match.end()))
                if chars & taken:
                    continue
                taken |= chars
                spans.add((match.start(), match.end(), label))
        return spans


@dataclass
class Score:
    """Counts and derived precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """tp / (tp + fp)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Micro-averaged scores over all labels, per label, and the errors for inspection."""

    overall: Score = field(default_factory=Score)
    by_label: dict[str, Score] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)
    spurious: list[tuple[str, str]] = field(default_factory=list)

    def line(self, name: str) -> str:
        """One line for a benchmark table."""
        parts = [f"{name:<22} P={self.overall.precision:.3f} R={self.overall.recall:.3f} "
                 f"F1={self.overall.f1:.3f}"]
        for label in EVAL_LABELS:
            score = self.by_label.get(label, Score())
            parts.append(f"{label} P={score.precision:.2f} R={score.recall:.2f} F1={score.f1:.2f}")
        return " | ".join(parts)


def load_eval_set(path: Path) -> list[EvalAnswer]:
    """Read a labelled set (``tests/data/eval_*.yaml``).

    The file holds ``answers:`` (or is a bare list) of ``{text, entities, role}``; an entity is
    ``[text, label]``, ``{text, label}`` or ``{start, end, label}`` (character offsets).
    """
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data["answers"] if isinstance(data, dict) else data
    answers = []
    for item in items:
        text = str(item["text"]).strip()
        entities: list[tuple[str, str]] = []
        for entity in item.get("entities") or []:
            if isinstance(entity, dict):
                if "start" in entity and "end" in entity and "text" not in entity:
                    raw = str(item["text"])
                    entities.append((raw[int(entity["start"]):int(entity["end"])], str(entity["label"])))
                else:
                    entities.append((str(entity["text"]), str(entity["label"])))
            else:
                entities.append((str(entity[0]), str(entity[1])))
        answers.append(EvalAnswer(text, tuple(entities), str(item.get("role", ""))))
    return answers


def evaluate(answers: Sequence[EvalAnswer], predict: Predictor,
             labels: Sequence[str] = EVAL_LABELS) -> Report:
    """Score a predictor on labelled answers (exact spans, labels outside ``labels`` ignored).

    Args:
        answers: The labelled set.
        predict: Maps the texts to the spans found in each.
        labels: The labels that count.

    Returns:
        A micro-averaged :class:`Report`.
    """
    report = Report(by_label={label: Score() for label in labels})
    predictions = list(predict([a.text for a in answers]))
    for answer, predicted in zip(answers, predictions, strict=True):
        gold = {s for s in answer.gold_spans() if s[2] in labels}
        found = {s for s in predicted if s[2] in labels}
        for span in gold | found:
            score = report.by_label[span[2]]
            if span in gold and span in found:
                score.tp += 1
                report.overall.tp += 1
            elif span in found:
                score.fp += 1
                report.overall.fp += 1
                report.spurious.append((answer.text[span[0]:span[1]], span[2]))
            else:
                score.fn += 1
                report.overall.fn += 1
                report.missed.append((answer.text[span[0]:span[1]], span[2]))
    return report


def retain_predictor(extractor: Any) -> Predictor:
    """A predictor from a retain extractor (anything with ``extract_many``)."""

    def predict(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        return [[(m.start, m.end, m.label) for m in result.mentions]
                for result in extractor.extract_many(texts)]

    return predict


def spacy_predictor(nlp: Any, label_map: dict[str, str] | None = None) -> Predictor:
    """A predictor from a raw spaCy pipeline; ``label_map`` renames labels (PRODUCT -> SYSTEM)."""
    mapping = label_map or {}

    def predict(texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        return [[(e.start_char, e.end_char, mapping.get(e.label_, e.label_)) for e in doc.ents]
                for doc in nlp.pipe(texts)]

    return predict


__all__ = [
    "EVAL_LABELS",
    "EvalAnswer",
    "Report",
    "Score",
    "evaluate",
    "load_eval_set",
    "retain_predictor",
    "spacy_predictor",
]
