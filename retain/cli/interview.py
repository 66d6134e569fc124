"""`retain interview new|answer|skip|list|show|complete|reopen|delete`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from retain.cli.common import ID, AppContext, emit_json, pass_app, warn
from retain.cli.person import DATE
from retain.errors import InvalidInput
from retain.limits import MAX_ANSWER_BYTES, strip_bom

if TYPE_CHECKING:
    from retain.services.report import InterviewReport
    from retain.store.models import Interview


@click.group("interview")
def interview() -> None:
    """Start, answer, list, show and complete interviews."""


@interview.command("new")
@click.option("--guide", "guide_id", required=True, help="Guide id, e.g. handover or exit.")
@click.option("--person", required=True, help="Who is leaving or moving.")
@click.option("--role", help="Their role.")
@click.option("--team", help="Their team.")
@click.option("--successor", help="Who takes over (handover track).")
@click.option("--interviewer", help="Who runs the interview.")
@click.option(
    "--leaving-date", type=DATE, help="Their last day, YYYY-MM-DD; marks them as leaving."
)
@click.option("--json", "as_json", is_flag=True, help='Print {"id": ...}.')
@pass_app
def new(
    app: AppContext,
    guide_id: str,
    person: str,
    role: str | None,
    team: str | None,
    successor: str | None,
    interviewer: str | None,
    leaving_date: date | None,
    as_json: bool,
) -> None:
    """Start a new interview."""
    if leaving_date == "":
        raise click.BadParameter("give a date as YYYY-MM-DD", param_hint="--leaving-date")
    record = app.services.interviews.start(
        guide_id,
        person,
        role=role,
        team=team,
        successor=successor,
        interviewer=interviewer or app.settings.interviewer,
    )
    if leaving_date is not None:
        # The leaver is leaving: `map` and `who` must see it from the first answer on.
        app.services.people.update(
            str(record.person_id), status="leaving", leaving_date=leaving_date,
            successor=successor,
        )
    if as_json:
        emit_json(
            {
                "id": record.id,
                "guide": record.guide_id,
                "track": record.track,
                "status": record.status,
            }
        )
    else:
        click.echo(f"interview {record.id} started ({record.guide_id}, {record.track} track)")


def _read_text(text: str | None, file: Path | None, stdin: bool) -> str | None:
    given = [x for x in (text is not None, file is not None, stdin) if x]
    if len(given) > 1:
        raise click.UsageError("give only one of --text, --file and --stdin")
    if file is not None:
        try:
            with file.open("rb") as handle:
                raw = handle.read(MAX_ANSWER_BYTES + 4)
        except OSError as exc:
            raise InvalidInput(f"cannot read {file}: {exc.strerror}") from exc
        return _decode(raw, str(file))
    if stdin:
        return _decode(sys.stdin.buffer.read(MAX_ANSWER_BYTES + 4), "standard input")
    return text


def _decode(raw: bytes, source: str) -> str:
    # Read no further than the limit (+ a BOM): a 20 GB file is refused, not loaded.
    if len(raw) > MAX_ANSWER_BYTES + 3:
        raise InvalidInput(
            f"{source} is larger than the answer limit of {MAX_ANSWER_BYTES:,} bytes (5 MB); "
            "split it over several questions"
        )
    try:
        # A byte-order mark is how the file was saved, not part of the answer.
        return strip_bom(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{source} is not UTF-8 text (byte {exc.start}); convert it to UTF-8 first"
        ) from exc


def _parse_items(values: tuple[str, ...]) -> list[dict[str, str]] | None:
    if not values:
        return None
    items: list[dict[str, str]] = []
    for value in values:
        try:
            item = json.loads(value)
        except RecursionError as exc:
            raise InvalidInput("--item is nested too deeply; give a flat JSON object") from exc
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f'--item {value!r} is not valid JSON ({exc.msg}); use --item \'{{"name": "..."}}\''
            ) from exc
        if not isinstance(item, dict):
            raise InvalidInput(
                f'--item {value!r} must be a JSON object such as \'{{"name": "..."}}\''
            )
        items.append(item)
    return items


@interview.command("answer")
@click.argument("interview_id", type=ID)
@click.argument("question")
@click.option("--text", help="The answer text.")
@click.option(
    "--file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read the answer from a UTF-8 file.",
)
@click.option("--stdin", is_flag=True, help="Read the answer from standard input.")
@click.option(
    "--item",
    "item_values",
    multiple=True,
    metavar="JSON",
    help='A row of a list question, e.g. \'{"name": "Ana"}\'. Repeat for more rows.',
)
@click.option(
    "--visibility",
    type=click.Choice(["shareable", "confidential"]),
    help="Tighten the answer to confidential.",
)
@click.option(
    "--extract", "extract_now", is_flag=True, help="Extract entities and topics right away."
)
@click.option("--json", "as_json", is_flag=True, help="Print the saved answer as JSON.")
@pass_app
def answer(
    app: AppContext,
    interview_id: int,
    question: str,
    text: str | None,
    file: Path | None,
    stdin: bool,
    item_values: tuple[str, ...],
    visibility: str | None,
    extract_now: bool,
    as_json: bool,
) -> None:
    """Save the answer to one question (replacing any earlier answer)."""
    body = _read_text(text, file, stdin)
    items = _parse_items(item_values)
    if body is None and items is None:
        raise click.UsageError("give the answer with --text, --file, --stdin or --item")
    saved = app.services.interviews.answer(
        interview_id, question, text=body, items=items, visibility=visibility
    )
    if extract_now:
        app.services.extraction.extract_answers([saved.id or 0])
    if as_json:
        emit_json(
            {
                "interview": interview_id,
                "question": saved.question_id,
                "visibility": saved.visibility,
                "items": len(saved.items),
                "updated_at": saved.updated_at.isoformat(),
            }
        )
    else:
        click.echo(f"saved {question} ({saved.visibility})")


@interview.command("skip")
@click.argument("interview_id", type=ID)
@click.argument("question")
@click.option("--reason", help="Why it was skipped.")
@pass_app
def skip(app: AppContext, interview_id: int, question: str, reason: str | None) -> None:
    """Skip a question, with an optional reason."""
    app.services.interviews.skip(interview_id, question, reason)
    click.echo(f"skipped {question}")


@interview.command("list")
@click.option("--status", type=click.Choice(["draft", "in_progress", "completed"]))
@click.option("--person", help="Only interviews of people whose name contains this.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_interviews(app: AppContext, status: str | None, person: str | None, as_json: bool) -> None:
    """List interviews, most recently updated first."""
    # Plain SQL, not the ORM: no SQLAlchemy, SQLModel or pydantic to import (a test checks).
    from retain.services.interview_list import list_interviews

    rows = list_interviews(app.rows, status=status, person=person)
    if as_json:
        emit_json([row.to_json() for row in rows])
        return
    if not rows:
        click.echo("no interviews yet; start one with `retain interview new` or try `retain demo`")
        return
    click.echo(
        f"{'ID':>4}  {'PERSON':<22} {'GUIDE':<18} {'TRACK':<9} {'STATUS':<12} {'DONE':>7}  UPDATED"
    )
    for row in rows:
        done = f"{row.progress.done}/{row.progress.total}"
        click.echo(
            f"{row.id:>4}  {row.person[:22]:<22} {row.guide:<18} {row.track:<9} {row.status:<12} {done:>7}  {row.updated_at:%Y-%m-%d %H:%M}"
        )


@interview.command("show")
@click.argument("interview_id", type=ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def show(app: AppContext, interview_id: int, as_json: bool) -> None:
    """Show answers, progress, entities, topics and gaps."""
    report = app.services.reports.show(interview_id)
    if as_json:
        emit_json(report.to_json())
        return
    _print_report(report)


def _print_report(report: InterviewReport) -> None:
    name = report.person.name if report.person else None
    progress = report.progress
    click.echo(
        f"Interview {report.id}: {name} — {report.guide_title} ({report.track}, {report.status})"
    )
    click.echo(
        f"Progress: {progress.answered} answered, {progress.skipped} skipped, {progress.total} questions"
    )
    label = report.review.get("label")
    if label:
        click.echo(f"Review: {label}")
    section = None
    for item in report.answers:
        if item.section != section:
            section = item.section
            click.echo(f"\n[{section}]")
        lock = " [CONFIDENTIAL]" if item.visibility == "confidential" else ""
        click.echo(f"- {item.prompt}{lock}")
        if item.skipped:
            click.echo(f"    (skipped{': ' + item.skip_reason if item.skip_reason else ''})")
        for line in item.text.splitlines():
            click.echo(f"    {line}")
        for row in item.items:
            click.echo("    • " + " | ".join(v for v in row.values() if v))
    if report.entities:
        click.echo("\nEntities:")
        for entity in report.entities[:40]:
            click.echo(
                f"  {entity.label:<11} {entity.text}  ×{entity.count}  ({', '.join(entity.questions)})"
            )
    if report.topics:
        click.echo("\nTopics: " + ", ".join(t.phrase for t in report.topics[:12]))
    if report.gaps:
        click.echo("\nGaps:")
        for gap in report.gaps:
            click.echo(f"  - {gap.message}\n      ask: {gap.follow_up}")


@interview.command("complete")
@click.argument("interview_id", type=ID)
@pass_app
def complete(app: AppContext, interview_id: int) -> None:
    """Mark an interview completed."""
    progress = app.services.interviews.complete(interview_id)
    if progress.required_missing:
        warn(
            f"completed with required questions unanswered: {', '.join(progress.required_missing)}"
        )
    click.echo(f"interview {interview_id} completed")


@interview.command("reopen")
@click.argument("interview_id", type=ID)
@pass_app
def reopen(app: AppContext, interview_id: int) -> None:
    """Put a completed interview back in progress."""
    app.services.interviews.reopen(interview_id)
    click.echo(f"interview {interview_id} reopened")


def _show_review(interview_id: int, record: Interview, as_json: bool) -> None:
    from retain.services.journey import label_of, review_json

    if as_json:
        emit_json(review_json(record))
        return
    click.echo(f"interview {interview_id}: {label_of(record)}")


@interview.command("review")
@click.argument("interview_id", type=ID)
@click.option("--by", "by", required=True, help="Who checked the pack (the interviewee or manager).")
@click.option("--note", help="What was checked or agreed.")
@click.option("--json", "as_json", is_flag=True, help="Print the review state as JSON.")
@pass_app
def review(app: AppContext, interview_id: int, by: str, note: str | None, as_json: bool) -> None:
    """Record that the pack was reviewed: draft -> reviewed."""
    _show_review(interview_id, app.services.journey.review(interview_id, by, note), as_json)


@interview.command("accept")
@click.argument("interview_id", type=ID)
@click.option("--by", "by", required=True, help="The successor who confirms the pack is usable.")
@click.option("--note", help="What the successor confirmed.")
@click.option("--json", "as_json", is_flag=True, help="Print the review state as JSON.")
@pass_app
def accept(app: AppContext, interview_id: int, by: str, note: str | None, as_json: bool) -> None:
    """Record that the successor accepted the reviewed pack: reviewed -> accepted."""
    _show_review(interview_id, app.services.journey.accept(interview_id, by, note), as_json)


@interview.command("delete")
@click.argument("interview_id", type=ID)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def delete(app: AppContext, interview_id: int, yes: bool) -> None:
    """Delete an interview and everything extracted from it."""
    if not yes and not click.confirm(
        f"Delete interview {interview_id} and all its answers?", err=True
    ):
        raise SystemExit(1)
    app.services.interviews.delete(interview_id)
    click.echo(f"interview {interview_id} deleted")


def register(cli: click.Group) -> None:
    """Add the command group to the CLI."""
    cli.add_command(interview)
