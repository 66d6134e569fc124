"""`retain demo`."""

from __future__ import annotations

import click

from retain.cli.common import AppContext, pass_app


@click.command("demo")
@click.option("--no-extract", is_flag=True, help="Load the answers without running extraction.")
@pass_app
def demo(app: AppContext, no_extract: bool) -> None:
    """Load a realistic demo data set (safe to run twice)."""
    services = app.services
    result = services.demo.load()
    if result.interviews == 0:
        click.echo("demo data already loaded; nothing added")
        return
    click.echo(
        f"added {result.people} people, {result.interviews} interviews, {result.answers} answers"
    )
    if not no_extract and result.new_answer_ids:
        stats = services.extraction.extract_answers(result.new_answer_ids)
        click.echo(f"extracted {stats}")


def register(cli: click.Group) -> None:
    """Add the command to the CLI."""
    cli.add_command(demo)
