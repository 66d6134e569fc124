"""`retain db upgrade|path|backup`."""

from __future__ import annotations

from pathlib import Path

import click

from retain.cli.common import AppContext, pass_app


@click.group("db")
def db() -> None:
    """Manage the database: upgrade, show its path, back it up."""


@db.command("path")
@pass_app
def path(app: AppContext) -> None:
    """Print the resolved database (a file path, or a URL without its password)."""
    from retain.services.privacy import purge_notice
    from retain.store.engine import describe_url

    click.echo(describe_url(app.settings.db_url))
    notice = purge_notice(app.settings)
    if notice:
        # On stderr: stdout stays the bare path that scripts read.
        click.echo(f"retain: {notice}", err=True)


@db.command("upgrade")
@pass_app
def upgrade(app: AppContext) -> None:
    """Create or upgrade the schema to the newest migration."""
    before, after = app.services.database.upgrade()
    click.echo(
        f"schema {before or 'none'} -> {after}"
        if before != after
        else f"schema is up to date ({after})"
    )


@db.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@pass_app
def backup(app: AppContext, file: Path, force: bool) -> None:
    """Copy the SQLite database to FILE with SQLite's online backup."""
    written = app.services.database.backup(file, force=force)
    click.echo(f"backed up to {written}")


def register(cli: click.Group) -> None:
    """Add the command group to the CLI."""
    cli.add_command(db)
