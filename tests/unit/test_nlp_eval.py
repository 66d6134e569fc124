"""Entity quality on the labelled evaluation sets (tests/data/eval_*.yaml), with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from retain.nlp.evaluation import (
    evaluate,
    evaluate_topics,
    load_eval_set,
    retain_predictor,
    spacy_predictor,
)
from retain.nlp.extractor import Extractor

DATA = Path(__file__).resolve().parent.parent / "data"
# A never-tuned set not yet scored (eval_blind11.yaml, ...) is left out until it is added
# here on purpose: its scores are read once, by whoever scores the never-tuned sets.
KNOWN_BLIND = ("eval_blind.yaml", "eval_blind2.yaml", "eval_blind3.yaml", "eval_blind4.yaml", "eval_blind5.yaml",
               "eval_blind6.yaml", "eval_blind7.yaml", "eval_blind8.yaml", "eval_blind9.yaml", "eval_blind10.yaml")
EVAL_FILES = sorted(p for p in DATA.glob("eval_*.yaml")
                    if not p.name.startswith("eval_blind") or p.name in KNOWN_BLIND)
# eval_products.yaml is a stress set of product names with nothing around them (issue 15,
# fourth round), and eval_blind5.yaml, eval_blind7.yaml and eval_blind8.yaml sets of names no list
# holds: floors that guard against regression, not the target.
FLOORS = {"eval_products.yaml": (0.78, 0.75), "eval_blind5.yaml": (0.85, 0.82), "eval_blind7.yaml": (0.86, 0.84),
          "eval_blind8.yaml": (0.84, 0.80)}
# eval_products.yaml and eval_systems.yaml (the fifth round's tuning set) label entities only.
TOPIC_FILES = [p for p in EVAL_FILES if p.name not in ("eval_products.yaml", "eval_systems.yaml")]


def test_the_evaluation_set_is_big_and_varied() -> None:
    answers = [a for path in EVAL_FILES for a in load_eval_set(path)]
    assert len(answers) >= 40
    assert {"finance", "it_ops", "sales", "lab", "hr", "engineering"} <= {a.role for a in answers}
    labels = {label for a in answers for _, label in a.entities}
    assert {"PERSON", "ORG", "SYSTEM"} <= labels
    for answer in answers:  # every gold entity really occurs in its text
        assert all(text in answer.text for text, _ in answer.entities), answer.text


@pytest.mark.parametrize("path", EVAL_FILES, ids=[p.name for p in EVAL_FILES])
def test_entity_f1_and_system_recall(extractor: Extractor, path: Path) -> None:
    report = evaluate(load_eval_set(path), retain_predictor(extractor))
    f1, system_recall = FLOORS.get(path.name, (0.85, 0.80))
    assert report.overall.f1 >= f1, report.line(path.name)
    assert report.by_label["SYSTEM"].recall >= system_recall, report.line(path.name)


def test_retain_beats_raw_spacy(extractor: Extractor) -> None:
    import spacy

    answers = [a for path in EVAL_FILES for a in load_eval_set(path)]
    assert extractor.nlp is not None  # type: ignore[attr-defined]
    raw = spacy.load(extractor.model_name)  # type: ignore[attr-defined]
    ours = evaluate(answers, retain_predictor(extractor))
    theirs = evaluate(answers, spacy_predictor(raw, {"PRODUCT": "SYSTEM"}))
    assert ours.overall.f1 > theirs.overall.f1 + 0.3
    assert theirs.by_label["SYSTEM"].recall < 0.2  # raw spaCy misses tools or calls them PERSON


# -- issue 15: the never-tuned set, topics --------------------------------------------------
BLIND = DATA / "eval_blind.yaml"
BLIND2 = DATA / "eval_blind2.yaml"  # a second never-tuned set, written later as an over-fitting check
BLIND3 = DATA / "eval_blind3.yaml"  # a third, SYSTEM-heavy, written before the fifth round was scored
BLIND4 = DATA / "eval_blind4.yaml"  # a fourth, written before the lists grew and the sixth round
BLIND5 = DATA / "eval_blind5.yaml"  # a fifth, names in no other file, written before the seventh round
BLIND6 = DATA / "eval_blind6.yaml"  # a sixth and a seventh (outside the UK too), written before
BLIND7 = DATA / "eval_blind7.yaml"  # the tuned recogniser was trained
BLIND8 = DATA / "eval_blind8.yaml"  # an eighth and a ninth, written before the ninth round
BLIND9 = DATA / "eval_blind9.yaml"  # (world cities, legal forms, titles) was made
BLIND10 = DATA / "eval_blind10.yaml"  # a tenth, written before the lists of firms and software abroad
NEVER_TUNED = (BLIND, BLIND2, BLIND3, BLIND4, BLIND5, BLIND6, BLIND7, BLIND8, BLIND9, BLIND10)


def test_at_least_100_answers_carry_gold_entities_and_topics() -> None:
    answers = [a for path in EVAL_FILES for a in load_eval_set(path)]
    labelled = [a for a in answers if a.entities and a.topics]
    assert len(labelled) >= 100
    blind = load_eval_set(BLIND)
    assert len(blind) >= 30 and all(a.entities and a.topics for a in blind)
    roles = {a.role for a in blind}
    assert {"legal", "finance", "it_ops", "hr", "lab", "engineering", "procurement"} <= roles
    blind2 = load_eval_set(BLIND2)
    assert len(blind2) >= 30 and all(a.entities and a.topics for a in blind2)
    assert {"legal", "finance", "hr", "procurement", "banking"} <= {a.role for a in blind2}
    blind3 = load_eval_set(BLIND3)
    assert len(blind3) >= 40 and all(a.entities and a.topics for a in blind3)
    assert sum(label == "SYSTEM" for a in blind3 for _, label in a.entities) >= 60
    blind4 = load_eval_set(BLIND4)
    assert len(blind4) >= 40 and all(a.entities and a.topics for a in blind4)
    assert sum(label == "SYSTEM" for a in blind4 for _, label in a.entities) >= 120
    blind5 = load_eval_set(BLIND5)
    assert len(blind5) >= 40 and all(a.entities and a.topics for a in blind5)
    for path in (BLIND6, BLIND7, BLIND8, BLIND9, BLIND10):  # some answers name no one, as interviews do
        answers = load_eval_set(path)
        assert len(answers) >= 40 and sum(len(a.entities) for a in answers) >= 250


def test_the_never_tuned_sets_share_no_text_with_the_tuned_sets() -> None:
    tuned = {a.text for path in EVAL_FILES if path not in NEVER_TUNED for a in load_eval_set(path)}
    for path in NEVER_TUNED:
        assert not tuned & {a.text for a in load_eval_set(path)}, path.name


def test_tuned_sets_keep_their_scores(extractor: Extractor) -> None:
    answers = [a for path in EVAL_FILES if path not in NEVER_TUNED for a in load_eval_set(path)]
    report = evaluate(answers, retain_predictor(extractor))
    # 0.94, 0.92 and 0.93 since eval_fresh5 to eval_fresh8 joined (240 answers, half from outside
    # the UK; measured 0.950, 0.924 and 0.937): the recogniser was trained on them, but it leaves
    # software to the rules, which were only partly tuned on them.
    assert report.overall.f1 >= 0.94, report.line("tuned")
    assert report.by_label["SYSTEM"].recall >= 0.92, report.line("tuned")
    assert report.by_label["ORG"].recall >= 0.93, report.line("tuned")


def test_never_tuned_sets_do_not_regress(extractor: Extractor) -> None:
    # Guards a little below the levels measured after the tenth round (F1 / ORG / SYSTEM recall:
    # 0.97 / 0.96 / 0.96, 0.96 / 0.95 / 0.97, 0.95 / 0.95 / 0.90, 0.94 / 0.88 / 0.94,
    # 0.90 / 0.83 / 0.89, 0.91 / 0.89 / 0.90, 0.89 / 0.80 / 0.86, 0.86 / 0.81 / 0.82,
    # 0.95 / 0.88 / 0.95 and, on the tenth, scored once, 0.92 / 0.86 / 0.89); issue 15's targets
    # are met on the first two sets, and on the third but for SYSTEM recall.
    floors = {BLIND: (0.94, 0.93, 0.93), BLIND2: (0.94, 0.93, 0.93), BLIND3: (0.93, 0.92, 0.88),
              BLIND4: (0.92, 0.86, 0.92), BLIND5: (0.88, 0.81, 0.87), BLIND6: (0.88, 0.87, 0.86),
              BLIND7: (0.87, 0.78, 0.84), BLIND8: (0.84, 0.79, 0.80), BLIND9: (0.92, 0.86, 0.92),
              BLIND10: (0.90, 0.83, 0.87)}
    for path in NEVER_TUNED:
        f1, org, system = floors[path]
        report = evaluate(load_eval_set(path), retain_predictor(extractor))
        assert report.overall.f1 >= f1, report.line(path.name)
        assert report.by_label["ORG"].recall >= org, report.line(path.name)
        assert report.by_label["SYSTEM"].recall >= system, report.line(path.name)


@pytest.mark.parametrize("path", TOPIC_FILES, ids=[p.name for p in TOPIC_FILES])
def test_topic_precision_at_5(extractor: Extractor, path: Path) -> None:
    answers = load_eval_set(path)
    report = evaluate_topics(answers, extractor)
    assert report.answers > 0
    assert report.precision[5] >= 0.8, report.line(path.name)
