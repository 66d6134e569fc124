"""Table cells in theme colours, and snippets with their search highlights."""

from __future__ import annotations

from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.widgets import DataTable

from retain.highlight import split_highlights


def cell(app: App[object], value: str, variable: str | None = None, *, bold: bool = False) -> Text:
    """A DataTable cell, literal (never parsed as markup), in a theme colour such as ``warning``.

    DataTable renders Rich text, which cannot resolve ``$variables``; so the colour is read from
    the active theme here, and tables re-render when the theme changes.
    """
    colour = app.theme_variables.get(variable, "") if variable else ""
    try:
        Style.parse(colour)
    except StyleSyntaxError:
        # Variables such as text-muted are CSS expressions ("auto 60%"), not colours.
        colour = "dim"
    style = " ".join(part for part in (colour, "bold" if bold else "") if part)
    return Text(value, style=style, no_wrap=True, overflow="ellipsis")


def highlighted(snippet: str, style: str = "bold $text-accent", width: int | None = None) -> Content:
    """Turn a search snippet's ``**bold**`` markers into highlighted content (text kept literal).

    ``width`` cuts the result (after the markers are read, so a cut never leaves a stray ``**``).
    """
    snippet = " ".join(snippet.split())
    parts: list[Content | str] = [
        Content.styled(text, style) if marked else text for text, marked in split_highlights(snippet)
    ]
    content = Content.assemble(*parts)
    if width is not None and content.cell_length > width:
        content = content.truncate(width, ellipsis=True)
    return content


def one_line(text: str, width: int) -> str:
    """Collapse whitespace and cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)].rstrip() + "…"


def cursor_row_id(table: DataTable[object]) -> int | None:
    """The integer row key under a table's cursor, if any."""
    if not table.row_count:
        return None
    try:
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    except Exception:  # the cursor can sit outside a just-cleared table
        return None
    return int(key.value) if key.value is not None else None
