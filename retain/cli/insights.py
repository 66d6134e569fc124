"""`retain insights`: HR exit insights behind reporting minimums."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from retain.cli.common import AppContext, emit_json, pass_app, warn
from retain.domain.insights import BY_CHOICES, Insights

SHOWN_REASONS = 4


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint="--since") from None


def _text(report: Insights) -> str:
    k = report.min_group
    hidden = f"fewer than {k}"
    lines = [f"HR ONLY · exit insights by {report.by} · reporting minimum {k}"
             + (f" · since {report.since}" if report.since else "")]
    if report.n is None:
        lines.append(f"Fewer than {k} exits in all: nothing can be shown.")
        return "\n".join(lines)
    lines.append(f"{report.n} exits; counts under {k}, and counts that would reveal them, are hidden.")
    width = max([len(g.key) for g in report.groups] + [len(report.by)]) + 2
    lines.append("")
    lines.append(f"{report.by.upper():<{width}}{'N':>12}  {'CONTRIBUTING' if report.by == 'reason' else 'MAIN'} REASONS")
    for group in report.groups:
        if group.reasons is None:
            lines.append(f"{group.key:<{width}}{hidden:>12}  (hidden to protect a small group)")
            continue
        shown = [f"{c.reason} {hidden if c.n is None else c.n}" for c in group.reasons[:SHOWN_REASONS]]
        more = len(group.reasons) - SHOWN_REASONS
        lines.append(f"{group.key:<{width}}{group.n:>12}  " + " · ".join(shown) + (f" · +{more} more" if more > 0 else ""))
    for name, rows in report.breakdowns.items():
        lines.append(f"{name}: " + " · ".join(f"{v} {hidden if n is None else n}" for v, n in rows))
    for trend in report.trends:
        lines.append(f"trend {trend.start} → {trend.end}: {trend.n_start} → {trend.n_end} exits")
    if report.themes:
        lines.append("suggested codes: " + ", ".join(f"{t.phrase} ({t.people})" for t in report.themes))
    for key, quotes in (report.quotes or {}).items():
        lines.extend(f"“{q}” ({key})" for q in quotes)
    return "\n".join(lines)


@click.command("insights")
@click.option("--by", type=click.Choice(BY_CHOICES), default="quarter", show_default=True,
              help="Group exits by the quarter of leaving, team, role, or main reason.")
@click.option("--since", metavar="YYYY-MM-DD", help="Only exits on or after this date.")
@click.option("--min-group", type=int, metavar="K",
              help="Reporting minimum (default: config insights_min_group, else 5; never below 3).")
@click.option("--quotes", is_flag=True, help="Add short quotes, from groups that reach the minimum only.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write FILE.html or FILE.docx.")
@pass_app
def insights(app: AppContext, by: str, since: str | None, min_group: int | None, quotes: bool,
             as_json: bool, out: Path | None) -> None:
    """HR only: reasons for leaving across exit interviews, with small groups hidden."""
    report = app.services.insights.report(by=by, since=_since(since), min_group=min_group, quotes=quotes)
    if out is not None:
        path = app.services.insights.write(report, out)
        warn("this report is built from confidential exit interviews; share it only within HR")
        click.echo(str(path))
        return
    if as_json:
        emit_json(report.to_json())
        return
    click.echo(_text(report))


def register(cli: click.Group) -> None:
    """Add the commands to the CLI."""
    cli.add_command(insights)
