"""Issue 15's general extraction levers, each with the real spaCy model: cues, shapes, one label per name."""

from __future__ import annotations

from retain.nlp.extractor import Extractor
from tests.conftest import named_entities


# -- systems ----------------------------------------------------------------------------------
def test_a_software_verb_reaches_past_its_object(extractor: Extractor) -> None:
    assert ("Lighthouse", "SYSTEM") in named_entities(extractor, "Internally we track the matters in Lighthouse.")
    assert ("Halo", "SYSTEM") in named_entities(extractor, "Raise a ticket in Halo if a laptop dies.")
    assert ("Clearline", "SYSTEM") in named_entities(extractor, "Every morning I log in to Clearline first.")


def test_a_capitalised_head_is_part_of_the_name(extractor: Extractor) -> None:
    assert ("Treasury Hub", "SYSTEM") in named_entities(extractor, "I log into the Treasury Hub each morning.")
    assert ("KYC Portal", "SYSTEM") in named_entities(extractor, "Every new client is checked in the KYC Portal.")
    # An organisation's name ending in a capitalised generic word is left alone.
    assert ("Crown Commercial Service", "ORG") in named_entities(
        extractor, "Contracts over the threshold go to the Crown Commercial Service.")


def test_acronym_and_output_heads_mark_a_system(extractor: Extractor) -> None:
    assert ("Atlas", "SYSTEM") in named_entities(extractor, "Orders are picked in the Atlas WMS every day.")
    assert ("PayMaster", "SYSTEM") in named_entities(extractor, "The journal comes from the PayMaster export.")
    assert ("Sonar", "SYSTEM") in named_entities(extractor, "The Sonar licence renews in June.")


def test_software_subjects_things_and_flows(extractor: Extractor) -> None:
    found = named_entities(extractor, "Everything goes through Meridian now. Meridian generates the remittances "
                             "overnight. The old reports in Cognos still work.")
    assert found.count(("Meridian", "SYSTEM")) == 2 and ("Cognos", "SYSTEM") in found


def test_a_camelcase_name_is_software_unless_a_cue_says_otherwise(extractor: Extractor) -> None:
    assert ("LeaseQuery", "SYSTEM") in named_entities(extractor, "The leasing schedule sits with LeaseQuery now.")
    assert named_entities(extractor, "PayBridge sends the file. The PayBridge interface is slow.") == [
        ("PayBridge", "SYSTEM"), ("PayBridge", "SYSTEM")]
    # No one is called PayMaster, but McDonald is a surname.
    assert ("McDonald", "SYSTEM") not in named_entities(extractor, "Ask Fiona McDonald about the rota.")
    # A cue elsewhere in the text decides for every mention.
    found = named_entities(extractor, "The renewals are bought from DigiCert. Kwame has the DigiCert account.")
    assert found.count(("DigiCert", "ORG")) == 2


def test_we_use_a_company_for_a_service(extractor: Extractor) -> None:
    assert ("Brightwork", "ORG") in named_entities(extractor, "We use Brightwork for temporary warehouse staff.")
    assert ("Pulse", "SYSTEM") in named_entities(extractor, "We use Pulse for the bank matching.")


# -- organisations ----------------------------------------------------------------------------
def test_the_organisation_a_cue_names_keeps_its_label_for_every_mention(extractor: Extractor) -> None:
    found = named_entities(extractor, "Our auditors are Haines Watts, and Tobias from Haines Watts asks for the "
                             "payroll reconciliations in April.")
    assert found.count(("Haines Watts", "ORG")) == 2 and ("Tobias", "PERSON") in found
    found = named_entities(extractor, "Leases are reviewed by Osmond Fairley LLP. Our contact at Osmond Fairley "
                             "is Bronwen Pugh.")
    assert ("Osmond Fairley LLP", "ORG") in found and ("Osmond Fairley", "ORG") in found
    assert ("Bronwen Pugh", "PERSON") in found


def test_a_company_word_and_its_short_form(extractor: Extractor) -> None:
    found = named_entities(extractor, "Our supplier Kestrel Office Supplies delivers on Mondays. Invoices from "
                             "Kestrel are matched in Basware.")
    assert ("Kestrel Office Supplies", "ORG") in found and ("Kestrel", "ORG") in found


def test_a_sentence_final_ltd_keeps_its_full_stop_apart(extractor: Extractor) -> None:
    assert ("Maxwell Freight Ltd", "ORG") in named_entities(extractor, "The haulage is done by Maxwell Freight Ltd.")


def test_a_name_before_an_organisation_role(extractor: Extractor) -> None:
    assert ("ClearBank", "ORG") in named_entities(extractor, "ClearBank is our sponsor bank for the accounts.")
    assert ("Stormfront IT", "ORG") in named_entities(extractor, "Our MSP is Stormfront IT, and they are slow.")
    assert ("Allstar", "ORG") in named_entities(extractor, "The fuel cards are from Allstar.")


