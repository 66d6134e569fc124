"""`retain person forget|export`, `retain purge` and `retain privacy log`."""

from __future__ import annotations

import click


def register(cli: click.Group) -> None:
    """Add the commands to the CLI."""
