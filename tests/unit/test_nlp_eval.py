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
EVAL_FILES = sorted(DATA.glob("eval_*.yaml"))
# eval_products.yaml is a stress set of product names with nothing around them (issue 15,
# fourth round): a floor that guards against regression, not the target.
FLOORS = {"eval_products.yaml": (0.78, 0.75)}
TOPIC_FILES = [p for p in EVAL_FILES if p.name != "eval_products.yaml"]  # entities only


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
NEVER_TUNED = (BLIND, BLIND2)


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


def test_the_second_never_tuned_set_shares_no_text_with_the_tuned_sets() -> None:
    tuned = {a.text for path in EVAL_FILES if path not in NEVER_TUNED for a in load_eval_set(path)}
    assert not tuned & {a.text for a in load_eval_set(BLIND2)}
    assert not tuned & {a.text for a in load_eval_set(BLIND)}


def test_tuned_sets_keep_their_scores(extractor: Extractor) -> None:
    answers = [a for path in EVAL_FILES if path not in NEVER_TUNED for a in load_eval_set(path)]
    report = evaluate(answers, retain_predictor(extractor))
    assert report.overall.f1 >= 0.95, report.line("tuned")
    assert report.by_label["SYSTEM"].recall >= 0.95, report.line("tuned")
    assert report.by_label["ORG"].recall >= 0.95, report.line("tuned")


def test_never_tuned_sets_do_not_regress(extractor: Extractor) -> None:
    # Guards a little below the measured level (issue 15's F1 >= 0.93 and ORG recall >= 0.90
    # are met on both never-tuned sets; SYSTEM recall >= 0.95 is not: 0.93 on each).
    for path in NEVER_TUNED:
        report = evaluate(load_eval_set(path), retain_predictor(extractor))
        assert report.overall.f1 >= 0.92, report.line(path.name)
        assert report.by_label["ORG"].recall >= 0.89, report.line(path.name)
        assert report.by_label["SYSTEM"].recall >= 0.91, report.line(path.name)


@pytest.mark.parametrize("path", TOPIC_FILES, ids=[p.name for p in TOPIC_FILES])
def test_topic_precision_at_5(extractor: Extractor, path: Path) -> None:
    answers = load_eval_set(path)
    report = evaluate_topics(answers, extractor)
    assert report.answers > 0
    assert report.precision[5] >= 0.8, report.line(path.name)
