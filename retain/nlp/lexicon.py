"""Word lists and token patterns for the rule component (pure data: no spaCy import)."""

from __future__ import annotations

import re
from typing import Any

from retain.nlp.normalize import TITLES

# spaCy labels that are noise in a handover ("two", "30%", "five minutes", "£500").
DROP_LABELS = frozenset({"CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY", "TIME",
                         "WORK_OF_ART", "LANGUAGE", "NORP"})
# Rule sources, strongest first, for rule spans of equal length.
PRIORITY = {"EMAIL": 0, "URL": 0, "GLOSSARY": 1, "GAZETTEER": 2, "ORGS": 3, "RECURRENCE": 4,
             "CUE_SYSTEM": 5, "CUE_ORG": 5, "SUFFIX_ORG": 5, "CUE_PERSON": 5, "PATTERN": 6,
             "CUE_STORED": 7, "CUE_SOFTWARE": 7, "CUE_VERB": 7, "SHAPE": 8, "USAGE": 8,
             "WORD": 9}
COMPANY_SUFFIXES = frozenset({"inc", "inc.", "ltd", "ltd.", "llc", "plc", "corp", "corp.",
                               "corporation", "gmbh", "ag", "sa", "co", "co.", "limited", "lp"})
# Verbs after which "with X" names software, not a firm: "integrates with Harbour".
LINKED_SOFTWARE = frozenset({"integrates", "integrated", "integrate", "syncs", "synced", "sync",
                             "connects", "connected", "connect", "interfaces", "talks", "linked",
                             "links", "compatible", "replaced", "built", "made",
                             "generated", "produced", "created", "checked", "read", "opened"})
# After a sentence-initial "Word", "Outlook" or "Spark", these say it is the ordinary word.
FUNCTION_AFTER = frozenset({"of", "for", "to", "in", "on", "at", "with", "from", "the", "a",
                             "an", "and", "or"})
URL_TLDS = ("com", "org", "net", "io", "co", "uk", "gov", "edu", "int", "eu", "de", "fr", "nl",
             "app", "dev", "ai", "cloud", "info", "biz", "us", "ca", "au", "nz", "in", "ie", "ch")
URL_SHAPE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|www\.)|/|\.(?:" + "|".join(URL_TLDS) + r")(?::\d+)?$", re.IGNORECASE
)

# -- "the X portal" ---------------------------------------------------------------------------
DETERMINERS = ["the", "our", "their", "its", "this", "that", "his", "her", "your", "my"]
SYSTEM_HEADS = [
    "portal", "portals", "database", "databases", "db", "dashboard", "dashboards", "server",
    "servers", "pipeline", "pipelines", "interface", "interfaces", "warehouse", "tool", "tools",
    "system", "systems", "app", "apps", "application", "applications", "platform", "platforms",
    "repo", "repository", "service", "api", "workbook", "spreadsheet", "module", "instance",
    "cluster", "integration", "bot", "console", "wiki", "ledger", "website", "intranet",
    "extranet", "engine", "suite", "software", "cube", "script", "scripts", "lake", "mart",
    "gateway", "tracker", "plugin", "add-in", "connector", "job", "jobs", "queue", "site",
    # acronym heads ("the Atlas WMS") and outputs only software has ("the PayMaster export")
    "wms", "crm", "erp", "hris", "lims", "tms", "cms", "dms", "export", "extract", "hub",
    "licence", "licences", "license", "licenses", "tenant", "migration", "rollout", "upgrade",
    "subscription", "login", "logins", "workspace", "form", "forms", "config", "configuration",
    "codebase", "schema", "report", "registry",
    # what a system's name stands before in speech ("the Shopwell storefront", "the HRVault share")
    "sync", "share", "storefront", "controller", "controllers", "handset", "handsets", "terminal",
    "terminals", "folder", "folders", "library", "mirror", "button", "widget", "add-on", "extension",
]
# After "a" or "an" only heads nobody puts after a firm's name: "a Trendwell controller", but
# "a Brackenbury report" may be the firm's report.
INDEFINITE_ARTICLES = frozenset({"a", "an"})
A_SYSTEM_HEADS = frozenset({"controller", "controllers", "handset", "handsets", "terminal", "terminals",
                            "app", "tool", "script", "plugin", "add-on", "widget", "button", "database",
                            "dashboard", "bot", "module", "instance", "server", "console", "workbook",
                            "spreadsheet", "macro", "extension", "board", "cluster", "repo", "repository"})
