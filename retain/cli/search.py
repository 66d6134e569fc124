"""`retain search`, `retain who` and `retain map`."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import click

from retain.cli.common import AppContext, emit_json, is_terminal, pass_app
from retain.errors import InvalidInput
from retain.highlight import split_highlights

if TYPE_CHECKING:
    from rich.console import Console

    from retain.services.knowledge import MapEntry, WhoEntry
    from retain.services.search import SearchHit

STATUS_STYLE = {"active": "green", "leaving": "yellow", "left": "red", "unknown": "dim"}


def _console() -> Console:
    from rich.console import Console

    # Colour and bold only on a terminal; piped output stays plain, with ** marking matches,
    # and wide enough that tables do not wrap every cell.
    terminal = is_terminal()
    return Console(highlight=False, soft_wrap=True, no_color=not terminal, width=None if terminal else 140)


def _snippet_markup(snippet: str) -> str:
    """Rich markup for a snippet: the ** markers become bold, everything else is escaped."""
    from rich.markup import escape

    if not is_terminal():
        return escape(snippet)
    pieces = [
        f"[bold yellow]{escape(text)}[/]" if marked else escape(text)
        for text, marked in split_highlights(snippet)
    ]
    return "".join(pieces)


def _status(status: str) -> str:
    return f"[{STATUS_STYLE.get(status, 'dim')}]{status}[/]"


def _parse_since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError as exc:
        raise InvalidInput(f"--since takes a date as YYYY-MM-DD, not {value!r}") from exc


@click.command("search")
@click.argument("query")
@click.option("--person", help="Only answers of people whose name contains this.")
@click.option("--guide", help="Only interviews that used this guide id.")
@click.option("--track", help="Only this track: exit or handover.")
@click.option("--label", help="Only answers that mention an entity with this label (SYSTEM) or text.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only answers saved on or after this date.")
@click.option("--status", help="Person status (active, leaving, left) or interview status.")
@click.option("--limit", type=int, default=20, show_default=True, help="How many hits to show.")
@click.option("--include-confidential", is_flag=True, help="Include confidential answers (HR only).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of hits.")
@pass_app
def search(
    app: AppContext,
    query: str,
    person: str | None,
    guide: str | None,
    track: str | None,
    label: str | None,
    since: str | None,
    status: str | None,
    limit: int,
    include_confidential: bool,
    as_json: bool,
) -> None:
    """Search every answer: words, "exact phrase", a OR b, -exclude, prefix*."""
    # Read-only: on an SQLite file this path never imports SQLAlchemy (Services.search_readonly).
    hits = app.services.search_readonly.search(
        query,
        person=person,
        guide=guide,
        track=track,
        label=label,
        since=_parse_since(since),
        status=status,
        include_confidential=include_confidential,
        limit=limit,
    )
    if as_json:
        emit_json([hit.to_json() for hit in hits])
        return
    _print_hits(hits, query, include_confidential)


def _print_hits(hits: list[SearchHit], query: str, include_confidential: bool) -> None:
    # click.style, not rich: importing and driving rich's console costs more than the search
    # itself (~0.1 s), and these lines need nothing but bold and colour.
    if not hits:
        hint = "" if include_confidential else " (confidential answers are excluded; HR can add --include-confidential)"
        click.echo(f"no answers match {query!r}{hint}")
        return
    for hit in hits:
        marker = " " + _styled("confidential", fg="red") if hit.visibility == "confidential" else ""
        click.echo(
            f"{_styled(hit.person, bold=True)} ({_status_text(hit.person_status)}) · interview {hit.interview_id} "
            f"· {hit.guide} · {_styled(hit.question_id, fg='cyan')}{marker} · score {hit.score:g}"
        )
        click.echo(f"  {_styled(hit.prompt, dim=True)}")
        click.echo(f"  {_snippet_text(hit.snippet)}")
        click.echo()
    click.echo(f"{len(hits)} answer{'s' if len(hits) != 1 else ''}")


def _styled(text: str, **style: object) -> str:
    """``text`` with ANSI style on a terminal, as it is when piped."""
    return click.style(text, **style) if is_terminal() else text  # type: ignore[arg-type]


def _status_text(status: str) -> str:
    colour = STATUS_STYLE.get(status, "dim")
    return _styled(status, dim=True) if colour == "dim" else _styled(status, fg=colour)


def _snippet_text(snippet: str) -> str:
    """A snippet for the terminal: the ** markers become bold yellow; piped, they stay."""
    if not is_terminal():
        return snippet
    return "".join(_styled(text, bold=True, fg="yellow") if marked else text for text, marked in split_highlights(snippet))


@click.command("who")
@click.argument("topic")
@click.option("--limit", type=int, default=20, show_default=True, help="How many people to show.")
@click.option("--include-confidential", is_flag=True, help="Use confidential answers as evidence (HR only).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of people with evidence.")
@pass_app
def who(app: AppContext, topic: str, limit: int, include_confidential: bool, as_json: bool) -> None:
    """Who knows about TOPIC: people ranked by evidence, with their status."""
    from retain.services.knowledge import KnowledgeService

    # Through the light reader (sqlite3 alone on an SQLite file): who only reads.
    entries = KnowledgeService(app.rows).who(topic, include_confidential=include_confidential, limit=limit)
    if as_json:
        emit_json([entry.to_json() for entry in entries])
        return
    _print_who(entries, topic)


def _print_who(entries: list[WhoEntry], topic: str) -> None:
    if not entries:
        click.echo(f"nobody in the records talks about {topic!r}")
        return
    for entry in entries:
        named = f" · named by {', '.join(entry.named_by)}" if entry.named_by else ""
        click.echo(
            f"{_styled(entry.person, bold=True)} ({_status_text(entry.status)}) · "
            f"{entry.count} piece{'s' if entry.count != 1 else ''} of evidence{named}"
        )
        for item in entry.evidence[:3]:
            click.echo(f"  interview {item.interview} {_styled(item.question, fg='cyan')}: {_snippet_text(item.snippet)}")
        click.echo()
    ask = next((entry for entry in entries if entry.status == "active"), None)
    if ask is not None and ask is not entries[0]:
        click.echo(f"still here to ask: {_styled(ask.person, bold=True)}")


@click.command("map")
@click.option("--label", help="Only this label: SYSTEM, ORG or TOPIC.")
@click.option("--at-risk", "at_risk", is_flag=True, help="Only knowledge at risk.")
@click.option("--include-confidential", is_flag=True, help="Count confidential answers too (HR only).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of items.")
@pass_app
def knowledge_map(app: AppContext, label: str | None, at_risk: bool, include_confidential: bool, as_json: bool) -> None:
    """Knowledge concentration: what is held by whom, and what only leaving people hold."""
    from retain.services.knowledge import KnowledgeService

    entries = KnowledgeService(app.rows).map(
        include_confidential=include_confidential, label=label, at_risk_only=at_risk
    )
    if as_json:
        emit_json([entry.to_json() for entry in entries])
        return
    _print_map(entries)


def _print_map(entries: list[MapEntry]) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    if not entries:
        console.print("no systems, organisations or topics extracted yet; run `retain extract --all`")
        return
    table = Table(show_lines=False, header_style="bold")
    table.add_column("at risk")
    table.add_column("item")
    table.add_column("label")
    table.add_column("people", justify="right")
    table.add_column("who")
    table.add_column("why", overflow="fold")
    for entry in entries:
        people = ", ".join(f"{escape(name)} ({_status(status)})" for name, status in entry.people)
        table.add_row(
            "[bold red]AT RISK[/]" if entry.at_risk else "",
            escape(entry.item),
            entry.label,
            str(len(entry.people)),
            people,
            escape(entry.reason or ""),
        )
    console.print(table)
    risky = sum(1 for entry in entries if entry.at_risk)
    console.print(f"{len(entries)} items, {risky} at risk")


def register(cli: click.Group) -> None:
    """Add the commands to the CLI."""
    for command in (search, who, knowledge_map):
        cli.add_command(command)
