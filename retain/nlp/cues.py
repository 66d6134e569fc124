"""Context cues that name an organisation or a system: "our lawyers are X", "a tool called X"."""

from __future__ import annotations

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
    "recruiter", "recruiters", "counsel", "administrator", "custodian", "registrar",
)
# What an in-house or lesser-known system is: "our own routing tool, Waypoint", "the
# warehouse system, Stockwise", "an API gateway we call Turnstile".
SYSTEM_ROLES: tuple[str, ...] = (
    "tool", "tools", "system", "app", "application", "platform", "portal", "database",
    "gateway", "service", "script", "spreadsheet", "workbook", "register", "tracker", "dashboard",
    "warehouse", "interface", "bot", "engine", "software", "package", "module", "repository",
)
# Words that end an organisation's name and make it one: "Hartley Lowe Solicitors".
ORG_SUFFIXES: tuple[str, ...] = (
    "Solicitors", "LLP", "Accountants", "Associates", "Partners", "Consulting", "Consultants",
    "Consultancy", "Advisory", "Recruitment", "Talent", "Logistics", "Distribution", "Assurance",
    "Insurance", "Scientific", "Laboratories", "Labs", "Healthcare", "Holdings", "Ltd", "Ltd.",
    "Limited", "Inc", "Inc.", "PLC", "plc", "LLC", "GmbH", "Capital", "Ventures", "Chambers",
    "Reagents", "Biosciences", "Pharma", "Pharmaceuticals", "Freight", "Couriers", "Recruiting",
    "Staffing", "Accountancy", "Lawyers", "Bank", "Building Society", "Trust", "Foundation",
)
# A name after the cue: capitalised ("Howden"), camel case ("dbt"-style names are left to the
# gazetteer), or joined with "&" or "+" ("Marks & Clerk", "Kuehne+Nagel").
NAME_TOKEN: dict[str, Any] = {"TEXT": {"REGEX": r"^(?:[A-Z][\w&+.'\-]*|[a-z]{1,3}[A-Z][\w&+.\-]*)$"}}
_JOIN: dict[str, Any] = {"ORTH": {"IN": ["&", "+"]}, "OP": "?"}


def _names(role_words: tuple[str, ...], links: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    role = {"LOWER": {"IN": list(role_words)}}
    patterns = []
    for link in ([links] if links else [[]]):
        for n in (1, 2, 3):
            names: list[dict[str, Any]] = []
            for i in range(n):
                if i:
                    names.append(_JOIN)
                names.append(NAME_TOKEN)
            patterns.append([role, *link, *names])
    return patterns


# What an outside organisation does for you: "bought from DigiCert", "printed by Moo".
BOUGHT_FROM: tuple[str, ...] = ("bought", "ordered", "purchased", "sourced", "leased", "rented",
                                "licensed", "hired", "procured", "supplied", "outsourced")
DONE_BY: tuple[str, ...] = ("audited", "supplied", "provided", "printed", "hosted", "insured",
                            "administered", "serviced", "couriered", "shipped", "manufactured",
                            "underwritten", "sponsored", "funded", "regulated", "outsourced",
                            "delivered", "collected", "cleaned", "catered")


def org_cue_patterns() -> list[list[dict[str, Any]]]:
    """Matcher patterns whose trailing names are an organisation."""
    called = [{"LOWER": {"IN": ["called", "named"]}}]
    comma = [{"ORTH": ","}]
    copula = [{"LOWER": {"IN": ["are", "is", "at", "were", "was"]}}]
    return [*_names(ORG_ROLES, called), *_names(ORG_ROLES, comma), *_names(ORG_ROLES, copula),
            *_names(BOUGHT_FROM, [{"LOWER": {"IN": ["from", "through", "via"]}}]),
            *_names(DONE_BY, [{"LOWER": "by"}])]


def system_cue_patterns() -> list[list[dict[str, Any]]]:
    """Matcher patterns whose trailing names are a system."""
    called = [{"LOWER": {"IN": ["called", "named"]}}]
    we_call = [{"LOWER": {"IN": ["we", "they", "everyone"]}}, {"LOWER": {"IN": ["call", "called"]}}]
    comma = [{"ORTH": ","}]
    return [*_names(SYSTEM_ROLES, called), *_names(SYSTEM_ROLES, we_call), *_names(SYSTEM_ROLES, comma)]


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
    "boss", "director", "lead", "owner", "administrator", "admin", "officer", "coordinator",
    "controller", "accountant", "rep", "representative", "technician", "specialist", "designer",
)


def person_cue_patterns() -> list[list[dict[str, Any]]]:
    """Matcher patterns around a one-word name that only a person fits."""
    name = {**NAME_TOKEN, "IS_STOP": False}
    i = {"ORTH": "I"}
    return [
        [name, {"LOWER": {"IN": list(PERSON_VERBS)}}],
        [{"LOWER": {"IN": list(ASKING_VERBS)}}, name, {"IS_TITLE": False}],
        [name, {"LOWER": "and"}, i],
        [name, {"LOWER": "there"}, {"POS": {"IN": ["VERB", "AUX"]}}],  # "Ishbel there reviews"
        [name, {"ORTH": ","}, {"LOWER": "who"}],  # "by Grete, who also holds"
        [{"LOWER": {"IN": ["me", "i"]}}, {"LOWER": "and"}, name, {"IS_TITLE": False}],
        [{"LOWER": {"IN": list(PERSON_ROLES)}}, {"ORTH": ","}, name],
        [{"LOWER": {"IN": list(PERSON_ROLES)}}, {"ORTH": ","}, name, name],
    ]


def org_suffix_patterns() -> list[list[dict[str, Any]]]:
    """Matcher patterns for one to three capitalised names ending in a company word."""
    suffix = {"ORTH": {"IN": [s for s in ORG_SUFFIXES if " " not in s]}}
    capital = {"IS_TITLE": True, "IS_SENT_START": False}
    return [[*([capital] * n), suffix] for n in (1, 2, 3)]


__all__ = ["ASKING_VERBS", "BOUGHT_FROM", "DONE_BY", "ORG_ROLES", "ORG_SUFFIXES", "PERSON_ROLES", "PERSON_VERBS", "SYSTEM_ROLES",
           "org_cue_patterns", "org_suffix_patterns", "person_cue_patterns", "system_cue_patterns"]
