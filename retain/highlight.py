"""Search-snippet highlight markers, shared by the search backends and both front ends."""

from __future__ import annotations

import re

# Snippet markers around matched terms; the CLI and the TUI turn them into bold.
HIGHLIGHT = ("**", "**")
_MARKED = re.compile(re.escape(HIGHLIGHT[0]) + r"(.+?)" + re.escape(HIGHLIGHT[1]), re.DOTALL)


def split_highlights(snippet: str) -> list[tuple[str, bool]]:
    """Split a snippet into ``(text, highlighted)`` pieces, markers removed, in order."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for match in _MARKED.finditer(snippet):
        pieces.append((snippet[last : match.start()], False))
        pieces.append((match.group(1), True))
        last = match.end()
    pieces.append((snippet[last:], False))
    return [(text, marked) for text, marked in pieces if text]
