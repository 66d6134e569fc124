"""`retain export`: write a handover pack (or an HR exit report) and print the path written."""

from __future__ import annotations

from pathlib import Path

import click

from retain.cli.common import ID, AppContext, pass_app, warn

_FORMATS = ("docx", "md", "html", "json")


def _infer_format(out: Path | None, template: Path | None) -> str:
    # Without --format, the file names say what is wanted: --out pack.md, --template x.html.j2.
    if out is not None and out.suffix.lower().lstrip(".") in _FORMATS:
        return out.suffix.lower().lstrip(".")
    if template is not None and template.suffix.lower() == ".j2":
        inner = Path(template.stem).suffix.lower().lstrip(".")
        return "html" if inner in ("html", "htm") else "md"
    return "docx"


@click.command("export")
@click.argument("interview_id", type=ID)
@click.option("--format", "fmt", type=click.Choice(_FORMATS, case_sensitive=False),
              help="Output format (default: from --out or --template, else docx).")
@click.option("--out", type=click.Path(path_type=Path), help="File or folder to write (default: the exports folder).")
@click.option("--template", type=click.Path(path_type=Path, dir_okay=False),
              help="A custom .docx or .j2 template (see docs/templates.md).")
@click.option("--include-confidential", is_flag=True,
              help="Include confidential answers, clearly labelled (required for exit interviews).")
@click.option("--force", is_flag=True, help="Replace an existing file instead of writing a numbered copy.")
@pass_app
def export(app: AppContext, interview_id: int, fmt: str | None, out: Path | None, template: Path | None,
           include_confidential: bool, force: bool) -> None:
    """Write the handover pack of interview ID (an HR exit report for exit interviews)."""
    chosen = (fmt or _infer_format(out, template)).lower()
    result = app.services.exports.export(
        interview_id, fmt=chosen, out=out, template=template,
        include_confidential=include_confidential, force=force,
    )
    if result.included_confidential:
        warn("this file contains confidential answers; share it only with people entitled to see them")
    click.echo(str(result.path))


def register(cli: click.Group) -> None:
    """Add the command to the CLI."""
    cli.add_command(export)