# Capitalised heads that belong to a system's name ("the Treasury Hub", "the KYC Portal").
NAMED_HEADS = frozenset({"hub", "portal", "tracker", "dashboard", "console", "app", "gateway",
                         "workbench", "wiki", "intranet", "extranet", "database", "toolkit"})
# Legal-form words after a company name: "Osmond Fairley LLP" is "Osmond Fairley" later on.
LEGAL_TAILS = frozenset({"llp", "ltd", "ltd.", "limited", "plc", "inc", "inc.", "llc", "gmbh",
                         "ag", "sa", "lp", "solicitors", "group"})
SYSTEM_MODIFIERS = [
    "data", "web", "reporting", "booking", "ordering", "payment", "payments", "billing",
    "ticketing", "admin", "management", "monitoring", "analytics", "customer", "partner",
    "supplier", "vendor", "self-service", "online", "internal", "tracking", "scheduling",
    "planning", "inventory", "document", "content", "learning", "test", "staging",
    "production", "prod", "legacy", "build", "deployment", "release", "batch", "nightly",
    "sync", "etl", "mail", "file", "upload", "transfer", "access", "approval", "expense",
    "expenses", "timesheet", "sample", "order", "orders", "pricing", "quote", "quoting",
    "claims", "case", "asset", "booking", "survey", "reconciliation", "import", "export",
]
MODIFIER_SET = frozenset(SYSTEM_MODIFIERS)
TITLE_FORMS = frozenset({t.capitalize() for t in TITLES} | TITLES)
# Japanese and Hindi honorifics typed after a hyphen: "Nakamura-san", "Sharma-ji".
HONORIFIC_SUFFIXES = frozenset({"san", "sama", "sensei", "kun", "chan", "ji"})
DETERMINER_SET = frozenset(DETERMINERS)
# Capitalised words that are departments, generic acronyms or calendar words, not system names.
GENERIC_NAMES = [
    "hr", "it", "is", "finance", "sales", "marketing", "legal", "ops", "operations", "payroll",
    "procurement", "engineering", "support", "customer", "customers", "admin", "data",
    "reporting", "management", "company", "group", "team", "internal", "global", "uk", "us",
    "usa", "eu", "emea", "apac", "crm", "erp", "gl", "ap", "ar", "po", "qa", "qc", "lims", "eln",
    "hris", "hcm", "bi", "mi", "kpi", "sla", "vpn", "sso", "mfa", "api", "etl", "ci", "cd", "db",
    "sql", "uat", "prod", "dev", "test", "staging", "production", "main", "new", "old",
    "shared", "central", "corporate", "vendor", "supplier", "client", "partner", "employee",
    "staff", "learning", "compliance", "security", "network", "email", "e-mail", "web",
    "mobile", "office", "cloud", "core", "master", "primary", "backup", "legacy", "i", "we",
    "treasury", "accounts", "audit", "risk", "tax", "quality", "lab", "research", "board",
    "executive", "service", "services", "desk", "help", "helpdesk", "group", "head", "cfo",
    "ceo", "cto", "cio", "coo", "vp", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "q1", "q2", "q3", "q4", "pdf",
    "excel", "csv", "xml", "json", "ftp", "sftp", "http", "https", "ssh", "rest", "soap", "noc",
    "soc",
]
# Single words spaCy's small model likes to call an ORG or a PERSON that are never one here.
NOT_NAMES = frozenset({*GENERIC_NAMES, "vat", "gdpr", "fte", "ftes", "roi", "sop", "sops", "capa",
                        "capas", "kyc", "aml", "p&l", "ebitda", "sku", "skus", "rfp", "rfq", "nda",
                        "msa", "sow", "okr", "okrs", "eta", "faq", "pto", "tbd", "asap", "fyi", "eod",
                        "wfh", "ooo", "saas", "b2b", "covid", "ok", "okay", "thanks", "hi", "bom",
                        "utf", "ascii", "fx", "noc", "soc", "cctv", "ip", "dns", "ssl", "tls", "id",
                        "pin", "otp", "rota", "nb", "ps", "re", "fw", "fwd", "cc", "bcc", "tbc", "cab",
                        "pos", "poc", "mvp", "rag", "wip", "raci", "wifi", "wi-fi", "b2c",
                        "ceo", "msp", "msps", "pbc", "pod", "pods", "asn", "asns",
                        "edi", "grn", "grns", "rma", "ean", "upc", "mrp", "mrps",
                        # protocols: "the SAML request", "DNS and DHCP", "the WAN"
                        "saml", "oauth", "ldap", "scim", "smtp", "imap", "snmp", "dhcp", "vlan", "wan",
                        "lan",
                        # roles: "pages the primary SRE first"
                        "sre", "sres", "dba", "dbas",
                        # teams named like products: "RevOps", "DevOps", "FinOps"
                        "revops", "devops", "finops", "secops", "salesops", "bizops", "mlops",
                        "dataops", "sysops", "netops", "itops", "hrops"})