def test_people_at_a_workplace_and_conjoined_names(extractor: Extractor) -> None:
    assert ("Harvey Nash", "ORG") in named_entities(extractor, "Priyanka at Harvey Nash can turn it round.")
    assert ("Fennel Systems", "ORG") in named_entities(extractor, "The support team at Fennel Systems is slow.")
    found = named_entities(extractor, "The policies are with Hiscox and Beazley this year.")
    assert ("Hiscox", "ORG") in found and ("Beazley", "ORG") in found


def test_an_acronym_is_no_person_and_a_place_is_no_organisation(extractor: Extractor) -> None:
    assert ("JFSC", "PERSON") not in named_entities(extractor, "The JFSC inspects us every two years.")
    assert ("Bristol", "ORG") not in named_entities(extractor, "Our landlord for the Bristol office is slow.")
    assert ("Wigan", "SYSTEM") not in named_entities(extractor, "Returns are inspected at the Wigan site.")


# -- people -----------------------------------------------------------------------------------
def test_a_person_named_only_by_first_name(extractor: Extractor) -> None:
    assert ("Rhona", "PERSON") in named_entities(extractor, "Anything odd goes to Rhona in Finance.")
    assert ("Caspian", "PERSON") in named_entities(extractor, "Caspian in Legal checks the docket every Monday.")
    assert ("Ottavio", "PERSON") in named_entities(extractor, "When a build breaks, Ottavio usually fixes it.")
    assert ("Aurelio", "PERSON") in named_entities(extractor, "Aurelio checks their invoices against Slotter.")
    assert ("Wilfred", "PERSON") in named_entities(extractor, "Wilfred signs off the figures.")
    assert ("Temperance", "PERSON") in named_entities(
        extractor, "The reports go only to Temperance, our general counsel.")


def test_no_person_from_a_plural_noun_or_a_gadget(extractor: Extractor) -> None:
    assert named_entities(extractor, "Forecast calls are on Thursdays.") == []
    assert ("WiFi", "PERSON") not in named_entities(extractor, "The WiFi is slow in the mornings.")
    assert ("WiFi", "SYSTEM") not in named_entities(extractor, "The WiFi is slow in the mornings.")


def test_handing_work_to_someone_and_clauses(extractor: Extractor) -> None:
    assert ("Keira", "PERSON") in named_entities(extractor, "Raise it in Pegasus and assign it to Keira.")
    assert ("HMRC", "ORG") in named_entities(extractor, "Send it to HMRC by Friday.")
    assert ("Aldous", "PERSON") in named_entities(extractor, "Ledgerline is an old database that only Aldous understands.")


def test_more_software_contexts(extractor: Extractor) -> None:
    assert ("Juro", "SYSTEM") in named_entities(extractor, "Contracts are signed in Juro, then filed.")
    assert ("Compass", "SYSTEM") in named_entities(extractor, "Compass flags the overdue items and Jade chases them.")
    assert ("Slimstock", "SYSTEM") in named_entities(extractor, "The forecasts come out of Slimstock every week.")


def test_out_of_happen_in_check_and_our_erp_is(extractor: Extractor) -> None:
    assert ("Horizon", "SYSTEM") in named_entities(extractor, "The figures are pulled out of Horizon by a macro.")
    assert ("Flowgate", "SYSTEM") in named_entities(extractor, "The approvals happen in Flowgate.")
    assert ("London", "SYSTEM") not in named_entities(extractor, "The meeting happened in London.")
    assert ("Radar", "SYSTEM") in named_entities(extractor, "Check Radar before you approve a refund.")
    assert ("Sarah", "PERSON") in named_entities(extractor, "Check with Sarah first.")
    found = named_entities(extractor, "Our ERP is Priority, and the MRP runs on Sunday.")
    assert ("Priority", "SYSTEM") in found and not any(text == "MRP" for text, _ in found)
    assert ("Leavedates", "SYSTEM") in named_entities(extractor, "Staff book leave through Leavedates.")


def test_a_cue_word_at_the_very_end_of_a_text(extractor: Extractor) -> None:
    # Regression: a cue word as the last token ("... it is") once read past the end of the Doc.
    for text in ("It is what it is", "Everything goes", "The files are stored", "Ask", "We use",
                 "Assign it", "Our supplier", "Pulse, our", "Priyanka at", "The reports in"):
        assert extractor.extract(text).error is None, text


def test_how_software_behaves_names_it(extractor: Extractor) -> None:
    assert ("3CX", "SYSTEM") in named_entities(extractor, "Our phones are on 3CX.")
    assert ("Atlas", "SYSTEM") in named_entities(extractor, "Atlas is down again, so the orders are stuck.")
    assert ("Beacon", "SYSTEM") in named_entities(extractor, "Beacon shows the balances for every entity.")
    assert ("Beacon", "SYSTEM") in named_entities(extractor, "The numbers in Beacon are a day behind.")
    assert ("Quarry", "SYSTEM") in named_entities(extractor, "If Quarry breaks, restart it from the admin page.")
    # People and places stay what they are.
    assert ("Tom", "PERSON") in named_entities(extractor, "Tom is slow on Mondays.")
    assert ("Margaret", "PERSON") in named_entities(extractor, "Margaret shows the new starters round.")
    assert named_entities(extractor, "The invoices in Germany are late.") == []
