"""Cue words for :mod:`retain.nlp.cues` (pure data): roles, verbs and nouns that point at a name."""

from __future__ import annotations

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
    "agent", "agents", "msp", "msps", "host", "hosts", "bureau", "underwriter", "underwriters",
)
# Roles a single person can hold too: "our solicitor is Jane Doe" names a person.
PERSON_CAPABLE = frozenset({"partner", "client", "customer", "lawyer", "solicitor", "accountant",
                            "auditor", "adviser", "advisor", "landlord", "counsel", "administrator",
                            "registrar", "custodian", "recruiter", "contractor", "broker", "courier",
                            "agent", "underwriter"})
# What an in-house or lesser-known system is: "our own routing tool, Waypoint", "the
# warehouse system, Stockwise", "an API gateway we call Turnstile".
SYSTEM_ROLES: tuple[str, ...] = (
    "tool", "tools", "system", "app", "application", "platform", "portal", "database",
    "gateway", "service", "script", "spreadsheet", "workbook", "register", "tracker", "dashboard",
    "warehouse", "interface", "bot", "engine", "software", "package", "module", "repository",
    "erp", "crm", "hris", "wms", "lims", "cms", "tms", "eln", "mrp", "itsm", "ats", "lms",
    "sheet", "sheets", "pipeline", "cluster", "viewer", "robot", "server", "vault", "macro",
    "template", "folder", "channel", "queue", "instance", "historian", "till", "tills", "pos", "epos",
    "notebook", "repo", "firewall", "firewalls", "array",
)
# What an outside organisation does for you: "bought from DigiCert", "printed by Moo".
BOUGHT_FROM: tuple[str, ...] = ("bought", "ordered", "purchased", "sourced", "leased", "rented",
                                "licensed", "hired", "procured", "supplied", "outsourced", "buy",
                                "buys", "order", "source", "sources", "lease", "leases", "rent",
                                "rents", "hire", "hires", "procure", "outsource", "signed",
                                "contracted", "insured", "banked", "bank", "banks", "registered")
# Dealings with a firm: "the invoice from Harwood", "our contract with Pennant".
DEALINGS: tuple[str, ...] = ("invoice", "invoices", "quote", "quotes", "quotation", "contract",
                             "contracts", "agreement", "relationship", "retainer", "proposal",
                             "refund", "rebate")
DONE_BY: tuple[str, ...] = ("audited", "supplied", "provided", "printed", "hosted", "insured",
                            "administered", "serviced", "couriered", "shipped", "manufactured",
                            "underwritten", "sponsored", "funded", "regulated", "outsourced",
                            "delivered", "collected", "cleaned", "catered", "emptied", "repaired",
                            "installed", "inspected", "operated", "valued", "underwritten",
                            "handled", "reviewed", "prepared", "drafted", "advised", "run",
                            "managed", "represented", "arranged", "brokered", "assessed", "hosted",
                            "answered", "staffed", "guarded", "maintained", "resold")
