"""`retain serve`: the read-only web view for successors."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add the commands to the CLI."""
