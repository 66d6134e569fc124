"""`retain followup new|due|list`: successor follow-ups at 30, 60 and 90 days."""

from __future__ import annotations

import click

from retain.cli.common import ID, AppContext, emit_json, pass_app
from retain.domain.journey import FOLLOWUP_DAYS


@click.group()
def followup() -> None:
    """Follow up a handover with the successor at 30, 60 and 90 days."""


@followup.command("new")
@click.argument("interview_id", type=ID)
@click.option(
    "--day",
    required=True,
    type=click.Choice([str(d) for d in FOLLOWUP_DAYS]),
    help="Days after the successor started.",
)
@click.option("--interviewer", help="Who runs the follow-up.")
@click.option("--json", "as_json", is_flag=True, help='Print {"id","followup_of","day","due"}.')
@pass_app
def new(
    app: AppContext, interview_id: int, day: str, interviewer: str | None, as_json: bool
) -> None:
    """Start a follow-up of handover INTERVIEW_ID, with its successor as the subject."""
    started = app.services.journey.start_followup(
        interview_id, int(day), interviewer=interviewer or app.settings.interviewer
    )
    if as_json:
        document = started.to_json()
        emit_json({key: document[key] for key in ("id", "followup_of", "day", "due")})
        return
    click.echo(
        f"interview {started.id} started: {started.day}-day follow-up of interview "
        f"{started.followup_of} with {started.person}, due {started.due.isoformat()}"
    )


def _print(rows: list[dict[str, object]], empty: str) -> None:
    if not rows:
        click.echo(empty)
        return
    click.echo(f"{'ID':>4}  {'OF':>4}  {'DAY':>3}  {'DUE':<10}  {'SUCCESSOR':<20} {'LEAVER':<20} STATUS")
    for row in rows:
        late = f" ({row['overdue_days']} days overdue)" if row["overdue_days"] else ""
        click.echo(
            f"{row['id']:>4}  {row['followup_of']:>4}  {row['day']:>3}  {row['due']!s:<10}  "
            f"{str(row['person'])[:20]:<20} {str(row['leaver'])[:20]:<20} "
            f"{str(row['status']).replace('_', ' ')}{late}"
        )


@followup.command("due")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def due(app: AppContext, as_json: bool) -> None:
    """List follow-ups that are due or overdue and not yet completed."""
    rows = [f.to_json() for f in app.services.journey.followups(due_only=True)]
    if as_json:
        emit_json(rows)
        return
    _print(rows, "no follow-ups due; start one with `retain followup new ID --day 30`")


@followup.command("list")
@click.option("--of", "of", type=ID, help="Only the follow-ups of this handover interview.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_followups(app: AppContext, of: int | None, as_json: bool) -> None:
    """List every follow-up, soonest due first."""
    rows = [f.to_json() for f in app.services.journey.followups(of=of)]
    if as_json:
        emit_json(rows)
        return
    _print(rows, "no follow-ups yet; start one with `retain followup new ID --day 30`")


def register(cli: click.Group) -> None:
    """Add the command group to the CLI."""
    cli.add_command(followup)
