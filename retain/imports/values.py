"""Turn a spoken answer into the value a typed question stores (choice, yes/no, scale, date)."""

from __future__ import annotations

import re
from datetime import date

from retain.guides.schema import Question

_YES = re.compile(r"^\W*(yes|yeah|yep|yup|sure|of course|absolutely|definitely|certainly)\b", re.I)
_NO = re.compile(r"^\W*(no|nope|not really|rather not|i'd rather not)\b", re.I)
_SCALE = re.compile(r"\b([1-5])\b(?:\s*(?:out of|/)\s*5)?")
_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
FREE_TEXT = frozenset({"text", "short", "list"})


def spoken_value(question: Question, spoken: str) -> str | None:
    """The value to store for ``question`` from what was said, or ``None`` if none is clear.

    Free-text and list questions keep the spoken words (a list question's rows are then
    filled in by the interviewer); choice questions take the option the words match best.
    """
    if question.type in FREE_TEXT:
        return spoken
    if question.type == "choice":
        from rapidfuzz import fuzz, process, utils

        found = process.extractOne(
            spoken, question.options, scorer=fuzz.token_set_ratio,
            processor=utils.default_process, score_cutoff=70,
        )
        return str(found[0]) if found else None
    if question.type == "yesno":
        if _YES.match(spoken):
            return "yes"
        return "no" if _NO.match(spoken) else None
    if question.type == "scale":
        found_scale = _SCALE.search(spoken)
        return found_scale.group(1) if found_scale else None
    if question.type == "date":
        found_date = _ISO.search(spoken)
        if found_date is None:
            return None
        try:
            return date.fromisoformat(found_date.group(1)).isoformat()
        except ValueError:
            return None
    return None