# Where work is kept: "absence is recorded in BrightHR", "the roadmap lives in Productboard".
STORED_IN: tuple[str, ...] = (
    "logged", "recorded", "stored", "tracked", "kept", "managed", "booked", "processed",
    "entered", "uploaded", "filed", "raised", "submitted", "scheduled", "hosted", "built",
    "done", "run", "held", "calculated", "reconciled", "maintained", "created", "generated",
    "posted", "approved", "configured", "documented", "saved", "written", "exported", "imported",
    "pulled", "loaded", "migrated", "moved", "lives", "live", "sits", "sit", "runs", "is", "are",
    "was", "were", "log", "record", "track", "keep", "book", "enter", "upload", "raise", "post",
    "export", "import", "pull", "load", "reconcile", "scanned", "signed", "sign", "scan",
    "enrolled", "published", "registered", "tagged", "captured", "stored", "matched", "downloaded",
    "keyed", "attested", "triggered", "scored", "synced", "sync", "rotated", "collected", "checked",
    "paid", "printed", "shown", "viewed", "reported", "monitored", "coded", "billed", "invoiced",
    "refreshed", "modelled", "mapped", "transferred", "pushed", "fed", "searched", "queried",
    "ticket", "tickets", "request", "requests", "incident", "incidents", "job", "jobs", "alert",
    "alerts", "workflow", "workflows", "entry", "entries", "login", "logins", "account", "accounts",
    "happen", "happens", "happened", "occur", "occurs", "wipe", "wipes", "wiped", "deleted",
    "restored", "restore", "retrieved", "extracted", "extract", "archived", "archive", "purged",
    "provisioned", "deprovisioned", "onboarded", "reissued", "reset", "unlocked", "disabled",
    "enabled", "worked", "work", "works", "working", "switched", "migrating", "switching",
    "submit", "submits", "planned", "released", "dictated", "queued", "costed", "forecast", "syncs",
    "produced", "issued", "rostered", "reviewed", "typed", "priced", "quoted", "listed", "displayed",
    "assigned", "allocated", "timetabled", "ingested", "edited", "rendered", "opened", "registered",
    "drafted", "score", "scores", "triaged", "actioned", "authorised", "authorized", "coded", "costed",
    "shows up", "show up", "turns up", "pops up", "appears", "appear",
)
# Things that live in software: "the old reports in Cognos", "the pricing fields in Keystone"
# ("reports from Safecall" or "on Tesco" may be about a company, so only "in" and "into").
THINGS: tuple[str, ...] = (
    "report", "reports", "field", "fields", "column", "columns", "records", "folder", "folders",
    "template", "templates", "screen", "screens", "tab", "tabs", "dashboards", "numbers",
    "figures", "balances", "transactions", "journals", "invoices", "orders", "entries",
    "rules", "settings", "permissions", "users", "history", "notes", "tickets", "tasks", "cases",
    "matters", "alerts", "logs", "queue", "backlog", "codes", "mappings", "tables", "lists",
    "approvals", "attachments", "documents", "files", "leads", "deals", "timesheets", "rotas",
    "bookings", "reminders", "workflows", "scripts", "macros", "jobs", "register", "registers",
    "glossary", "schedules", "calendar", "rota", "roster", "catalogue", "inventory", "forecasts",
    "budgets", "plans", "contracts", "licences", "assets", "payslips", "requisitions", "claims",
)
# What a company, not software, is used for: "we use Brightwork for temporary staff".
SERVICES = frozenset({"staff", "staffing", "temps", "temp", "temporary", "recruitment", "recruiting",
                      "cleaning", "catering", "security", "couriers", "courier", "deliveries",
                      "delivery", "insurance", "audit", "audits", "legal", "advice", "consultancy",
                      "consulting", "contractors", "translation", "translations", "printing",
                      "shredding", "removals", "maintenance", "repairs", "training", "haulage",
                      "freight", "conveyancing", "litigation", "tax", "payroll", "banking"})
# People whose workplace follows: "the support team at Fennel", "someone from Quarrybank".
PEOPLE_AT: tuple[str, ...] = ("team", "people", "folks", "guys", "someone", "somebody", "contact",
                              "contacts", "rep", "support", "engineer", "engineers", "consultant",
                              "consultants", "staff", "colleagues", "friends", "partners", "manager")
# Verbs whose subject is software: "Meridian generates the remittances", "Orchard syncs".
SYSTEM_VERBS: tuple[str, ...] = (
    "generates", "syncs", "exports", "imports", "crashes", "crashed", "pushes", "calculates",
    "produces", "validates", "integrates", "auto-generates", "timestamps", "autosaves", "flags",
    "shows", "breaks", "broke", "hangs", "freezes", "froze", "refreshes", "reboots", "restarts",
    "falls over", "fell over", "times out", "timed out", "went live", "goes live", "crashes",
    "errors", "errored", "reconciles automatically", "auto-matches", "pings", "overwrites",
    "throws", "threw", "logs out", "timestamps", "dedupes", "deduplicates", "auto-posts", "pipes",
    "auto-assigns", "auto-fills", "autofills", "emails out", "uploads automatically",
)
# Verbs a system does that a firm may do too: "Harbour still runs the nightly batch", "Gatehouse
# sends a weekly list". Only a plain-word name the model did not call an organisation is taken.
SYSTEM_DOES: tuple[str, ...] = (
    "runs", "sends", "emails", "prints", "scores", "talks", "holds", "stores", "pulls", "posts",
    "alerts", "notifies", "uploads", "creates", "matches", "polls", "updates", "archives", "logs",
    "texts", "kicks", "spits", "drops", "emailed", "printed", "scored", "stored", "alerted",
    "sent", "ran", "holds", "keeps", "rejects", "rejected", "blocks", "blocked", "locks",
    "locked", "expires", "expired", "has", "had",
)
# Of the "use" verbs, those nobody does to a person or a firm: "replaced Ledgerline with NetSuite".
SOFTWARE_USE = frozenset({"touched", "touch", "touches", "replaced", "replace", "replacing", "rebuilt",
                          "restarted", "rebooted", "reinstalled", "uninstalled", "reconfigured",
                          "decommission", "decommissioned", "decommissioning", "upgrade", "upgraded",
                          "upgrading", "patch", "patched", "patching", "install", "installed",
                          "log into", "logged into", "logging into", "sunset", "sunsetting",
                          "deprecated", "deprecate", "migrate", "reboot", "restart", "rebuild",
                          "turned off", "switched off", "shut down", "launch", "launches",
                          # "we query Clickhouse", "we host Vaultwarden", "configure Traefik"
                          "query", "queried", "queries", "deploy", "deployed", "deploys", "host",
                          "hosts", "self-host", "configure", "configures"})
