"""`retain followup ...`: successor follow-ups at 30, 60 and 90 days."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add the commands to the CLI."""
