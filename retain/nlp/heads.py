"""Head-word patterns: "the Atlas data warehouse", "the Treasury Hub", "a Trendwell controller"."""

from __future__ import annotations

from spacy.tokens import Doc

from retain.nlp.lexicon import (
    A_SYSTEM_HEADS,
    DETERMINER_SET,
    INDEFINITE_ARTICLES,
    MODIFIER_SET,
    NAMED_HEADS,
)
from retain.nlp.rulestate import Candidate, RuleState


class HeadPatterns(RuleState):
    """A name before a system's head word (mixed into ``RetainEntities``)."""

    def _pattern_candidate(self, doc: Doc, head: int) -> Candidate | None:
        """ "the Atlas data warehouse" -> Atlas: a determiner, one to three names, a modifier, a head.

        Walked back from the head word (found by the phrase matcher): far cheaper than a token
        pattern that starts at every "the".
        """
        if doc[head].is_title:
            return self._named_head(doc, head)
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
        if start == end or start == 0:
            return None
        article = doc[start - 1].lower_
        # "a Trendwell controller", but "an 8D report" or "a Brackenbury report" name no system.
        indefinite = article in INDEFINITE_ARTICLES and doc[head].lower_ in A_SYSTEM_HEADS and all(
            any(ch.islower() for ch in t.text) for t in doc[start:end])
        if article not in DETERMINER_SET and not indefinite:
            return None
        return Candidate(start, end, "SYSTEM", "PATTERN")

    def _named_head(self, doc: Doc, head: int) -> Candidate | None:
        """ "the Treasury Hub", "the KYC Portal": a capitalised head is part of the system's name.

        Only for heads no organisation's name ends in ("the Crown Commercial Service" is one),
        and the words before it may be generic ones ("Treasury", "KYC").
        """
        if doc[head].lower_ not in NAMED_HEADS:
            return None
        start = head
        while start > 0 and head - start < 3 and self._name_re.match(doc[start - 1].text) and (
            doc[start - 1].lower_ not in DETERMINER_SET
        ):
            start -= 1
        if start == head or start == 0 or doc[start - 1].lower_ not in DETERMINER_SET:
            return None
        return Candidate(start, head + 1, "SYSTEM", "PATTERN")


__all__ = ["HeadPatterns"]
