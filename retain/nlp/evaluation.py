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
    topics: tuple[str, ...] = ()

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

    The file holds ``answers:`` (or is a bare list) of ``{text, entities, role, topics}``; an
    entity is ``[text, label]``, ``{text, label}`` or ``{start, end, label}`` (character
    offsets); ``topics`` lists the key phrases a person would pick for the answer.
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
        topics = tuple(str(t) for t in item.get("topics") or [])
        answers.append(EvalAnswer(text, tuple(entities), str(item.get("role", "")), topics))
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


# -- topics -------------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def topic_words(phrase: str) -> tuple[str, ...]:
    """A phrase's comparable words: casefolded, punctuation and possessives gone, crude singular."""
    words = []
    for word in _WORD.findall(phrase.casefold().replace("'s", "").replace("’s", "")):
        if len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return tuple(words)


def topics_match(predicted: str, gold: str) -> bool:
    """Lenient but honest matching: equal words, or one phrase inside the other covering half of it.

    "trial balance" matches "NetSuite trial balance" (2 of 3 words) and "payment runs" matches
    "payment run"; "payment" does not match "supplier payment run" (1 of 3).
    """
    a, b = topic_words(predicted), topic_words(gold)
    if not a or not b:
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if 2 * len(short) < len(long):
        return False
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


@dataclass
class TopicReport:
    """Macro-averaged precision at k of ranked topics against gold key phrases."""

    answers: int = 0
    precision: dict[int, float] = field(default_factory=dict)
    mean_predicted: float = 0.0
    wrong: list[tuple[str, str]] = field(default_factory=list)

    def line(self, name: str) -> str:
        """One line for a benchmark table."""
        ks = " ".join(f"P@{k}={v:.3f}" for k, v in sorted(self.precision.items()))
        return f"{name:<22} topics {ks} ({self.answers} answers, {self.mean_predicted:.1f} topics each)"


def rank_topics(phrase_lists: Sequence[Sequence[str]], limit: int = 10) -> list[list[str]]:
    """Each answer's best phrases, scored as the store scores them (TF-IDF over these answers)."""
    from collections import Counter

    from retain.nlp.topics import score_phrases

    df: Counter[str] = Counter()
    for phrases in phrase_lists:
        df.update(set(phrases))
    return [[p for p, _ in score_phrases(Counter(phrases), df, len(phrase_lists), limit=limit)]
            for phrases in phrase_lists]


def evaluate_topics(answers: Sequence[EvalAnswer], extractor: Any, ks: Sequence[int] = (5, 10)) -> TopicReport:
    """Precision at k of retain's ranked topics on the answers that have gold topics.

    Every answer's phrases count towards the document frequencies (as in a store); a
    prediction matches at most one gold phrase and each gold phrase at most one prediction.
    P@k divides by k, or by the number of topics predicted when there are fewer.
    """
    extractions = list(extractor.extract_many([a.text for a in answers]))
    ranked = rank_topics([e.phrases for e in extractions], limit=max(ks))
    report = TopicReport()
    sums = {k: 0.0 for k in ks}
    predicted = 0
    for answer, top in zip(answers, ranked, strict=True):
        if not answer.topics:
            continue
        report.answers += 1
        predicted += len(top)
        free = list(answer.topics)
        hits: list[bool] = []
        for phrase in top:
            gold = next((g for g in free if topics_match(phrase, g)), None)
            hits.append(gold is not None)
            if gold is not None:
                free.remove(gold)
            elif len(hits) <= min(ks):
                report.wrong.append((phrase, answer.text[:40]))
        for k in ks:
            shown = hits[:k]
            sums[k] += sum(shown) / len(shown) if shown else 0.0
    if report.answers:
        report.precision = {k: sums[k] / report.answers for k in ks}
        report.mean_predicted = predicted / report.answers
    return report


__all__ = [
    "EVAL_LABELS",
    "EvalAnswer",
    "Report",
    "Score",
    "TopicReport",
    "evaluate",
    "evaluate_topics",
    "load_eval_set",
    "rank_topics",
    "retain_predictor",
    "spacy_predictor",
    "topic_words",
    "topics_match",
]
