"""Issue 15, fifth round: a name's use in its sentence; issue 14: the faster shared components."""

from __future__ import annotations

import pytest

from retain.nlp.extractor import Extractor
from tests.conftest import named_entities


# -- a sentence's subject doing what software does --------------------------------------------
@pytest.mark.parametrize("text,name", [
    ("Portainer manages the containers on the two hosts.", "Portainer"),
    ("Rundeck handles the restarts.", "Rundeck"),
    ("Traefik sits in front of all the internal apps.", "Traefik"),
    ("Cronicle kicks off the nightly exports.", "Cronicle"),
    ("Gitea hosts the repositories for the lab scripts.", "Gitea"),
    ("Rancher looks after the Kubernetes clusters.", "Rancher"),
])
def test_a_subject_doing_what_software_does_is_a_system(extractor: Extractor, text: str, name: str) -> None:
    assert (name, "SYSTEM") in named_entities(extractor, text)


@pytest.mark.parametrize("text,name", [
    ("Tomasz handles the restarts on Fridays.", "Tomasz"),  # a known first name
    ("Rowan handles the restarts now.", "Rowan"),  # the model's PERSON
    ("Pippa manages the asset list.", "Pippa"),  # a proper noun with a person's verb
    ("Farouk handles the restarts on Fridays.", "Farouk"),
])
def test_people_doing_the_same_stay_people(extractor: Extractor, text: str, name: str) -> None:
    found = named_entities(extractor, text)
    assert (name, "SYSTEM") not in found
    assert (name, "PERSON") in found


@pytest.mark.parametrize("text", [
    "Compliance checks the ledgers every month.",
    "Procurement handles the renewals.",
    "Sequencing runs overnight on the cluster.",
    "Background checks are done by the agency.",
    "Castellan supplies the hand scanners.",  # a firm's verb
])
def test_teams_activities_and_firms_opening_a_sentence_are_not_systems(extractor: Extractor, text: str) -> None:
    assert not [e for e in named_entities(extractor, text) if e[1] == "SYSTEM"]


# -- channels, agents and moves -----------------------------------------------------------------
@pytest.mark.parametrize("text,name", [
    ("Our tickets come in via Autotask and get assigned to whoever is on call.", "Autotask"),
    ("Orders from Shopify reach NetSuite through Celigo every hour.", "Celigo"),
    ("The contracts are drafted in Juro now.", "Juro"),
    ("Phishing training is delivered through Wizer.", "Wizer"),
    ("The leaver accounts are disabled by Cleanslate overnight.", "Cleanslate"),
    ("We migrated from Nagios to Icinga two years ago.", "Icinga"),
    ("Expenses moved to Spendbase in January.", "Spendbase"),
    ("The nightly backups are copied to the Synology in the other office.", "Synology"),
    ("The phishing simulations come from Hoxhunt every quarter.", "Hoxhunt"),
    ("Errors from the mobile app are reported to Rollbar.", "Rollbar"),
    ("Our uptime alerts come from Betteruptime and go to the on-call phone.", "Betteruptime"),
])
def test_a_name_used_as_a_channel_an_agent_or_a_destination_is_a_system(
        extractor: Extractor, text: str, name: str) -> None:
    assert (name, "SYSTEM") in named_entities(extractor, text)


@pytest.mark.parametrize("text,expected", [
    ("The invoices come in via Sarah and go to Tom.", ("Sarah", "PERSON")),
    ("Our temps come through Reed.", ("Reed", "ORG")),
    ("We moved the calls to Femi in March.", ("Femi", "PERSON")),
    ("Payroll is run by Moorepay, and the payslips are in their portal.", ("Moorepay", "ORG")),
    ("The error reports go to Marta in Finance.", ("Marta", "PERSON")),
])
def test_people_and_firms_in_the_same_places_keep_their_labels(
        extractor: Extractor, text: str, expected: tuple[str, str]) -> None:
    assert expected in named_entities(extractor, text)


def test_places_stay_places(extractor: Extractor) -> None:
    for text in ("The contracts are drafted in Leeds.", "The files are sent to the Netherlands."):
        assert not [e for e in named_entities(extractor, text) if e[1] == "SYSTEM"], text


def test_a_month_after_in_is_no_team(extractor: Extractor) -> None:
    # "Rhona in Finance" is a person; "Spendbase in January" is not made one by the month.
    assert ("Spendbase", "PERSON") not in named_entities(extractor, "Expenses moved to Spendbase in January.")


def test_a_name_used_once_as_software_keeps_the_label_in_the_answer(extractor: Extractor) -> None:
    found = named_entities(extractor, "Tickets come in via Autotask. Autotask also holds the asset list.")
    assert found.count(("Autotask", "SYSTEM")) == 2


def test_famous_social_platforms_are_systems(extractor: Extractor) -> None:
    found = named_entities(extractor, "Gorgias pulls in the customer emails and the Instagram messages.")
    assert ("Instagram", "SYSTEM") in found


# -- issue 14: table look-ups for the attribute ruler and the lemmatizer ------------------------
TEXTS = [
    "Month-end starts on the first working day: I pull the trial balance out of NetSuite.",
    "I'm gonna go, y'all. Let's c'mon. There's an issue and there are two. He ain't here, we gotta go.",
    "The cats' houses were bigger; she's better at it than the others were. Ran, RAN, running.",
    "Tabs\tand\n\nnew lines,  double  spaces 's and ImageJ. at the end",
    "",
]


def test_the_faster_components_give_the_stock_annotations(extractor: Extractor) -> None:
    import spacy

    from retain.nlp.attributes import TableAttributeRuler
    from retain.nlp.lemmas import CachedLemmatizer
    from retain.nlp.pipeline import _split_final_period

    nlp = extractor.nlp  # type: ignore[attr-defined]
    assert isinstance(nlp.get_pipe("attribute_ruler"), TableAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLemmatizer)
    stock = spacy.load(extractor.model_name)  # type: ignore[attr-defined]
    _split_final_period(stock)  # the same tokenizer
    for _ in range(2):  # the second time from the caches, each in its own memory zone
        with nlp.memory_zone():
            ours = [[(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in doc]
                    for doc in nlp.pipe(TEXTS)]
        theirs = [[(t.text, t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in doc]
                  for doc in stock.pipe(TEXTS)]
        assert ours == theirs


def test_a_ruler_with_patterns_beyond_a_look_up_keeps_the_matcher() -> None:
    import spacy
    from spacy.pipeline.attributeruler import AttributeRuler

    from retain.nlp.attributes import speed_up_attribute_ruler

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "x", "OP": "+"}]], {"POS": "X"})
    assert not speed_up_attribute_ruler(nlp)
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    assert [t.pos_ for t in nlp("x y")] == ["X", ""]