# A multi-word variant ending in one of these ("Veeam Backup", "Tableau Server") is matched only
# as capitalised: in lower case it is usually the product plus a description ("Veeam backup
# reports"), and the product name alone still matches.
GENERIC_TAILS = frozenset({"server", "online", "cloud", "backup", "desktop", "crm", "hcm",
                            "enterprise", "pro", "suite", "software", "platform", "app", "service",
                            "services", "analytics", "security", "notebook", "workspace", "data",
                            "center", "centre", "system", "systems", "portal", "lims", "eln", "erp",
                            "financials", "recruiting", "expense", "travel", "invoice", "payroll"})
PEOPLE_WORDS = frozenset({"contact", "contacts", "manager", "managers", "someone", "somebody",
                           "person", "people", "rep", "team", "guy", "friend", "colleague", "lead",
                           "engineer", "partner", "support", "account", "director", "consultant",
                           "admin", "administrator", "specialist", "owner"})
# Lower-case parts of surnames: "Pieter de Vries", "Ludwig van Beethoven", "Ana dos Santos".
NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "la", "le", "du", "dos",
                             "das", "del", "della", "bin", "al", "el", "ter", "ten"})
# Words that make a "name" a job title or an internal team ("HRIS Analyst", "Finance Systems").
ROLE_WORDS = frozenset({"analyst", "manager", "director", "lead", "officer", "engineer", "head",
                         "administrator", "admin", "coordinator", "assistant", "consultant",
                         "specialist", "partner", "team", "owner", "controller", "accountant",
                         "architect", "developer", "executive", "president", "vp", "supervisor"})
DEPARTMENT_WORDS = frozenset({*GENERIC_NAMES, *ROLE_WORDS, "systems", "operations", "platform",
                               "centre", "center", "people", "business", "product", "products",
                               "payments", "accounting", "infrastructure", "digital", "technology",
                               "commercial", "strategy", "analytics", "development", "delivery",
                               "partnerships", "relations", "resources", "human", "facilities",
                               "and", "&", "of", "the", "office", "payable", "receivable", "ops",
                               "steering", "working", "focus", "review", "programme", "project",
                               "change"})
DURATION_WORDS = frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years",
                             "hour", "hours", "minute", "minutes", "fortnight", "decade"})
