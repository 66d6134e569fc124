"""`retain import`: recorded interview transcripts mapped onto a guide."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add the commands to the CLI."""
