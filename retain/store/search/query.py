"""The search query language, parsed once; retain.store.search.compile turns it into an index query."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from retain.errors import InvalidInput
from retain.store.search.inflect import word_forms

# Input bounds. Every word becomes clauses of the index query (its inflections, a prefix's
# expansions), so a query of hundreds of words would be a query of thousands of clauses;
# nobody types more than a sentence into a search box. LIKE filters (who, --person) get a
# shorter bound: PostgreSQL and SQLite refuse patterns of ~50,000 characters as "too complex".
MAX_QUERY_CHARS = 5_000
MAX_QUERY_TERMS = 32
MAX_FILTER_CHARS = 200

# A prefix shorter than this would expand to a large share of the vocabulary, so `a*` is read
# as the word "a" instead.
MIN_PREFIX = 2


@dataclass(frozen=True)
class Term:
    """One searchable unit: a word, an exact phrase, or a prefix.

    ``tokens`` are the word pieces the tokenizers will see (``e-mail`` is ``e`` then ``mail``);
    ``raw`` is the text as typed, which PostgreSQL re-parses with its own parser so that e-mail
    addresses, URLs and hyphenated words match the way they were indexed. ``forms`` is set for
    a plain word: the word and its inflections, any of which matches.
    """

    raw: str
    tokens: tuple[str, ...]
    prefix: bool = False
    phrase: bool = False
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    """A query as clauses that must all match, each clause any of its terms, minus exclusions."""

    clauses: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = field(default=())

    @property
    def empty(self) -> bool:
        """Whether nothing positive is left to match (an empty or punctuation-only query)."""
        return not self.clauses

    def terms(self) -> list[Term]:
        """Every positive term, in order."""
        return [term for clause in self.clauses for term in clause]


def _is_token_char(char: str) -> bool:
    # Letters, digits and combining marks (folded into the letter they follow), as the index's
    # tokenizer keeps them; the index's own analyzer then splits and folds each piece again.
    category = unicodedata.category(char)
    return category[0] in ("L", "N", "M") or category == "Co"


def fold(text: str) -> str:
    """Lower-case and strip diacritics, as both indexes do (``Müller`` -> ``muller``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def tokenize(text: str) -> tuple[str, ...]:
    """Split text into word pieces the way the unicode61 tokenizer does (case kept)."""
    tokens: list[str] = []
    current: list[str] = []
    for char in text:
        if _is_token_char(char):
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tuple(tokens)


@dataclass
class _Piece:
    text: str
    quoted: bool
    negated: bool


def _scan(query: str) -> list[_Piece]:
    """Split a query into words and quoted phrases; an unbalanced quote is just a character."""
    pieces: list[_Piece] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
            continue
        negated = char == "-" and i + 1 < n and query[i + 1] == '"'
        start = i + 1 if negated else i
        if query[start] == '"':
            end = query.find('"', start + 1)
            if end != -1:
                pieces.append(_Piece(query[start + 1 : end], quoted=True, negated=negated))
                i = end + 1
                continue
            # Unbalanced: read the rest literally, the stray quote being mere punctuation.
            i = start + 1
            continue
        end = start
        while end < n and not query[end].isspace() and query[end] != '"':
            end += 1
        pieces.append(_Piece(query[start:end], quoted=False, negated=False))
        i = end
    return pieces


def _term(piece: _Piece) -> tuple[Term | None, bool]:
    """Turn one piece into a term and whether it is excluded; ``None`` when it has no words."""
    if piece.quoted:
        tokens = tokenize(piece.text)
        return (Term(piece.text, tokens, phrase=True) if tokens else None), piece.negated
    text = piece.text
    negated = False
    if text.startswith("-") and len(text) > 1:
        negated = True
        text = text[1:]
    prefix = text.endswith("*")
    core = text.rstrip("*")
    tokens = tokenize(core)
    if not tokens:
        return None, negated
    if prefix and len(tokens[-1]) < MIN_PREFIX:
        prefix = False
    if len(tokens) == 1 and not prefix:
        return Term(core, tokens, forms=word_forms(tokens[0])), negated
    return Term(core, tokens, prefix=prefix, phrase=len(tokens) > 1), negated


def clean_text(text: str) -> str:
    """Control characters (NUL included, which PostgreSQL refuses) become spaces."""
    return "".join(" " if unicodedata.category(char) in ("Cc", "Cs") else char for char in text)


def parse_query(query: str) -> ParsedQuery:
    """Parse the user query language; never raises.

    The language is the same on SQLite and PostgreSQL:

    * ``word word``: every word must match, in any inflection (``payroll`` finds
      ``payrolls``, ``running`` finds ``run``; see :mod:`retain.store.search.inflect`);
    * ``"exact phrase"``: the words in this order, exactly as written (case and diacritics
      aside), so quoting a single word turns the inflections off;
    * ``a OR b``: either (``OR`` in capitals, between two terms);
    * ``-word`` or ``-"a phrase"``: answers without it;
    * ``pay*``: any word starting with ``pay`` (at least two letters).

    Anything malformed is read literally: an unbalanced quote is ignored, a bare ``-``, ``*``
    or stray punctuation matches nothing and is dropped, an ``OR`` with nothing on one side is
    the word "or", and other engines' syntax such as ``NEAR``, ``:``, ``^`` or ``(`` is plain text.
    A query with only exclusions is read as its words, because "everything except X" is not
    a search anyone means.

    Args:
        query: The text the user typed.

    Returns:
        The parsed query; :attr:`ParsedQuery.empty` when there is nothing to search for.
    """
    pieces = _scan(clean_text(query))
    items: list[tuple[str, Term | None, bool]] = []
    for piece in pieces:
        if not piece.quoted and piece.text == "OR":
            items.append(("or", None, False))
            continue
        term, negated = _term(piece)
        if term is not None:
            items.append(("term", term, negated))
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for index, (kind, term, negated) in enumerate(items):
        if kind == "or":
            # A run of ORs between two positive terms is one operator ("a OR OR b" is a OR b);
            # anywhere else OR is the word "or".
            before = next((item for item in reversed(items[:index]) if item[0] != "or"), None)
            after = next((item for item in items[index + 1 :] if item[0] != "or"), None)
            between = (
                before is not None and not before[2] and after is not None and not after[2]
                and bool(clauses)
            )
            if between:
                join_next = True
                continue
            term = Term("or", ("or",), forms=("or",))
        assert term is not None
        if negated:
            excluded.append(term)
            join_next = False
            continue
        if join_next and clauses:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    if not clauses and excluded:
        clauses = [[term] for term in excluded]
        excluded = []
    return ParsedQuery(tuple(_dedupe(clause) for clause in clauses), tuple(excluded))


def check_query(query: str) -> None:
    """Refuse a query past the bounds, with what to do instead.

    :func:`parse_query` accepts any string; this says no before a database sees a query
    that would overflow its parser or run for minutes.

    Raises:
        InvalidInput: If the query is longer than :data:`MAX_QUERY_CHARS` characters or has
            more than :data:`MAX_QUERY_TERMS` words, phrases and exclusions.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"the search is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}: "
            "search for a few distinctive words"
        )
    parsed = parse_query(query)
    count = len(parsed.terms()) + len(parsed.excluded)
    if count > MAX_QUERY_TERMS:
        raise InvalidInput(
            f"the search has {count} words, phrases and exclusions; the limit is "
            f"{MAX_QUERY_TERMS}: search for a few distinctive words"
        )
    # A long phrase is one term but many words, each an operand PostgreSQL must match.
    words = sum(len(term.tokens) for term in (*parsed.terms(), *parsed.excluded))
    if words > 2 * MAX_QUERY_TERMS:
        raise InvalidInput(
            f"the search has {words} words; the limit is {2 * MAX_QUERY_TERMS}: "
            "search for a few distinctive words"
        )


def check_filter(name: str, value: str | None) -> None:
    """Refuse a text filter (``who`` topic, ``--person``, ``--label``) past :data:`MAX_FILTER_CHARS`.

    Raises:
        InvalidInput: Naming the filter and the limit.
    """
    if value is not None and len(value) > MAX_FILTER_CHARS:
        raise InvalidInput(
            f"{name} is {len(value):,} characters long; the limit is {MAX_FILTER_CHARS}: "
            "give a name or a short phrase"
        )


def _dedupe(clause: list[Term]) -> tuple[Term, ...]:
    seen: set[tuple[tuple[str, ...], bool, bool]] = set()
    kept: list[Term] = []
    for term in clause:
        key = (tuple(t.casefold() for t in term.tokens), term.prefix, bool(term.forms))
        if key not in seen:
            seen.add(key)
            kept.append(term)
    return tuple(kept)


__all__ = [
    "MAX_FILTER_CHARS",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "MIN_PREFIX",
    "ParsedQuery",
    "Term",
    "check_filter",
    "check_query",
    "clean_text",
    "fold",
    "parse_query",
    "tokenize",
]
