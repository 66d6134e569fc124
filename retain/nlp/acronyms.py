"""Acronyms that name a body: "returns go to URSSAF", "registered with ACRA", "the HPRA audits us"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# Before an unknown acronym, these words mean an organisation far more often than software in
# the labelled answers: "to" 27 to 1, "with" 9 to 2, "the" 69 to 19 (most of those 19 known
# systems such as BACS, which the lists decide first).
BODY_BEFORE = frozenset({"to", "with", "the"})
# ...unless what follows is something only software has: "the ESR extract", "the BACS file".
THING_AFTER = frozenset({"file", "files", "extract", "extracts", "submission", "submissions", "export",
                         "exports", "import", "imports", "upload", "uploads", "database", "server",
                         "servers", "system", "systems", "hosts", "box", "boxes", "record", "records",
                         "login", "logins", "screen", "screens", "tab", "module", "report", "reports",
                         "account", "accounts", "reference", "code", "codes", "format", "template"})
MIN_LENGTH, MAX_LENGTH = 2, 6
# Finite verbs: the acronym is the subject ("the FRC has", "the DVLA are"), not a modifier.
_FINITE = frozenset({"VBZ", "VBP", "VBD", "MD"})


def body_acronyms(doc: Any, excluded: Callable[[str], bool],
                  candidates: Iterable[int] | None = None) -> list[tuple[int, int]]:
    """Token spans of one all-capital acronym after "to" or "with", or "the" and before a verb.

    Args:
        doc: The parsed answer.
        excluded: True for a casefolded word that is never an organisation here (departments,
            generic acronyms such as KPI, places such as the UK).
        candidates: Token indexes to look at; every token when None.
    """
    found: list[tuple[int, int]] = []
    indexes = range(1, len(doc)) if candidates is None else (i for i in candidates if i > 0)
    for i in indexes:
        token = doc[i]
        text = token.text
        if not (MIN_LENGTH <= len(text) <= MAX_LENGTH and text.isalpha() and text.isupper()):
            continue
        if doc[i - 1].lower_ not in BODY_BEFORE or excluded(token.lower_):
            continue
        after = doc[i + 1] if i + 1 < len(doc) else None
        if after is not None and (after.lower_ in THING_AFTER or (after.text[:1].isupper() and after.is_alpha)):
            continue  # "the ESR extract"; "the NHS Trust" is a longer name for other rules
        if doc[i - 1].lower_ == "the" and not (after is not None and after.tag_ in _FINITE):
            continue  # "the CAFM", "the SAML signing key" are things; "the HPRA audits us" is a body
        found.append((i, i + 1))
    return found


__all__ = ["BODY_BEFORE", "THING_AFTER", "body_acronyms"]
