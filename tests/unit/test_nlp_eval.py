"""Entity quality on the labelled evaluation sets (tests/data/eval_*.yaml), with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from retain.nlp.evaluation import evaluate, load_eval_set, retain_predictor, spacy_predictor
from retain.nlp.extractor import Extractor

DATA = Path(__file__).resolve().parent.parent / "data"
EVAL_FILES = sorted(DATA.glob("eval_*.yaml"))


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
    assert report.overall.f1 >= 0.85, report.line(path.name)
    assert report.by_label["SYSTEM"].recall >= 0.80, report.line(path.name)


def test_retain_beats_raw_spacy(extractor: Extractor) -> None:
    import spacy

    answers = [a for path in EVAL_FILES for a in load_eval_set(path)]
    assert extractor.nlp is not None  # type: ignore[attr-defined]
    raw = spacy.load(extractor.model_name)  # type: ignore[attr-defined]
    ours = evaluate(answers, retain_predictor(extractor))
    theirs = evaluate(answers, spacy_predictor(raw, {"PRODUCT": "SYSTEM"}))
    assert ours.overall.f1 > theirs.overall.f1 + 0.3
    assert theirs.by_label["SYSTEM"].recall < 0.2  # raw spaCy misses tools or calls them PERSON
