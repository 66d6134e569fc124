"""How the rule component settles a rule candidate against the NER: keep, relabel or drop it."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from retain.nlp.lexicon import (
    COMPANY_SUFFIXES,
    DAYS,
    FUNCTION_AFTER,
    LINKED_SOFTWARE,
    MONTHS,
    PEOPLE_WORDS,
    PERIODS,
)
from retain.nlp.rulestate import Candidate, RuleState

# Words a real date is made of ("Easter", "Christmas" and the like are left to the model).
CALENDAR_WORDS = frozenset({*DAYS, *MONTHS, *PERIODS, "easter", "christmas", "xmas", "michaelmas",
                            "whitsun", "ramadan", "eid", "diwali", "hanukkah", "yesterday", "today",
                            "tomorrow", "tonight", "midnight", "noon", "eod", "eom", "ytd"})

# One-word dates that are no day, month or period: holidays and rhythms.
_DATE_WORDS = CALENDAR_WORDS | frozenset({
    "lent", "advent", "hogmanay", "thanksgiving", "passover", "halloween", "pentecost", "epiphany",
    "daily", "weekly", "fortnightly", "monthly", "quarterly", "yearly", "annually", "nightly", "biweekly",
    "overnight", "midweek", "now", "recently", "lately"})


def misread_date(span: Span) -> bool:
    """Whether a one-word DATE is really a name: "filed from Acturis", "published on ModernGov".

    A real one-word date is a day, a month, a period, a holiday or a rhythm; a capitalised word
    that is none of these is a name the model has not seen, left for the rules to decide.
    """
    if span.label_ != "DATE" or len(span) != 1:
        return False
    if span.start > 0 and span.doc[span.start - 1].is_title:
        return False  # "Siobhan Brannigan": a surname, which the name repairs join to its first name
    token = span[0]
    low = token.lower_
    return token.is_alpha and not token.is_lower and low not in _DATE_WORDS \
        and token.lemma_.lower() not in _DATE_WORDS and not (low.endswith("s") and low[:-1] in _DATE_WORDS)


class Decisions(RuleState):
    """Context checks for one rule candidate (mixed into ``RetainEntities``)."""

    def _ordinary_word(self, doc: Doc, cand: Candidate) -> bool:
        """A sentence-initial "Word of warning" or "Outlook for Q3" is not the software."""
        if not cand.exact or cand.length != 1 or not doc[cand.start].is_sent_start:
            return False
        return cand.end < len(doc) and doc[cand.end].lower_ in FUNCTION_AFTER

    @staticmethod
    def _company_context(doc: Doc, cand: Candidate) -> bool:
        """ "our account manager at Salesforce": the vendor as a company, not its product."""
        if cand.term is None or not cand.term.company:
            return False
        before = doc[cand.start - 1].lower_ if cand.start > 0 else ""
        after = [t.lower_ for t in doc[cand.end : cand.end + 3] if t.lower_ not in ("'s", "’s")]
        if before == "at" and cand.start > 1:
            # "Lucy at Salesforce", "our contact at Salesforce"; not "look at Salesforce".
            who = doc[cand.start - 2]
            if who.ent_type_ == "PERSON" or who.lower_ in PEOPLE_WORDS:
                return True
        return after[:2] in (["account", "manager"], ["account", "team"], ["account", "executive"]) or (
            bool(after) and after[0] in ("rep", "reps", "representative", "representatives")
        )

    @staticmethod
    def _firm_context(doc: Doc, index: int) -> bool:
        """Whether a one-word name is where a firm stands: "worked at Beacon", "is with Mosaic".

        "patched with Ansible", "integrates with Harbour" and "flagged by Sentinel" are tools.
        """
        before = doc[index - 1].lower_
        if before == "at":
            return index < 2 or doc[index - 2].lower_ not in ("look", "looked", "looking", "glance")
        if before != "with" or index < 2:
            return False
        verb = doc[index - 2]
        return verb.lower_ not in LINKED_SOFTWARE and (verb.lower_ in ("is", "are", "was", "were", "'s")
                                                       or verb.pos_ == "NOUN")

    def _resolve(self, doc: Doc, cand: Candidate, ner: list[Span], blocked: set[int]) -> Span | None:
        if cand.source == "ORGS":
            for ent in ner:
                if ent.start <= cand.start and ent.end >= cand.end and len(ent) > cand.length and (
                    ent.label_ in ("ORG", "PERSON")
                ) and not (ent.label_ == "PERSON" and cand.end == ent.end and cand.start - ent.start >= 2):
                    # "Deutsche Bank AG", "Liam Gallagher": the longer NER span stands; but in
                    # "Lucy Adeyemi Barclays" the organisation follows a full name.
                    return None
        if cand.source in ("SUFFIX_ORG", "CUE_ORG") and any(
                ent.label_ == "ORG" and ent.start <= cand.start and ent.end >= cand.end and len(ent) > cand.length
                and not any(t.text in (",", ";") or t.lower_ in ("and", "or") for t in ent) for ent in ner):
            return None  # "Mersey Care Trust": the model's longer name of the same firm stands
        if cand.source == "CUE_VERB":
            # "Harbour still runs the batch", "Lantern's approval screen": only a plain word or a
            # name the model did not call an organisation ("Calloway sends the invoices").
            plain = self._plain_word(doc[cand.start].text)
            for ent in ner:
                if ent.start < cand.end and ent.end > cand.start and (
                        len(ent) > cand.length or (ent.label_ in ("ORG", "PERSON", "GPE", "LOC") and not plain)):
                    return None
            return Span(doc, cand.start, cand.end, label="SYSTEM")
        if cand.source in ("CUE_STORED", "CUE_SOFTWARE"):
            overrides = {"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
            if cand.source == "CUE_SOFTWARE":
                overrides |= {"GPE", "LOC", "FAC", "NORP"}  # "logged in Thrive" is no town
            for ent in ner:
                # "come back into Trellis": no one is called Trellis.
                single_person = ent.label_ == "PERSON" and len(ent) == 1 and (
                    cand.source == "CUE_SOFTWARE" or self._plain_word(ent.text))
                # A "place" no list knows is more often software the model has not seen, and so
                # is a one-word "date" with no day or month in it ("logged in Boxkeeper").
                misread = (ent.label_ in ("GPE", "LOC", "FAC") and ent.text.casefold() not in self._places) or (
                    cand.source == "CUE_SOFTWARE" and ent.label_ == "DATE" and len(ent) == 1
                    and ent.text.istitle() and ent.text.lower() not in CALENDAR_WORDS)
                if ent.start < cand.end and ent.end > cand.start and ent.label_ not in overrides \
                        and not single_person and not misread:  # "booked in Robin"
                    return None  # "stored in Leeds", "filed in January", "done in Anna's team"
                if (ent.start < cand.start or ent.end > cand.end) and ent.start < cand.end and ent.end > cand.start:
                    return None  # part of a longer name the model found
        if cand.source in ("SHAPE", "USAGE", "WORD"):
            for ent in ner:
                if ent.start <= cand.start and ent.end >= cand.end and len(ent) > max(cand.length, 1) and (
                        cand.source != "WORD" or ent.label_ == "PERSON"):
                    # Part of a longer name the model found ("ClearBank Ltd"), or of a person's
                    # full name ("Ingrid van der Berg", "Hyun-woo Park").
                    return None
        if cand.source == "SHAPE":
            at = cand.start - 1
            if at >= 1 and doc[at].lower_ in ("at", "from") and (
                doc[at - 1].lower_ in PEOPLE_WORDS or any(e.label_ == "PERSON" and e.end == at for e in ner)
            ):
                return Span(doc, cand.start, cand.end, label="ORG")  # "Declan at ClearBank"
        if cand.source == "WORD" and self._firm_context(doc, cand.start):
            return Span(doc, cand.start, cand.end, label="ORG")  # "the insurance is with Mosaic"
        if cand.source == "CUE_PERSON":
            for ent in ner:
                if any(i in blocked for i in range(ent.start, ent.end)):
                    continue  # "Tideline that Gwyneth": a rule took Tideline, the rest is no name
                place = ent.label_ in ("GPE", "LOC", "FAC") and ent.text.casefold() in self._places
                if ent.start <= cand.start and ent.end >= cand.end and (
                    len(ent) > cand.length or place or ent.label_ == "PERSON"
                ):
                    return None  # "Gareth Lloyd owns": the model's full name; "Frankfurt" a place
        if cand.source in ("GAZETTEER", "GLOSSARY", "PATTERN") and cand.label == "SYSTEM":
            if self._ordinary_word(doc, cand):
                return None
            for ent in ner:
                contains = ent.start <= cand.start and ent.end >= cand.end and len(ent) > cand.length
                if not contains:
                    continue
                extra = [t for t in ent if t.i < cand.start or t.i >= cand.end]
                # "Sarah Jenkins": a name around the match keeps it a PERSON.
                if ent.label_ == "PERSON" and all(
                    t.is_title and (t.pos_ == "PROPN" or not t.is_sent_start) for t in extra
                ):
                    return None
                # "Oracle Corporation": a company suffix keeps it an ORG.
                if ent.label_ == "ORG" and any(t.lower_ in COMPANY_SUFFIXES for t in extra):
                    return None
            if cand.source != "PATTERN":
                if cand.start > 0 and self._is_title(doc[cand.start - 1]):
                    return Span(doc, cand.start, cand.end, label="PERSON")  # "Mr Jenkins"
                person = next((e for e in ner if e.label_ == "PERSON" and e.end == cand.start
                               and cand.length == 1), None)
                if person is not None and doc[cand.start].is_title:
                    blocked.update(range(person.start, person.end))
                    return Span(doc, person.start, cand.end, label="PERSON")  # "Sarah" + "Jenkins"
            if self._company_context(doc, cand):
                return Span(doc, cand.start, cand.end, label="ORG")
            if cand.source == "PATTERN":
                if doc[cand.start:cand.end].text.casefold() in self._places:
                    return None  # "the Wigan site"
                # A place is not a system: "the London server" keeps London a GPE; a "place"
                # no list knows is more often the system ("the Lumen tenant").
                for ent in ner:
                    if (ent.start, ent.end) == (cand.start, cand.end) and ent.label_ in ("GPE", "LOC") \
                            and ent.text.casefold() in self._places:
                        return None
        return Span(doc, cand.start, cand.end, label=cand.label)


__all__ = ["Decisions"]
