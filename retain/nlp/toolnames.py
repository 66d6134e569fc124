"""Product shapes: name endings and tails, lower-case tools and hosts ("payd", "vault02", "contract-bot")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

# -- product shapes the rule component matches on tokens -------------------------------------
# Endings of invented product names ("Notifyly", "Rotaware", "Spendbase", "Kestrelops").
PRODUCT_ENDINGS = ("ly", "ify", "io", "hub", "ops", "base", "desk", "stack", "flow", "ware")
# A lower-case product with a digit after a tool preposition: "with k6", "by n8n", "using s3cmd".
PRODUCT_TOKEN = re.compile(r"^[a-z]+\d[a-z\d]*$")
NOT_PRODUCT_TOKEN = re.compile(r"^(?:q[1-4]|h[12]|v\d+|fy\d+|a[0-9]|p\d|t\d|x86|mp[34]|ipv[46]|sha\d+|md5|"
                               r"utf\d+|covid\d*|b2[bc]|p2p|e2e|[a-z]\d{3,})$")
# Words that end a product's name: "Mailguard Pro", "Strata CMS", "RRP Connect", "Sage 200".
PRODUCT_TAILS = frozenset({"Pro", "Plus", "Cloud", "Connect", "Online", "Suite", "Studio", "CMS", "360",
                           "Enterprise"})
TOOL_PREPOSITIONS = frozenset({"with", "using", "via", "by", "in", "into", "through", "run", "runs", "use",
                               "uses", "used"})

# -- lower-case names found from the text ---------------------------------------------------
# One lower-case word, maybe hyphenated or with digits: the shape of a script, a repo or a host.
_WORD = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
# What only a script, tool or machine is: "a tiny app called pickit", "a box called vault02".
_CALLED = re.compile(rf"\b(?:called|named)\s+({_WORD})\b")
# A host or build agent: letters, then a number of two digits or more ("build01", "cnc-store01").
_HOST = re.compile(r"(?<![\w.@/-])([a-z]{3,}(?:-[a-z]+)*-?\d{2,})(?![\w@/-]|\.\w)")
# Shorter host shapes, kept only when the letters are no English word ("sprint2", "phase3"):
# "dc01", "admapp2", "wh-prt04", "sync-crm1", "crucible-web1".
_SHORT_HOST = re.compile(r"(?<![\w.@/-])((?:[a-z]{2,}(?:-[a-z0-9]+)*-[a-z]+\d+)|[a-z]{2}\d{2,}|[a-z]{4,}\d)"
                         r"(?![\w@/-]|\.\w)")
# Two letters and a number that are a period or a key stage, not a machine: "fy24", "ks3".
_NOT_HOST_PREFIXES = frozenset({"fy", "cy", "py", "ly", "ny", "wk", "yr", "ks", "mo", "gp", "id", "no", "op", "pt",
                                "ch", "pg", "vs", "am", "pm", "mk", "ps"})
# "payd is the little script Siobhan wrote", "migratr is our home-made migration tool".
_IS_A_TOOL = re.compile(
    rf"(?<![\w-])({_WORD})\s+(?:is|was)\s+(?:just\s+)?(?:the|a|an|our|their|my)\s+(?:[\w-]+\s+){{0,3}}?"
    r"(?:script|scripts|tool|app|bot|service|system|job|database|server|box|utility|program|macro|"
    r"spreadsheet|workbook|cli|library|repo|repository|pipeline|plugin|extension|wrapper|daemon)\b"
)
# After a tool preposition a rare lower-case word is a tool only if the text names it again:
# "written in migratr ... Don't run migratr against the replica".
_AFTER_TOOL_WORD = re.compile(rf"\b(?:in|into|on|onto|with|using|via|through|from|run|runs|ran)\s+({_WORD})\b")
# Formats, protocols and shorthand people type in lower case: never a tool's name here.
NOT_TOOLS = frozenset({
    "csv", "json", "xml", "yaml", "yml", "pdf", "xlsx", "xls", "docx", "doc", "txt", "html", "http",
    "https", "sftp", "ftp", "ftps", "ssh", "scp", "smtp", "imap", "pop3", "sql", "api", "apis", "url",
    "urls", "regex", "cron", "vpn", "wifi", "wi-fi", "lan", "wan", "dns", "tls", "ssl", "prod", "uat",
    "dev", "qa", "etc", "eg", "ie", "vs", "aka", "asap", "fyi", "ok", "okay", "tbc", "tbd", "n/a",
    "ipv4", "ipv6", "utf-8", "utf8", "mp3", "mp4", "covid-19", "covid19", "24-7", "b2b", "b2c",
    "e-mail", "email", "emails", "online", "offline", "login", "logins", "signup", "startup",
    "wifi6", "5g", "4g", "3g", "x86", "arm64", "amd64", "win10", "win11", "iso27001",
})


def tailed_names(doc: Any, tails: Iterable[int], is_name: Callable[[Any], bool],
                 generic: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of one or two capitalised names before a product tail ("Mailguard Pro", "RRP Connect").

    A tail inside a longer capitalised name ("Stratus Cloud Services") and a generic word before
    it ("Finance Pro") make no product.
    """
    found: list[tuple[int, int]] = []
    for i in tails:
        start = i
        while start > 0 and i - start < 2 and is_name(doc[start - 1]) and doc[start - 1].text[:1].isupper() \
                and doc[start - 1].lower_ not in generic:
            start -= 1
        if start < i and (i + 1 >= len(doc) or not doc[i + 1].text[:1].isupper()):
            found.append((start, i + 1))
    return found


