"""`retain templates check FILE`: lint a pack template's syntax and placeholders."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("templates")
def templates() -> None:
    """Check pack templates (Word .docx or Jinja .j2)."""


@templates.command("check")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_context
def check(ctx: click.Context, file: Path) -> None:
    """List syntax errors and unknown placeholders in FILE; exit 1 if there are any."""
    from retain.services.export import ExportService

    # Checking a template needs no database, so none is opened (or created).
    problems = ExportService.check_file(file)
    if not problems:
        click.echo(f"{file}: ok, no problems found")
        return
    for problem in problems:
        click.echo(problem)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    click.echo(f"retain: error: {file}: {count} (listed above); fix and check again", err=True)
    ctx.exit(1)


def register(cli: click.Group) -> None:
    """Add the command group to the CLI."""
    cli.add_command(templates)
