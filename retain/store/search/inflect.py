"""Light English inflection folding: a word and its plural, past and -ing forms, at query time.

The index keeps words as they were written (no stemmer), and a query word is widened to the
inflected forms of its likely base, so "payroll" finds "payrolls" and "running" finds "run".
Derivations are left alone ("organisation" does not find "organ", "university" does not find
"universe"), which is what porter over-reaches on. Both backends use the same list of forms,
so a query means the same on SQLite and PostgreSQL; docs/search.md explains the choice.
"""

from __future__ import annotations

VOWELS = frozenset("aeiou")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words are never inflected in a way worth searching for, and some would collide
# with real words ("the" -> "thing" by the e-dropping rule).
FUNCTION_WORDS = _words(
    """a about after all also am an and any are as at be been before but by can could did do
    does for from had has have he her him his how i if in into is it its just me more most my
    no not now of off on once only or other our out over own same she should so some such than
    that the their them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your"""
)
# Words whose "-s", "-ed" or "-ing" is not an inflection worth undoing ("evening" is not a
# form of "even", "news" not of "new", "need" not of "nee").
EXACT_WORDS = _words(
    """anything bleed breed building ceiling deed during evening everything feed greed meeting
    morning news nothing reed seed something speed spring steed string thing things weed"""
)
# Forms are only generated for words at least this long; shorter ones match as typed.
MIN_LENGTH = 3


def _is_consonant(char: str) -> bool:
    return char.isalpha() and char not in VOWELS


def _cvc(word: str) -> bool:
    """Ends consonant-vowel-consonant (stop, plan, run): the final consonant doubles."""
    return (
        len(word) >= 3
        and _is_consonant(word[-1])
        and word[-1] not in "wxy"
        and word[-2] in VOWELS
        and _is_consonant(word[-3])
    )


def _bases(word: str) -> set[str]:
    """Candidate base forms of a (possibly inflected) word, the word itself included."""
    bases = {word}
    if word.endswith("ies") and len(word) > 4:
        bases.add(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 4 and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        bases.add(word[:-2])
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        bases.add(word[:-1])
    for suffix in ("ed", "ing"):
        if not word.endswith(suffix) or len(word) < len(suffix) + 2:
            continue
        stem = word[: -len(suffix)]
        if suffix == "ed" and stem.endswith("i"):
            bases.add(stem[:-1] + "y")
            continue
        bases.update({stem, stem + "e"})
        if len(stem) >= 4 and stem[-1] == stem[-2] and _is_consonant(stem[-1]) and stem[-1] not in "ls":
            bases.add(stem[:-1])
    return {base for base in bases if len(base) >= MIN_LENGTH}


def _forms(base: str) -> set[str]:
    """The regular inflected forms of a base word."""
    forms = {base, base + "s"}
    if base.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(base + "es")
    if base.endswith("y") and _is_consonant(base[-2]):
        forms.update({base[:-1] + "ies", base[:-1] + "ied", base + "ing"})
    elif base.endswith("e"):
        forms.update({base + "d", base[:-1] + "ing"})
    else:
        forms.update({base + "ed", base + "ing"})
    if _cvc(base):
        forms.update({base + base[-1] + "ed", base + base[-1] + "ing"})
    return forms


def word_forms(word: str) -> tuple[str, ...]:
    """The forms a query word matches: itself first, then its inflections.

    Only plain lower-case words are widened: anything with digits, non-ASCII letters, or a
    function word matches exactly as typed (case and diacritics are folded by the index).

    Args:
        word: One query word (a single token).

    Returns:
        The word (lower-cased) followed by the other forms, sorted, without duplicates.
    """
    lowered = word.lower()
    if (
        len(lowered) < MIN_LENGTH
        or lowered in FUNCTION_WORDS
        or lowered in EXACT_WORDS
        or not (lowered.isascii() and lowered.isalpha())
    ):
        return (lowered,)
    # An inflected word is widened from its base(s) only: "payrolls" -> payroll's forms, not
    # "payrollses".
    bases = _bases(lowered) - {lowered} or {lowered}
    if lowered.endswith("eed"):  # need, proceed: a base that only looks like a past tense
        bases.add(lowered)
    forms: set[str] = set()
    for base in bases:
        forms.update(_forms(base))
    forms.discard(lowered)
    return (lowered, *sorted(forms))


__all__ = ["word_forms"]