# What one needs or loses in a system: "access to Bellows", "admin rights on Meadow", "a bug in Kiln".
ACCESS_TO: tuple[str, ...] = ("access", "rights", "permissions", "credentials", "password",
                              "passwords", "licence", "licences", "license", "licenses", "seat",
                              "seats", "bug", "bugs", "glitch", "glitches", "outage", "outages",
                              "downtime", "error", "errors", "crash", "crashes", "timeout", "timeouts")
# Participles only software takes after "is": "Harbour is hosted on AWS", "Kiln was patched".
SYSTEM_PASSIVES: tuple[str, ...] = ("hosted", "installed", "deployed", "patched", "upgraded",
                                    "configured", "integrated", "decommissioned", "restarted",
                                    "rebooted", "backed", "customised", "customized", "rebuilt",
                                    "reinstalled", "virtualised", "containerised", "down", "where")
# What a system has: "Lantern's approval screen", "Anvil's reports", "Quill's billing module".
POSSESSED = frozenset({"dashboard", "dashboards", "screen", "screens", "report", "reports", "search",
                       "api", "database", "login", "logins", "export", "exports", "interface",
                       "module", "modules", "config", "configuration", "settings", "audit", "log",
                       "logs", "server", "servers", "tenant", "ui", "menu", "workflow", "workflows",
                       "admin", "backend", "front", "reporting", "import", "imports", "sync", "data",
                       "schema", "password", "passwords", "licence", "license", "console",
                       "version", "upgrade", "release", "plugin", "plugins", "integration"})
# Done with a tool: "patched with Ansible", "right-to-work checks are done with Yoti".
TOOL_WITH: tuple[str, ...] = ("patched", "tested", "scanned", "built", "deployed", "automated",
                              "scripted", "monitored", "encrypted", "provisioned", "done", "run",
                              "signed", "checked", "verified", "generated", "rendered", "compiled",
                              "backed", "synced", "integrated", "integrates", "syncs", "connects")
# How software is: "Atlas is down again", "Quarry was offline all morning".
STATES: tuple[str, ...] = ("down", "offline", "unavailable", "broken", "slow", "frozen", "crashing",
                           "unresponsive", "buggy", "flaky")
# Handing work to someone: "assign it to Keira", "pass them to Olek".
HANDING: tuple[str, ...] = ("assign", "assigns", "assigned", "send", "give", "gives", "hand", "hands",
                            "pass", "passes", "forward", "forwards", "escalate", "escalates",
                            "escalated", "handed", "passed", "forwarded", "delegate", "delegated")
HANDED = frozenset({"it", "them", "this", "that", "these", "those", "everything", "anything"})
# Work flowing through software: "everything goes through Meridian", "feeds into Tessera".
FLOWS: tuple[str, ...] = ("goes", "go", "went", "comes", "come", "came", "flows", "flow", "feeds",
                          "feed", "passes", "pass", "routed", "routes", "get", "gets", "got", "take",
                          "takes", "took", "sent", "send", "sends")
