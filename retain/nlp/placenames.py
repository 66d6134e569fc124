"""Names inside a place's name: "Paulo" of "São Paulo" and "Chi Minh City" are no person or system."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

_NAME_LABELS = frozenset({"PERSON", "ORG", "SYSTEM", "PRODUCT", "WORK_OF_ART", "NORP"})


class PlaceNames:
    """Finds places of more than one word ("Novi Sad", "Dar es Salaam") in an answer.

    Args:
        nlp: The pipeline whose vocabulary and tokenizer the patterns use.
        places: Place names, any case; the one-word ones are left to other checks.
    """

    def __init__(self, nlp: Language, places: Iterable[str]) -> None:
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        multiword = sorted(p for p in places if " " in p)
        if multiword:
            self._matcher.add("PLACE", [nlp.make_doc(place) for place in multiword])

    def outside_places(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """The entities less any name that lies inside a many-word place's name.

        The small model reads "São Paulo" as "São" and a person called Paulo, and "Ho Chi Minh
        City" as a person; a name that runs past the place ("New York Life") is kept.
        """
        places = [(start, end) for _, start, end in self._matcher(doc)]
        if not places:
            return ents
        return [span for span in ents if not (span.label_ in _NAME_LABELS and any(
            start <= span.start and span.end <= end for start, end in places))]


__all__ = ["PlaceNames"]