LEAD_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "PRON", "DET", "CCONJ", "SCONJ", "PART", "INTJ"})
PERSON_FIXABLE = frozenset({"ORG", "GPE", "LOC", "PRODUCT", "WORK_OF_ART", "NORP", "FAC"})
# A capitalised word, "iManage"/"eBay", or a number-led product name ("3CX", "1Password").
NAME_TEXT = r"^(?:[A-Z][\w&+.\-]*|[a-z]{1,3}[A-Z][\w&+.\-]*|\d+[A-Z][\w&+.\-]*)$"
# "PayMaster", "ComplyAdvantage": a capital inside a word marks a product or company, not a
# person, unless it is a surname prefix ("McDonald", "MacLeod", "DeAndre", "LaToya").
CAMEL_CASE = re.compile(r"^[A-Z]?[a-z]+[A-Z][A-Za-z]*$")
# A token shape ("XxxxXxxx", spaCy's) with a capital after lower-case letters: CamelCase.
CAMEL_SHAPE = re.compile(r"^Xx+X[Xx\d]*$")
NAME_PREFIX = re.compile(r"^(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|Fitz|O)[A-Z][a-z]+$")

# -- rhythms ----------------------------------------------------------------------------------
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]
PERIODS = ["day", "days", "week", "weeks", "month", "months", "quarter", "quarters", "year",
            "years", "morning", "mornings", "evening", "evenings", "night", "nights",
            "afternoon", "afternoons", "weekday", "weekdays", "weekend", "weekends",
            "fortnight", "fortnights", "sprint", "sprints", "shift", "shifts", "hour", "hours",
            "minute", "minutes", "spring", "summer", "autumn", "fall", "winter", "term", "semester",
            "cycle", "release", "run", "payday", *DAYS, *MONTHS]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "eight", "ten", "twelve", "couple", "few"]
ADVERBS = ["daily", "weekly", "monthly", "quarterly", "annually", "yearly", "fortnightly",
            "biweekly", "bimonthly", "biannually", "semiannually", "nightly", "hourly", "annual",
            "weekdays", "weeknightly"]
PLURAL_DAYS = [d + "s" for d in DAYS]
ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "last", "final", "penultimate"]
ORDINAL_NUM = r"^\d{1,2}(?:st|nd|rd|th)$"


