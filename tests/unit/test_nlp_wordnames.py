"""Issue 15, third round: names made of ordinary words, verbs systems take, firms by dealings, traps."""

from __future__ import annotations

import pytest

from retain.nlp.common import NOT_SYSTEMS, dictionary_words
from retain.nlp.extractor import Extractor
from tests.conftest import named_entities


def test_the_dictionary_is_the_models_own_word_index(extractor: Extractor) -> None:
    words = dictionary_words(extractor.nlp)  # type: ignore[attr-defined]
    assert {"harbour", "beacon", "anvil", "lantern"} <= words
    assert "hexnode" not in words
    assert dictionary_words(object()) == frozenset()  # a blank pipeline has no lemmatizer


# -- an ordinary word used as a name ----------------------------------------------------------
def test_a_bare_ordinary_word_mid_sentence_is_a_system_and_keeps_the_label(extractor: Extractor) -> None:
    found = named_entities(extractor, "Nobody has touched Harbour since 2019. Harbour still runs the nightly batch.")
    assert found.count(("Harbour", "SYSTEM")) == 2  # the second, opening a sentence, follows the first


@pytest.mark.parametrize("text,name", [
    ("We migrated off Beacon last spring.", "Beacon"),
    ("The replacement is Tiller, and Tiller went down twice in March.", "Tiller"),
    ("Lantern's approval screen is slow on Mondays.", "Lantern"),
    ("Backups run to Bastion every night.", "Bastion"),
    ("Starters are set up in Compass by the HR team.", "Compass"),
    ("The results come back into Trellis.", "Trellis"),
    ("Right-to-work checks are done with Yoti for UK staff.", "Yoti"),
    ("We replaced Ledgerline with NetSuite in 2022.", "Ledgerline"),
    ("If Scribe times out, rerun the job.", "Scribe"),
    ("Bookings are sent to them through Transflo.", "Transflo"),
    ("Commission is worked out in Spiff.", "Spiff"),
])
def test_verbs_and_nouns_that_systems_take(extractor: Extractor, text: str, name: str) -> None:
    assert (name, "SYSTEM") in named_entities(extractor, text)


# -- organisations --------------------------------------------------------------------------
@pytest.mark.parametrize("text,name", [
    ("We buy our toner and paper from Pennant.", "Pennant"),
    ("We bank with Cedar for the euro accounts.", "Cedar"),
    ("The office insurance is with Mosaic.", "Mosaic"),
    ("The invoice from Harwood comes on the first of the month.", "Harwood"),
    ("Office furniture comes from Oakleigh, who have held the framework since 2021.", "Oakleigh"),
    ("Our landlord for the Bristol office is Castlemore.", "Castlemore"),
    ("The calibration is done each spring by Lyle Instruments.", "Lyle Instruments"),
])
def test_firms_named_by_what_we_do_with_them(extractor: Extractor, text: str, name: str) -> None:
    assert (name, "ORG") in named_entities(extractor, text)


def test_the_short_form_of_a_firm_with_a_legal_tail_is_that_firm(extractor: Extractor) -> None:
    found = named_entities(extractor, "The haulage is done by Maxwell Freight Ltd. Signe chases Maxwell directly.")
    assert ("Maxwell", "ORG") in found and ("Maxwell", "SYSTEM") not in found


def test_a_subject_verb_does_not_turn_a_firm_or_a_person_into_a_system(extractor: Extractor) -> None:
    assert ("Maeve", "PERSON") in named_entities(extractor, "Maeve at Ardent sends the forecasts monthly.")
    assert ("Petra", "PERSON") in named_entities(extractor, "Petra runs the payroll on Thursdays.")


# -- precision traps ------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Since Brexit the right-to-work checks take longer.",
    "Anyone on the Gold plan gets private medical cover after probation.",
    "We follow Scrum loosely, with planning every other Tuesday.",
    "After the Easter weekend the warehouse runs a Saturday shift.",
    "Please speak to Accounts before you order anything.",
    "Stage 2 of the rollout needs sign-off from the Steering Group.",
    "The Board approves the budget in Phase 2 of planning.",
    "Forecasting lives in Anaplan now.",
    "Recruitment runs through Greenhouse.",
])
def test_capitalised_ordinary_words_that_name_nothing(extractor: Extractor, text: str) -> None:
    found = named_entities(extractor, text)
    assert not [e for e in found if e[0] not in ("Anaplan", "Greenhouse")], found


def test_places_stay_places(extractor: Extractor) -> None:
    found = named_entities(extractor, "We source the packaging from Brindle, a family firm near Derby.")
    assert ("Derby", "ORG") not in found and ("Derby", "SYSTEM") not in found
    assert "derby" not in NOT_SYSTEMS


def test_a_sentence_opening_word_is_a_system_only_as_the_subject_of_a_verb(extractor: Extractor) -> None:
    assert ("Anvil", "SYSTEM") in named_entities(extractor, "Anvil has all the history back to 2012.")
    assert ("Keystone", "SYSTEM") in named_entities(extractor, "Keystone went down twice in March.")
    for text in ("Logistics books the vans.", "Dispatch closes at four.", "Training is the only way.",
                 "Christmas is busy.", "Baker approved it on Friday."):
        assert not [e for e in named_entities(extractor, text) if e[1] == "SYSTEM"], text


@pytest.mark.parametrize("text,name", [
    ("Harbour is hosted on the old Dell box in the comms room.", "Harbour"),
    ("Beacon is where we keep the historic invoices.", "Beacon"),
    ("New starters need access to Bellows on day one.", "Bellows"),
    ("There is a bug in Kiln that drops the last row.", "Kiln"),
    ("Admin rights on Meadow are held by Jasper.", "Meadow"),
])
def test_what_only_software_is_or_has(extractor: Extractor, text: str, name: str) -> None:
    assert (name, "SYSTEM") in named_entities(extractor, text)


# -- the token matcher on windows (throughput) ------------------------------------------------
def test_the_windowed_matcher_finds_what_the_full_matcher_finds(extractor: Extractor) -> None:
    from retain.nlp.windows import matches_in_windows, starting_words

    nlp = extractor.nlp  # type: ignore[attr-defined]
    component = nlp.get_pipe("retain_entities")
    texts = ["Every Monday morning and every other Wednesday I check the queue; quarter-end is busy.",
             "Send it by the 5th of each month to ops@example.com or see https://intranet.example.com/pay.",
             "The first working day of the month, twice a week, 3 times a year, on Tuesdays and Fridays.",
             "", "Nothing recurs here at all.", "EOM close, month-end close, year - end, bi-weekly runs."]
    for doc in nlp.pipe(texts):
        full = sorted(component._matcher(doc))
        assert sorted(matches_in_windows(component._matcher, doc, component._starts, component._reach)) == full
    with pytest.raises(ValueError):
        starting_words(nlp, [[{"LOWER": "every", "OP": "?"}]])
