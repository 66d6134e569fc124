"""Issue 15, eighth round: the tuned recogniser's neighbours in the rules (misread dates, host names)."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from retain.nlp.decide import misread_date
from retain.nlp.extractor import Extractor
from retain.nlp.toolnames import counted_word, lowercase_tools


def _labels(extractor: Extractor, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in extractor.extract(text).mentions if m.label in ("PERSON", "ORG", "SYSTEM")]


@pytest.mark.parametrize(("text", "word", "misread"), [
    ("The return is filed from Acturis by noon.", "Acturis", True),
    ("Papers are published on ModernGov.", "ModernGov", True),
    ("It runs on Monday.", "Monday", False),
    ("It runs on Mondays.", "Mondays", False),
    ("Nothing moves over Christmas.", "Christmas", False),
    ("Weekly is fine.", "Weekly", False),
    ("Ask Siobhan Brannigan first.", "Brannigan", False),  # a surname, joined to the first name
])
def test_a_one_word_date_that_is_no_day_month_or_holiday_is_a_name(
        extractor: Extractor, text: str, word: str, misread: bool) -> None:
    doc = extractor.nlp(text)  # type: ignore[attr-defined]  # lemmas: "Mondays" is a day
    index = next(t.i for t in doc if t.text == word)
    assert misread_date(Span(doc, index, index + 1, label="DATE")) is misread
    assert misread_date(Span(doc, index, index + 1, label="ORG")) is False


def test_a_misread_date_is_left_to_the_rules(extractor: Extractor) -> None:
    nlp = extractor.nlp  # type: ignore[attr-defined]
    doc = nlp.make_doc("The VAT returns are filed from Acturis on the fifth.")
    for name, component in nlp.pipeline:
        if name == "ner":
            doc = component(doc)
            index = next(t.i for t in doc if t.text == "Acturis")
            doc.ents = [e for e in doc.ents if not (e.start <= index < e.end)] + [
                Span(doc, index, index + 1, label="DATE")]  # what the model said in a held-out answer
        else:
            doc = component(doc)
    assert [(e.text, e.label_) for e in doc.ents if e.text == "Acturis"] == [("Acturis", "SYSTEM")]


@pytest.mark.parametrize("host", ["dc01", "wh-prt04", "sync-crm1", "admapp2", "gisdb1", "crucible-web1", "bkp-lon2"])
def test_short_host_names(extractor: Extractor, host: str) -> None:
    doc = extractor.nlp.make_doc(f"The nightly copy lands on {host} before six.")  # type: ignore[attr-defined]
    dictionary = extractor.nlp.get_pipe("retain_entities")._dictionary  # type: ignore[attr-defined]
    spans = lowercase_tools(doc, dictionary, frozenset())
    assert [doc[s:e].text for s, e in spans] == [host]


@pytest.mark.parametrize("word", ["phase3", "sprint2", "fy24", "ks3", "covid-19", "python3"])
def test_a_numbered_word_is_no_host(extractor: Extractor, word: str) -> None:
    text = f"We agreed it in {word} and moved on."
    assert not [m for m in _labels(extractor, text) if m[0] == word]


def test_counted_words() -> None:
    dictionary = frozenset({"phase", "sprint", "python"})
    assert counted_word("phase3", dictionary) and counted_word("sprint12", dictionary)
    assert counted_word("ks3", dictionary) and counted_word("fy24", dictionary)
    assert not counted_word("k6", dictionary) and not counted_word("admapp2", dictionary)
    assert not counted_word("dc01", dictionary)


def test_hosts_beside_a_place_the_model_saw(extractor: Extractor) -> None:
    # The model called "dc02" a place; a lower-case word with a digit is never one.
    assert _labels(extractor, "Log into dc01 or dc02, then admapp2; backups land on bkp-lon2 via fw-edge2.") == [
        ("dc01", "SYSTEM"), ("dc02", "SYSTEM"), ("admapp2", "SYSTEM"), ("bkp-lon2", "SYSTEM"), ("fw-edge2", "SYSTEM")]
