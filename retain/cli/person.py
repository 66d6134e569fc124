"""`retain person list|show|set`: people, their status, leaving dates and successors."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from retain.cli.common import AppContext, emit_json, pass_app
from retain.domain.journey import PERSON_STATUSES


class DateType(click.ParamType[Any, Any]):
    """A calendar date as YYYY-MM-DD (an empty value clears it where the command allows)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Parse ``value`` or fail with a usage error that shows the format."""
        if isinstance(value, date) or value == "":
            return value
        text = str(value).strip()
        try:
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"{text[:40]!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-18", param, ctx)


DATE = DateType()


@click.group()
def person() -> None:
    """People: status, leaving dates, successors; privacy requests."""


@person.command("list")
@click.option("--status", type=click.Choice(PERSON_STATUSES), help="Only people with this status.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_people(app: AppContext, status: str | None, as_json: bool) -> None:
    """List people with their status and leaving date (a past date reads as left)."""
    people = app.services.people.views(status=status)
    if as_json:
        emit_json([p.to_json() for p in people])
        return
    if not people:
        click.echo("nobody yet; start an interview with `retain interview new` or try `retain demo`")
        return
    click.echo(f"{'ID':>4}  {'NAME':<20} {'STATUS':<8} {'LEAVING':<10}  {'ROLE':<28} SUCCESSOR")
    for p in people:
        leaving = p.leaving_date.isoformat() if p.leaving_date else "-"
        click.echo(
            f"{p.id:>4}  {p.name[:20]:<20} {p.status:<8} {leaving:<10}  "
            f"{(p.role or '-')[:28]:<28} {p.successor or '-'}"
        )


@person.command("show")
@click.argument("who", metavar="NAME|ID")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def show(app: AppContext, who: str, as_json: bool) -> None:
    """Show a person, their interviews, and what colleagues named them as a contact for."""
    detail = app.services.people.show(who)
    if as_json:
        emit_json(detail.to_json())
        return
    p = detail.person
    leaving = f", leaving date {p.leaving_date.isoformat()}" if p.leaving_date else ""
    click.echo(f"{p.name} (#{p.id}): {p.status}{leaving}")
    for label, value in (
        ("Role", p.role),
        ("Team", p.team),
        ("Email", p.email),
        ("Manager", p.manager),
        ("Successor", p.successor),
    ):
        if value:
            click.echo(f"  {label + ':':<11}{value}")
    if detail.successor_of:
        click.echo(f"  {'Takes over':<11}from {', '.join(detail.successor_of)}")
    click.echo("\nInterviews:" if detail.interviews else "\nInterviews: none")
    for item in detail.interviews:
        extra = f", follow-up of {item['followup_of']}" if item["followup_of"] else ""
        click.echo(
            f"  {item['id']:>4}  {item['guide']:<18} {item['status']:<12} {item['review']}{extra}"
        )
    if detail.named_for:
        click.echo("\nNamed as a contact:")
        for named in detail.named_for:
            about = f": {named['about']}" if named["about"] else ""
            click.echo(f"  by {named['named_by']} (interview {named['interview']}){about}")


@person.command("set")
@click.argument("who", metavar="NAME|ID")
@click.option("--status", type=click.Choice(PERSON_STATUSES), help="active, leaving or left.")
@click.option(
    "--leaving-date",
    type=DATE,
    help="Their last day, YYYY-MM-DD ('' clears it); marks an active person as leaving.",
)
@click.option("--role", help="Their role.")
@click.option("--team", help="Their team.")
@click.option("--email", help="Their email address.")
@click.option("--successor", help="Who takes over from them ('' clears it).")
@click.option("--manager", help="Their manager ('' clears it).")
@click.option("--json", "as_json", is_flag=True, help="Print the person as JSON.")
@pass_app
def set_person(
    app: AppContext,
    who: str,
    status: str | None,
    leaving_date: date | str | None,
    role: str | None,
    team: str | None,
    email: str | None,
    successor: str | None,
    manager: str | None,
    as_json: bool,
) -> None:
    """Change a person's status, leaving date, role, team, email, successor or manager."""
    if all(
        v is None for v in (status, leaving_date, role, team, email, successor, manager)
    ):
        raise click.UsageError(
            "nothing to change; give --status, --leaving-date, --role, --team, --email, "
            "--successor or --manager"
        )
    updated = app.services.people.update(
        who,
        status=status,
        leaving_date=leaving_date if isinstance(leaving_date, date) else None,
        clear_leaving_date=leaving_date == "",
        role=role,
        team=team,
        email=email,
        successor=successor,
        manager=manager,
    )
    if as_json:
        emit_json(updated.to_json())
        return
    leaving = f", leaving date {updated.leaving_date.isoformat()}" if updated.leaving_date else ""
    click.echo(f"{updated.name}: {updated.status}{leaving}")


def register(cli: click.Group) -> None:
    """Add the command group to the CLI."""
    cli.add_command(person)
