"""Names made of an ordinary English word: "nobody has touched Harbour since 2019".

An in-house system is often named after a common noun (Harbour, Beacon, Anvil, Keystone).
Capitalised in the middle of a sentence, with no determiner, no capitalised neighbour and no
list that knows it as a person, place, month or team, such a word is a proper name; in a
handover interview it is most often a system (a firm, a person or a place usually comes with a
cue, a suffix or a list). The dictionary is the model's own lemmatizer index (WordNet nouns,
verbs and adjectives), so nothing is downloaded. This module works on any spaCy-like Doc.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Capitalised ordinary words that name no system: institutions and defined terms ("the Board"
# is excluded by its determiner anyway), holidays, currencies, tiers, directions, methods,
# document parts and words that precede a number ("Phase 2").
NOT_SYSTEMS = frozenset({
    "board", "council", "court", "government", "parliament", "crown", "committee", "chair",
    "chairman", "chairwoman", "president", "bank", "exchequer", "customs", "ministry", "cabinet",
    "tribunal", "ombudsman", "regulator", "authority", "commission", "trust", "foundation",
    "society", "union", "institute", "university", "college", "school", "hospital", "church",
    "christmas", "xmas", "easter", "ramadan", "diwali", "eid", "hanukkah", "thanksgiving",
    "halloween", "lent", "advent", "new", "year", "god", "mum", "dad", "mom", "internet", "web",
    "sterling", "euro", "euros", "dollar", "dollars", "pound", "pounds", "yen", "franc",
    "gold", "silver", "bronze", "platinum", "premium", "standard", "basic", "enterprise",
    "professional", "pro", "plus", "lite", "north", "south", "east", "west", "northern",
    "southern", "eastern", "western", "midlands", "agile", "lean", "scrum", "kanban", "waterfall",
    "sigma", "terms", "conditions", "schedule", "appendix", "annex", "section", "clause", "part",
    "phase", "stage", "step", "level", "tier", "grade", "band", "option", "version", "release",
    "room", "floor", "building", "block", "unit", "gate", "bay", "door", "site", "policy",
    "handbook", "procedure", "manual", "guide", "template", "checklist", "plan", "budget",
    "forecast", "strategy", "framework", "charter", "act", "regulations", "regulation", "law",
    "code", "rules", "secretary", "treasurer", "trustee", "trustees", "governor", "governors",
    "minister", "inspector", "clerk", "principal", "associate", "associates", "counsel",
    "ops", "accounts", "exec", "execs", "directors", "partners", "spring", "summer", "autumn",
    "winter", "morning", "afternoon", "evening", "night", "today", "tomorrow", "yesterday",
    "brexit", "covid", "coronavirus", "lockdown", "sir", "lord", "lady", "dame", "madam",
    "please", "thanks", "note", "yes", "no", "okay", "hello", "dear", "regards", "cheers",
    "sorry", "brilliant", "great", "right", "well", "let", "perfect", "exactly", "absolutely",
    "fine", "cool", "wow", "oh", "ah", "um", "er", "hmm", "excellent", "lovely", "sure", "indeed",
    "anyway", "also", "so", "name", "names", "speaker", "interviewer", "interviewee", "question",
    "answer",
    "english", "welsh", "scottish", "irish", "british", "french", "german", "dutch", "spanish",
    "italian", "polish", "european", "american", "asian", "african", "chinese", "indian",
    "japanese", "latin", "greek", "roman", "muslim", "christian", "jewish", "hindu", "sikh",
    "page", "table", "figure", "chart", "item", "list", "form", "sheet", "tab", "column", "row",
    "cell", "field", "box", "button", "menu", "screen", "window", "file", "folder", "drive",
    "admin", "user", "users", "guest", "owner", "member", "members", "team", "teams", "head",
    "people", "person", "staff", "legal", "tax", "vat", "payroll", "pension", "pensions",
    # teams and functions that open a sentence as its subject ("Dispatch closes at four")
    "logistics", "dispatch", "despatch", "estates", "reception", "purchasing", "transport",
    "stores", "catering", "housekeeping", "maintenance", "warehouse", "planning", "scheduling",
    "quality", "credit", "collections", "billing", "invoicing", "payments", "shipping",
    "receiving", "goods", "returns", "fulfilment", "distribution", "production", "manufacturing",
    "design", "research", "recruitment", "training", "onboarding", "resourcing", "talent",
    "wellbeing", "benefits", "reward", "rewards", "communications", "comms", "events",
    "accounting", "bookkeeping", "underwriting", "claims", "lettings", "sales", "service",
    "customer", "customers", "product", "products", "engineering", "operations", "it",
})
# Surnames that are dictionary words ("Baker approved it"): never taken for a system.
SURNAME_WORDS = frozenset({
    "baker", "cook", "smith", "turner", "mason", "carter", "fisher", "hunter", "porter", "butler",
    "walker", "wood", "hill", "green", "king", "bell", "ward", "young", "fox", "lamb", "frost",
    "stone", "marsh", "bishop", "chamberlain", "dean", "fletcher", "glover", "hunt", "knight",
    "miller", "potter", "price", "sharp", "shepherd", "slater", "steward", "tanner", "thatcher",
    "tucker", "weaver", "wheeler", "white", "black", "brown", "gray", "grey", "hall", "holmes",
    "banks", "cross", "booth", "wells", "brooks", "rivers", "lane", "long", "short", "little",
    "moon", "parsons", "dyer", "fuller", "archer", "sawyer", "chandler", "coleman", "gardener",
    "cooper", "palmer", "marshall", "page", "rose", "may", "hope", "joy", "grace", "faith",
})
# Labels of the model that a dictionary word keeps: a date, an event ("Christmas"), a law.
KEEP_LABELS = frozenset({"DATE", "TIME", "EVENT", "LAW", "LANGUAGE", "MONEY", "QUANTITY",
                          "PERCENT", "CARDINAL", "ORDINAL"})
_DEMONYM_ENDINGS = ("ish", "ese", "ian", "an", "ch", "ic", "i")
_BEFORE = frozenset({"the", "a", "an", "this", "that", "these", "those", "our", "their", "my",
                     "your", "his", "her", "its", "of", "&", "and", "mr", "mrs", "ms", "dr",
                     "mr.", "mrs.", "ms.", "dr.", "prof", "prof.", "sir", "st", "st.", "dear"})
_AFTER = frozenset({"of", "&", "'", "-"})
_OPENERS = frozenset({":", ";", "•", "*", "-", "–", "—", "(", "[", "{", "<", ">", "|", '"', "'", "“", "‘",
                      "/", "#"})


def _subject_of_verb(doc: Any, i: int) -> bool:
    """Whether token ``i`` is the subject of the verb right after it (an adverb may stand between)."""
    if doc[i].dep_ not in ("nsubj", "nsubjpass") or i + 1 >= len(doc):
        return False
    nxt = doc[i + 1]
    if nxt.pos_ == "ADV" and i + 2 < len(doc):
        nxt = doc[i + 2]
    return nxt.pos_ in ("VERB", "AUX")


# Verbs whose subject is goods or work handed on, not software: "Linen comes from Swanlake",
# "Waste goes with Biffa", "Grain is sold through Openfield".
_HANDED_ON = frozenset({"come", "go", "arrive", "sell", "deliver", "collect", "supply", "ship",
                        "source", "buy", "order", "look", "handle", "print", "send", "move"})
_HANDED_TO = frozenset({"from", "with", "through", "via", "by", "to", "back", "after", "out", "in"})


def _handed_on(doc: Any, i: int) -> bool:
    """Whether sentence-initial token ``i`` is goods or work passed on: "Linen comes from ..."."""
    verb = doc[i].head
    if verb.i <= i or verb.lemma_ not in _HANDED_ON or verb.i - i > 3:
        return False
    return verb.i + 1 < len(doc) and doc[verb.i + 1].lower_ in _HANDED_TO


def dictionary_words(nlp: Any) -> frozenset[str]:
    """Lower-case English words from the model's lemmatizer index (empty without one)."""
    if "lemmatizer" not in getattr(nlp, "pipe_names", ()):
        return frozenset()
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError, AttributeError):
        return frozenset()  # a lookup-mode or custom lemmatizer has no index
    words: set[str] = set()
    for pos in ("noun", "verb", "adj"):
        if pos in table:
            words.update(w for w in table[pos] if w.isalpha())
    return frozenset(words)


