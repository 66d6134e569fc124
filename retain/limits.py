"""Size limits on what people type or paste, checked before anything is stored."""

from __future__ import annotations

from retain.errors import InvalidInput

# 5 MB is a long transcript several times over, and a 1 MB answer round-trips byte for byte.
# Every export path handles it: a Word text node stays far below libxml2's 10 MB limit.
MAX_ANSWER_BYTES = 5_000_000
MAX_LIST_ROWS = 1_000
MAX_SKIP_REASON_CHARS = 2_000
BOM = "\ufeff"


def check_answer_size(text: str, rows: int = 0) -> None:
    """Refuse an answer past the limits, before it is stored.

    Raises:
        InvalidInput: Naming the limit and what to do instead.
    """
    # Counting the bytes without encoding: no character takes more than 4 in UTF-8.
    if len(text) * 4 > MAX_ANSWER_BYTES:
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > MAX_ANSWER_BYTES:
            raise InvalidInput(
                f"the answer is {size:,} bytes; the limit is {MAX_ANSWER_BYTES:,} (5 MB): split it "
                "over several questions, or keep the document elsewhere and summarise it"
            )
    if rows > MAX_LIST_ROWS:
        raise InvalidInput(f"the answer has {rows:,} rows; the limit is {MAX_LIST_ROWS:,}")


def strip_bom(text: str) -> str:
    """Drop a byte-order mark at the start of a file's text (it is not part of the answer)."""
    return text[1:] if text.startswith(BOM) else text