def counted_word(word: str, dictionary: frozenset[str]) -> bool:
    """Whether a word and a number are a thing counted, not a machine: "phase3", "sprint2", "ks3"."""
    match = re.match(r"[a-z]*", word.lower())
    letters = match.group() if match else ""
    return (len(letters) > 3 and letters in dictionary) or (len(letters) == 2 and letters in _NOT_HOST_PREFIXES)


def lowercase_tools(doc: Any, dictionary: frozenset[str], stop_words: frozenset[str]) -> list[tuple[int, int]]:
    """Token spans of lower-case tool names the text itself gives away.

    A name counts when the text calls it something ("a box called vault02"), says what it is
    ("payd is the little script"), has a host's shape ("build01"), or uses a rare word after a
    tool preposition and names it again. Then every mention is returned, not only the first.
    Dictionary words, stop words, formats and protocols never count.

    Args:
        doc: A spaCy Doc.
        dictionary: Lower-case English words (the lemmatizer's index).
        stop_words: The language's stop words.
    """
    text = doc.text
    if not any(ch.islower() for ch in text):
        return []

    def plain(word: str) -> bool:
        return word in NOT_TOOLS or word in stop_words or (
            "-" not in word and not any(ch.isdigit() for ch in word) and (word in dictionary or len(word) < 4))

    names: set[str] = set()
    for pattern in (_CALLED, _IS_A_TOOL):
        names.update(m.group(1) for m in pattern.finditer(text) if not plain(m.group(1)))
    names.update(m.group(1) for m in _HOST.finditer(text) if m.group(1) not in NOT_TOOLS)
    for match in _SHORT_HOST.finditer(text):
        word = match.group(1)
        if word not in NOT_TOOLS and not NOT_PRODUCT_TOKEN.match(word) \
                and ("-" in word or not counted_word(word, dictionary)):
            names.add(word)
    for match in _AFTER_TOOL_WORD.finditer(text):
        word = match.group(1)
        if word not in names and not plain(word) and len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)) > 1:
            names.add(word)
    spans: list[tuple[int, int]] = []
    for word in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-]|\.\w)", text):
            span = doc.char_span(match.start(), match.end())
            if span is not None:
                spans.append((span.start, span.end))
    return sorted(set(spans))


__all__ = ["NOT_PRODUCT_TOKEN", "NOT_TOOLS", "PRODUCT_ENDINGS", "PRODUCT_TAILS", "PRODUCT_TOKEN",
           "TOOL_PREPOSITIONS", "counted_word", "lowercase_tools", "tailed_names"]
