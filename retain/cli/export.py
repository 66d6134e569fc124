"""`retain export`: write a handover pack (or an HR exit report) and print the path written."""

from __future__ import annotations

from pathlib import Path

import click

from retain.cli.common import ID, AppContext, pass_app, warn

_FORMATS = ("docx", "md", "html", "json", "pdf", "qdpx")


def _infer_format(out: Path | None, template: Path | None) -> str:
    # Without --format, the file names say what is wanted: --out pack.md, --template x.html.j2.
    if out is not None and out.suffix.lower().lstrip(".") in _FORMATS:
        return out.suffix.lower().lstrip(".")
    if template is not None and template.suffix.lower() == ".j2":
        inner = Path(template.stem).suffix.lower().lstrip(".")
        return "html" if inner in ("html", "htm") else "md"
    return "docx"


@click.command("export")
@click.argument("interview_ids", metavar="ID...", nargs=-1, type=ID)
@click.option("--all", "all_interviews", is_flag=True, help="With --format qdpx: every interview.")
@click.option("--format", "fmt", type=click.Choice(_FORMATS, case_sensitive=False),
              help="Output format (default: from --out or --template, else docx).")
@click.option("--out", type=click.Path(path_type=Path), help="File or folder to write (default: the exports folder).")
@click.option("--template", type=click.Path(path_type=Path, dir_okay=False),
              help="A custom .docx or .j2 template (see docs/templates.md).")
@click.option("--include-confidential", is_flag=True,
              help="Include confidential answers, clearly labelled (required for exit interviews).")
@click.option("--force", is_flag=True, help="Replace an existing file instead of writing a numbered copy.")
@click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True,
              help="Replace names, e-mails and phone numbers with Person 1, ...; the key is written apart.")
@pass_app
def export(app: AppContext, interview_ids: tuple[int, ...], all_interviews: bool, fmt: str | None,
           out: Path | None, template: Path | None, include_confidential: bool, force: bool,
           pseudonymise: bool) -> None:
    """Write the handover pack of interview ID (an HR exit report for exit interviews).

    With --format qdpx, write a REFI-QDA project of ID... or --all for qualitative research.
    """
    chosen = (fmt or _infer_format(out, template)).lower()
    if chosen == "qdpx":
        _export_qdpx(app, interview_ids, all_interviews, out, include_confidential, force, pseudonymise)
        return
    if all_interviews or len(interview_ids) != 1:
        raise click.UsageError("give exactly one interview ID (several IDs or --all need --format qdpx)")
    interview_id = interview_ids[0]
    result = app.services.exports.export(
        interview_id, fmt=chosen, out=out, template=template,
        include_confidential=include_confidential, force=force, pseudonymise=pseudonymise,
    )
    if result.key is not None:
        warn(f"pseudonym key (keep it apart from the pack): {result.key}")
    if result.included_confidential:
        warn("this file contains confidential answers; share it only with people entitled to see them")
    click.echo(str(result.path))


def _export_qdpx(app: AppContext, ids: tuple[int, ...], all_interviews: bool, out: Path | None,
                 include_confidential: bool, force: bool, pseudonymise: bool) -> None:
    if bool(ids) == all_interviews:
        raise click.UsageError("give interview IDs or --all (not both) with --format qdpx")
    if out is None:
        raise click.UsageError("--format qdpx needs --out FILE.qdpx")
    result = app.services.qdpx.export(None if all_interviews else list(ids), out,
                                      include_confidential=include_confidential, force=force,
                                      pseudonymise=pseudonymise)
    counts = result.counts
    warn(f"{counts.sources} interviews, {counts.selections} coded selections, {counts.codes} codes, "
         f"{counts.cases} cases" + (f"; {len(result.skipped)} left out (nothing shareable)" if result.skipped else ""))
    if result.key is not None:
        warn(f"pseudonym key (keep it apart from the project): {result.key}")
    if result.included_confidential:
        warn("this file contains confidential answers; share it only with people entitled to see them")
    click.echo(str(result.path))


def register(cli: click.Group) -> None:
    """Add the command to the CLI."""
    cli.add_command(export)
