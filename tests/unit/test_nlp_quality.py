"""Issue 15's extraction defects, each with the real spaCy model: spans, labels, noise, topics."""

from __future__ import annotations

from retain.nlp.evaluation import topics_match
from retain.nlp.extractor import Extractor
from retain.nlp.spans import clean_text
from tests.conftest import named_entities


def test_a_person_span_stops_before_a_prepositional_phrase(extractor: Extractor) -> None:
    assert named_entities(extractor, "The accruals go to Kwame Asante in Finance for approval.") == [
        ("Kwame Asante", "PERSON")]
    assert named_entities(extractor, "Contacts: Kwame Asante Finance Director, Lucy Adeyemi Barclays.") == [
        ("Kwame Asante", "PERSON"), ("Lucy Adeyemi", "PERSON"), ("Barclays", "ORG")]


def test_the_organisation_after_a_person_is_its_own_entity(extractor: Extractor) -> None:
    assert named_entities(extractor, "Our auditor is Sarah Jones at Deloitte.") == [
        ("Sarah Jones", "PERSON"), ("Deloitte", "ORG")]
    assert ("Brightline", "ORG") in named_entities(extractor, "Ask Marek at Brightline for quotes.")


def test_a_bank_and_its_payment_system_are_two_things_not_three(extractor: Extractor) -> None:
    found = named_entities(extractor, "The Barclays BACS file goes at noon. Barclays and BACS both matter.")
    assert found == [("Barclays", "ORG"), ("BACS", "SYSTEM"), ("Barclays", "ORG"), ("BACS", "SYSTEM")]


def test_a_byte_order_mark_and_a_lone_abbreviation_are_no_entities(extractor: Extractor) -> None:
    text = "\ufeffThe file has a BOM at the start, and the FX rates come later.\u200b"
    result = extractor.extract(text)
    assert [m for m in result.mentions if m.label in ("ORG", "PERSON")] == []
    assert all("\ufeff" not in p and "\u200b" not in p for p in result.phrases)
    assert clean_text("\ufeffab\x00c") == " ab c"  # same length: offsets stay valid


def test_one_label_per_name_in_a_text(extractor: Extractor) -> None:
    text = "PayBridge sends the file. The PayBridge interface is slow."
    assert named_entities(extractor, text) == [("PayBridge", "SYSTEM"), ("PayBridge", "SYSTEM")]


def test_context_cues_name_law_firms_vendors_and_in_house_systems(extractor: Extractor) -> None:
    found = named_entities(extractor, "Our employment lawyers are Lewis Silkin, and a small firm called "
                             "Hartley Lowe Solicitors does the leases.")
    assert found == [("Lewis Silkin", "ORG"), ("Hartley Lowe Solicitors", "ORG")]
    found = named_entities(extractor, "Our broker, Howden, renews it. Routes go into our own routing tool, "
                             "Waypoint, overnight.")
    assert found == [("Howden", "ORG"), ("Waypoint", "SYSTEM")]
    assert named_entities(extractor, "Training records are logged in Thrive.") == [("Thrive", "SYSTEM")]
    assert named_entities(extractor, "Our client, Sarah Jones, is happy.") == [("Sarah Jones", "PERSON")]


def test_people_named_by_first_name_only(extractor: Extractor) -> None:
    assert ("Tunde", "PERSON") in named_entities(extractor, "Tunde wrote the macro; ask him first.")
    assert ("Shauna", "PERSON") in named_entities(extractor, "Shauna owns Harbour and the bid library.")
    assert ("Grete", "PERSON") in named_entities(extractor, "Payments are keyed by Grete, who holds the token.")
    assert named_entities(extractor, "Background checks are done by the agency.") == []


def _phrases(extractor: Extractor, text: str) -> list[str]:
    return extractor.extract(text).phrases


def test_topics_are_index_phrases(extractor: Extractor) -> None:
    phrases = _phrases(extractor, "We print on paper. The net pay is in pound sterling. "
                                  "Onboarding starts with the reconciliation.")
    assert "paper" not in phrases and "net" not in phrases and "pound" not in phrases
    assert {"onboarding", "reconciliation", "net pay"} <= set(phrases)
    phrases = _phrases(extractor, "I restart the Jenkins builds on Mondays.")
    assert "Jenkins" in phrases and not any(p.startswith("jenkin") for p in phrases)
    phrases = _phrases(extractor, "We ship weekly; Workday reorders column headers every release.")
    assert not any("reorders" in p for p in phrases)
    phrases = _phrases(extractor, "Staff in Dublin are in the Irish pension scheme run by Finance.")
    assert "Irish pension scheme" in phrases
    assert "Dublin" not in phrases and "Finance" not in phrases


def test_topic_matching_is_lenient_but_not_loose() -> None:
    assert topics_match("NetSuite trial balance", "trial balance")
    assert topics_match("payment runs", "payment run")
    assert topics_match("German entity", "German entities")
    assert not topics_match("payment", "supplier payment run")
    assert not topics_match("payroll", "variance report")
