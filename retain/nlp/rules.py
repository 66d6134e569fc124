"""The ``retain_entities`` spaCy component: systems, e-mails, URLs and rhythms, merged with NER.

It runs after the statistical ``ner`` and decides every overlap itself, so the rule labels win
where they should ("I ask Jenkins to rebuild" is a SYSTEM, "Workday" is not a DATE) and lose
where the context says otherwise ("Sarah Jenkins" stays a PERSON). This module finds the rule
candidates and runs the component; the NER repairs live in :mod:`retain.nlp.people`, the
candidate-vs-NER decisions in :mod:`retain.nlp.decide` and the one-label-per-name passes in
:mod:`retain.nlp.consistency`. These import spaCy, so only :mod:`retain.nlp.pipeline` imports
them, when a model loads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import IS_TITLE, IS_UPPER, LEMMA, LOWER, ORTH, POS, SHAPE, TAG
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.parts_of_speech import VERB
from spacy.tokens import Doc, Span

from retain.nlp.acronyms import body_acronyms
from retain.nlp.common import NOT_SYSTEMS, SURNAME_WORDS, dictionary_words, word_names
from retain.nlp.consistency import OneLabel
from retain.nlp.cues import CUE_WORDS, ORG_SUFFIXES, collective_subjects, find_cues, suffix_orgs
from retain.nlp.decide import Decisions, misread_date
from retain.nlp.heads import HeadPatterns
from retain.nlp.legalforms import LegalForms
from retain.nlp.lexicon import (
    CAMEL_CASE,
    CAMEL_SHAPE,
    DEPARTMENT_WORDS,
    DROP_LABELS,
    GENERIC_TAILS,
    NAME_PREFIX,
    NAME_TEXT,
    NOT_NAMES,
    ORDINAL_NUM,
    PRIORITY,
    ROLE_WORDS,
    SYSTEM_HEADS,
    URL_SHAPE,
    day_of_cycle_patterns,
    recurrence_patterns,
)
from retain.nlp.people import PeopleRepairs
from retain.nlp.placenames import PlaceNames
from retain.nlp.rulestate import Candidate
from retain.nlp.terms import (
    Term,
    first_names,
    gazetteer_terms,
    load_glossary,
    organisation_terms,
    place_names,
)
from retain.nlp.titles import without_titles
from retain.nlp.toolnames import (
    NOT_PRODUCT_TOKEN,
    PRODUCT_ENDINGS,
    PRODUCT_TAILS,
    PRODUCT_TOKEN,
    TOOL_PREPOSITIONS,
    counted_word,
    lowercase_tools,
    tailed_names,
)
from retain.nlp.usage import ABSTRACT_ENDINGS, KEEP_LABELS, NOT_NAME_POS, doc_verb, usage_names
from retain.nlp.windows import matches_in_windows, sorted_ids, starting_words

COMPONENT = "retain_entities"


# What the model may call a name after "in" that no rule should make software.
# (A place the lists miss, "in Shropshire", is still one to the model.)
_NOT_IN_SOFTWARE = frozenset({"PERSON", "DATE", "TIME", "NORP", "LANGUAGE", "EVENT", "MONEY", "PERCENT",
                              "QUANTITY", "CARDINAL", "ORDINAL", "LAW", "GPE", "LOC", "FAC"})


class RetainEntities(PeopleRepairs, OneLabel, Decisions, HeadPatterns):
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
        self._place_names = PlaceNames(nlp, self._places)
        self._legal_forms = LegalForms(nlp)
        # Given names are found with one array look-up per answer (they are single tokens; a
        # phrase matcher of twenty thousand names took half a second to build).
        self._name_ids = sorted_ids(nlp.vocab.strings, self._first_names | self._ambiguous_names)
        self._matcher = Matcher(nlp.vocab)
        self._matcher.add("EMAIL", [[{"LIKE_EMAIL": True}]])
        self._matcher.add("URL", [[{"LIKE_URL": True}]])
        patterns = recurrence_patterns() + day_of_cycle_patterns()
        self._matcher.add("RECURRENCE", recurrence_patterns(), greedy="LONGEST")
        self._matcher.add("DAY_OF_CYCLE", day_of_cycle_patterns(), greedy="LONGEST")
        # The token matcher only runs on short windows that start where a pattern can start
        # (found with one array look-up), not over every token of every answer.
        self._starts = starting_words(nlp, patterns)
        self._reach = max(len(p) for p in patterns) + 1
        # Cue words are looked up, not matched pattern by pattern: a hash per token.
        self._cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, words in CUE_WORDS.items():
            self._cues.add(kind, [nlp.make_doc(w) for w in words])
        self._cues.add("SYSTEM_HEAD", [nlp.make_doc(w) for w in SYSTEM_HEADS])
        self._suffixes = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._suffixes.add("SUFFIX", [nlp.make_doc(w) for w in ORG_SUFFIXES])
        self._name_re = re.compile(NAME_TEXT)
        self._generic = NOT_NAMES
        self._camel_shapes: dict[int, bool] = {}
        self._vbp, self._vb = nlp.vocab.strings.add("VBP"), nlp.vocab.strings.add("VB")
        self._tail_ids = numpy.array([nlp.vocab.strings.add(w) for w in sorted(PRODUCT_TAILS)], dtype="uint64")
        self._tool_ids = numpy.array([nlp.vocab.strings.add(w) for w in sorted(TOOL_PREPOSITIONS)], dtype="uint64")
        self._dictionary = dictionary_words(nlp)
        self._stop_words = frozenset(nlp.Defaults.stop_words)
        self._word_excluded = frozenset(
            {n.lower() for n in self._first_names | self._ambiguous_names} | self._places | NOT_NAMES
            | DEPARTMENT_WORDS | ROLE_WORDS | NOT_SYSTEMS | SURNAME_WORDS)

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
    def _term_candidates(self, doc: Doc) -> list[Candidate]:
        found: list[Candidate] = []
        for matcher, exact in ((self._loose, False), (self._exact, True)):
            for match_id, start, end in matcher(doc):
                term, source = self._terms[match_id]
                found.append(Candidate(start, end, term.label, source, term, exact))
        return found

    def _matcher_candidates(self, doc: Doc) -> list[Candidate]:
        found: list[Candidate] = []
        strings = doc.vocab.strings
        for match_id, start, end in matches_in_windows(self._matcher, doc, self._starts, self._reach):
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
            found.append(Candidate(start, end, kind, kind))
        return found

    def _cue_candidates(self, doc: Doc, used: frozenset[int] = frozenset(),
                        uppers: list[int] | None = None) -> list[Candidate]:
        """Names that cue words point at ("our broker, Howden", "ask Marek", "Hale Solicitors").

        ``used`` holds the sentence-initial names that :func:`usage_names` took for software:
        a person's verb after them ("Portainer manages the containers") does not make a person.
        ``uppers`` are the indexes of the tokens in capitals (every token is looked at without).
        """
        strings = doc.vocab.strings
        hits = [(strings[match_id], start, end) for match_id, start, end in self._cues(doc)]
        found: list[Candidate] = []
        for kind, start, _ in hits:
            pattern = self._pattern_candidate(doc, start) if kind == "SYSTEM_HEAD" else None
            if pattern is not None:
                found.append(pattern)
        for cue in find_cues(doc, hits, self._cue_name, DEPARTMENT_WORDS):
            names = doc[cue.start:cue.end]
            if all(t.lower_ in DEPARTMENT_WORDS or t.lower_ in NOT_NAMES for t in names):
                continue
            first = names[0].text in self._first_names or names[0].text in self._ambiguous_names
            if cue.label == "PERSON":
                # A capitalised noun opening a sentence ("Background checks") or an acronym
                # ("DBS checks") is no one's name.
                # (A verb or "in Finance" after a sentence's first word is evidence enough.)
                if any(t.is_upper or (t.is_sent_start and t.pos_ != "PROPN" and not cue.verb) for t in names):
                    continue
                if any(CAMEL_CASE.match(t.text) and not NAME_PREFIX.match(t.text) for t in names):
                    continue  # "PayBridge sends the file": no one is called PayBridge
                if cue.end - cue.start == 1 and cue.start in used:
                    continue
            elif cue.person_capable and first:
                continue  # "our client, Sarah Jones", "checked by Grace Liu"
            if cue.label == "ORG" and names.text.casefold() in self._places:
                continue  # "the team at Manchester": a place
            if cue.label == "SYSTEM" and cue.weak and names.text.casefold() in self._places:
                continue  # "works from Tampere", "moved to Shropshire": a place
            source = {"PERSON": "CUE_PERSON", "ORG": "CUE_ORG"}.get(cue.label, "CUE_SYSTEM")
            if cue.weak:
                source = "CUE_SOFTWARE" if cue.software_verb else "CUE_VERB" if cue.subject else "CUE_STORED"
            found.append(Candidate(cue.start, cue.end, cue.label, source))
        # Plural present verbs, and base forms the small tagger took for a past tense ("Tessaly charge").
        cols = doc.to_array([TAG, POS, LOWER, LEMMA])
        verbs = ((cols[:, 0] == self._vbp) | ((cols[:, 1] == VERB) & (cols[:, 2] == cols[:, 3])
                                               & (cols[:, 0] != self._vb))).nonzero()[0].tolist()
        for start, end in collective_subjects(
                doc, verbs, self._cue_name, lambda t: self._is_first_name(t, surname_follows=True),
                lambda t: t.lower_ in self._dictionary or t.lemma_.lower() in self._dictionary
                or (t.lower_.endswith("s") and t.lower_[:-1] in self._dictionary)):
            if not all(t.lower_ in DEPARTMENT_WORDS for t in doc[start:end]):  # "Finance approve"
                found.append(Candidate(start, end, "ORG", "CUE_ORG"))
        for start, end in suffix_orgs(doc, (start for _, start, _ in self._suffixes(doc)), self._suffix_word):
            if not all(t.lower_ in DEPARTMENT_WORDS for t in doc[start:end - 1]):  # "Finance Partners"
                found.append(Candidate(start, end, "ORG", "SUFFIX_ORG"))
        for start, end in body_acronyms(doc, self._never_a_body, uppers):
            found.append(Candidate(start, end, "ORG", "CUE_ORG"))
        return found

    def _never_a_body(self, word: str) -> bool:
        return word in NOT_NAMES or word in NOT_SYSTEMS or word in DEPARTMENT_WORDS or word in self._places

    def _shape_candidates(self, doc: Doc) -> list[Candidate]:
        """CamelCase words ("LeaseQuery", "FinHub"): in these answers nearly always software.

        Found from the tokens' shapes (one array, a dictionary look-up per distinct shape), not
        a visit to every token; the weakest source, so any list, cue or company word decides first.
        """
        shapes = doc.to_array(SHAPE)
        strings = doc.vocab.strings
        hits: list[int] = []
        for shape in set(shapes.tolist()):
            camel = self._camel_shapes.get(shape)
            if camel is None:
                camel = self._camel_shapes[shape] = bool(CAMEL_SHAPE.match(strings[shape]))
            if camel:
                hits.extend((shapes == shape).nonzero()[0].tolist())
        found: list[Candidate] = []
        for index in sorted(hits):
            text = doc[index].text
            if index + 1 < len(doc) and doc[index + 1].text == "-" and not doc[index].whitespace_:
                continue  # "the SoftBank-owned vendor": part of a compound adjective
            if CAMEL_CASE.match(text) and not NAME_PREFIX.match(text) and text.lower() not in NOT_NAMES:
                found.append(Candidate(index, index + 1, "SYSTEM", "SHAPE"))  # not "McDonald", "WiFi"
        return found

    def _product_candidates(self, doc: Doc, titles: list[int]) -> list[Candidate]:
        """Product-shaped names: "Notifyly", "Rotaware", "Spendbase"; "with k6", "using s3cmd".

        Only capitalised tokens (already found for the word names) and tokens after a tool
        preposition are looked at. A dictionary word, a first name or a place is no product.
        """
        found: list[Candidate] = []
        for i in titles:
            text = doc[i].text
            low = text.lower()
            lemma = doc[i].lemma_.lower()
            if len(text) > 5 and low.endswith(PRODUCT_ENDINGS) and low not in self._word_excluded \
                    and low not in self._dictionary and lemma not in self._dictionary \
                    and not (low.endswith("ly") and doc[i].pos_ == "ADV" and doc[i].is_sent_start
                             and (i + 1 >= len(doc) or doc[i + 1].tag_ != "VBZ")) \
                    and text not in self._first_names \
                    and text not in self._ambiguous_names:
                found.append(Candidate(i, i + 1, "SYSTEM", "SHAPE"))
        tails = numpy.isin(doc.to_array(ORTH), self._tail_ids).nonzero()[0].tolist()
        found += [Candidate(start, end, "SYSTEM", "CUE_SYSTEM")  # "Mailguard Pro"
                  for start, end in tailed_names(doc, tails, self._is_name, DEPARTMENT_WORDS)]
        lowers = doc.to_array(LOWER)[:-1]  # one array look-up, not a Python visit to every token
        for i in numpy.isin(lowers, self._tool_ids).nonzero()[0].tolist():
            token = doc[i + 1]
            shaped = PRODUCT_TOKEN.match(token.text) and not NOT_PRODUCT_TOKEN.match(token.text) \
                and not counted_word(token.text, self._dictionary)
            if shaped or (doc[i].lower_ == "in" and self._named_in(doc, i + 1)):
                found.append(Candidate(i + 1, i + 2, "SYSTEM", "SHAPE"))
        return found

    def _named_in(self, doc: Doc, i: int) -> bool:
        """Whether the word after "in" is a one-word name for software: "changed it in Pléiade".

        In the labelled answers an unknown acronym after "in" is a system 45 times and never an
        organisation; places, people, teams, months and languages are what else a name can be.
        """
        token = doc[i]
        text = token.text
        if not (text[:1].isupper() and text.isalpha() and not text.isupper()) or token.is_sent_start:
            return False
        low = token.lower_
        if low in self._word_excluded or low in self._dictionary or token.lemma_.lower() in self._dictionary \
                or text in self._first_names or text in self._ambiguous_names:
            return False
        if token.ent_type_ in _NOT_IN_SOFTWARE:
            return False
        after = doc[i + 1] if i + 1 < len(doc) else None
        return after is None or not (after.text[:1].isupper() or after.lower_ in ("'s", "’s"))

    def _usage_name(self, token: Any) -> bool:
        """Whether a token may be a one-word product name (see :mod:`retain.nlp.usage`)."""
        text = token.text
        if not (len(text) > 2 and text.isalpha() and not text.isupper()) or text in self._first_names \
                or text in self._ambiguous_names or token.lower_ in self._word_excluded \
                or token.ent_type_ in KEEP_LABELS or token.is_stop or token.pos_ in NOT_NAME_POS:
            return False
        # Capitalised mid-sentence, any word may be a name; a sentence's first word that is an
        # English word ("Laptops", "Background") is just that ...
        if not token.is_sent_start or (
                token.lower_ not in self._dictionary and token.lemma_.lower() not in self._dictionary):
            return True
        # ... unless it is a singular agent or thing noun, the subject of a real verb:
        # "Rancher looks after the clusters", "Consul keeps track of"; not "Compliance checks",
        # "Training runs", "Procurement handles", "Background checks are done".
        lower = token.lower_
        verb = doc_verb(token)
        return token.pos_ == "NOUN" and token.lemma_.lower() == lower and not lower.endswith(ABSTRACT_ENDINGS) \
            and verb is not None and verb.pos_ == "VERB" and verb.tag_ == "VBZ"

    def _usage_candidates(self, doc: Doc, titles: list[int]) -> list[Candidate]:
        """One-word names that the sentence uses as software: the weakest source, like SHAPE."""
        return [Candidate(i, i + 1, "SYSTEM", "USAGE") for i in usage_names(doc, titles, self._usage_name, self._places)]

    def _word_candidates(self, doc: Doc, titles: list[int]) -> list[Candidate]:
        """One-word names made of a dictionary word ("touched Harbour"): the weakest source."""
        if not self._dictionary:
            return []
        return [Candidate(i, i + 1, "SYSTEM", "WORD")
                for i in word_names(doc, titles, self._dictionary, self._word_excluded)]

    def _cue_name(self, token: Any) -> bool:
        return self._is_name(token) and token.text != "I" and token.pos_ not in ("PRON", "DET", "VERB", "AUX")

    @staticmethod
    def _suffix_word(token: Any) -> bool:
        # "Redline Assurance", "CPA Global"; not a sentence's first word ("Staff Services").
        return bool(token.is_title or (token.is_upper and token.is_alpha and len(token) > 1)) \
            and not token.is_sent_start

    @staticmethod
    def _select(candidates: Sequence[Candidate]) -> list[Candidate]:
        """Non-overlapping rule spans: longest first, then the stronger source, then earliest."""
        ordered = sorted(candidates, key=lambda c: (-c.length, PRIORITY[c.source], c.start))
        taken: set[int] = set()
        chosen: list[Candidate] = []
        for cand in ordered:
            if any(i in taken for i in range(cand.start, cand.end)):
                continue
            chosen.append(cand)
            taken.update(range(cand.start, cand.end))
        return sorted(chosen, key=lambda c: c.start)

    # -- the component ----------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        ents = doc.ents
        read = [ent for ent in ents if not misread_date(ent)]
        if len(read) != len(ents):  # before any check reads a token's ent_type
            doc.ents = read
        ner = [self._trim(piece) for span in doc.ents for piece in self._split(self._relabel(span))]
        uppers = doc.to_array(IS_UPPER).nonzero()[0].tolist()  # read by two rules: shouted names, acronyms
        ner_spans = self._workplaces(doc, self._join_name_parts(doc, self._shouted_people(
            doc, self._add_first_names(doc, [s for s in ner if s is not None]), uppers)))
        rules: list[Span] = []
        blocked: set[int] = set()
        titles = doc.to_array(IS_TITLE).nonzero()[0].tolist()
        usage = self._usage_candidates(doc, titles)
        used = frozenset(c.start for c in usage if doc[c.start].is_sent_start)
        candidates = (self._term_candidates(doc) + self._matcher_candidates(doc) + self._cue_candidates(doc, used, uppers)
                      + self._shape_candidates(doc) + self._word_candidates(doc, titles)
                      + self._product_candidates(doc, titles) + usage
                      + [Candidate(start, end, "SYSTEM", "SHAPE")
                         for start, end in lowercase_tools(doc, self._dictionary, self._stop_words)])
        cued: list[int] = []
        shaped: list[int] = []
        for cand in self._select(candidates):
            span = self._resolve(doc, cand, ner_spans, blocked)
            if span is None and cand.source in ("CUE_STORED", "CUE_VERB"):
                # A weak cue that yields to the model ("moved to Spendbase" may be a person) leaves
                # the name to the other evidence about it: its product shape, its use.
                cand = next((c for c in candidates if (c.start, c.end) == (cand.start, cand.end)
                             and c.source in ("SHAPE", "USAGE")), cand)
                span = self._resolve(doc, cand, ner_spans, blocked) if cand.source in ("SHAPE", "USAGE") else None
            if span is not None:
                if cand.source in ("SHAPE", "USAGE", "CUE_STORED", "CUE_VERB", "PATTERN") or (
                        cand.source == "WORD" and span.label_ == "SYSTEM"):
                    # Weak: a stronger label for the same name wins ("the Greystoke portal" is the
                    # portal of the firm Greystoke Trustees named earlier).
                    shaped.append(len(rules))
                if cand.source.startswith(("CUE", "SUFFIX")) or cand.source in ("PATTERN", "WORD", "USAGE"):
                    cued.append(len(rules))
                rules.append(span)
                blocked.update(range(span.start, span.end))
        if shaped:
            self._follow_cues(rules, shaped, ner_spans)
        cued_spans = [rules[i] for i in cued if rules[i].label_ != "PERSON"]
        kept: list[Span] = []
        for span in ner_spans:
            if any(i in blocked for i in range(span.start, span.end)):
                kept += self._remainders(doc, span, blocked)  # "Barclays BACS" -> Barclays + BACS
            else:
                kept.append(span)
        rules += self._repeats(doc, cued_spans, [*rules, *kept])
        ents = sorted(rules + self._one_label(rules, kept), key=lambda s: s.start)
        ents = sorted(ents + self._short_form_mentions(doc, ents), key=lambda s: s.start)
        ents = sorted(ents + self._employers(doc, ents), key=lambda s: s.start)
        ents = self._conjunct_people(doc, ents)
        ents = sorted(ents + self._conjuncts(doc, ents), key=lambda s: s.start)
        doc.ents = self._place_names.outside_places(doc, without_titles(doc, self._legal_forms(doc, ents)))
        return doc

@Language.factory(COMPONENT, default_config={"glossary": None})
def make_retain_entities(nlp: Language, name: str, glossary: str | None) -> RetainEntities:
    """spaCy factory for :class:`RetainEntities` (``nlp.add_pipe("retain_entities")``)."""
    return RetainEntities(nlp, name, glossary)


__all__ = ["COMPONENT", "DROP_LABELS", "RetainEntities", "make_retain_entities"]
