"""How a one-word name is used in its sentence, as evidence that it names software.

Issue 15, fifth round. A niche product is often named once, with nothing around it but the
sentence it sits in: "Portainer manages the containers", "tickets come in via Autotask",
"the leaver accounts are disabled by Cleanslate", "we migrated from Nagios to Icinga". The
small model calls such names a person, an organisation, a nationality or nothing. What the
sentence does with the name is the signal here, not a list of names:

- **subject**: a sentence's first word, the subject of a verb that operational software does
  ("handles", "manages", "hosts", "kicks off", "sits in front of"), when the tagger took the
  name for a common noun or the model found no name there at all (a person's name is tagged a
  proper noun or is a known first name; "Castellan supplies the scanners" stays a firm);
- **channel**: the object of "via", "into", "through" or "onto" after a verb ("come in via
  Autotask", "reach NetSuite through Celigo"), or of "in" after a verb when the model called
  it a person ("drafted in Juro": nobody drafts a contract inside a person), or a "person"
  after "to the" or "on the" ("copied to the Synology": no one's name takes "the");
- **agent**: "by X" after a verb only software does ("disabled by Cleanslate");
- **machine data**: what only machines produce flows to or from it ("the phishing
  simulations come from Hoxhunt", "errors are reported to Rollbar");
- **move**: "from X to Y" or "moved ... to Y" after a verb of migration.

The caller decides which tokens may be names at all (no first name, place, month, team or
generic word). This module works on any spaCy-like Doc and does not import spaCy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from retain.nlp.common import KEEP_LABELS as DICTIONARY_KEEPS

# Model labels a one-word name keeps whatever its use says: those a dictionary word keeps (a
# date, an event, an amount), and a place or facility.
KEEP_LABELS = DICTIONARY_KEEPS | {"FAC", "LOC"}
# Endings of abstract nouns and activities, which open sentences as teams and processes do.
ABSTRACT_ENDINGS = ("ing", "ion", "ment", "ness", "ity", "ance", "ence", "ship", "ure", "ism", "age", "ery", "ry",
             "cy", "al", "s")
NOT_NAME_POS = frozenset({"ADV", "PRON", "DET", "ADP", "CCONJ", "SCONJ", "AUX", "PART", "NUM", "INTJ"})
# What software does and a person might too; firms' verbs ("supplies", "delivers", "sends",
# "invoices") are left out, and so are a person's ("knows", "approves", "reviews").
SUBJECT_VERBS = frozenset({
    "handles", "handled", "manages", "managed", "hosts", "hosted", "looks", "keeps", "kept",
    "sits", "sat", "shows", "showed", "flags", "flagged", "kicks", "kicked", "pulls", "pulled",
    "pushes", "pushed", "tracks", "tracked", "monitors", "monitored", "watches", "stores",
    "stored", "holds", "held", "schedules", "scheduled", "triggers", "triggered", "routes",
    "routed", "serves", "collects", "records", "recorded", "logs", "logged", "scans", "scanned",
    "backs", "runs", "ran", "generates", "builds", "deploys", "deployed", "checks", "catches",
    "blocks", "blocked", "filters", "renews", "rotates", "provisions", "syncs",
    "mirrors", "indexes", "caches", "stops", "starts", "restarts", "wakes", "fires", "emails",
    "texts", "posts", "publishes", "feeds", "drives", "powers", "controls", "orchestrates",
    "automates", "does", "takes", "alerts", "pages", "notifies", "matches", "reconciles",
})
# Of those, what people do as often as software.
PERSON_LIKE = frozenset({"handles", "handled", "manages", "managed", "looks", "keeps", "kept", "checks",
                         "does", "takes", "tracks", "tracked", "monitors", "monitored", "watches",
                         "collects", "records", "recorded", "schedules", "scheduled", "runs", "ran",
                         "holds", "held", "reconciles", "matches", "emails", "texts", "posts",
                         "publishes", "builds", "deploys", "deployed", "renews", "starts", "stops",
                         "restarts", "logs", "logged", "drives", "controls", "pushes", "pushed",
                         "pulls", "pulled", "backs", "feeds", "alerts", "notifies", "pages"})
# "Portainer handles", "Rancher looks after", "Consul keeps track": a verb that is the
# first of a phrase software does when a particle or noun follows it.
_PHRASE_NEXT = {"looks": frozenset({"after"}), "keeps": frozenset({"track", "an", "a", "the"}),
                "kicks": frozenset({"off"}), "sits": frozenset({"in", "behind", "between", "on"}),
                "sat": frozenset({"in", "behind", "between", "on"}), "takes": frozenset({"care"}),
                "does": frozenset({"the", "all", "our"}), "backs": frozenset({"up"}),
                "wakes": frozenset({"up"})}
_ADVERBS = frozenset({"still", "now", "also", "just", "only", "usually", "always", "normally",
                      "automatically", "then", "actually", "basically", "really"})
# Verbs of the object that runs through a channel: "come in via Autotask".
_CHANNELS = frozenset({"via", "into", "through", "onto"})
_THE_PREPS = frozenset({"to", "on", "onto", "in", "into", "from", "via", "through"})
# "by X" after these is software: "disabled by Cleanslate", "built by Drone".
AGENT_VERBS = frozenset({
    "disabled", "enabled", "built", "triggered", "generated", "flagged", "blocked", "scanned",
    "deployed", "synced", "backed", "archived", "deleted", "wiped", "provisioned",
    "deprovisioned", "rotated", "renewed", "scheduled", "indexed", "tracked", "monitored",
    "logged", "captured", "detected", "quarantined", "encrypted", "compiled", "rendered",
    "exported", "imported", "calculated", "validated", "matched", "reconciled", "parsed",
    "routed", "filtered", "restarted", "automated", "tested", "pulled", "pushed", "emailed",
    "texted", "posted", "uploaded", "downloaded", "processed", "reset", "locked", "unlocked",
})
# What only machines produce: what flows to or from a name after these is flowing through software
# ("the phishing simulations come from Hoxhunt", "errors are reported to Rollbar").
MACHINE_DATA = frozenset({
    "alert", "notification", "log", "metric", "webhook", "simulation", "scan", "backup", "build",
    "error", "exception", "crash", "trace", "heartbeat", "ping", "snapshot", "deployment",
    "telemetry", "checksum",
})  # not "reminder" or "feed": a landlord sends reminders, a bank a feed
_FLOW_PREPS = frozenset({"to", "from", "into", "in", "via", "through", "onto"})
MOVE_VERBS = frozenset({"migrated", "moved", "switched", "changed", "went", "migrate", "move",
                        "switch", "moving", "migrating", "switching", "transferred", "ported"})
_CONTENT_POS = frozenset({"", "PRODUCT", "NORP", "WORK_OF_ART"})  # model labels a system may wear


def _verb_after(doc: Any, i: int) -> int | None:
    """The index of the verb after a subject at ``i`` (one adverb may stand between), or None."""
    n = len(doc)
    at = i + 1
    if at < n and doc[at].lower_ in _ADVERBS:
        at += 1
    if at >= n or doc[at].lower_ not in SUBJECT_VERBS:
        return None
    nxt = doc[at + 1].lower_ if at + 1 < n else ""
    phrase = _PHRASE_NEXT.get(doc[at].lower_)
    if phrase is not None and nxt not in phrase:
        return None  # "Kong looks fine", "Portainer sits idle"
    if nxt in ("to", "that", "like", "as", "me", "him", "her", "us", "them") or not nxt:
        return None  # "Rancher looks to me like", "Dokka takes them"; a verb needs an object
    return at


def doc_verb(token: Any) -> Any | None:
    """The verb a sentence-initial subject token has, as :func:`usage_names` reads it, or None."""
    at = _verb_after(token.doc, token.i)
    return None if at is None else token.doc[at]


def _subject(doc: Any, i: int) -> bool:
    token = doc[i]
    verb = _verb_after(doc, i) if token.is_sent_start else None
    if verb is None:
        return False
    label = token.ent_type_
    if label == "PERSON" or token.pos_ == "PROPN":
        # A proper noun the model found no name in is software only with a verb people seldom
        # have ("Traefik sits in front of ..."); "Pippa manages the asset list" may be anyone.
        return label in ("", "PRODUCT") and doc[verb].lower_ not in PERSON_LIKE
    return label in ("", "ORG", "PRODUCT", "NORP", "WORK_OF_ART", "GPE")  # "Cronicle" NOUN/ORG


def _channel(doc: Any, i: int, unknown_place: bool) -> bool:
    token = doc[i]
    if i < 2 or token.dep_ != "pobj":
        return False
    prep = doc[i - 1]
    if prep.lower_ == "the" and i >= 3:
        prep = doc[i - 2]
    if prep.i != token.head.i or prep.head.pos_ not in ("VERB", "AUX"):
        return False  # "the team in Halifax": no verb, no channel
    label = token.ent_type_
    if label == "PERSON" and doc[i - 1].lower_ == "the" and prep.lower_ in _THE_PREPS:
        return True  # "copied to the Synology": no one's name takes "the"
    if prep.lower_ in _CHANNELS:
        # "delivered through Wizer": a "place" no list knows is more often the software.
        return bool(label in _CONTENT_POS or label in ("ORG", "PERSON") or (label == "GPE" and unknown_place))
    return bool(prep.lower_ == "in" and label == "PERSON")  # "drafted in Juro"


def _machine_flow(doc: Any, i: int, unknown_place: bool) -> bool:
    """Machine data flows to or from the name: "simulations come from Hoxhunt"."""
    token = doc[i]
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in _FLOW_PREPS or prep.head.pos_ not in ("VERB", "AUX"):
        return False
    label = token.ent_type_
    if not (label in _CONTENT_POS or label in ("ORG", "PERSON") or (label == "GPE" and unknown_place)):
        return False
    return any(child.dep_ in ("nsubj", "nsubjpass") and child.lemma_.lower() in MACHINE_DATA
               for child in prep.head.children)


def _agent(doc: Any, i: int) -> bool:
    token = doc[i]
    if i < 2 or token.dep_ != "pobj" or doc[i - 1].lower_ != "by":
        return False
    verb = doc[i - 1].head
    return verb.lower_ in AGENT_VERBS and token.ent_type_ in (*_CONTENT_POS, "ORG", "PERSON")


def _move(doc: Any, i: int, is_name: Callable[[Any], bool]) -> list[int]:
    """ "from Nagios to Icinga" after a verb of migration: both names; "moved ... to Spendbase"."""
    found: list[int] = []
    if doc[i - 1].lower_ != "to" or doc[i].ent_type_ not in (*_CONTENT_POS, "ORG", "PERSON"):
        return found
    verb = doc[i - 1].head
    if verb.pos_ not in ("VERB", "AUX") or verb.lower_ not in MOVE_VERBS:
        return found
    found.append(i)
    if i >= 4 and doc[i - 3].lower_ == "from" and is_name(doc[i - 2]) and doc[i - 2].ent_type_ in (
            *_CONTENT_POS, "ORG", "PERSON"):
        found.append(i - 2)  # "from Nagios to Icinga"
    return found


def usage_names(doc: Any, indices: Iterable[int], is_name: Callable[[Any], bool],
                places: frozenset[str] = frozenset()) -> list[int]:
    """Token indices of one-word names whose use in the sentence says they are software.

    Args:
        doc: A parsed Doc (the tagger, the parser and the NER have run).
        indices: Candidate token indices (title-case tokens, found cheaply by the caller).
        is_name: Whether a token may be such a name (no first name, place, team, month ...).
        places: Lower-case place names: a model "place" among them stays a place.
    """
    found: set[int] = set()
    n = len(doc)
    for i in indices:
        token = doc[i]
        if not is_name(token):
            continue
        after = doc[i + 1] if i + 1 < n else None
        if after is not None and (after.text[:1].isupper() or after.lower_ in ("'s", "’s", "&", "-")):
            continue  # part of a longer name, or a person's "Juro's team"
        if i > 0 and not token.is_sent_start and doc[i - 1].text[:1].isupper():
            continue
        if token.ent_iob_ == "I" or (after is not None and after.ent_iob_ == "I"):
            continue  # inside a longer name the model found
        if _subject(doc, i) or (i > 1 and (_channel(doc, i, token.lower_ not in places) or _agent(doc, i)
                                             or _machine_flow(doc, i, token.lower_ not in places))):
            found.add(i)
        elif i > 1:
            found.update(_move(doc, i, is_name))
    return sorted(found)


__all__ = ["ABSTRACT_ENDINGS", "AGENT_VERBS", "KEEP_LABELS", "MACHINE_DATA", "MOVE_VERBS", "NOT_NAME_POS", "PERSON_LIKE", "SUBJECT_VERBS", "doc_verb", "usage_names"]
