"""The ``retain_entities`` spaCy component: systems, e-mails, URLs and rhythms, merged with NER.

It runs after the statistical ``ner`` and decides every overlap itself, so the rule labels win
where they should ("I ask Jenkins to rebuild" is a SYSTEM, "Workday" is not a DATE) and lose
where the context says otherwise ("Sarah Jenkins" stays a PERSON). This module imports spaCy,
so only :mod:`retain.nlp.pipeline` imports it, when a model loads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from retain.nlp.cues import CUE_WORDS, ORG_SUFFIXES, find_cues, suffix_orgs
from retain.nlp.lexicon import (
    COMPANY_SUFFIXES,
    DEPARTMENT_WORDS,
    DETERMINER_SET,
    DROP_LABELS,
    DURATION_WORDS,
    FUNCTION_AFTER,
    GENERIC_NAMES,
    GENERIC_TAILS,
    LEAD_POS,
    MODIFIER_SET,
    NAME_PARTICLES,
    NAME_TEXT,
    NOT_NAMES,
    ORDINAL_NUM,
    PEOPLE_WORDS,
    PERSON_FIXABLE,
    PRIORITY,
    ROLE_WORDS,
    SYSTEM_HEADS,
    TITLE_FORMS,
    URL_SHAPE,
    day_of_cycle_patterns,
    recurrence_patterns,
)
from retain.nlp.spans import COMPANY_PREPS, lone_abbreviation, prepositional_cut
from retain.nlp.terms import (
    Term,
    first_names,
    gazetteer_terms,
    load_glossary,
    organisation_terms,
    place_names,
)

COMPONENT = "retain_entities"

@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    label: str
    source: str
    term: Term | None = None
    exact: bool = False

    @property
    def length(self) -> int:
        return self.end - self.start


class RetainEntities:
    """Adds SYSTEM, EMAIL, URL and RECURRENCE spans and settles overlaps with the NER."""

    def __init__(self, nlp: Language, name: str = COMPONENT, glossary: str | None = None) -> None:
        self.name = name
        self._terms: dict[int, tuple[Term, str]] = {}
        self._loose = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._add_terms(nlp, gazetteer_terms(), "GAZETTEER")
        self._add_terms(nlp, load_glossary(Path(glossary)) if glossary else (), "GLOSSARY")
        self._add_terms(nlp, organisation_terms(), "ORGS")
        self._first_names, self._ambiguous_names = first_names()
        self._places = place_names()
        # Finding name candidates with a matcher keeps Python from visiting every token.
        self._names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._names.add("FIRST_NAME", [nlp.make_doc(n) for n in sorted(self._first_names | self._ambiguous_names)])
        self._matcher = Matcher(nlp.vocab)
        self._matcher.add("EMAIL", [[{"LIKE_EMAIL": True}]])
        self._matcher.add("URL", [[{"LIKE_URL": True}]])
        self._matcher.add("RECURRENCE", recurrence_patterns(), greedy="LONGEST")
        self._matcher.add("DAY_OF_CYCLE", day_of_cycle_patterns(), greedy="LONGEST")
        # Cue words are looked up, not matched pattern by pattern: a hash per token.
        self._cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, words in CUE_WORDS.items():
            self._cues.add(kind, [nlp.make_doc(w) for w in words])
        self._cues.add("SYSTEM_HEAD", [nlp.make_doc(w) for w in SYSTEM_HEADS])
        self._suffixes = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._suffixes.add("SUFFIX", [nlp.make_doc(w) for w in ORG_SUFFIXES])
        self._name_re = re.compile(NAME_TEXT)
        self._generic = frozenset(GENERIC_NAMES)

    def _add_terms(self, nlp: Language, terms: Iterable[Term], source: str) -> None:
        for index, term in enumerate(terms):
            key = f"retain:{source}:{index}"
            match_id = nlp.vocab.strings.add(key)
            self._terms[match_id] = (term, source)
            loose_texts = [v for v in term.loose_variants
                           if " " not in v or v.rsplit(" ", 1)[1].lower() not in GENERIC_TAILS]
            exact_texts = [*term.exact, *(v for v in term.loose_variants if v not in loose_texts)]
            loose = [nlp.make_doc(text) for text in loose_texts]
            exact = [nlp.make_doc(text) for text in exact_texts]
            if loose:
                self._loose.add(key, loose)
            if exact:
                self._exact.add(key, exact)

    # -- candidates -------------------------------------------------------------------------
    def _term_candidates(self, doc: Doc) -> list[_Candidate]:
        found: list[_Candidate] = []
        for matcher, exact in ((self._loose, False), (self._exact, True)):
            for match_id, start, end in matcher(doc):
                term, source = self._terms[match_id]
                found.append(_Candidate(start, end, term.label, source, term, exact))
        return found

    def _matcher_candidates(self, doc: Doc) -> list[_Candidate]:
        found: list[_Candidate] = []
        strings = doc.vocab.strings
        for match_id, start, end in self._matcher(doc):
            kind = strings[match_id]
            if kind == "URL":
                text = doc[start].text
                if "@" in text or not URL_SHAPE.search(text.rstrip("/.,")):
                    continue
            if kind == "DAY_OF_CYCLE":
                # "by the 5th of each month", "the 15th of every month"
                number = doc[start].text
                if not (re.match(ORDINAL_NUM, number) or (end - start == 5 and number.isdigit())):
                    continue
                if start == 0 or doc[start - 1].lower_ != "the":
                    continue
                start -= 1
                if start > 0 and doc[start - 1].lower_ in ("by", "before"):
                    start -= 1
                kind = "RECURRENCE"
            found.append(_Candidate(start, end, kind, kind))
        return found

    def _pattern_candidate(self, doc: Doc, head: int) -> _Candidate | None:
        """ "the Atlas data warehouse" -> Atlas: a determiner, one to three names, a modifier, a head.

        Walked back from the head word (found by the phrase matcher): far cheaper than a token
        pattern that starts at every "the".
        """
        if doc[head].is_title:
            return None  # "the Crown Commercial Service" is an organisation
        end = head
        if end > 0 and doc[end - 1].lower_ in MODIFIER_SET and not doc[end - 1].is_title:
            end -= 1
        if doc[head].lower_ == "warehouse" and doc[head - 1].lower_ != "data":
            return None  # "the Swindon warehouse" is a building
        start = end
        while start > 0 and end - start < 3 and self._is_name(doc[start - 1]) and (
            doc[start - 1].lower_ not in DETERMINER_SET
        ):
            start -= 1
        if start == end or start == 0 or doc[start - 1].lower_ not in DETERMINER_SET:
            return None
        return _Candidate(start, end, "SYSTEM", "PATTERN")

    def _cue_candidates(self, doc: Doc) -> list[_Candidate]:
        """Names that cue words point at ("our broker, Howden", "ask Marek", "Hale Solicitors")."""
        strings = doc.vocab.strings
        hits = [(strings[match_id], start, end) for match_id, start, end in self._cues(doc)]
        found: list[_Candidate] = []
        for kind, start, _ in hits:
            pattern = self._pattern_candidate(doc, start) if kind == "SYSTEM_HEAD" else None
            if pattern is not None:
                found.append(pattern)
        for cue in find_cues(doc, hits, self._cue_name):
            names = doc[cue.start:cue.end]
            if all(t.lower_ in DEPARTMENT_WORDS or t.lower_ in NOT_NAMES for t in names):
                continue
            first = names[0].text in self._first_names or names[0].text in self._ambiguous_names
            if cue.label == "PERSON":
                # A capitalised noun opening a sentence ("Background checks") or an acronym
                # ("DBS checks") is no one's name.
                if any(t.is_upper or (t.is_sent_start and t.pos_ != "PROPN") for t in names):
                    continue
            elif cue.person_capable and first:
                continue  # "our client, Sarah Jones", "checked by Grace Liu"
            source = {"PERSON": "CUE_PERSON", "ORG": "CUE_ORG"}.get(cue.label, "CUE_SYSTEM")
            if cue.weak:
                source = "CUE_SOFTWARE" if cue.software_verb else "CUE_STORED"
            found.append(_Candidate(cue.start, cue.end, cue.label, source))
        for start, end in suffix_orgs(doc, (start for _, start, _ in self._suffixes(doc)), self._suffix_word):
            if not all(t.lower_ in DEPARTMENT_WORDS for t in doc[start:end - 1]):  # "Finance Partners"
                found.append(_Candidate(start, end, "ORG", "SUFFIX_ORG"))
        return found

    def _cue_name(self, token: Any) -> bool:
        return self._is_name(token) and token.text != "I" and token.pos_ not in ("PRON", "DET", "VERB", "AUX")

    @staticmethod
    def _suffix_word(token: Any) -> bool:
        return bool(token.is_title) and not token.is_sent_start

    def _is_name(self, token: Any) -> bool:
        return bool(self._name_re.match(token.text)) and token.lower_ not in self._generic

    @staticmethod
    def _select(candidates: Sequence[_Candidate]) -> list[_Candidate]:
        """Non-overlapping rule spans: longest first, then the stronger source, then earliest."""
        ordered = sorted(candidates, key=lambda c: (-c.length, PRIORITY[c.source], c.start))
        taken: set[int] = set()
        chosen: list[_Candidate] = []
        for cand in ordered:
            if any(i in taken for i in range(cand.start, cand.end)):
                continue
            chosen.append(cand)
            taken.update(range(cand.start, cand.end))
        return sorted(chosen, key=lambda c: c.start)

    # -- context checks ---------------------------------------------------------------------
    @staticmethod
    def _is_title(token: Any) -> bool:
        return token.text.rstrip(".") in TITLE_FORMS

    def _ordinary_word(self, doc: Doc, cand: _Candidate) -> bool:
        """A sentence-initial "Word of warning" or "Outlook for Q3" is not the software."""
        if not cand.exact or cand.length != 1 or not doc[cand.start].is_sent_start:
            return False
        return cand.end < len(doc) and doc[cand.end].lower_ in FUNCTION_AFTER

    @staticmethod
    def _company_context(doc: Doc, cand: _Candidate) -> bool:
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

    # -- the component ----------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        ner = [self._trim(piece) for span in doc.ents for piece in self._split(self._relabel(span))]
        ner_spans = self._add_first_names(doc, [s for s in ner if s is not None])
        rules: list[Span] = []
        blocked: set[int] = set()
        candidates = self._term_candidates(doc) + self._matcher_candidates(doc) + self._cue_candidates(doc)
        cued: list[Span] = []
        for cand in self._select(candidates):
            span = self._resolve(doc, cand, ner_spans, blocked)
            if span is not None:
                rules.append(span)
                blocked.update(range(span.start, span.end))
                if cand.source.startswith(("CUE", "SUFFIX")) and span.label_ != "PERSON":
                    cued.append(span)
        kept: list[Span] = []
        for span in ner_spans:
            if any(i in blocked for i in range(span.start, span.end)):
                kept += self._remainders(doc, span, blocked)  # "Barclays BACS" -> Barclays + BACS
            else:
                kept.append(span)
        rules += self._repeats(doc, cued, [*rules, *kept])
        ents = sorted(rules + self._one_label(rules, kept), key=lambda s: s.start)
        doc.ents = sorted(ents + self._employers(doc, ents), key=lambda s: s.start)
        return doc

    @staticmethod
    def _repeats(doc: Doc, cued_spans: list[Span], ents: list[Span]) -> list[Span]:
        """Other mentions of a name a cue labelled ("the DigiCert account" after "from DigiCert")."""
        if not cued_spans:
            return []

        covered = {i for s in ents for i in range(s.start, s.end)}
        found: list[Span] = []
        orths = doc.to_array(ORTH)  # one array instead of a Token object per token
        for span in cued_spans:
            words = [t.orth for t in span]
            for start in (orths == words[0]).nonzero()[0].tolist():
                end = start + len(words)
                if end > len(doc) or any(i in covered for i in range(start, end)):
                    continue
                if orths[start:end].tolist() == words:
                    found.append(Span(doc, start, end, label=span.label_))
                    covered.update(range(start, end))
        return found

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

    @staticmethod
    def _one_label(rules: list[Span], ner: list[Span]) -> list[Span]:
        """One label per name in a text: once a rule calls a name a SYSTEM, the NER's ORG is too."""
        systems = {s.text.casefold() for s in rules if s.label_ == "SYSTEM"}
        if not systems:
            return ner
        return [Span(s.doc, s.start, s.end, label="SYSTEM")
                if (s.label_ in PERSON_FIXABLE or (s.label_ == "PERSON" and len(s) == 1))
                and s.text.casefold() in systems else s for s in ner]

    def _split(self, span: Span) -> list[Span]:
        """A name without the prepositional phrase after it ("Kwame Asante in Finance").

        A company after "at", "from" or "with" ("Sarah Jones at Deloitte") becomes an ORG of
        its own, a second person after "and" a PERSON; anything else after the cut is dropped.
        """
        cut = prepositional_cut(span, span.label_, NAME_PARTICLES)
        if cut is None:
            return [span]
        doc, word = span.doc, span[cut].lower_
        pieces = [Span(doc, span.start, span.start + cut, label=span.label_)]
        tail = doc[span.start + cut + 1 : span.end]
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

    def _resolve(self, doc: Doc, cand: _Candidate, ner: list[Span], blocked: set[int]) -> Span | None:
        if cand.source == "ORGS":
            for ent in ner:
                if ent.start <= cand.start and ent.end >= cand.end and len(ent) > cand.length and (
                    ent.label_ in ("ORG", "PERSON")
                ) and not (ent.label_ == "PERSON" and cand.end == ent.end and cand.start - ent.start >= 2):
                    # "Deutsche Bank AG", "Liam Gallagher": the longer NER span stands; but in
                    # "Lucy Adeyemi Barclays" the organisation follows a full name.
                    return None
        if cand.source in ("CUE_STORED", "CUE_SOFTWARE"):
            overrides = {"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
            if cand.source == "CUE_SOFTWARE":
                overrides |= {"GPE", "LOC", "FAC", "NORP"}  # "logged in Thrive" is no town
            for ent in ner:
                single_person = ent.label_ == "PERSON" and len(ent) == 1 and cand.source == "CUE_SOFTWARE"
                # A "place" no list knows is more often software the model has not seen.
                unknown_place = ent.label_ in ("GPE", "LOC") and ent.text.casefold() not in self._places
                if ent.start < cand.end and ent.end > cand.start and ent.label_ not in overrides \
                        and not single_person and not unknown_place:  # "booked in Robin"
                    return None  # "stored in Leeds", "filed in January", "done in Anna's team"
                if (ent.start < cand.start or ent.end > cand.end) and ent.start < cand.end and ent.end > cand.start:
                    return None  # part of a longer name the model found
        if cand.source == "CUE_PERSON":
            for ent in ner:
                if ent.start <= cand.start and ent.end >= cand.end and (
                    len(ent) > cand.length or ent.label_ in ("GPE", "LOC", "FAC", "PERSON")
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
                # A place is not a system: "the London server" keeps London a GPE.
                for ent in ner:
                    if (ent.start, ent.end) == (cand.start, cand.end) and ent.label_ in ("GPE", "LOC"):
                        return None
        return Span(doc, cand.start, cand.end, label=cand.label)

    # -- people -----------------------------------------------------------------------------
    def _is_first_name(self, token: Any, *, surname_follows: bool) -> bool:
        text = token.text
        return text in self._first_names or (surname_follows and text in self._ambiguous_names)

    @staticmethod
    def _opens_a_cell(doc: Doc, index: int) -> bool:
        """Whether a token starts the text, a line or a list cell ("; ").

        Sentence starts are left alone: "Jensen knows the rest." names a person.
        """
        if index == 0:
            return True
        before = doc[index - 1]
        return before.text in (";", ":") or "\n" in before.text or before.is_space

    @staticmethod
    def _capitalised(token: Any) -> bool:
        return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)

    def _relabel(self, span: Span) -> Span:
        """Repair the small model's usual confusions: "Lukas Novak" as an ORG, "Chloe" as a place."""
        label = span.label_
        if label in PERSON_FIXABLE and len(span) <= 4 and self._capitalised(span[0]) and all(
            self._capitalised(t) or t.lower_ in NAME_PARTICLES for t in span
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
        for i in sorted({start for _, start, _ in self._names(doc)}):
            token = doc[i]
            if i in covered or not self._capitalised(token) or (token.pos_ not in ("PROPN", "") and not (
                token.pos_ == "NOUN" and token.text in self._first_names  # "Tunde wrote the macro"
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
        while label == "PERSON" and end - start > 2 and doc[end - 1].lower_ in DEPARTMENT_WORDS:
            end -= 1  # "Kwame Asante Finance Director" -> "Kwame Asante"
        if start >= end:
            return None
        text = doc[start:end].text
        if not any(ch.isalpha() for ch in text):
            return None
        if label in ("PERSON", "ORG") and text.islower():
            return None  # spaCy's small model sometimes tags ordinary lowercase words
        words = [t.lower_ for t in doc[start:end]]
        if label == "PERSON" and words[-1] in ROLE_WORDS:
            return None  # "HRIS Analyst"
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
        if label in ("PERSON", "ORG", "GPE", "PRODUCT") and end - start == 1:
            token = doc[start]
            # "Treasury", "VAT", "API", or a capitalised common noun opening a sentence.
            if token.lower_ in NOT_NAMES or token.pos_ in ("NOUN", "VERB", "ADJ", "ADV", "PRON"):
                return None
        if (start, end) == (span.start, span.end):
            return span
        return Span(doc, start, end, label=label)


@Language.factory(COMPONENT, default_config={"glossary": None})
def make_retain_entities(nlp: Language, name: str, glossary: str | None) -> RetainEntities:
    """spaCy factory for :class:`RetainEntities` (``nlp.add_pipe("retain_entities")``)."""
    return RetainEntities(nlp, name, glossary)


__all__ = ["COMPONENT", "DROP_LABELS", "RetainEntities", "make_retain_entities"]
