"""`retain person forget|export`, `retain purge` and `retain privacy log`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from retain.cli.common import AppContext, emit_json, pass_app, warn
from retain.cli.person import person
from retain.errors import InvalidInput

if TYPE_CHECKING:
    from retain.services.privacy import ErasureResult


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _summary(result: ErasureResult, what: str) -> str:
    return result.summary(what)


def _confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not _interactive():
        raise InvalidInput("this erases data for good; pass --yes to confirm, or --dry-run to see what would go")
    if not click.confirm(question, err=True):
        raise SystemExit(1)


@person.command("forget")
@click.argument("ref", metavar="NAME|ID")
@click.option("--dry-run", is_flag=True, help="List what would be erased; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--delete-files", is_flag=True, help="Also delete the exported files that name them.")
@click.option("--json", "as_json", is_flag=True, help='Print {"person_ref", "deleted", "redacted_answers", "files"}.')
@pass_app
def forget(app: AppContext, ref: str, dry_run: bool, yes: bool, delete_files: bool, as_json: bool) -> None:
    """Erase a person: their record, interviews, answers and everything derived from them.

    Where other people's answers name them, the name becomes [removed person]. The
    database files are scrubbed afterwards, so the text is gone from the disk too.
    """
    privacy = app.services.privacy
    if not dry_run and not yes:
        plan = privacy.forget(ref, dry_run=True)
        if _interactive():
            click.echo(_summary(plan, "forget"), err=True)
        _confirm("Erase this person for good?", yes)
        if not delete_files and any(f.exists for f in plan.files):
            delete_files = click.confirm("Delete the exported files that name them, too?", err=True)
    result = privacy.forget(ref, dry_run=dry_run, delete_files=delete_files)
    if as_json:
        emit_json(result.to_json())
        return
    click.echo(_summary(result, "forget"))
    left = [f for f in result.files if f.exists and not f.deleted]
    if left and not dry_run:
        warn(f"{len(left)} exported file(s) above still name them; delete them or rerun with --delete-files")
    if result.scrub is not None and result.scrub.wal_truncated is False:
        warn("another process holds the database open, so its WAL file still has old pages; close it and rerun")


@person.command("export")
@click.argument("ref", metavar="NAME|ID")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The .zip file to write (owner-only).")
@click.option("--format", "fmt", type=click.Choice(("md", "html")), default="md", show_default=True,
              help="The readable copy beside the JSON.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@pass_app
def export_person(app: AppContext, ref: str, out: Path, fmt: str, force: bool) -> None:
    """Write everything stored about a person (a subject-access export) as a zip."""
    from retain.services.access import SubjectAccess

    path = SubjectAccess(app.services.engine, app.services.privacy).export(ref, out, fmt=fmt, force=force)
    warn("this file holds all of their answers, confidential ones included; give it only to them")
    click.echo(str(path))


@click.command("purge")
@click.option("--older-than", metavar="2y|DATE", help="Every interview last updated before this (default: the policy).")
@click.option("--track", type=click.Choice(("exit", "handover")), help="Only this track.")
@click.option("--dry-run", is_flag=True, help="List the interviews that would go; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_app
def purge(app: AppContext, older_than: str | None, track: str | None, dry_run: bool, yes: bool,
          as_json: bool) -> None:
    """Erase interviews past the retention policy in config.toml (or --older-than)."""
    privacy = app.services.privacy
    if not dry_run and not yes:
        plan = privacy.purge(older_than=older_than, track=track, dry_run=True)
        if not plan.interviews:
            dry_run = True
        else:
            if _interactive():
                click.echo(_summary(plan, f"purge ({plan.rule})"), err=True)
            _confirm(f"Erase these {len(plan.interviews)} interviews for good?", yes)
    result = privacy.purge(older_than=older_than, track=track, dry_run=dry_run)
    if as_json:
        emit_json(result.to_json())
    elif not result.interviews:
        click.echo(f"nothing to purge ({result.rule})")
    else:
        click.echo(_summary(result, f"purge ({result.rule})"))


@click.group("privacy")
def privacy_group() -> None:
    """The erasure log: what was erased, when (never a name or any text)."""


@privacy_group.command("log")
@click.option("--person", "name", help="Only erasures of this person (matched by salted hash).")
@click.option("--json", "as_json", is_flag=True, help='Print [{"id", "at", "kind", "counts", "subjects"}].')
@pass_app
def log(app: AppContext, name: str | None, as_json: bool) -> None:
    """List erasures: when, what kind, how much, and salted hashes of the people."""
    privacy = app.services.privacy
    entries = privacy.log()
    if name is not None:
        ref = privacy.subject_ref(name)
        entries = [e for e in entries if ref in e.subjects]
    if as_json:
        emit_json([e.to_json() for e in entries])
        return
    if not entries:
        click.echo("no erasures logged" + (" for that person" if name else ""))
        return
    for entry in entries:
        counts = ", ".join(f"{n} {k}" for k, n in entry.counts.items() if n)
        subjects = " ".join(s[:12] for s in entry.subjects)
        click.echo(f"{entry.id:>4}  {entry.at:%Y-%m-%d %H:%M}  {entry.kind:<7} {counts}  [{subjects}]")


def register(cli: click.Group) -> None:
    """Add the commands to the CLI (``forget`` and ``export`` join the ``person`` group)."""
    cli.add_command(purge)
    cli.add_command(privacy_group)
