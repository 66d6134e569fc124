"""Context cues that name an organisation, a system or a person: "our lawyers are X", "ask X".

The cue words are found with one phrase matcher (cheap: a hash look-up per token) and the
names around each hit are checked here, in plain Python, only where a cue word occurs. This
module works on any spaCy-like Doc and does not import spaCy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# Who an outside organisation is to the interviewee: "our broker, Howden", "a small firm
# called Hartley Lowe", "our lawyers at DWF", "the auditors are Grant Thornton".
ORG_ROLES: tuple[str, ...] = (
    "firm", "firms", "company", "companies", "agency", "agencies", "supplier", "suppliers",
    "vendor", "vendors", "reseller", "resellers", "distributor", "distributors", "provider",
    "providers", "outfit", "consultancy", "consultancies", "practice", "partner", "partners",
    "lawyers", "lawyer", "solicitors", "solicitor", "attorneys", "auditors", "auditor",
    "accountants", "accountant", "bankers", "bank", "banks", "broker", "brokers", "insurer",
    "insurers", "landlord", "landlords", "contractor", "contractors", "subcontractor", "forwarder",
    "courier", "couriers", "advisers", "advisors", "adviser", "advisor", "testers", "integrator",
    "maintainer", "wholesaler", "manufacturer", "client", "customer", "funder", "regulator",
    "recruiter", "recruiters", "counsel", "administrator", "custodian", "registrar", "bureau",
    "bureaux", "processor", "carrier", "carriers", "lender", "lenders", "haulier", "hauliers",
    "printer", "printers", "caterer", "caterers", "cleaners", "installer", "installers",
)
# Roles a single person can hold too: "our solicitor is Jane Doe" names a person.
PERSON_CAPABLE = frozenset({"partner", "client", "customer", "lawyer", "solicitor", "accountant",
                            "auditor", "adviser", "advisor", "landlord", "counsel", "administrator",
                            "registrar", "custodian", "recruiter", "contractor", "broker", "courier"})
# What an in-house or lesser-known system is: "our own routing tool, Waypoint", "the
# warehouse system, Stockwise", "an API gateway we call Turnstile".
SYSTEM_ROLES: tuple[str, ...] = (
    "tool", "tools", "system", "app", "application", "platform", "portal", "database",
    "gateway", "service", "script", "spreadsheet", "workbook", "register", "tracker", "dashboard",
    "warehouse", "interface", "bot", "engine", "software", "package", "module", "repository",
)
# What an outside organisation does for you: "bought from DigiCert", "printed by Moo".
BOUGHT_FROM: tuple[str, ...] = ("bought", "ordered", "purchased", "sourced", "leased", "rented",
                                "licensed", "hired", "procured", "supplied", "outsourced")
DONE_BY: tuple[str, ...] = ("audited", "supplied", "provided", "printed", "hosted", "insured",
                            "administered", "serviced", "couriered", "shipped", "manufactured",
                            "underwritten", "sponsored", "funded", "regulated", "outsourced",
                            "delivered", "collected", "cleaned", "catered", "emptied", "repaired",
                            "installed", "inspected", "operated", "valued", "underwritten")
# Where work is kept: "absence is recorded in BrightHR", "the roadmap lives in Productboard".
STORED_IN: tuple[str, ...] = (
    "logged", "recorded", "stored", "tracked", "kept", "managed", "booked", "processed",
    "entered", "uploaded", "filed", "raised", "submitted", "scheduled", "hosted", "built",
    "done", "run", "held", "calculated", "reconciled", "maintained", "created", "generated",
    "posted", "approved", "configured", "documented", "saved", "written", "exported", "imported",
    "pulled", "loaded", "migrated", "moved", "lives", "live", "sits", "sit", "runs", "is", "are",
    "was", "were", "log", "record", "track", "keep", "book", "enter", "upload", "raise", "post",
    "export", "import", "pull", "load", "reconcile", "scanned", "signed", "sign", "scan",
    "enrolled", "published", "registered", "tagged", "captured", "stored",
)
# Of those, the verbs nobody uses of a place: "logged in Thrive" is software even when the
# small model calls Thrive a city ("stored in Leeds" may well be a place).
SOFTWARE_VERBS = frozenset({
    "logged", "recorded", "tracked", "entered", "uploaded", "booked", "raised", "submitted",
    "scheduled", "configured", "documented", "saved", "exported", "imported", "posted", "loaded",
    "reconciled", "calculated", "processed", "generated", "log", "record", "track", "enter",
    "upload", "raise", "post", "export", "import", "load", "reconcile", "scanned", "approved",
    "filed", "pulled", "pull", "book", "enrolled", "published", "registered", "captured",
})
# Words that end an organisation's name and make it one: "Hartley Lowe Solicitors".
ORG_SUFFIXES: tuple[str, ...] = (
    "Solicitors", "LLP", "Accountants", "Associates", "Partners", "Consulting", "Consultants",
    "Consultancy", "Advisory", "Recruitment", "Talent", "Logistics", "Distribution", "Assurance",
    "Insurance", "Scientific", "Laboratories", "Labs", "Healthcare", "Holdings", "Ltd", "Limited",
    "Inc", "PLC", "plc", "LLC", "GmbH", "Capital", "Ventures", "Chambers", "Reagents",
    "Biosciences", "Pharma", "Pharmaceuticals", "Freight", "Couriers", "Recruiting", "Staffing",
    "Accountancy", "Lawyers", "Bank", "Trust", "Foundation", "Services", "Solutions",
    "Technologies", "Technology", "Group", "Communications", "Telecom", "Networks", "Energy",
    "Print", "Printing", "Packaging", "Facilities", "Security", "Cleaning", "Catering",
)
# Verbs that only a person does in an answer: "Shauna owns Harbour", "Hugo maintains it".
PERSON_VERBS: tuple[str, ...] = (
    "knows", "wrote", "writes", "built", "owns", "maintains", "signs", "approves", "handles",
    "reviews", "keeps", "chases", "covers", "triages", "clears", "renews", "manages", "leads",
    "plans", "prepares", "prefers", "rings", "joined", "left", "retired", "answers", "looks",
    "checks", "does", "set", "trained", "understands", "remembers", "translates", "signed",
)
# Verbs whose object is a person: "ask Marek", "ping Farid".
ASKING_VERBS: tuple[str, ...] = ("ask", "asks", "ping", "tell", "email", "phone", "ring", "cc")
# A person's role before their name: "their buyer, Colm", "the engineer, Darren".
PERSON_ROLES: tuple[str, ...] = (
    "buyer", "engineer", "analyst", "contact", "manager", "colleague", "deputy", "assistant",
    "boss", "director", "lead", "owner", "officer", "coordinator", "controller", "rep",
    "representative", "technician", "specialist", "designer",
)

# Cue kinds and their words, for one phrase matcher on lower-case text.
CUE_WORDS: dict[str, tuple[str, ...]] = {
    "ORG_ROLE": ORG_ROLES, "SYSTEM_ROLE": SYSTEM_ROLES, "BOUGHT": BOUGHT_FROM, "DONE": DONE_BY,
    "PERSON_VERB": PERSON_VERBS, "ASK": ASKING_VERBS, "PERSON_ROLE": PERSON_ROLES,
    "THERE": ("there",), "WHO": ("who",), "AND_I": ("and i",), "STORED": STORED_IN,
}
_LINKS = {"ORG_ROLE": ("called", "named", ",", "are", "is", "at", "were", "was"),
          "SYSTEM_ROLE": ("called", "named", ",", "call"),
          "BOUGHT": ("from", "through", "via", "to"), "DONE": ("by",),
          "STORED": ("in", "into", "on", "onto", "from", "to", "inside")}


@dataclass(frozen=True)
class Cue:
    """A name a cue points at: token offsets, the label, and whether a person could hold the role."""

    start: int
    end: int
    label: str
    person_capable: bool = False
    weak: bool = False  # a place or a date the model found there wins ("stored in Leeds")
    software_verb: bool = False  # ... unless the verb is one nobody uses of a place


def _names_after(doc: Any, index: int, is_name: Callable[[Any], bool], most: int = 3) -> int:
    """The end of a run of up to ``most`` names starting at ``index`` ("Marks & Clerk")."""
    end, count = index, 0
    while end < len(doc) and count < most and is_name(doc[end]):
        end += 1
        count += 1
        joint = end + 1 < len(doc) and (doc[end].text in ("&", "+") or (
            doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_))
        if joint and is_name(doc[end + 1]):
            end += 1  # "Marks & Clerk", "Vi-CELL"
    return end


def find_cues(doc: Any, hits: Iterable[tuple[str, int, int]], is_name: Callable[[Any], bool]) -> list[Cue]:
    """The names the cue words in a Doc point at.

    Args:
        doc: A parsed spaCy Doc.
        hits: ``(kind, start, end)`` of every cue word found (see :data:`CUE_WORDS`).
        is_name: Whether a token can be part of a name (capitalised, not a generic word).
    """
    cues: list[Cue] = []
    n = len(doc)
    for kind, start, end in hits:
        if kind in _LINKS:
            link = end
            if kind == "SYSTEM_ROLE" and link + 1 < n and doc[link].lower_ in ("we", "they", "everyone"):
                link += 1  # "an API gateway we call Turnstile"
            if link + 1 >= n or doc[link].lower_ not in _LINKS[kind]:
                continue
            if kind == "STORED" and doc[link + 1].lower_ == "the" and link + 2 < n:
                link += 1  # "exported from the Vi-CELL"
            stop = _names_after(doc, link + 1, is_name)
            if kind == "STORED" and stop < n and doc[stop].pos_ == "NOUN" and doc[stop].text.islower():
                continue  # "on the Irish pension scheme": the name only modifies a noun
            if stop > link + 1:
                label = "SYSTEM" if kind in ("SYSTEM_ROLE", "STORED") else "ORG"
                software = kind == "STORED" and doc[start].lower_ in SOFTWARE_VERBS
                capable = doc[start].lower_ in PERSON_CAPABLE or kind == "DONE" or (
                    kind == "STORED" and not software)  # "logged in Robin" is no person
                cues.append(Cue(link + 1, stop, label, capable, kind == "STORED", software))
        elif kind == "PERSON_VERB" and start > 0 and is_name(doc[start - 1]):
            cues.append(Cue(start - 1, start, "PERSON"))
        elif kind == "THERE" and start > 0 and end < n and is_name(doc[start - 1]) \
                and doc[end].pos_ in ("VERB", "AUX"):
            cues.append(Cue(start - 1, start, "PERSON"))  # "Ishbel there reviews"
        elif kind == "WHO" and start > 1 and doc[start - 1].text == "," and is_name(doc[start - 2]):
            cues.append(Cue(start - 2, start - 1, "PERSON"))  # "by Grete, who holds"
        elif kind == "AND_I" and start > 0 and is_name(doc[start - 1]) and doc[start + 1].text == "I":
            cues.append(Cue(start - 1, start, "PERSON"))  # "only Maryam and I"
        elif kind == "ASK" and end < n and is_name(doc[end]) and (end + 1 >= n or not doc[end + 1].is_title):
            cues.append(Cue(end, end + 1, "PERSON"))  # "ask Marek at Brightline"
        elif kind == "PERSON_ROLE" and end + 1 < n and doc[end].text == ",":
            stop = _names_after(doc, end + 1, is_name, most=2)
            if stop > end + 1:
                cues.append(Cue(end + 1, stop, "PERSON"))  # "their buyer, Colm"
    return cues


def suffix_orgs(doc: Any, hits: Iterable[int], is_title: Callable[[Any], bool]) -> list[tuple[int, int]]:
    """Token spans of one to three capitalised names ending in a company word ("Redline Assurance")."""
    found: list[tuple[int, int]] = []
    for index in hits:
        start = index
        while start > 0 and index - start < 3 and is_title(doc[start - 1]):
            start -= 1
        if start < index:
            found.append((start, index + 1))
    return found


__all__ = [
    "ASKING_VERBS", "BOUGHT_FROM", "CUE_WORDS", "DONE_BY", "ORG_ROLES", "ORG_SUFFIXES",
    "PERSON_CAPABLE", "PERSON_ROLES", "PERSON_VERBS", "SOFTWARE_VERBS", "STORED_IN", "SYSTEM_ROLES", "Cue", "find_cues",
    "suffix_orgs",
]
