"""One label per name in a text: repeats, short forms, conjuncts and cue-following shapes."""

from __future__ import annotations

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from retain.nlp.cues import ORG_SUFFIXES
from retain.nlp.lexicon import (
    DEPARTMENT_WORDS,
    LEGAL_TAILS,
    NOT_NAMES,
    PERSON_FIXABLE,
)
from retain.nlp.rulestate import RuleState


class OneLabel(RuleState):
    """Label consistency across a text (mixed into ``RetainEntities``)."""

    def _follow_cues(self, rules: list[Span], shaped: list[int], ner: list[Span]) -> None:
        """A name found by its shape or a weak cue takes the label a stronger rule gave it elsewhere.

        "bought from DigiCert ... the DigiCert account" and "their reseller, Farnell ... go
        through Farnell": one organisation each, not a system too; "Ridley Office Solutions ...
        raise it with Ridley": the short form of an organisation is that organisation.
        """
        shaped_set = set(shaped)
        labels = {s.text: s.label_ for i, s in enumerate(rules) if i not in shaped_set}
        short = {form: "ORG" for i, s in enumerate(rules) if i not in shaped_set and s.label_ == "ORG"
                 for form in self._short_forms(s)[1:]}
        # The model's "Greystoke Trustees" makes a later "Greystoke" the firm, not a product shape.
        short |= {form: "ORG" for s in ner if s.label_ == "ORG" for form in self._short_forms(s)[1:]}
        for i in shaped:
            span = rules[i]
            label = labels.get(span.text) or short.get(span.text.casefold())
            if label is not None and label != span.label_:
                rules[i] = Span(span.doc, span.start, span.end, label=label)

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

    def _one_label(self, rules: list[Span], ner: list[Span]) -> list[Span]:
        """One label per name in a text: once a rule calls a name a SYSTEM or an ORG, so is the NER's.

        "Our auditors are Haines Watts, and Tobias from Haines Watts": the cue's ORG wins over
        the model's PERSON for the second mention too; "Osmond Fairley LLP" makes a later
        "Osmond Fairley" an ORG, and "Kestrel Office Supplies" a later "Kestrel".
        """
        names: dict[str, str] = {}
        for span in rules:
            if span.label_ in ("SYSTEM", "ORG"):
                for form in self._short_forms(span):
                    names.setdefault(form, span.label_)
        for span in ner:
            if span.label_ == "ORG":
                # The model's "Wrenfield Analytics" makes a later "Wrenfield's portal" the firm too,
                # and a firm it found once is not a person the next time ("with Corrugo").
                for form in self._short_forms(span):
                    names.setdefault(form, "ORG")
        if not names:
            return ner
        out: list[Span] = []
        for span in ner:
            label = names.get(span.text.casefold())
            if label is not None and label != span.label_ and (
                span.label_ in PERSON_FIXABLE or span.label_ == "PERSON"
            ) and not (len(span) == 1 and span.text in self._first_names):
                span = Span(span.doc, span.start, span.end, label=label)
            out.append(span)
        return out

    def _short_forms(self, span: Span) -> list[str]:
        forms = [span.text.casefold()]
        if span.label_ != "ORG" or len(span) < 2:
            return forms
        if span[-1].lower_ in LEGAL_TAILS:
            forms.append(span[:-1].text.casefold())  # "Osmond Fairley LLP" -> "Osmond Fairley"
            span = span[:-1]  # "Maxwell Freight Ltd" -> "Maxwell Freight" -> "Maxwell"
        if len(span) >= 2 and span[-1].text in ORG_SUFFIXES and span[0].text not in self._first_names \
                and span[0].lower_ not in DEPARTMENT_WORDS:
            forms.append(span[0].text.casefold())  # "Kestrel Office Supplies" -> "Kestrel"
        return forms

    def _short_form_mentions(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A firm's one-word short form where nothing found it: "Larchmont Systems ... Larchmont still charge us"."""
        forms = {form for s in ents if s.label_ == "ORG" and len(s) >= 2
                 for form in self._short_forms(s)[1:] if " " not in form}
        if not forms:
            return []
        covered = {i for s in ents for i in range(s.start, s.end)}
        return [Span(doc, t.i, t.i + 1, label="ORG") for t in doc
                if t.i not in covered and t.is_title and t.lower_ in forms and not t.is_sent_start
                and t.lower_ not in NOT_NAMES]

    def _conjunct_people(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A one-word "person" listed with a system is one too: "pulls from QuoteForge and Pipewell"."""
        out = list(ents)
        for index, span in enumerate(out):
            if span.label_ != "PERSON" or len(span) != 1 or index == 0 or span[0].dep_ != "conj" \
                    or self._is_first_name(span[0], surname_follows=True):
                continue
            before = out[index - 1]
            gap = doc[before.end:span.start]
            if before.label_ == "SYSTEM" and 0 < len(gap) <= 2 and all(t.lower_ in ("and", "or", ",") for t in gap):
                out[index] = Span(doc, span.start, span.end, label="SYSTEM")
        return out

    @staticmethod
    def _conjuncts(doc: Doc, ents: list[Span]) -> list[Span]:
        """A bare name joined to a known ORG or SYSTEM: "with Hiscox and Beazley", "Xero, Dext and Chaser"."""
        by_token = {i: s for s in ents for i in range(s.start, s.end)}
        found: list[Span] = []
        queue = sorted(ents, key=lambda s: s.start)
        index = 0
        while index < len(queue):
            span = queue[index]
            index += 1
            if span.label_ not in ("ORG", "SYSTEM") or span.end + 1 >= len(doc):
                continue
            nxt = span.end + 1
            if doc[span.end].text == "," and doc[nxt].lower_ in ("and", "or") and nxt + 1 < len(doc):
                nxt += 1  # "Xero, Dext, and Chaser"
            elif doc[span.end].lower_ not in ("and", "or", ","):
                continue
            token = doc[nxt]
            if nxt in by_token or token.pos_ != "PROPN" or not token.text[:1].isupper() \
                    or token.lower_ in NOT_NAMES or token.dep_ != "conj":
                continue
            end = nxt + 1
            while end < len(doc) and end - nxt < 3 and end not in by_token and doc[end].pos_ == "PROPN" \
                    and doc[end].text[:1].isupper():
                end += 1
            if end < len(doc) and doc[end].pos_ == "NOUN":
                continue  # "Xero and Sage reports": the pair modifies a noun
            found.append(Span(doc, nxt, end, label=span.label_))
            by_token.update(dict.fromkeys(range(nxt, end), found[-1]))
            queue.insert(index, found[-1])  # the list goes on: "Xero, Dext and Chaser"
        return found


__all__ = ["OneLabel"]
