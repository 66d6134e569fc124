"""Text hygiene for pack output: XML-safe text for Word, file-name slugs, paragraph splitting."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Characters XML 1.0 forbids: C0 controls other than tab/newline/carriage return, lone
# surrogates, and U+FFFE/U+FFFF. Word refuses a file that holds one, so they go from .docx
# output only; every other format keeps the answer exactly as typed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, and their presentation
# forms): a paragraph that starts with one reads right to left.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LTR = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff]")


def xml_safe(text: str) -> str:
    """Remove the characters XML 1.0 cannot hold; keep CJK, right-to-left text and emoji."""
    if _XML_INVALID.search(text) is None:
        return text
    return _XML_INVALID.sub("", text)


def xml_safe_tree(value: Any) -> Any:
    """Apply :func:`xml_safe` to every string of a context (dicts, lists and tuples)."""
    return prepare_for_xml(value)[0]


def prepare_for_xml(value: Any) -> tuple[Any, bool]:
    """A copy of a context with XML-invalid characters removed, and whether it holds RTL text.

    The context shares objects (an entry sits in its section, the appendix and ``entries``);
    each is cleaned once and stays shared, so a 2,000-answer pack is walked once, not four times.
    """
    seen: dict[int, Any] = {}
    rtl = False

    def clean(item: Any) -> Any:
        nonlocal rtl
        if isinstance(item, str):
            if not rtl and _RTL.search(item) is not None:
                rtl = True
            return xml_safe(item)
        if not isinstance(item, dict | list | tuple):
            return item
        key = id(item)
        if key in seen:
            return seen[key]
        if isinstance(item, dict):
            out: Any = {}
            seen[key] = out
            for name, child in item.items():
                out[name] = clean(child)
            return out
        if isinstance(item, list):
            listed: list[Any] = []
            seen[key] = listed
            listed.extend(clean(child) for child in item)
            return listed
        result = tuple(clean(child) for child in item)
        seen[key] = result
        return result

    return clean(value), rtl


def is_rtl(text: str) -> bool:
    """Whether the first strongly directional letter of ``text`` is right-to-left."""
    rtl = _RTL.search(text)
    if rtl is None:
        return False
    ltr = _LTR.search(text)
    return ltr is None or rtl.start() < ltr.start()


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left letter."""
    return _RTL.search(text) is not None


def paragraphs(text: str) -> list[str]:
    """Split an answer into paragraphs: one per non-blank line, trailing spaces trimmed."""
    return [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def slugify(value: str, fallback: str = "interview") -> str:
    """A file-name-safe slug: ``"Zoë O'Neil"`` becomes ``"zoe-oneil"``; CJK letters are kept."""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("'", "").replace("\u2019", "")
    slug = re.sub(r"[^\w]+", "-", plain.casefold()).strip("-_")
    return slug[:60].strip("-_") or fallback
