"""Issue 15, sixth round: names from many cultures, lower-case tools, firms' short forms, product tails."""

from __future__ import annotations

import pytest

from retain.nlp.common import dictionary_words
from retain.nlp.extractor import Extractor
from retain.nlp.terms import NameSet, first_names, fold_accents
from retain.nlp.toolnames import lowercase_tools
from tests.conftest import named_entities


def test_a_name_typed_with_accents_is_the_listed_name() -> None:
    assert fold_accents("Lucía Oisín Gráinne Łukasz") == "Lucia Oisin Grainne Łukasz"  # Ł has no accent mark
    plain, ambiguous = first_names()
    assert isinstance(plain, NameSet) and "Lucía" in plain and "Oisín" in plain and "Lucia" in plain
    assert "Lucía" not in NameSet({"Lucas"})
    assert "Mark" in ambiguous and "Mark" not in plain  # an ordinary word needs a surname after it


@pytest.mark.parametrize("text,person", [
    ("Trademarks are handled in Madrid, and Lucía Sandoval sends the renewal list each quarter.", "Lucía Sandoval"),
    ("Lindiwe Dlamini in Johannesburg is the only person with the admin password.", "Lindiwe Dlamini"),
    ("The results go to Catriona MacLeod in Compliance.", "Catriona MacLeod"),
    ("If Lookout shows a P1, phone Ewa directly and copy Hyun-woo Park.", "Hyun-woo Park"),
    ("Last time the auditor was Ingrid van der Berg.", "Ingrid van der Berg"),
    ("payd is the little script Siobhan Brannigan wrote before she went on leave.", "Siobhan Brannigan"),
    ("Eirlys Prys-Jones at Harcourt Pryce is the partner who knows our leases.", "Eirlys Prys-Jones"),
    ("Our PR agency is Whitlock Reeve, and our contact there is Lavinia Osei-Bonsu.", "Lavinia Osei-Bonsu"),
    ("Their consultant reports to Ilse Verhoeven's steering group monthly.", "Ilse Verhoeven"),
    ("Their desk is run by Mostafa El-Sayed or his deputy.", "Mostafa El-Sayed"),
    ("Our contact at their depot is Gurpreet Sandhu.", "Gurpreet Sandhu"),
])
def test_a_persons_whole_name_is_one_person(extractor: Extractor, text: str, person: str) -> None:
    found = named_entities(extractor, text)
    assert (person, "PERSON") in found, found
    # No piece of the name is left over as another entity.
    assert not [f for f in found if f[0] != person and f[0] in person], found


def test_lower_case_tools_and_hosts_are_systems_every_time_they_are_named(extractor: Extractor) -> None:
    text = ("I key the exceptions into payd by hand. payd is the little script Siobhan wrote, and anything "
            "payd can't match goes to Radek. Backups run to a box called vault02; if vault02 fills up the "
            "jobs fail. The renewal reminders come from a nightly job on contract-bot; check the contract-bot "
            "logs. The agents are build01 and build02.")
    found = named_entities(extractor, text)
    assert found.count(("payd", "SYSTEM")) == 3
    assert found.count(("vault02", "SYSTEM")) == 2 and found.count(("contract-bot", "SYSTEM")) == 2
    assert ("build01", "SYSTEM") in found and ("build02", "SYSTEM") in found


@pytest.mark.parametrize("text", [
    "Send it as csv via sftp to the prod box, and the csv goes in the shared folder.",
    "The h1 forecast and the fy24 budget both sit with the finance team.",
    "The new laptops have 16gb of memory and run Windows 11; the old ones had 8gb.",
    "Log in with your email, then put the email in the ticket.",
])
def test_formats_periods_and_ordinary_words_are_no_tools(extractor: Extractor, text: str) -> None:
    nlp = extractor.nlp  # type: ignore[attr-defined]
    assert lowercase_tools(nlp(text), dictionary_words(nlp), frozenset(nlp.Defaults.stop_words)) == []
    assert not [f for f in named_entities(extractor, text) if f[0].islower()]


def test_a_firms_short_form_is_the_firm(extractor: Extractor) -> None:
    found = named_entities(extractor, "Stock is managed in Stockroom, which Larchmont Systems customised for us, "
                                      "and Larchmont still charge us for support. Wrenfield Analytics host it; "
                                      "Wrenfield's support portal is awful.")
    assert ("Larchmont Systems", "ORG") in found and ("Larchmont", "ORG") in found
    assert ("Wrenfield", "ORG") in found and ("Wrenfield", "PERSON") not in found
    assert ("Chronex UK", "ORG") in named_entities(extractor, "The clocks are serviced by Chronex UK, and Radek logs faults.")


