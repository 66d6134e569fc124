"""`retain person ...`: people, their status and leaving dates."""

from __future__ import annotations

import click


@click.group()
def person() -> None:
    """People: status, leaving dates, successors; privacy requests."""


def register(cli: click.Group) -> None:
    """Add the command group to the CLI."""
    cli.add_command(person)
