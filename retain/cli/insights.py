"""`retain insights`: HR exit insights behind reporting minimums."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add the commands to the CLI."""
