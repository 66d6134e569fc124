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
    from retain.cli import db, demo, guides, interview

    for module in (guides, interview, db, demo):
        module.register(cli)
    for name in ("extract", "export", "search", "templates"):
        try:
            module_ = __import__(f"retain.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"retain.cli.{name}":
                raise
            continue
        module_.register(cli)


_register()


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="retain")
