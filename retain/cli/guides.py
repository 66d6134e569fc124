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
    from retain.services.guides import GuideService

    rows = GuideService.from_settings(app.settings).summaries()
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
    from retain.services.guides import GuideService, guide_json

    guide = GuideService.from_settings(app.settings).get(guide_id)
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
def validate(files: tuple[Path, ...]) -> None:
    """Validate guide files; print every problem as file:line: message."""
    from retain.guides.loader import load_guide_file

    problems: list[str] = []
    for path in files:
        try:
            guide = load_guide_file(path)
        except GuideError as exc:
            problems.extend(exc.problems)
            continue
        click.echo(f"{path}: ok ({guide.id}, {len(guide.questions())} questions)")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)


def register(cli: click.Group) -> None:
    """Add the command group to the CLI."""
    cli.add_command(guides)
