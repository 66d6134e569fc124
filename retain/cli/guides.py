"""`retain guides list|show|validate`."""

from __future__ import annotations

from pathlib import Path

import click

from retain.cli.common import AppContext, emit_json, pass_app
from retain.errors import GuideError


@click.group("guides")
def guides() -> None:
    """List, show and validate interview guides."""


@guides.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_guides(app: AppContext, as_json: bool) -> None:
    """List the shipped and organisation guides."""
    rows = app.services.guide_catalogue.summaries()
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        extends = f" (extends {row['extends']})" if row["extends"] else ""
        click.echo(
            f"{row['id']:<18} {row['track']:<9} v{row['version']:<3} {row['questions']:>3} questions  {row['title']}{extends}"
        )


@guides.command("show")
@click.argument("guide_id")
@click.option("--json", "as_json", is_flag=True, help="Print the guide as loaded, as JSON.")
@pass_app
def show_guide(app: AppContext, guide_id: str, as_json: bool) -> None:
    """Show one guide's sections and questions."""
    from retain.services.guides import guide_json

    guide = app.services.guide_catalogue.get(guide_id)
    if as_json:
        emit_json(guide_json(guide))
        return
    click.echo(f"{guide.title}  [{guide.id} v{guide.version}, {guide.track} track]")
    for section in guide.sections:
        click.echo(f"\n{section.title}  ({section.id})")
        for question in section.questions:
            flags = ["required"] if question.required else []
            flags.append(guide.default_visibility(question))
            click.echo(
                f"  {question.id:<24} {question.type:<6} {', '.join(flags):<24} {question.prompt}"
            )


@guides.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_app
def validate(app: AppContext, files: tuple[Path, ...]) -> None:
    """Validate guide files; print every problem as file:line: message.

    Problems are listed on stdout, one per line; stderr gets one summary line and the exit
    code is 1. ``extends`` must name a shipped guide, an organisation guide or another of FILES.
    """
    from retain.guides.registry import validate_files

    registry = app.services.guide_catalogue.registry
    results, problems = validate_files(registry, list(files))
    for path, guide in results:
        click.echo(f"{path}: ok ({guide.id}, {len(guide.questions())} questions)")
    for problem in problems:
        click.echo(problem)
    if problems:
        more = f" (+{len(problems) - 1} more listed above)" if len(problems) > 1 else ""
        raise GuideError([problems[0] + more])


def register(cli: click.Group) -> None:
    """Add the command group to the CLI."""
    cli.add_command(guides)