def recurrence_patterns() -> list[list[dict[str, Any]]]:
    every = {"LOWER": {"IN": ["every", "each"]}}
    other = {"LOWER": {"IN": ["other", "alternate"]}, "OP": "?"}
    number = {"LOWER": {"IN": NUMBER_WORDS}, "OP": "?"}
    digits = {"LIKE_NUM": True, "OP": "?"}
    working = {"LOWER": {"IN": ["working", "business", "calendar", "pay", "payroll"]}, "OP": "?"}
    period = {"LOWER": {"IN": PERIODS}}
    part_of_day = {"LOWER": {"IN": ["morning", "afternoon", "evening", "night"]}, "OP": "?"}
    of_each = {"LOWER": {"IN": ["each", "every", "the"]}}
    cycle = {"LOWER": {"IN": ["month", "quarter", "year", "week", "half", "half-year", "period",
                              "sprint", "term", "cycle"]}}
    return [
        # every Monday (morning), each morning, every other Wednesday, every two weeks,
        # every 6 months, every working day, every pay period
        [every, other, number, digits, working, period, part_of_day],
        # daily, weekly, monthly, quarterly, annually, fortnightly, nightly
        [{"LOWER": {"IN": ADVERBS}}],
        # bi-weekly, semi-annually, bi-monthly
        [{"LOWER": {"IN": ["bi", "semi", "twice"]}}, {"ORTH": "-"},
         {"LOWER": {"IN": ["weekly", "monthly", "annually", "annual", "yearly", "daily"]}}],
        # month-end, quarter-end, year-end, period-end, month end
        [{"LOWER": {"IN": ["month", "quarter", "year", "period", "half-year"]}},
         {"ORTH": "-", "OP": "?"}, {"LOWER": {"IN": ["end", "close", "start"]}}],
        [{"LOWER": {"IN": ["month", "quarter", "year", "period"]}},
         {"ORTH": "-"}, {"LOWER": "end"}, {"ORTH": "-"}, {"LOWER": "close"}],
        [{"LOWER": {"IN": ["eom", "eoq", "eoy", "ytd"]}, "IS_UPPER": True}],
        # end of each quarter, start of every month, close of each year
        [{"LOWER": {"IN": ["end", "start", "beginning", "close", "middle", "turn"]}},
         {"LOWER": "of"}, {"LOWER": {"IN": ["each", "every"]}}, cycle],
        # first working day of the month, last Friday of each month, second Sunday of every month
        [{"LOWER": {"IN": ORDINAL_WORDS}}, working,
         {"LOWER": {"IN": ["day", "days", "week", *DAYS]}}, {"LOWER": "of"}, of_each, cycle],
        # twice a week, once a month, three times a year, twice per quarter
        [{"LOWER": {"IN": ["once", "twice", "thrice"]}}, {"LOWER": {"IN": ["a", "per", "each", "every"]}},
         period],
        [{"LIKE_NUM": True}, {"LOWER": "times"}, {"LOWER": {"IN": ["a", "per", "each", "every"]}},
         period],
        # on Mondays, Tuesdays and Fridays, Monday mornings
        [{"LOWER": {"IN": PLURAL_DAYS}}],
        [{"LOWER": {"IN": DAYS}},
         {"LOWER": {"IN": ["mornings", "afternoons", "evenings", "nights"]}}],
    ]


def day_of_cycle_patterns() -> list[list[dict[str, Any]]]:
    """ "the 5th of each month" from the number on; "the" and "by" are added in Python.

    A pattern opening with "the" would start a match attempt at every "the" in a text.
    """
    of_each = {"LOWER": {"IN": ["each", "every", "the"]}}
    cycle = {"LOWER": {"IN": ["month", "quarter", "year", "week", "half", "half-year", "period",
                              "sprint", "term", "cycle"]}}
    return [
        [{"LIKE_NUM": True}, {"LOWER": "of"}, of_each, cycle],
        [{"LIKE_NUM": True}, {"LOWER": {"IN": ["st", "nd", "rd", "th"]}}, {"LOWER": "of"}, of_each, cycle],
    ]


__all__ = [
    "ADVERBS",
    "CAMEL_CASE",
    "CAMEL_SHAPE",
    "COMPANY_SUFFIXES",
    "DAYS",
    "DEPARTMENT_WORDS",
    "DETERMINERS",
    "DETERMINER_SET",
    "DROP_LABELS",
    "DURATION_WORDS",
    "FUNCTION_AFTER",
    "GENERIC_NAMES",
    "GENERIC_TAILS",
    "HONORIFIC_SUFFIXES",
    "INDEFINITE_ARTICLES",
    "LEAD_POS",
    "LEGAL_TAILS",
    "LINKED_SOFTWARE",
    "MODIFIER_SET",
    "MONTHS",
    "NAMED_HEADS",
    "NAME_PARTICLES",
    "NAME_PREFIX",
    "NAME_TEXT",
    "NOT_NAMES",
    "NUMBER_WORDS",
    "ORDINAL_NUM",
    "ORDINAL_WORDS",
    "PEOPLE_WORDS",
    "PERIODS",
    "PERSON_FIXABLE",
    "PLURAL_DAYS",
    "PRIORITY",
    "ROLE_WORDS",
    "SYSTEM_HEADS",
    "SYSTEM_MODIFIERS",
    "TITLE_FORMS",
    "URL_SHAPE",
    "URL_TLDS",
    "day_of_cycle_patterns",
    "recurrence_patterns",
]
