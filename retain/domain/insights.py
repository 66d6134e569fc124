"""Exit insights, written once: exits grouped and counted, behind the reporting minimum."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from retain.domain.reasons import REASONS
from retain.domain.suppression import Table, suppress
from retain.domain.types import JsonObject, JsonValue

NOT_RECORDED = "Not recorded"
BY_CHOICES: tuple[str, ...] = ("quarter", "team", "role", "reason")


@dataclass(frozen=True)
class ExitRecord:
    """One person's exit, as the insights count it."""

    interview_id: int
    person: str
    team: str
    role: str
    left_on: date
    primary: str | None
    contributing: tuple[str, ...] = ()
    separation: str | None = None
    regrettable: bool | None = None


def quarter(day: date) -> str:
    """``2026-Q3``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class ReasonCount:
    """A reason and how many gave it; ``n`` is ``None`` when hidden."""

    reason: str
    n: int | None
    factor: str

    def to_json(self) -> JsonObject:
        """``{"reason", "n", "factor", "suppressed"}``."""
        return {"reason": self.reason, "n": self.n, "factor": self.factor, "suppressed": self.n is None}


@dataclass(frozen=True)
class Group:
    """One group of exits (a quarter, team, role or main reason)."""

    key: str
    n: int | None
    reasons: list[ReasonCount] | None
    suppressed: bool

    def to_json(self) -> JsonObject:
        """The ``groups`` entry of ``retain insights --json``."""
        return {
            "key": self.key,
            "n": self.n,
            "reasons": None if self.reasons is None else [r.to_json() for r in self.reasons],
            "suppressed": self.suppressed,
        }


@dataclass(frozen=True)
class Trend:
    """The change between two consecutive quarters that both reach the minimum."""

    start: str
    end: str
    n_start: int
    n_end: int
    reasons: list[tuple[str, int, int]]

    def to_json(self) -> JsonObject:
        """``{"from", "to", "n_from", "n_to", "reasons": [{"reason", "from", "to"}]}``."""
        reasons: list[JsonValue] = [{"reason": r, "from": a, "to": b} for r, a, b in self.reasons]
        return {"from": self.start, "to": self.end, "n_from": self.n_start, "n_to": self.n_end,
                "reasons": reasons}


@dataclass(frozen=True)
class Theme:
    """A phrase that comes up in the exits of at least the minimum number of people."""

    phrase: str
    people: int


@dataclass
class Insights:
    """The whole report: what may be shown of it, and nothing else."""

    min_group: int
    by: str
    since: date | None
    n: int | None
    groups: list[Group]
    total: list[ReasonCount] | None
    breakdowns: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)
    trends: list[Trend] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    quotes: dict[str, list[str]] | None = None

    def to_json(self) -> JsonObject:
        """``{"min_group", "by", "since", "n", "groups", "total", ...}`` (DESIGN shape plus extras)."""
        doc: JsonObject = {
            "min_group": self.min_group,
            "by": self.by,
            "since": self.since.isoformat() if self.since else None,
            "n": self.n,
            "groups": [g.to_json() for g in self.groups],
            "total": None if self.total is None else [r.to_json() for r in self.total],
            "breakdowns": {
                name: [{"value": v, "n": c, "suppressed": c is None} for v, c in rows]
                for name, rows in self.breakdowns.items()
            },
            "trends": [t.to_json() for t in self.trends],
            "themes": [{"phrase": t.phrase, "people": t.people} for t in self.themes],
        }
        if self.quotes is not None:
            doc["quotes"] = {k: list(v) for k, v in self.quotes.items()}
        return doc


def group_key(record: ExitRecord, by: str) -> str:
    """The group an exit falls in when grouping by ``by``."""
    if by == "quarter":
        return quarter(record.left_on)
    if by == "team":
        return record.team or "(no team)"
    if by == "role":
        return record.role or "(no role)"
    return record.primary or NOT_RECORDED


def _reason_order(names: set[str]) -> list[str]:
    listed = [r for r in REASONS if r in names]
    return listed + sorted(names - set(listed))


def build_table(records: Sequence[ExitRecord], by: str) -> Table:
    """Groups x reasons: main reasons per group, or (by reason) the contributing reasons."""
    groups: dict[str, Counter[str]] = {}
    sizes: Counter[str] = Counter()
    for record in records:
        key = group_key(record, by)
        sizes[key] += 1
        counts = groups.setdefault(key, Counter())
        if by == "reason":
            counts.update(set(record.contributing) - {record.primary or ""})
        else:
            counts[record.primary or NOT_RECORDED] += 1
    names = {r for c in groups.values() for r in c}
    order = sorted(groups) if by == "quarter" else sorted(groups, key=lambda k: (-sizes[k], k))
    return Table(
        groups=order,
        reasons=_reason_order(names),
        cells={g: dict(c) for g, c in groups.items()},
        sizes=dict(sizes),
        rows_add_up=by != "reason",
    )


def _counts(table: Table, group: str) -> list[ReasonCount]:
    return [
        ReasonCount(r, None if table.is_hidden(group, r) else table.cell(group, r), REASONS.get(r, "other"))
        for r in table.reasons
        if table.cell(group, r) > 0 or table.is_hidden(group, r)
    ]


def breakdown(values: Sequence[str], k: int) -> list[tuple[str, int | None]]:
    """Counts of one variable over everyone (voluntary/involuntary, regrettable), suppressed."""
    counts = Counter(values)
    table = Table(groups=["all"], reasons=sorted(counts), cells={"all": dict(counts)},
                  sizes={"all": len(values)})
    suppress(table, k)
    return [(v, None if table.is_hidden("all", v) else counts[v]) for v in table.reasons]


def summarise(
    records: Sequence[ExitRecord],
    *,
    by: str,
    k: int,
    since: date | None,
    themes: Callable[[int], list[Theme]] | None = None,
) -> Insights:
    """Count exits by ``by`` and hide whatever the reporting minimum ``k`` protects.

    Args:
        records: The exits to report (already limited to ``since``).
        by: ``quarter``, ``team``, ``role`` or ``reason``.
        k: The reporting minimum.
        since: The start date the records were limited to, for the report's heading.
        themes: Suggested codes for the minimum ``k`` (computed only when shown).
    """
    table = suppress(build_table(records, by), k)
    if table.hidden_all:
        return Insights(min_group=k, by=by, since=since, n=None, groups=[], total=None)
    groups = [
        Group(key=g, n=None, reasons=None, suppressed=True)
        if g in table.hidden_groups
        else Group(key=g, n=table.sizes[g], reasons=_counts(table, g), suppressed=False)
        for g in table.groups
    ]
    total = [
        ReasonCount(r, None if r in table.hidden_totals else table.total(r), REASONS.get(r, "other"))
        for r in table.reasons
    ]
    report = Insights(min_group=k, by=by, since=since, n=table.size, groups=groups, total=total)
    report.breakdowns = {
        "separation": breakdown([r.separation or NOT_RECORDED for r in records], k),
        "regrettable": breakdown(
            [NOT_RECORDED if r.regrettable is None else ("yes" if r.regrettable else "no") for r in records], k
        ),
    }
    if by == "quarter":
        report.trends = trends(groups)
    if themes is not None:
        report.themes = themes(k)
    return report


def trends(groups: Sequence[Group]) -> list[Trend]:
    """Changes between consecutive quarters, only where both reach the minimum."""
    found: list[Trend] = []
    for before, after in pairwise(groups):
        if before.n is None or after.n is None or before.reasons is None or after.reasons is None:
            continue
        a = {r.reason: r.n for r in before.reasons if r.n is not None}
        b = {r.reason: r.n for r in after.reasons if r.n is not None}
        shared = [(r, a[r], b[r]) for r in a if r in b]
        found.append(Trend(before.key, after.key, before.n, after.n, shared))
    return found


__all__ = [
    "BY_CHOICES", "NOT_RECORDED", "ExitRecord", "Group", "Insights", "ReasonCount", "Theme", "Trend",
    "breakdown", "build_table", "group_key", "quarter", "summarise", "trends",
]
