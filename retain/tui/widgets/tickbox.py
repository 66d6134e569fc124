"""A checkbox whose glyph says ticked or not, so colour is never the only difference."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """A :class:`Checkbox` that shows ``✓`` when ticked and a blank when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # the name Textual reads
        """The glyph inside the box: a tick, or nothing."""
        return "✓" if self.value else " "