def test_a_firm_in_a_town_is_a_firm_every_time(extractor: Extractor) -> None:
    found = named_entities(extractor, "The packaging comes from Corrugo in Telford. Before you sign anything "
                                      "with Corrugo, get Hamid Rahimi to check the clause.")
    assert found.count(("Corrugo", "ORG")) == 2 and ("Hamid Rahimi", "PERSON") in found


@pytest.mark.parametrize("text,system", [
    ("Email filtering is on Mailguard Pro, supplied by Ashcombe IT.", "Mailguard Pro"),
    ("The booking has to be in RRP Connect by four.", "RRP Connect"),
    ("The website runs on Strata CMS, hosted by Fernleaf Digital.", "Strata CMS"),
    ("Cost codes live in the Daybook, and Finance set new ones up in the Daybook first.", "Daybook"),
    ("Imports are cleared by our broker, who submit the declarations into CDS for us.", "CDS"),
    ("Online orders come from the Shopwell storefront into OrderHub.", "Shopwell"),
    ("Resits are scheduled separately in Timetabler, which Owain runs.", "Timetabler"),
    ("Leads come into Pipewell from the website and the trade shows.", "Pipewell"),
    ("Commission is calculated in a spreadsheet that pulls from QuoteForge and Pipewell.", "Pipewell"),
    ("Email campaigns go out of Sendwave, and the subscriber list syncs nightly from Pipewell.", "Pipewell"),
    ("We send phishing simulations every month through Baitwise, and the results go to Catriona.", "Baitwise"),
    ("The building management system is a Trendwell controller in the plant room.", "Trendwell"),
    ("Tenders are published on Tenderloom, and we score them in Evalu8.", "Evalu8"),
    ("The offsite copies are collected by Keepsafe Archiving and logged in Boxkeeper.", "Boxkeeper"),
    ("Every job shows up in Fixpoint.", "Fixpoint"),
    ("Visitors sign in on Hallpass.", "Hallpass"),
])
def test_a_product_named_by_how_it_is_used_is_a_system(extractor: Extractor, text: str, system: str) -> None:
    found = named_entities(extractor, text)
    assert (system, "SYSTEM") in found, found


def test_what_a_return_is_submitted_to_is_not_a_system(extractor: Extractor) -> None:
    found = named_entities(extractor, "Our Irish payroll bureau submit to Revenue each period.")
    assert ("Revenue", "SYSTEM") not in found
    assert ("Gold", "SYSTEM") not in named_entities(extractor, "Anyone on the Gold plan gets private medical cover.")
    assert ("8D", "SYSTEM") not in named_entities(extractor, "A supplier fault goes back to them as an 8D report.")


@pytest.mark.parametrize("text,firm", [
    ("Our supplier Brightmore delivers the toner, and their invoices go to Aoife.", "Brightmore"),
    ("Our cleaning supplier Sparkwell sends the invoice on the first of the month.", "Sparkwell"),
    ("The out-of-hours calls are answered by Moneypenny, who put them through to the engineer.", "Moneypenny"),
    ("Lifts are maintained by Pendle Lift Services, and the alarms ring through to the desk.", "Pendle Lift Services"),
])
def test_a_firm_named_by_its_role_or_its_service_is_an_organisation(extractor: Extractor, text: str,
                                                                    firm: str) -> None:
    assert (firm, "ORG") in named_entities(extractor, text)


def test_a_person_who_maintains_something_stays_a_person(extractor: Extractor) -> None:
    assert ("Gemma", "PERSON") in named_entities(extractor, "The rota script is maintained by Gemma in Finance.")


@pytest.mark.parametrize("text,firm", [
    ("We buy the cleaning chemicals from Tessaly. Tessaly charge us a delivery fee on small orders.", "Tessaly"),
    ("Occupational health referrals go to Meridale Health. Meridale send a doctor every other Tuesday.", "Meridale"),
    ("Stability studies are outsourced, and Brantwood send results as PDFs.", "Brantwood"),
])
def test_a_firm_is_the_subject_of_a_plural_verb(extractor: Extractor, text: str, firm: str) -> None:
    assert (firm, "ORG") in named_entities(extractor, text)


@pytest.mark.parametrize("text,name,label", [
    ("Admin rights on Meadow are held by Jasper and me.", "Meadow", "SYSTEM"),
    ("The pricing fields in Keystone have to match the price list.", "Keystone", "SYSTEM"),
    ("Priya and Tomasz send the figures on Fridays.", "Priya", "PERSON"),
])
def test_a_plural_verb_after_a_phrase_or_two_people_makes_no_firm(extractor: Extractor, text: str, name: str,
                                                                 label: str) -> None:
    found = named_entities(extractor, text)
    assert (name, "ORG") not in found and ("Quotes", "ORG") not in named_entities(
        extractor, "The review is at nine with Rebecca Moore. Quotes are built in Salesforce CPQ.")
    assert (name, label) in found or label == "SYSTEM", found
