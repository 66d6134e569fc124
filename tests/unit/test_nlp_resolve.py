"""One canonical entity per thing: clean spans, known names, short forms, de-duplicated follow-ups."""

from __future__ import annotations

from typing import Any

from retain.nlp.extractor import ExtractedMention, Extractor
from retain.nlp.resolve import align_to_known, entity_key, listed, resolve_mentions, short_forms
from retain.services import Services

KWAME = "The accruals go to Kwame Asante in Finance for approval."


def _person_gaps(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [g for g in report["gaps"] if g["kind"] == "person_not_in_contacts"]


def test_the_kwame_asante_in_finance_session(services: Services) -> None:
    """The issue's session: the mention is the name, one follow-up, none once it is listed."""
    interview = services.interviews.start("handover", "Ana Silva", successor="Ben Carter")
    iid = interview.id or 0
    first = services.interviews.answer(iid, "only-you", text=KWAME)
    later = services.interviews.answer(iid, "breaks-first", text="Kwame signs it off in Sage.")
    services.extraction.extract_answers([first.id or 0, later.id or 0])

    report = services.reports.show(iid).to_json()
    people = [e for e in report["entities"] if e["label"] == "PERSON"]
    assert any(e["text"] == "Kwame Asante" for e in people)
    assert not any("Finance" in e["text"] for e in people)
    gaps = _person_gaps(report)
    assert [g["item"] for g in gaps] == ["Kwame Asante"]  # "Kwame" is the same person

    services.interviews.answer(iid, "contacts", items=[{"name": gaps[0]["item"]}])
    assert _person_gaps(services.reports.show(iid).to_json()) == []


def test_a_contact_row_covers_a_longer_or_shorter_spelling(services: Services) -> None:
    interview = services.interviews.start("handover", "Ana Silva")
    iid = interview.id or 0
    services.interviews.answer(iid, "contacts", items=[{"name": "kwame asante"}])
    answer = services.interviews.answer(iid, "only-you", text=KWAME + " Ask Kwame about it.")
    services.extraction.extract_answers([answer.id or 0])
    assert _person_gaps(services.reports.show(iid).to_json()) == []


def test_a_known_person_name_wins_over_the_model_span(services: Services, extractor: Extractor) -> None:
    text = "Ping Kwame ASANTE FINANCE before noon."
    # The model reads only "Kwame" as the name.
    assert [m.text for m in extractor.extract(text).mentions if m.label == "PERSON"] == ["Kwame"]
    interview = services.interviews.start("handover", "Kwame Asante")  # a known person
    assert [m.text for m in services.extraction.preview(text).mentions
            if m.label == "PERSON"] == ["Kwame ASANTE"]
    answer = services.interviews.answer(interview.id or 0, "only-you", text=text)
    services.extraction.extract_answers([answer.id or 0])
    entities = services.reports.show(interview.id or 0).to_json()["entities"]
    assert [e["text"] for e in entities if e["label"] == "PERSON"] == ["Kwame ASANTE"]


def test_align_to_known_picks_the_known_name() -> None:
    text = "Talk to Kwame Asante in Finance."
    start = text.index("Kwame")
    assert align_to_known(text, start, len(text) - 1, ["kwame asante"]) == (start, start + 12)
    assert align_to_known(text, start + 6, start + 12, ["Kwame Asante"]) == (start, start + 12)
    assert align_to_known(text, 0, 4, ["Kwame Asante"]) is None


def test_resolve_mentions_aligns_relabels_and_drops_duplicates() -> None:
    text = "Kwame Asante in Finance runs PayBridge."
    mentions = [
        ExtractedMention("Kwame Asante in Finance", "PERSON", 0, 23, "kwame asante in finance"),
        ExtractedMention("PayBridge", "ORG", 29, 38, "paybridge"),
    ]
    resolved = resolve_mentions(text, mentions, people=["Kwame Asante"], system_keys={"paybridge"})
    assert [(m.text, m.label, m.key) for m in resolved] == [
        ("Kwame Asante", "PERSON", "kwame asante"), ("PayBridge", "SYSTEM", "paybridge")]
    # A vendor named after its product keeps its ORG label.
    vendor = resolve_mentions(text, mentions[1:], system_keys={"paybridge"}, vendors={"paybridge"})
    assert vendor[0].label == "ORG"


def test_keys_merge_case_possessives_aliases_and_trailing_phrases() -> None:
    assert entity_key("Kwame Asante in Finance", "PERSON") == entity_key("KWAME ASANTE's", "PERSON")
    assert entity_key("Deloitte in Leeds", "ORG") == "deloitte"
    assert entity_key("Bank of England", "ORG") == "bank of england"
    assert entity_key("JIRA", "SYSTEM") == entity_key("Jira Cloud", "SYSTEM")
    assert listed("Kwame", "PERSON", ["Kwame Asante"])
    assert listed("Kwame Asante in Finance", "PERSON", ["kwame asante"])
    assert listed("Jira", "SYSTEM", ["JIRA Cloud"])
    assert not listed("Kwame Mensah", "PERSON", ["Kwame Asante"])
    assert not listed("Okta", "SYSTEM", ["Jira"])


def test_short_forms_need_a_unique_full_name() -> None:
    def m(key: str) -> ExtractedMention:
        return ExtractedMention(key, "PERSON", 0, len(key), key)

    assert short_forms([m("kwame asante"), m("kwame"), m("asante")]) == {
        "kwame": "kwame asante", "asante": "kwame asante"}
    assert short_forms([m("kwame asante"), m("kwame mensah"), m("kwame")]) == {}


def test_the_live_panel_shows_one_line_per_entity() -> None:
    from retain.nlp.resolve import distinct_entities

    pairs = [("Kwame Asante", "PERSON"), ("PayBridge", "ORG"), ("Kwame", "PERSON"),
             ("KWAME ASANTE", "PERSON"), ("the PayBridge", "SYSTEM")]
    assert distinct_entities(pairs) == [("Kwame Asante", "PERSON"), ("PayBridge", "SYSTEM")]


def test_importing_the_resolver_does_not_import_spacy() -> None:
    import subprocess
    import sys

    code = "import sys, retain.nlp.resolve, retain.tui.widgets.capture; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
