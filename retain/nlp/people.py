"""Repairs to the model's PERSON and ORG spans: trimming, relabelling, first names, workplaces."""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from retain.nlp.common import NOT_SYSTEMS
from retain.nlp.lexicon import (
    CAMEL_CASE,
    DEPARTMENT_WORDS,
    DROP_LABELS,
    DURATION_WORDS,
    GENERIC_TAILS,
    HONORIFIC_SUFFIXES,
    LEAD_POS,
    MONTHS,
    NAME_PARTICLES,
    NAME_PREFIX,
    NOT_NAMES,
    PEOPLE_WORDS,
    PERSON_FIXABLE,
    ROLE_WORDS,
)
from retain.nlp.rulestate import RuleState
from retain.nlp.spans import COMPANY_PREPS, lone_abbreviation, prepositional_cut
from retain.nlp.windows import in_sorted

# Before a town, not a firm: "a family firm near Derby".
_NEAR = frozenset({"near", "outside", "around", "in"})


# What the model calls a surname found apart from its first name ("Brannigan" as a DATE).
_SURNAME_LABELS = frozenset({"PERSON", "DATE", *PERSON_FIXABLE})


_MONTHS = frozenset(MONTHS)
# The singular role words that end a job title, never a firm's name ("Site Reliability Engineer").
_JOB_NOUNS = frozenset({"engineer", "manager", "analyst", "director", "officer", "administrator", "coordinator",
                        "assistant", "consultant", "specialist", "accountant", "architect", "developer",
                        "supervisor"})


_TEAM_WORDS = frozenset({"team", "teams", "squad", "department", "dept", "unit", "function"})


def _not_a_name(doc: Doc, start: int, end: int, words: list[str]) -> bool:
    """Spans the recogniser calls a firm or a person that are none: a clause, a date, a team.

    "Atlas uses Time Travel" holds a verb; "2 November 2026" is a date; "the ML Platform team"
    is a team of one's own (a department word inside, "team" after it).
    """
    if any(t.pos_ in ("VERB", "AUX") and t.text.islower() for t in doc[start + 1:end - 1]):
        return True
    if any(t.like_num for t in doc[start:end]) and any(w in _MONTHS for w in words):
        return True
    return end < len(doc) and doc[end].lower_ in _TEAM_WORDS and any(w in DEPARTMENT_WORDS for w in words)


def _past_hyphens(doc: Doc, end: int) -> int:
    """The end of a name that goes on with "-Word" pieces written without spaces ("Al-Hashimi")."""
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ \
            and not doc[end].whitespace_ and doc[end + 1].is_alpha and doc[end + 1].lower_ not in HONORIFIC_SUFFIXES:
        end += 2
    return end


