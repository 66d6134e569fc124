"""People named with a title: "Dr Helen Wakabayashi", "M. Bennani" and "Khun Siriporn" are people, title left out."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from retain.nlp.legalforms import FORM_RE
from retain.nlp.lexicon import TITLE_FORMS


def _is_title(text: str) -> bool:
    # "M." is Monsieur only with its dot; a bare "M" is an initial or a size.
    return text == "M." or text.rstrip(".") in TITLE_FORMS


def without_titles(doc: Doc, ents: list[Span]) -> list[Span]:
    """The entities with a leading title dropped and the rest labelled PERSON.

    Whatever rule found "Dr Renata Pinheiro" (a firm's short form, "reviewed by" a company),
    a title before a capitalised name makes it a person's name. A firm with a legal form
    ("Dr Oetker GmbH") stays as it is.
    """
    result: list[Span] = []
    for span in ents:
        if len(span) >= 2 and _is_title(span[0].text) and span[1].text[:1].isupper() \
                and span.label_ in ("PERSON", "ORG", "SYSTEM", "PRODUCT", "GPE", "NORP", "FAC", "WORK_OF_ART") \
                and not FORM_RE.search(span.text):
            span = Span(doc, span.start + 1, span.end, label="PERSON")
        result.append(span)
    return result


__all__ = ["without_titles"]
