"""Context cues that name an organisation, a system or a person: "our lawyers are X", "ask X".

The cue words are found with one phrase matcher (cheap: a hash look-up per token) and the
names around each hit are checked here, in plain Python, only where a cue word occurs. This
module works on any spaCy-like Doc and does not import spaCy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from retain.nlp.cuewords import (
    ASKING_VERBS,
    BE,
    BETWEEN,
    BOUGHT_FROM,
    CUE_WORDS,
    DETS,
    DONE_BY,
    HANDED,
    LINKS,
    ORG_ROLES,
    ORG_SUFFIXES,
    PERSON_CAPABLE,
    PERSON_ROLES,
    PERSON_VERBS,
    POSSESSED,
    SERVICES,
    SOFTWARE_USE,
    SOFTWARE_VERBS,
    STORED_IN,
    SYSTEM_ROLES,
)


@dataclass(frozen=True)
class Cue:
    """A name a cue points at: token offsets, the label, and whether a person could hold the role."""

    start: int
    end: int
    label: str
    person_capable: bool = False
    weak: bool = False  # a place or a date the model found there wins ("stored in Leeds")
    software_verb: bool = False  # ... unless the verb is one nobody uses of a place
    verb: bool = False  # a PERSON found by the verb after it ("Aurelio checks"), not by its shape
    subject: bool = False  # a system found only by a verb a firm may do too ("X sends the file")


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


_OBJECT_POS = frozenset({"DET", "ADJ", "NOUN", "NUM", "PRON", "PART", "VERB"})  # "book leave through"
_GOODS_POS = frozenset({"DET", "ADJ", "NOUN", "NUM", "PRON", "CCONJ"})
_PARTICLES = frozenset({"out", "up", "back", "off", "down"})


def _owned_role(doc: Any, role: int) -> bool:
    """Whether a role word follows "our" or "their", maybe past a word or two ("our cleaning supplier")."""
    at = role - 1
    while at >= 0 and role - at <= 3 and doc[at].text.islower() and doc[at].pos_ in ("ADJ", "NOUN", "VERB"):
        at -= 1
    return at >= 0 and doc[at].lower_ in ("our", "their")


def _skip_object(doc: Any, link: int, links: tuple[str, ...]) -> int:
    """Past a short lower-case object or particle after a software verb, to its preposition.

    "track the matters in Lighthouse", "raise a ticket in Halo", "come out of Slimstock".
    """
    at, n = link, len(doc)
    while at < n and at - link < 4 and doc[at].text.islower() and doc[at].lower_ not in links:
        if doc[at].lower_ == "out" and at + 1 < n and doc[at + 1].lower_ == "of":
            return at + 1  # "pulled out of Horizon"
        if at + 1 < n and doc[at].lower_ == "to" and doc[at + 1].pos_ == "PRON":
            at += 2  # "bookings are sent to them through Transflo"
            continue
        if doc[at].pos_ not in _OBJECT_POS and doc[at].lower_ not in _PARTICLES and not (
                doc[at].pos_ == "ADV" and doc[at].lower_.endswith("ly")):  # "scheduled separately in"
            break
        at += 1
    return at if at < n and doc[at].lower_ in links else link


def _past_phrase(doc: Any, link: int) -> int:
    """From a preposition after a role to the "is" that follows its short phrase, or ``link``."""
    for at in range(link + 1, min(link + 6, len(doc))):
        if doc[at].lower_ in ("is", "are", "was", "were"):
            return at
        if doc[at].pos_ in ("VERB", "AUX", "PUNCT", "ADP") or doc[at].lower_ in ("and", "or"):
            break
    return link


def _skip_goods(doc: Any, link: int, links: tuple[str, ...]) -> int:
    """Past what is bought or for whom, to the preposition: "buy our toner and paper from X".

    Also "run for us by X"; only lower-case words, at most six.
    """
    at, n = link, len(doc)
    while at < n and at - link < 6 and doc[at].text.islower() and doc[at].lower_ not in links and (
        doc[at].pos_ in _GOODS_POS or doc[at].lower_ == "for"
    ):
        at += 1
    return at if at < n and doc[at].lower_ in links else link


# Before a subject that is not the one doing the verb: "Maeve at Ardent sends", "a Harbour".
_NOT_SUBJECT = frozenset({"a", "an", "at", "from", "with", "by", "to", "for"})
_PLURAL_VERBS = frozenset({"have", "are", "were", "do", "supply", "provide", "handle", "run"})
_STATE_LINKS = frozenset({"is", "are", "was", "were", "went", "goes", "go", "gone", "keeps", "kept"})

_COPULAS = frozenset({"is", "are", "was", "were", ","})
_OWNERS = frozenset({"our", "their", "the", "a", "an"})
# Words after which a name and a verb start a clause: "a macro that only Aldous understands".
_CLAUSE_OPENERS = frozenset({"that", "only", "and", "but", "so", "because", "if", "when", "until",
                             "unless", "then", "which", "where"})


def _named_before_role(doc: Any, role: int, is_name: Callable[[Any], bool]) -> tuple[int, int] | None:
    """The name a role word describes from after it: "ClearBank is our sponsor bank" -> ClearBank.

    Also "Halo, our ticketing tool, ..." and "Lockton are the brokers". Up to three lower-case
    or acronym modifiers may stand between the determiner and the role word.
    """
    at = role - 1
    while at > role - 4 and at > 0 and (doc[at].text.islower() or doc[at].is_upper) \
            and doc[at].pos_ in ("ADJ", "NOUN", "PROPN", "VERB"):
        at -= 1  # "our sponsor bank", "our main HR system"
    if at < 2 or doc[at].lower_ not in _OWNERS or doc[at - 1].lower_ not in _COPULAS:
        return None
    end = at - 1
    start = end
    while start > 0 and end - start < 3 and is_name(doc[start - 1]):
        start -= 1
    if start == end or (start > 0 and doc[start - 1].lower_ in ("'s", "’s")):
        return None
    return start, end


def _verb_like(doc: Any, index: int) -> bool:
    """Whether a cue verb is used as one: tagged a verb, or followed by its object's determiner.

    "Aurelio checks their invoices" (even when the tagger calls "checks" a noun) but not
    "Forecast calls are on Thursdays" or "Background checks are done".
    """
    if doc[index].pos_ in ("VERB", "AUX"):
        return True
    return index + 1 < len(doc) and doc[index + 1].pos_ in ("DET", "PRON") and doc[index + 1].lower_ not in (
        "that", "which", "who")


def _named_in_team(doc: Any, verb: int, is_name: Callable[[Any], bool]) -> int | None:
    """The name before "in <team>" that a verb follows: "Octavio in Sales Ops keeps" -> Octavio.

    Also "Cullen from Ashby Payroll Services checks" and "Maeve at Ardent sends".
    """
    for at in range(verb, max(verb - 5, 0), -1):
        if doc[at].lower_ in ("in", "from", "at") and at > 0 and is_name(doc[at - 1]):
            if all(t.text[:1].isupper() or t.lower_ in ("the", "team") for t in doc[at + 1:verb + 1]):
                return at - 1
            return None
    return None


_NAMERS = frozenset({"we", "they", "everyone", "everybody", "people", "she", "he", "i", "you", "staff"})
_NAMING = frozenset({"call", "calls", "called", "named", "nicknamed", "dubbed"})


def _naming_link(doc: Any, link: int) -> int:
    """Where the naming word after a system role is: "we call", ", which everyone calls", "is called".

    The name follows the word returned; without a naming phrase it is ``link`` itself.
    """
    n = len(doc)
    at = link
    if at < n and doc[at].text == "," and at + 1 < n and doc[at + 1].lower_ in ("which", "that"):
        at += 1
    if at < n and doc[at].lower_ in ("which", "that"):
        at += 1
    elif at + 1 < n and doc[at].lower_ in ("is", "was") and doc[at + 1].lower_ in _NAMING:
        return at + 1  # "the overtime sheet is called Zegar"
    if at < n and doc[at].lower_ in _NAMERS:
        at += 1
    if at > link and at + 1 < n and doc[at].lower_ in _NAMING:
        return at
    return link


def find_cues(doc: Any, hits: Iterable[tuple[str, int, int]], is_name: Callable[[Any], bool],
              departments: frozenset[str] = frozenset()) -> list[Cue]:
    """The names the cue words in a Doc point at.

    Args:
        doc: A parsed spaCy Doc.
        hits: ``(kind, start, end)`` of every cue word found (see :data:`CUE_WORDS`).
        is_name: Whether a token can be part of a name (capitalised, not a generic word).
        departments: Lower-case department words ("finance", "legal"): "Rhona in Finance".
    """
    cues: list[Cue] = []
    n = len(doc)
    for kind, start, end in hits:
        if kind in LINKS:
            link = end
            if kind == "SYSTEM_ROLE":
                link = _naming_link(doc, link)  # "a sheet she calls Kho", "the cluster, which we named Krtek"
            if kind == "ORG_ROLE" and link < n and doc[link].lower_ in ("in", "for", "on") \
                    and start > 0 and doc[start - 1].lower_ in DETS:
                link = _past_phrase(doc, link)  # "our landlord for the Bristol office is Castlemore"
            if kind in ("ORG_ROLE", "SYSTEM_ROLE"):
                described = _named_before_role(doc, start, is_name)
                capable = doc[start].lower_ in PERSON_CAPABLE
                # "Temperance, our general counsel" is a person: a one-word name before a role a
                # person can hold is left to the person cues.
                if described is not None and not (capable and described[1] - described[0] == 1):
                    label = "ORG" if kind == "ORG_ROLE" else "SYSTEM"  # "ClearBank is our sponsor bank"
                    cues.append(Cue(described[0], described[1], label, capable))
            if (kind == "STORED" and doc[start].lower_ in SOFTWARE_VERBS) or kind == "FLOW":
                link = _skip_object(doc, link, LINKS[kind])  # "track the matters in Lighthouse"
            elif kind == "STORED" and link + 1 < n and (doc[link].lower_ in _PARTICLES or doc[link].lower_ in (
                    "it", "them", "this", "these", "those") or (
                    doc[link].pos_ == "ADV" and doc[link].lower_.endswith("ly"))) \
                    and doc[link + 1].lower_ in LINKS[kind]:
                link += 1  # "worked out in Spiff", "set up in Compass", "scheduled separately in Timetabler"
            elif kind in ("BOUGHT", "DONE"):
                link = _skip_goods(doc, link, LINKS[kind])  # "buy our toner and paper from Pennant"
            out_of = kind in ("FLOW", "STORED") and link < n and doc[link].lower_ == "of" \
                and doc[link - 1].lower_ == "out"
            if kind == "ORG_ROLE" and link < n and is_name(doc[link]) and doc[link].pos_ == "PROPN" \
                    and _owned_role(doc, start):
                stop = _names_after(doc, link, is_name)
                cues.append(Cue(link, stop, "ORG", doc[start].lower_ in PERSON_CAPABLE))  # "our supplier Kestrel"
                continue
            if link + 1 >= n or (doc[link].lower_ not in LINKS[kind] and not out_of):
                continue  # ("comes out of Slimstock", "pulled out of Horizon" have a link too)
            if doc[link].lower_ == "of" and not out_of:
                continue
            if kind == "STORED" and doc[link].lower_ == "to" and doc[start].lower_ in ("submit", "submits"):
                continue  # "submit to Revenue": the body it goes to, not the system it goes through
            if kind == "STORED" and doc[link].lower_ == "in" and doc[link + 1].lower_ in ("to", "on") and link + 2 < n:
                link += 1  # "log in to Clearline", "sign in on Hallpass"
            if kind in ("STORED", "FLOW", "THING") and doc[link + 1].lower_ == "the" and link + 2 < n:
                link += 1  # "exported from the Vi-CELL", "come back into the Tracker"
            stop = _names_after(doc, link + 1, is_name)
            if kind in ("STORED", "FLOW") and stop < n and doc[stop].pos_ == "NOUN" and doc[stop].text.islower():
                continue  # "on the Irish pension scheme": the name only modifies a noun
            if stop > link + 1:
                label = "SYSTEM" if kind in ("SYSTEM_ROLE", "STORED", "FLOW", "THING", "ACCESS") else "ORG"
                if kind == "PEOPLE_AT":
                    if stop < n and doc[stop].lower_ in ("'s", "’s"):
                        continue  # "someone from Sarah's team"
                    cues.append(Cue(link + 1, stop, "ORG", True))  # "the support team at Fennel"
                    continue
                if kind in ("FLOW", "THING", "ACCESS"):
                    # Work goes through a person too ("approvals go through Sam"), never into one.
                    into = kind == "FLOW" and doc[link].lower_ in ("into", "onto")
                    cues.append(Cue(link + 1, stop, label, True, True, into))  # "everything goes through Meridian"
                    continue
                if kind == "STORED" and doc[start].lower_ in BE and doc[link].lower_ == "from":
                    cues.append(Cue(link + 1, stop, "ORG", True))  # "the fuel cards are from Allstar"
                    continue
                software = kind == "STORED" and doc[start].lower_ in SOFTWARE_VERBS
                capable = doc[start].lower_ in PERSON_CAPABLE or kind in ("DONE", "DEAL") or (
                    kind == "STORED" and not software)  # "logged in Robin" is no person
                cues.append(Cue(link + 1, stop, label, capable, kind == "STORED", software))
        elif kind in ("SYSTEM_VERB", "SYSTEM_DOES") and start > 0 and (
                doc[start].pos_ in ("VERB", "AUX") or end - start > 1):  # "times out" may be tagged a noun
            name = start - 2 if start > 1 and doc[start - 1].lower_ in BETWEEN else start - 1
            if not is_name(doc[name]) or (name > 0 and doc[name - 1].lower_ in _NOT_SUBJECT) or (
                    kind == "SYSTEM_DOES" and doc[name].is_sent_start and doc[name].pos_ != "PROPN"):
                continue  # "a Harbour", "Maeve at Ardent sends", "Recruitment runs through"
            if kind == "SYSTEM_VERB":
                # As sure as a software verb before it: the model's PERSON or place gives way.
                cues.append(Cue(name, name + 1, "SYSTEM", True, True, True))  # "Orchard syncs with the payroll"
            else:
                cues.append(Cue(name, name + 1, "SYSTEM", True, True, subject=True))  # "Harbour still runs"
        elif kind == "STATE" and start > 1 and doc[start - 1].lower_ in _STATE_LINKS and is_name(doc[start - 2]) \
                and (start < 3 or doc[start - 3].lower_ not in ("a", "an")):
            cues.append(Cue(start - 2, start - 1, "SYSTEM", True, True, True))  # "Atlas is down", "Tiller went down"
        elif kind == "PASSIVE" and start > 1 and doc[start - 1].lower_ in BE:
            name = start - 3 if start > 2 and doc[start - 2].lower_ in BETWEEN else start - 2
            if is_name(doc[name]) and (name == 0 or doc[name - 1].lower_ not in _NOT_SUBJECT):
                cues.append(Cue(name, name + 1, "SYSTEM", True, True, True))  # "Harbour is hosted on AWS"
        elif kind == "POSSESSIVE" and start > 0 and end + 1 < n and is_name(doc[start - 1]) and any(
                t.lower_ in POSSESSED for t in doc[end:end + 2]) and (
                start < 2 or not doc[start - 2].text[:1].isupper()):
            cues.append(Cue(start - 1, start, "SYSTEM", True, True, subject=True))  # "Lantern's approval screen"
        elif kind == "TOOL_WITH" and end + 1 < n and doc[end].lower_ == "with" and is_name(doc[end + 1]):
            stop = _names_after(doc, end + 1, is_name)
            cues.append(Cue(end + 1, stop, "SYSTEM", True, True, True))  # "patched with Ansible"
        elif kind == "HAND" and end + 2 < n and doc[end].lower_ in HANDED and doc[end + 1].lower_ == "to" \
                and is_name(doc[end + 2]) and (end + 3 >= n or not doc[end + 3].text[:1].isupper()):
            cues.append(Cue(end + 2, end + 3, "PERSON", verb=True))  # "assign it to Keira"
        elif kind == "USE" and end < n:
            first = end + 1 if doc[end].lower_ == "the" and end + 1 < n else end
            stop = _names_after(doc, first, is_name)
            if stop > first and (stop == n or not (doc[stop].pos_ == "NOUN" and doc[stop].text.islower())):
                if stop + 1 < n and doc[stop].lower_ == "for" and any(
                        t.lower_ in SERVICES for t in doc[stop + 1:stop + 4]):
                    cues.append(Cue(first, stop, "ORG", True))  # "we use Brightwork for temporary staff"
                else:  # "we use Pulse for the matching"; "replaced Ledgerline" as sure as "logged in"
                    software = doc[start:end].text.lower() in SOFTWARE_USE
                    cues.append(Cue(first, stop, "SYSTEM", True, True, software))
        elif kind == "PERSON_VERB" and start > 0:
            before = start - 1
            if before > 0 and doc[before].lower_ in BETWEEN:
                before -= 1  # "Ottavio usually fixes it"
            if not (_verb_like(doc, start) or (before > 0 and doc[before - 1].lower_ in _CLAUSE_OPENERS)):
                continue  # "Forecast calls are on Thursdays"; but "that only Aldous understands"
            workplace = before > 0 and doc[before - 1].lower_ in ("at", "from", "in")
            if is_name(doc[before]) and not workplace and (
                before == 0 or doc[before - 1].lower_ not in ("the", "a", "an")
            ):
                cues.append(Cue(before, before + 1, "PERSON", verb=True))
            else:
                found = _named_in_team(doc, before, is_name)
                if found is not None:
                    cues.append(Cue(found, found + 1, "PERSON", verb=True))  # "Caspian in Legal checks"
        elif kind == "IN" and start > 0 and end < n and is_name(doc[start - 1]) \
                and (start < 2 or doc[start - 2].lower_ not in DETS):
            team = end
            while team < n and team - end < 3 and doc[team].text[:1].isupper() and doc[team].lower_ in departments \
                    and doc[team].ent_type_ not in ("DATE", "TIME"):
                team += 1  # ("moved to Spendbase in January": a month is no team)
            if team > end and (team == n or not doc[team].text[:1].isupper()):
                cues.append(Cue(start - 1, start, "PERSON", verb=True))  # "goes to Rhona in Finance"
        elif kind == "THERE" and start > 0 and end < n and is_name(doc[start - 1]) \
                and doc[end].pos_ in ("VERB", "AUX"):
            cues.append(Cue(start - 1, start, "PERSON"))  # "Ishbel there reviews"
        elif kind == "WHO" and start > 1 and doc[start - 1].text == "," and is_name(doc[start - 2]):
            if end < n and doc[end].lower_ in _PLURAL_VERBS:
                # "from Oakleigh, who have held the framework": a firm (a first name stays a person)
                stop = start - 1
                first = stop - 1
                while first > 0 and stop - first < 3 and is_name(doc[first - 1]):
                    first -= 1
                cues.append(Cue(first, stop, "ORG", True))
            else:
                cues.append(Cue(start - 2, start - 1, "PERSON"))  # "by Grete, who holds"
        elif kind == "AND_I" and start > 0 and is_name(doc[start - 1]) and doc[start + 1].text == "I":
            cues.append(Cue(start - 1, start, "PERSON"))  # "only Maryam and I"
        elif kind == "ASK" and end < n and is_name(doc[end]) and (end + 1 >= n or not doc[end + 1].is_title):
            cues.append(Cue(end, end + 1, "PERSON"))  # "ask Marek at Brightline"
        elif kind == "PERSON_ROLE" and end + 1 < n and doc[end].text == ",":
            stop = _names_after(doc, end + 1, is_name, most=2)
            if stop > end + 1:
                cues.append(Cue(end + 1, stop, "PERSON"))  # "their buyer, Colm"
        elif kind == "PERSON_ROLE" and start >= 3:
            det = start - 1
            while det > start - 3 and doc[det].pos_ in ("ADJ", "NOUN") and doc[det].text.islower():
                det -= 1  # "Temperance, our general counsel"
            if doc[det].lower_ in DETS and det >= 2 and doc[det - 1].text == "," and is_name(doc[det - 2]) \
                    and (det < 3 or not is_name(doc[det - 3])):
                cues.append(Cue(det - 2, det - 1, "PERSON"))
    return cues


# Before a subject, words that make the verb after it a bare infinitive ("let Sam know").
_NO_AGREEMENT = frozenset({"did", "does", "do", "can", "will", "would", "should", "could", "may", "might",
                           "must", "let", "make", "makes", "help", "helps", "to", "the", "if", "unless",
                           "whether", "that"})


def collective_subjects(doc: Any, verbs: Iterable[int], is_name: Callable[[Any], bool],
                        is_first_name: Callable[[Any], bool], plain: Callable[[Any], bool]) -> list[tuple[int, int]]:
    """Firms named as the subject of a plural verb, as British English does: "Tessaly charge us".

    A single name with a non-third-person present verb ("Meridale send a doctor", "Larchmont
    still charge us") is an organisation; a person, or two people joined by "and", never is.

    Args:
        doc: A parsed spaCy Doc.
        verbs: Indices of tokens tagged VBP (non-third-person present).
        is_name: Whether a token can be part of a name.
        is_first_name: Whether a token is a known given name.
        plain: Whether a token is an ordinary English word (by itself or its lemma).
    """
    found: list[tuple[int, int]] = []
    for verb in verbs:
        end = verb - 1 if verb > 1 and doc[verb - 1].lower_ in BETWEEN else verb
        start = end
        while start > 0 and end - start < 3 and is_name(doc[start - 1]) and doc[start - 1].pos_ == "PROPN":
            start -= 1
        if start == end or is_first_name(doc[start]) or doc[start].text in ("I", "We", "They") \
                or (start > 0 and (doc[start - 1].lower_ in _NO_AGREEMENT or doc[start - 1].pos_ == "ADP")) \
                or (start > 1 and doc[start - 1].lower_ in ("and", "or", "&", ",") and is_name(doc[start - 2])) \
                or (doc[verb].lower_ == "have" and verb + 1 < len(doc) and doc[verb + 1].lower_ == "to") \
                or (end < len(doc) and doc[end].lower_ in ("'s", "’s")):
            continue  # "rights on Meadow are held", "Priya and Tom send": a plural subject
        first = doc[start]
        if end - start == 1 and plain(first) and (first.is_sent_start or first.lemma_.lower() != first.lower_
                                                   or (start > 0 and doc[start - 1].is_punct)):
            continue  # "Quotes are built", "Staff are": a plural noun opening the sentence
        found.append((start, end))  # "Meridale send", "Brantwood Analytical send"
    return found


def suffix_orgs(doc: Any, hits: Iterable[int], is_title: Callable[[Any], bool]) -> list[tuple[int, int]]:
    """Token spans of one to three capitalised names ending in a company word ("Redline Assurance")."""
    found: list[tuple[int, int]] = []
    for index in hits:
        if index + 1 < len(doc) and doc[index + 1].is_title and doc[index + 1].pos_ == "PROPN":
            continue  # "Mersey Care Trust": the name goes on past "Care"
        start = index
        while start > 0 and index - start < 3 and is_title(doc[start - 1]):
            start -= 1
        if start < index:
            found.append((start, index + 1))
    return found


__all__ = [
    "ASKING_VERBS",
    "BOUGHT_FROM",
    "CUE_WORDS",
    "DONE_BY",
    "ORG_ROLES",
    "ORG_SUFFIXES",
    "PERSON_CAPABLE",
    "PERSON_ROLES",
    "PERSON_VERBS",
    "SOFTWARE_VERBS",
    "STORED_IN",
    "SYSTEM_ROLES",
    "Cue",
    "collective_subjects",
    "find_cues",
    "suffix_orgs",
]
