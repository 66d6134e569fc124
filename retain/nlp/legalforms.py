"""Company legal forms: "Rovelli S.r.l.", "Mirovia Sp. z o.o." and "Rautakiito Oy" are firms, form and all."""

from __future__ import annotations

import re

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from retain.nlp.windows import in_sorted, sorted_ids

# Forms written with their dots: a period right after one belongs to the name ("Quade & Rusk
# Inc., and ..."), even where it also ends the sentence.
_DOTTED = ("Inc", "Corp", "Co", "S.A", "S.L", "S.r.l", "S.R.L", "S.p.A", "S.A.S", "S.A.C",
           "S.A.B", "S.A. de C.V", "S. de R.L", "S.A.U", "B.V", "N.V", "K.K", "s.r.o", "a.s",
           "Sp. z o.o", "sp. z o.o", "d.o.o", "e.V", "A.Ş")
# Forms written without: a period after "Ltd" ends the sentence, not the name ("from Geoplex Ltd.").
_UNDOTTED = ("GmbH & Co. KG", "GmbH", "AG", "KG", "SA", "SAS", "SARL", "SpA", "Srl", "BV", "NV", "AB",
             "Oy", "Oyj", "ASA", "A/S", "ApS", "Pty Ltd", "Pte Ltd", "Pvt Ltd", "Sdn Bhd", "Bhd",
             "LLC", "LLP", "PLC", "plc", "Ltd", "Ltda", "Limited", "Kft", "Zrt", "SRL")
_FORMS = sorted({*_DOTTED, *(f"{form}." for form in _DOTTED if "." in form), *_UNDOTTED}, key=len, reverse=True)
FORM_RE = re.compile(r"(?<![\w.&/-])(?:" + "|".join(map(re.escape, _FORMS)) + r")(?![\w/-]|\.\w)")
_ENDS_WITH_DOT = frozenset(_DOTTED)
_NAME_LABELS = frozenset({"ORG", "PERSON", "SYSTEM", "GPE", "PRODUCT", "FAC", "NORP", "WORK_OF_ART"})
_JOINERS = frozenset({"&", "and", "+", "-"})
_LONGEST_NAME = 5  # tokens before the form


def _form_span(doc: Doc, text: str, match: re.Match[str]) -> Span | None:
    end = match.end()
    if match.group().rstrip(".") in _ENDS_WITH_DOT and text.startswith(".", end) and not match.group().endswith("."):
        end += 1
    return doc.char_span(match.start(), end, alignment_mode="expand")


def _name_start(doc: Doc, form_start: int, taken: set[int]) -> int | None:
    """Where the capitalised name before a form begins ("Minase Soft" in "Minase Soft K.K.")."""
    start = form_start
    while start > 0 and form_start - start < _LONGEST_NAME and start - 1 not in taken:
        token = doc[start - 1]
        capitalised = token.text[:1].isupper() and not token.is_stop
        joiner = token.lower_ in _JOINERS and start - 1 > 0 and doc[start - 2].text[:1].isupper() \
            and start < form_start
        if not (capitalised or joiner):
            break
        start -= 1
    while start < form_start and doc[start].lower_ in _JOINERS:
        start += 1
    return start if start < form_start else None


class LegalForms:
    """Runs every firm's name to the end of its legal form.

    Args:
        nlp: The pipeline whose tokenizer splits the forms: an answer with none of their
            tokens is passed over with one array look-up, before its text is ever joined.
    """

    def __init__(self, nlp: Language) -> None:
        tokens = {t.text for form in _FORMS for t in nlp.make_doc(form) if any(ch.isalpha() for ch in t.text)}
        self._ids = sorted_ids(nlp.vocab.strings, tokens)

    def __call__(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """The entities with every firm's name running to the end of its legal form, labelled ORG.

        A name the recogniser cut short ("Rovelli S.r.l" without its dot, "Mirovia Sp" of
        "Mirovia Sp. z o.o.") is extended, one that ran past the form into the next sentence
        ("Nubarrón S.L. Market") is cut after it, and a name it missed ("Minase Soft K.K.") is
        added. Whatever the name was labelled, a legal form makes it an organisation.
        """
        if not in_sorted(doc.to_array(ORTH), self._ids).any():
            return ents
        text = doc.text
        result = sorted(ents, key=lambda s: s.start)
        for match in FORM_RE.finditer(text):
            form = _form_span(doc, text, match)
            if form is None:
                continue
            base = next((e for e in result if e.start < form.start <= e.end), None)
            if base is not None and base.label_ not in _NAME_LABELS:
                continue
            if base is not None and base.end > form.end:
                after = doc[form.end]
                if not (form.text.endswith(".") and after.text[:1].isupper()):
                    continue  # the form sits inside a longer name; leave it as it is
            if base is not None:
                start = base.start
            else:
                taken = {i for e in result for i in range(e.start, e.end)}
                found = _name_start(doc, form.start, taken)
                if found is None:
                    continue
                start = found
            span = Span(doc, start, form.end, label="ORG")
            others = [e for e in result if e is not base and e.start < span.end and span.start < e.end]
            if any(e.start < span.start or e.end > span.end for e in others):
                continue  # it would cut into another entity
            result = sorted([e for e in result if e is not base and e not in others] + [span],
                            key=lambda s: s.start)
        return result


__all__ = ["FORM_RE", "LegalForms"]