def word_names(doc: Any, indices: Iterable[int], dictionary: frozenset[str],
               excluded: frozenset[str]) -> list[int]:
    """Token indices of dictionary words used as a one-word proper name mid-sentence.

    Args:
        doc: A parsed Doc.
        indices: Candidate token indices (title-case tokens, found cheaply by the caller).
        dictionary: Lower-case English words (:func:`dictionary_words`).
        excluded: Lower-case words never taken (first names, places, months, teams, ...).
    """
    found: list[int] = []
    n = len(doc)
    for i in indices:
        token = doc[i]
        lower = token.lower_
        if len(lower) < 3 or not token.is_alpha or lower not in dictionary \
                or lower in excluded or lower in NOT_SYSTEMS or lower in SURNAME_WORDS \
                or token.pos_ not in ("PROPN", "X"):
            continue
        after = doc[i + 1] if i + 1 < n else None
        if token.is_sent_start:
            # A sentence's first word only as the subject of a verb: "Anvil has the history",
            # "Keystone went down"; the tagger calls "Training" or "Estates" a noun.
            if _subject_of_verb(doc, i) and token.ent_type_ not in KEEP_LABELS and not (
                    after is not None and after.text[:1].isupper()) and not _handed_on(doc, i):
                found.append(i)
            continue
        before = doc[i - 1]
        if before.lower_ in _BEFORE or before.text[:1].isupper() or (before.is_sent_start and before.is_punct):
            continue  # "the Board", "Bank of England", a name's second word, '"Harbour'
        if "\n" in before.text or before.text in _OPENERS or before.is_space:
            continue  # a list cell's, a heading's or a quotation's first word
        if after is not None and (after.text[:1].isupper() or after.lower_ in _AFTER or after.like_num
                                  or (len(after.text) == 1 and after.is_upper)):
            continue  # "Harbour Capital", "Head of", "Phase 2", "Appendix B"
        label = token.ent_type_
        if label in KEEP_LABELS or (label == "NORP" and lower.endswith(_DEMONYM_ENDINGS)):
            continue
        if token.ent_iob_ == "I" or (after is not None and after.ent_iob_ == "I"):
            continue  # inside a longer name the model found
        found.append(i)
    return found


__all__ = ["KEEP_LABELS", "NOT_SYSTEMS", "SURNAME_WORDS", "dictionary_words", "word_names"]
