"""Command-line front end: parse, call a service, print. No logic lives here."""

from __future__ import annotations

import sys
from typing import Any

import click

from retain import __version__
from retain.cli.common import AppContext, RetainGroup


@click.group(
    cls=RetainGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    metavar="URL|PATH",
    help="Database file or SQLAlchemy URL (default: RETAIN_DB, then the user data dir).",
)
@click.version_option(__version__, prog_name="retain")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """retain: offboarding and knowledge-retention interviews.

    Run with no command to open the interview app.
    """
    ctx.obj = AppContext(flags={"db": db})
    if ctx.invoked_subcommand is None:
        from retain.tui import run

        run(ctx.obj.settings)


def _register() -> None:
    # Each module keeps its heavy imports inside its commands, so `retain --help` stays fast.
    from retain.cli import (
        db,
        demo,
        export,
        extract,
        followup,
        guides,
        insights,
        interview,
        person,
        privacy,
        search,
        serve,
        templates,
        transcripts,
    )

    # `person` comes before `privacy`, which adds `person forget` and `person export` to it.
    for module in (
        guides,
        interview,
        person,
        privacy,
        followup,
        transcripts,
        extract,
        export,
        search,
        insights,
        serve,
        templates,
        db,
        demo,
    ):
        module.register(cli)


_register()


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="retain")