# Of those, the verbs nobody uses of a place: "logged in Thrive" is software even when the
# small model calls Thrive a city ("stored in Leeds" may well be a place).
SOFTWARE_VERBS = frozenset({
    "logged", "recorded", "tracked", "entered", "uploaded", "booked", "raised", "submitted",
    "scheduled", "configured", "documented", "saved", "exported", "imported", "posted", "loaded",
    "reconciled", "calculated", "processed", "generated", "log", "record", "track", "enter",
    "upload", "raise", "post", "export", "import", "load", "reconcile", "scanned", "approved",
    "filed", "pulled", "pull", "book", "enrolled", "published", "registered", "captured",
    "matched", "downloaded", "keyed", "attested", "triggered", "scored", "synced", "sync", "rotated",
    "coded", "billed", "invoiced", "refreshed", "queried", "ticket", "tickets", "request",
    "requests", "incident", "incidents", "workflow", "workflows", "login", "logins", "signed",
    "wipe", "wipes", "wiped", "deleted", "restored", "restore", "retrieved", "extracted", "extract",
    "archived", "purged", "provisioned", "deprovisioned", "reissued", "reset", "unlocked", "disabled",
    "enabled", "migrated", "migrating", "switched", "switching", "submit", "submits", "queued", "syncs",
    "score", "scores", "rostered", "timetabled", "ingested", "triaged", "actioned", "shows up", "show up",
    "pops up",
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
    "Supplies", "Trading", "Wholesale", "Motors", "Media", "Studios", "Properties", "Estates",
    "Construction", "Haulage", "Removals", "Electrical", "Hire", "Foods", "Recycling", "Brothers",
    "Bros", "Sons", "Mutual", "Society", "Agency", "Bureau", "Medical", "Dental", "Opticians",
    "Surveyors", "Architects", "Engineers", "Actuaries", "Brokers", "Underwriting", "Lettings",
    "IT", "Global", "International", "Worldwide", "Events", "Pensions", "Partnership", "Digital",
    "Instruments", "Screening", "Electronics", "Interiors", "Publishing", "Productions",
    "Translations", "Systems", "Analytics", "Software", "Cyber", "UK", "Institute", "Hospitality",
    "Kitchen", "Coatings", "Tooling", "Steel", "Guarding", "Precision", "Plumbing", "Joinery",
    "Scaffolding", "Lettings", "Payroll", "Telecoms", "Marketing", "Creative", "Design", "Comms",
    "Civils", "Renewables", "Nursing", "Subtitling", "Adjusting", "Compliance", "Law", "Typing",
    "Answering", "Benefits", "FX", "Press", "Trustees", "Vetting", "Workwear", "Safety", "Mailing",
    "Lifts", "Pictures", "Builders", "Roofing", "Glazing", "Landscaping", "Waste", "Transport",
    "Travel", "Coaches", "Pharmacy", "Clinic", "Physio", "Nurseries", "Academy", "Coaching",
    "Counselling", "Interpreting", "Printers", "Signs", "Graphics", "Photography", "Films",
    "Brewery", "Distillery", "Merchants", "Traders", "Shipping", "Storage", "Hygiene", "Surveying",
    "Homes", "Housing", "Mortgages", "Wealth", "Investments", "Actuarial", "Bookkeeping", "Notaries",
    "Resourcing", "Insights", "Fabrications", "Plant", "Tyres", "Skips", "Electrics", "Caterers",
    "Health", "Analytical", "Association", "Care", "Hosting", "Recruit",
    # public bodies and law firms abroad: "Housing Ombudsman", "Pinheiro Lacerda Advogados"
    "Ombudsman", "Regulator", "Authority", "Commission", "Inspectorate", "Council", "Ministry",
    "Tribunal", "Commissioner", "Directorate", "Board", "Corporation",
    "Company", "University", "College", "Federation", "Advogados", "Avvocati", "Abogados",
    "Avocats", "Advocaten", "Rechtsanwälte", "Leasing", "Rental", "Rentals", "Metering", "Laundry",
    "Bakery", "Dairy", "Farms", "Oil", "Airlines", "Airways", "Cargo", "Express", "Pallets", "Water",
    "Gas", "Power",
)
# Verbs that only a person does in an answer: "Shauna owns Harbour", "Hugo maintains it".
PERSON_VERBS: tuple[str, ...] = (
    "knows", "wrote", "writes", "built", "owns", "maintains", "signs", "approves", "handles",
    "reviews", "keeps", "chases", "covers", "triages", "clears", "renews", "manages", "leads",
    "plans", "prepares", "prefers", "rings", "joined", "left", "retired", "answers", "looks",
    "checks", "does", "set", "trained", "understands", "remembers", "translates", "signed",
    "fixes", "books", "deals", "calibrates", "reconciles", "collects", "codes", "agrees",
    "decides", "sorts", "organises", "arranges", "supervises", "oversees", "coordinates",
    "drafts", "negotiates", "authorises", "chaired", "chairs", "phones", "knew", "handled",
)
# Verbs whose object is a person: "ask Marek", "ping Farid".
ASKING_VERBS: tuple[str, ...] = ("ask", "asks", "ping", "tell", "email", "phone", "ring", "cc")
# A person's role before their name: "their buyer, Colm", "the engineer, Darren".
PERSON_ROLES: tuple[str, ...] = (
    "buyer", "engineer", "analyst", "contact", "manager", "colleague", "deputy", "assistant",
    "boss", "director", "lead", "owner", "officer", "coordinator", "controller", "rep",
    "representative", "technician", "specialist", "designer", "counsel", "secretary",
    "accountant", "partner", "administrator", "head", "cfo", "ceo", "cto", "fd", "mlro",
)

# Cue kinds and their words, for one phrase matcher on lower-case text.
CUE_WORDS: dict[str, tuple[str, ...]] = {
    "ORG_ROLE": ORG_ROLES, "SYSTEM_ROLE": SYSTEM_ROLES, "BOUGHT": BOUGHT_FROM, "DONE": DONE_BY,
    "PERSON_VERB": PERSON_VERBS, "ASK": ASKING_VERBS, "PERSON_ROLE": PERSON_ROLES,
    "THERE": ("there",), "WHO": ("who",), "AND_I": ("and i",), "STORED": STORED_IN, "IN": ("in",),
    "USE": ("use", "uses", "used", "using", "open", "opens", "launch", "launches", "check", "restart",
            "reboot", "rebuild", "upgrade", "upgraded", "install", "installed", "configure",
            "decommission", "decommissioned", "retire", "retired", "migrate", "patch", "patched",
            "touched", "touch", "touches", "replaced", "replace", "replacing", "rebuilt", "restarted",
            "rebooted", "upgrading", "decommissioning", "retiring", "patching", "reinstalled",
            "uninstalled", "reconfigured", "turned off", "switched off", "shut down", "logging into",
            "log into", "logged into", "sunset", "sunsetting", "deprecated", "deprecate", "query",
            "queried", "queries", "deploy", "deployed", "deploys", "host", "hosts", "configures"),
    "SYSTEM_DOES": SYSTEM_DOES, "POSSESSIVE": ("'s", "’s"), "TOOL_WITH": TOOL_WITH,
    "ACCESS": ACCESS_TO, "PASSIVE": SYSTEM_PASSIVES,
    "SYSTEM_VERB": SYSTEM_VERBS, "FLOW": FLOWS, "DEAL": DEALINGS, "THING": THINGS, "PEOPLE_AT": PEOPLE_AT,
    "HAND": HANDING, "STATE": STATES,
}
# Between a person and their verb: "Ottavio usually fixes it", "Magnus can run the match".
BETWEEN = frozenset({"can", "will", "would", "should", "may", "might", "usually", "always",
                      "normally", "also", "then", "still", "often", "generally", "sometimes"})
DETS = frozenset({"our", "their", "the", "my", "his", "her", "your"})
BE = frozenset({"is", "are", "was", "were"})
LINKS = {"ORG_ROLE": ("called", "named", ",", "are", "is", "at", "were", "was"),
         "SYSTEM_ROLE": ("called", "named", ",", "call", "calls", "nicknamed", "dubbed", "is", "was", "are",
                         "were"),
         "BOUGHT": ("from", "through", "via", "to", "with"), "DONE": ("by",),
         "STORED": ("in", "into", "on", "onto", "from", "to", "inside", "through", "via", "using"),
         "FLOW": ("through", "into", "via"), "THING": ("in", "into", "inside"),
         "PEOPLE_AT": ("at", "from"), "DEAL": ("from", "with"), "ACCESS": ("to", "on", "in", "for", "with")}


__all__ = [
    "ACCESS_TO",
    "ASKING_VERBS",
    "BE",
    "BETWEEN",
    "BOUGHT_FROM",
    "CUE_WORDS",
    "DEALINGS",
    "DETS",
    "DONE_BY",
    "FLOWS",
    "HANDED",
    "HANDING",
    "LINKS",
    "ORG_ROLES",
    "ORG_SUFFIXES",
    "PEOPLE_AT",
    "PERSON_CAPABLE",
    "PERSON_ROLES",
    "PERSON_VERBS",
    "POSSESSED",
    "SERVICES",
    "SOFTWARE_USE",
    "SOFTWARE_VERBS",
    "STATES",
    "STORED_IN",
    "SYSTEM_DOES",
    "SYSTEM_PASSIVES",
    "SYSTEM_ROLES",
    "SYSTEM_VERBS",
    "THINGS",
    "TOOL_WITH",
]
