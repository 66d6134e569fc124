"""`retain extract (ID... | --all) [--force] [--processes N]`."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from retain.cli.common import ID, AppContext, emit_json, pass_app, warn


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on a terminal, plain lines (about every 10%) when piped."""
    if not enabled:
        yield None
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress("extracting", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("extract", total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            yield update
        return
    last = [-1]

    def lines(done: int, total: int) -> None:
        step = max(1, total // 10)
        if done == total or done // step != last[0]:
            last[0] = done // step
            click.echo(f"retain: extracted {done}/{total} answers", err=True)

    yield lines


@click.command("extract")
@click.argument("interview_ids", nargs=-1, type=ID, metavar="[ID]...")
@click.option("--all", "all_", is_flag=True, help="Every interview (only answers changed since the last run).")
@click.option("--force", is_flag=True, help="Redo answers even if they have not changed.")
@click.option("--processes", type=click.IntRange(min=1, max=64), default=1, show_default=True,
              help="Worker processes for large runs (small runs stay in one process).")
@click.option("--json", "as_json", is_flag=True, help="Print the run's figures as JSON.")
@pass_app
def extract(app: AppContext, interview_ids: tuple[int, ...], all_: bool, force: bool,
            processes: int, as_json: bool) -> None:
    """Extract people, organisations, systems, rhythms and topics from answers."""
    if all_ and interview_ids:
        raise click.UsageError("give interview IDs or --all, not both")
    if not all_ and not interview_ids:
        raise click.UsageError("give one or more interview IDs, or --all")
    from retain.nlp.extractor import ModelFallbackWarning

    service = app.services.extraction
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ModelFallbackWarning)
        with _progress(not as_json) as progress:
            if all_:
                stats = service.extract_all(force=force, processes=processes, progress=progress)
            else:
                stats = service.extract_interviews(list(interview_ids), force=force,
                                                   processes=processes, progress=progress)
    for caught_warning in caught:
        if not issubclass(caught_warning.category, ModelFallbackWarning):
            warnings.showwarning(caught_warning.message, caught_warning.category,
                                 caught_warning.filename, caught_warning.lineno)
    for message in dict.fromkeys(str(w.message) for w in caught
                                 if issubclass(w.category, ModelFallbackWarning)):
        warn(f"warning: {message}")
    for error in stats.errors:
        warn(f"extraction failed: {error}")
    if as_json:
        emit_json(stats.to_json())
    elif stats.answers == 0 and stats.failed == 0:
        click.echo(f"nothing to extract: {stats.unchanged} answers are up to date "
                   "(use --force to redo them)")
    else:
        click.echo(f"extracted {stats}")


def register(cli: click.Group) -> None:
    """Add the command to the CLI."""
    cli.add_command(extract)
