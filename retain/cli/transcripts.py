"""`retain import` and `retain transcript`: recorded interviews mapped onto a guide, and their unmapped talk."""

from __future__ import annotations

from pathlib import Path

import click

from retain.cli.common import ID, AppContext, emit_json, pass_app, warn


def _renames(values: tuple[str, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(f"{value!r}: use OLD=NEW, e.g. 'Speaker 1=Dana Whitfield'")
        names[" ".join(old.split())] = " ".join(new.split())
    return names


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--interview", "interview_id", type=int, help="Import into this interview.")
@click.option("--guide", "guide_id", help="Start a new interview on this guide...")
@click.option("--person", help="...with this person.")
@click.option("--interviewee", help="The speaker who answers (default: guessed).")
@click.option("--interviewer", help="The speaker who asks (default: the one asking most).")
@click.option(
    "--rename", multiple=True, metavar="OLD=NEW", help="Rename a speaker label, e.g. 'S04=Dana'."
)
@click.option(
    "--format", "fmt", type=click.Choice(["vtt", "srt", "txt", "docx"]),
    help="The transcript format (default: from the file extension).",
)
@click.option("--replace", is_flag=True, help="Overwrite existing answers (default: append).")
@click.option("--dry-run", is_flag=True, help="Show the mapping; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the mapping as JSON.")
@pass_app
def import_(
    app: AppContext,
    file: Path,
    interview_id: int | None,
    guide_id: str | None,
    person: str | None,
    interviewee: str | None,
    interviewer: str | None,
    rename: tuple[str, ...],
    fmt: str | None,
    replace: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import a Teams, Zoom, Meet, Otter, SRT or plain-text transcript as answers.

    Each question the interviewer asks is matched to the guide question it paraphrases, and
    the interviewee's reply becomes its answer. Low-confidence matches, small talk and
    off-guide talk are kept as unmapped segments: see `retain transcript unmapped`.
    """
    from retain.imports.model import clock

    # Usage errors (exit 2) before anything is read.
    if (interview_id is None) == (guide_id is None):
        raise click.UsageError("give either --interview ID or --guide G --person NAME")
    if guide_id is not None and not (person or "").strip():
        raise click.UsageError("--guide needs --person NAME (who the interview is with)")
    service = app.services.imports
    transcript, sha256 = service.read(file, fmt)
    plan = service.plan(
        transcript, sha256, interview_id=interview_id, guide_id=guide_id, person=person,
        interviewee=interviewee, interviewer=interviewer, rename=_renames(rename),
    )
    for warning in transcript.warnings:
        warn(f"warning: {warning}")
    mapping = plan.mapping
    if mapping.guessed and mapping.interviewer:
        warn(
            f"guessed the speakers: {mapping.interviewer} asks, {mapping.interviewee} answers "
            "(set --interviewer/--interviewee if that is wrong)"
        )
    saved = None if dry_run else service.save(plan, replace=replace)
    document = plan.to_json(saved=saved, dry_run=dry_run)
    if as_json:
        emit_json(document)
        return
    answers = [a for a in document["answers"] if not a["review"]]
    review = [a for a in document["answers"] if a["review"]]
    verb = "would import" if dry_run else "imported"
    where = f"interview {plan.interview_id}" if plan.interview_id else "a new interview"
    click.echo(
        f"{verb} {transcript.file_name} ({transcript.format}, {len(transcript.turns)} turns) "
        f"into {where}: {len(answers)} answers, {len(review)} to review, "
        f"{len(document['unmapped'])} unmapped segments"
    )
    for answer in document["answers"]:
        state = "review" if answer["review"] else answer["saved"]
        click.echo(
            f"  {clock(answer['start']) or '-':>8}  {answer['question']:<24} "
            f"{answer['score']:.3f}  {state}"
        )
    if review:
        click.echo("low-confidence matches were kept unmapped: review them in the app (open the interview, "
                   f"ctrl+r, u) or with `retain transcript unmapped {plan.interview_id or 'ID'}`")


@click.group()
def transcript() -> None:
    """What an import left unmapped: list it, save a segment as an answer, or drop it."""


@transcript.command("unmapped")
@click.argument("interview_id", type=ID)
@click.option("--json", "as_json", is_flag=True,
              help='Print [{"id","start","end","speaker","reason","suggestion","score","text"}].')
@pass_app
def unmapped(app: AppContext, interview_id: int, as_json: bool) -> None:
    """List the imported talk of INTERVIEW_ID that is not an answer."""
    from retain.imports.model import clock

    segments = app.services.segments.unmapped(interview_id)
    if as_json:
        emit_json([{"id": s.id, "start": s.start, "end": s.end, "speaker": s.speaker, "reason": s.reason,
                    "suggestion": s.suggestion, "score": round(s.score, 3), "text": s.text}
                   for s in segments])
        return
    if not segments:
        click.echo(f"interview {interview_id} has no unmapped talk")
        return
    for s in segments:
        hint = f"  suggests {s.suggestion}" if s.suggestion else ""
        words = " ".join(s.text.split())
        click.echo(f"{s.id:>5}  {clock(s.start) or '-':>8}  {s.reason:<16}{hint}")
        click.echo(f"       {words[:110]}{'...' if len(words) > 110 else ''}")
    click.echo("save one as an answer with `retain transcript assign SEGMENT QUESTION`")


@transcript.command("assign")
@click.argument("segment_id", type=ID)
@click.argument("question_id")
@click.option("--replace", is_flag=True, help="Overwrite the answer's text (default: append).")
@click.option("--visibility", type=click.Choice(["shareable", "confidential"]),
              help="Tighten the answer's visibility (never looser than the question or the talk).")
@click.option("--json", "as_json", is_flag=True, help='Print {"segment","interview","question","saved","visibility"}.')
@pass_app
def assign(app: AppContext, segment_id: int, question_id: str, replace: bool, visibility: str | None,
           as_json: bool) -> None:
    """Save unmapped segment SEGMENT_ID as the answer to QUESTION_ID, with its recording time."""
    done = app.services.segments.assign(segment_id, question_id, replace=replace, visibility=visibility)
    if as_json:
        emit_json(done.to_json())
        return
    click.echo(f"segment {done.segment} saved as the answer to {done.question} in interview "
               f"{done.interview} ({done.mode}, {done.visibility})")


@transcript.command("drop")
@click.argument("segment_id", type=ID)
@pass_app
def drop(app: AppContext, segment_id: int) -> None:
    """Delete unmapped segment SEGMENT_ID (the transcript itself keeps every turn)."""
    segment = app.services.segments.drop(segment_id)
    click.echo(f"segment {segment_id} dropped from interview {segment.interview_id}")


def register(cli: click.Group) -> None:
    """Add the commands to the CLI."""
    cli.add_command(import_)
    cli.add_command(transcript)