class PeopleRepairs(RuleState):
    """NER span repairs (mixed into ``RetainEntities``)."""

    @staticmethod
    def _opens_a_cell(doc: Doc, index: int) -> bool:
        """Whether a token starts the text, a line or a list cell ("; ").

        Sentence starts are left alone: "Jensen knows the rest." names a person.
        """
        if index == 0:
            return True
        before = doc[index - 1]
        return before.text in (";", ":") or "\n" in before.text or before.is_space

    def _relabel(self, span: Span) -> Span:
        """Repair the small model's usual confusions: "Lukas Novak" as an ORG, "Chloe" as a place."""
        label = span.label_
        if label == "PERSON" and len(span) == 1:
            text = span.text
            if text.isupper() and text.isalpha() and 2 <= len(text) <= 6:
                return Span(span.doc, span.start, span.end, label="ORG")  # "the JFSC inspects us"
            if CAMEL_CASE.match(text) and not NAME_PREFIX.match(text) and text.lower() not in NOT_NAMES:
                return Span(span.doc, span.start, span.end, label="SYSTEM")  # no one is "PayMaster"
            if span.start > 0 and span.doc[span.start - 1].lower_ == "the" and text.istitle() \
                    and not self._is_first_name(span[0], surname_follows=True) \
                    and text.lower() not in NOT_NAMES and text.lower() not in self._places \
                    and not (span.end < len(span.doc) and span.doc[span.end].pos_ == "NOUN"
                             and span.doc[span.end].is_lower):  # "the Gold plan": a kind of plan
                return Span(span.doc, span.start, span.end, label="SYSTEM")  # no one is "the Daybook"
        if label in PERSON_FIXABLE and len(span) <= 5 and self._capitalised(span[0]) and all(
            self._capitalised(t) or t.lower_ in NAME_PARTICLES or (t.text == "-" and not t.whitespace_)
            or (t.i == span.end - 1 and t.lower_ in ("'s", "’s")) for t in span  # "Ilse Verhoeven's group"
        ):
            if self._is_first_name(span[0], surname_follows=len(span) > 1):
                return Span(span.doc, span.start, span.end, label="PERSON")
            if label == "WORK_OF_ART" and all(t.pos_ == "PROPN" for t in span):
                return Span(span.doc, span.start, span.end, label="ORG")  # "done by HireRight"
        return span

    def _add_first_names(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Find people the model missed: a known first name, with the surname that follows."""
        covered = {i for s in spans for i in range(s.start, s.end)}
        by_start = {s.start: s for s in spans}
        replaced: dict[int, Span] = {}
        added: list[Span] = []
        starts = set(in_sorted(doc.to_array(ORTH), self._name_ids).nonzero()[0].tolist())
        if not doc.text.isascii():
            # The matcher compares exact text: "Lucía" is found by its unaccented form here.
            starts.update(t.i for t in doc if not t.text.isascii() and t.text[:1].isupper()
                          and self._is_first_name(t, surname_follows=True))
        for i in sorted(starts):
            token = doc[i]
            if i in covered or not self._capitalised(token) or (token.pos_ not in ("PROPN", "") and not (
                token.pos_ in ("NOUN", "ADJ") and token.text in self._first_names  # "Tunde wrote the macro"
            )):
                continue
            nxt = i + 1
            follow = by_start.get(nxt)
            if follow is not None and follow.label_ in ("PERSON", *PERSON_FIXABLE) and len(follow) <= 2:
                if self._is_first_name(token, surname_follows=True):
                    replaced[follow.start] = Span(doc, i, follow.end, label="PERSON")  # "Ines" + "Garcia"
                    covered.update(range(i, follow.end))
                continue
            end = nxt
            while (end < len(doc) and end - i < 4 and end not in covered and (
                    (doc[end].pos_ in ("PROPN", "") and self._capitalised(doc[end]) and doc[end].is_alpha
                     and not (end > nxt and doc[end].lower_ in DEPARTMENT_WORDS))
                    or (doc[end].lower_ in NAME_PARTICLES and end + 1 < len(doc)
                        and self._capitalised(doc[end + 1])))):
                end += 1
            if self._is_first_name(token, surname_follows=end > nxt):
                added.append(Span(doc, i, end, label="PERSON"))
                covered.update(range(i, end))
        merged = [replaced.get(s.start, s) for s in spans] + added
        return sorted(merged, key=lambda s: s.start)

    def _shouted_people(self, doc: Doc, spans: list[Span], uppers: list[int]) -> list[Span]:
        """People typed in capitals: "ping KWAME ASANTE" (the tuned recogniser has seen none).

        A given name in capitals counts only before a surname in capitals that is no team,
        generic word or English word, so "SAM REPORT" and "MAX LIMIT" stay what they are.
        ``uppers`` are the indexes of the tokens in capitals.
        """
        if len(uppers) < 2:
            return spans
        covered = {i for s in spans for i in range(s.start, s.end)}
        added: list[Span] = []
        for i in uppers:
            if i + 1 >= len(doc) or i in covered or i + 1 in covered:
                continue
            first, surname = doc[i], doc[i + 1]
            if len(first) < 3 or not first.is_alpha or first.text.title() not in self._first_names:
                continue
            low = surname.lower_
            if not (surname.is_upper and surname.is_alpha and len(surname) > 1) or low in NOT_NAMES \
                    or low in DEPARTMENT_WORDS or low in self._dictionary:
                continue
            added.append(Span(doc, i, i + 2, label="PERSON"))
            covered.update((i, i + 1))
        return sorted(spans + added, key=lambda s: s.start) if added else spans

    def _join_name_parts(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A person's name with all its parts: "Hyun-woo Park", "Ingrid van der Berg", "Lior Ben-David".

        The tokenizer splits a hyphenated name and the small model often labels only one piece,
        or the piece after a particle as something else; the joined name replaces the pieces.
        """
        joined: list[Span] = []
        for span in spans:
            if span.label_ != "PERSON":
                joined.append(span)
                continue
            start, end = span.start, span.end
            end = _past_hyphens(doc, end)
            j = end
            while j < len(doc) and doc[j].lower_ in NAME_PARTICLES and doc[j].is_lower:
                j += 1
            if j > end and j < len(doc) and self._capitalised(doc[j]) and doc[j].is_alpha:
                end = _past_hyphens(doc, j + 1)  # "van der Berg", "dos Santos"
            elif end > span.end and end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title \
                    and doc[end].lower_ not in DEPARTMENT_WORDS and doc[end].lower_ not in self._places:
                end += 1  # "Hyun-woo" + "Park"
            while start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ \
                    and not doc[start - 1].whitespace_ and doc[start - 2].is_alpha and self._capitalised(doc[start - 2]):
                start -= 2  # "Prys-Jones" when only "Jones" was found
            if start >= 1 and self._capitalised(doc[start - 1]) and self._is_first_name(doc[start - 1], surname_follows=True) \
                    and "-" in doc[start:end].text:
                start -= 1  # "Lior" + "Ben-David"
            if end == span.end and start == span.start and len(span) == 1 and end < len(doc) \
                    and self._is_first_name(span[0], surname_follows=True):
                after = next((s for s in spans if s.start == end and s.label_ in _SURNAME_LABELS), None)
                if after is not None and len(after) <= 3 and all(
                        (t.is_title and t.pos_ == "PROPN") or t.text == "-" for t in after) \
                        and after.text.casefold() not in self._places:
                    end = _past_hyphens(doc, after.end)  # "Siobhan" + "Brannigan", "Eirlys" + "Prys-Jones"
            joined.append(span if (start, end) == (span.start, span.end) else Span(doc, start, end, label="PERSON"))
        grown = {(s.start, s.end) for s in joined if s.label_ == "PERSON"} - {(s.start, s.end) for s in spans}
        # A piece inside a grown name goes (the first piece of "Hyun-woo Park", the "Berg" ORG).
        kept = {(s.start, s.end, s.label_): s for s in joined if (s.start, s.end) in grown or not any(
            s.start < end and start < s.end for start, end in grown)}
        return sorted(kept.values(), key=lambda s: s.start)

    def _trim(self, span: Span) -> Span | None:
        """An NER span without titles, "the", possessives, edge punctuation or line breaks."""
        label = span.label_
        if label in DROP_LABELS:
            return None
        doc = span.doc
        start, end = span.start, span.end
        for i in range(start, end):
            if "\n" in doc[i].text or doc[i].is_space:
                # A name never runs across a line break (list rows are one per line).
                if i - start >= end - i - 1:
                    end = i
                else:
                    start = i + 1
                break
        if label in PERSON_FIXABLE and end - start > 1 and self._is_title(doc[start]) \
                and doc[start + 1].text[:1].isupper():
            label = "PERSON"  # "Herr Nolte", "Mrs Sefton": a title names a person
        while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ == "the"
                               or (label == "PERSON" and self._is_title(doc[start]))
                               or (label != "DATE" and end - start > 1 and doc[start].pos_ in LEAD_POS)
                               or (label == "PERSON" and any(ch.isdigit() for ch in doc[start].text))):
            start += 1  # "Run PayBridge" (a list row's verb) -> "PayBridge"
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space
                               or doc[end - 1].lower_ in ("'s", "’s", "'")
                               or (label == "PERSON" and (doc[end - 1].text.islower()
                                                          or any(ch.isdigit() for ch in doc[end - 1].text)))):
            end -= 1  # "ask Tom first" -> "Tom"
        if label == "PERSON" and end - start > 2 and doc[end - 1].lower_ in HONORIFIC_SUFFIXES \
                and doc[end - 2].text == "-" and not doc[end - 2].whitespace_:
            end -= 2  # "Nakamura-san" -> "Nakamura"
        while label == "PERSON" and end - start > 2 and doc[end - 1].lower_ in DEPARTMENT_WORDS:
            end -= 1  # "Kwame Asante Finance Director" -> "Kwame Asante"
        if start >= end:
            return None
        text = doc[start:end].text
        if not any(ch.isalpha() for ch in text):
            return None
        if label in ("PERSON", "ORG") and text.islower():
            return None  # spaCy's small model sometimes tags ordinary lowercase words
        if label in ("GPE", "LOC", "FAC", "NORP", "PRODUCT") and text.islower() and any(ch.isdigit() for ch in text):
            return None  # "dc02", "python3": a machine or a version, never a place
        words = [t.lower_ for t in doc[start:end]]
        if label == "PERSON" and words[-1] in ROLE_WORDS:
            return None  # "HRIS Analyst"
        if label == "ORG" and len(words) > 1 and words[-1] in _JOB_NOUNS:
            return None  # "Senior Site Reliability Engineer": a job, not a firm
        if label in ("ORG", "PERSON") and _not_a_name(doc, start, end, words):
            return None
        if label in ("ORG", "PERSON") and all(w in DEPARTMENT_WORDS for w in words):
            return None  # "Finance Systems", "Platform Engineering": internal teams
        if label == "DATE" and words[-1] in DURATION_WORDS and not any(
            w in ("ago", "last", "next", "this", "every", "each") for w in words
        ):
            return None  # "three years", "ten working days": a duration, not a date
        if label == "PERSON" and end - start == 1 and self._opens_a_cell(doc, start):
            token = doc[start]
            if token.text not in self._first_names and token.text not in self._ambiguous_names:
                return None  # "Draft in Confluence", "Cutoff extensions": a list cell's first word
        if label in ("PERSON", "ORG", "GPE", "PRODUCT") and lone_abbreviation(doc[start:end]):
            return None  # "a BOM", "the FX rates": an abbreviation for a thing
        if label == "PERSON" and end - start == 1 and doc[start].lower_ in self._places \
                and doc[start].text not in self._first_names:
            return None  # "inspected at the Wigan site"
        if label == "ORG" and end - start == 1 and end < len(doc) and doc[end].pos_ == "NOUN" \
                and doc[end].text.islower() and doc[start].lower_ in self._places:
            return None  # "the Bristol office", "the Leeds team": a place
        if label == "ORG" and end - start == 1 and doc[start].lower_ in self._places and (
                (start > 0 and doc[start - 1].lower_ in _NEAR) or doc[start].text.istitle()):
            return Span(doc, start, end, label="GPE")  # "a family firm near Derby", "works from Tampere"
        if label in ("PERSON", "ORG", "GPE", "PRODUCT") and end - start == 1:
            token = doc[start]
            # "Treasury", "VAT", "API", "Brexit", "the Gold plan", or a capitalised common noun
            # opening a sentence.
            if token.lower_ in NOT_NAMES or (token.lower_ in NOT_SYSTEMS and label in ("PERSON", "ORG")
                                             and token.text not in self._first_names) \
                    or (token.pos_ in ("NOUN", "VERB", "ADJ", "ADV", "PRON") and not (
                        label == "PERSON" and token.text in self._first_names)):
                return None
        if (start, end) == (span.start, span.end):
            return span
        return Span(doc, start, end, label=label)

    def _split(self, span: Span) -> list[Span]:
        """A name without the prepositional phrase after it ("Kwame Asante in Finance").

        A company after "at", "from" or "with" ("Sarah Jones at Deloitte") becomes an ORG of
        its own, a second person after "and" a PERSON; anything else after the cut is dropped.
        """
        cut = prepositional_cut(span, span.label_, NAME_PARTICLES)
        if cut is None:
            return [span]
        doc, word = span.doc, span[cut].lower_
        tail = doc[span.start + cut + 1 : span.end]
        pieces = [Span(doc, span.start, span.start + cut, label=span.label_)]
        if len(tail) and all(self._capitalised(t) and t.pos_ == "PROPN" for t in tail):
            if word in ("and", "or") and span.label_ == "PERSON":
                pieces.append(Span(doc, tail.start, tail.end, label="PERSON"))
            elif word in COMPANY_PREPS:
                pieces.append(Span(doc, tail.start, tail.end, label="ORG"))
        return pieces

    def _remainders(self, doc: Doc, span: Span, blocked: set[int]) -> list[Span]:
        """The parts of an ORG span a rule did not take, when they are names ("Barclays BACS").

        A PERSON keeps a full name ("Lucy Adeyemi" of "Lucy Adeyemi Barclays"), never one word.
        """
        if span.label_ not in ("ORG", "PERSON"):
            return []
        pieces: list[Span] = []
        start: int | None = None
        for i in range(span.start, span.end + 1):
            free = i < span.end and i not in blocked
            if free and start is None:
                start = i
            elif not free and start is not None:
                piece = self._trim(Span(doc, start, i, label=span.label_))
                if piece is not None and all(self._capitalised(t) and t.lower_ not in GENERIC_TAILS
                                             for t in piece) and (span.label_ == "ORG" or len(piece) > 1):
                    pieces.append(piece)
                start = None
        return pieces

    def _employers(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """The organisation after a person: "Marek at Brightline", "Lena from Santander"."""
        covered = {i for s in ents for i in range(s.start, s.end)}
        found: list[Span] = []
        for span in ents:
            at = span.end
            if span.label_ != "PERSON" or at + 1 >= len(doc) or doc[at].lower_ not in ("at", "from"):
                continue
            end = at + 1
            while end < len(doc) and end - at <= 3 and end not in covered and doc[end].pos_ == "PROPN" \
                    and self._capitalised(doc[end]) and doc[end].lower_ not in DEPARTMENT_WORDS:
                end += 1
            if end > at + 1:
                found.append(Span(doc, at + 1, end, label="ORG"))
        return found

    def _workplaces(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A model PERSON after "<person> at" or "our contact at" is the workplace: an ORG.

        And a one-word model ORG before "at <Name>" is a person at it ("Maeve at Ardent").
        """
        people_ends = {s.end for s in spans if s.label_ == "PERSON"}
        out: list[Span] = []
        for span in spans:
            after = span.end
            if span.label_ == "ORG" and len(span) == 1 and after + 1 < len(doc) and doc[after].lower_ == "at" \
                    and span[0].is_title and doc[after + 1].is_title and doc[after + 1].pos_ == "PROPN" \
                    and span[0].lower_ not in NOT_NAMES and doc[after + 1].lower_ not in self._places:
                span = Span(doc, span.start, span.end, label="PERSON")  # "Maeve at Ardent sends"
            if span.label_ in ("PERSON", "GPE", "LOC") and len(span) == 1 and after + 1 < len(doc) \
                    and doc[after].lower_ == "in" and span.start > 0 \
                    and (doc[after + 1].lower_ in self._places or doc[after + 1].ent_type_ == "GPE") \
                    and doc[span.start - 1].lower_ in ("from", "with", "to", "by") \
                    and span.text.casefold() not in self._places \
                    and not self._is_first_name(span[0], surname_follows=False):
                span = Span(doc, span.start, span.end, label="ORG")  # "comes from Corrugo in Telford"
            at = span.start - 1
            if span.label_ == "PERSON" and at >= 1 and doc[at].lower_ in ("at", "from") and (
                at in people_ends or doc[at - 1].lower_ in PEOPLE_WORDS
            ):
                span = Span(doc, span.start, span.end, label="ORG")  # "Priyanka at Harvey Nash"
            out.append(span)
        return out


__all__ = ["PeopleRepairs"]
