"""Reporting minimums: primary and complementary cell suppression for small-group tables.

A table has groups (rows), reasons (columns), the size of each group, and totals per reason
over all groups. Any count from 1 to K-1 is hidden (primary suppression). Then, wherever a
row, a column or the group sizes would let someone work a hidden count out by subtraction
(exactly one unknown in a sum that is shown), one more count is hidden (complementary
suppression), until no sum has a single unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

MIN_GROUP_FLOOR = 3
DEFAULT_MIN_GROUP = 5


@dataclass
class Table:
    """Counts to publish, and what of them must stay hidden.

    Attributes:
        groups: Row keys, in display order.
        reasons: Column keys, in display order.
        cells: ``cells[g][r]``: how many exits of group ``g`` gave reason ``r``.
        sizes: ``sizes[g]``: how many exits are in group ``g``.
        rows_add_up: Whether each row's cells sum to its size (one reason per exit). With
            several reasons per exit, only the column sums hold.
        hidden_groups: Groups whose size and cells are all hidden.
        hidden_cells: ``(group, reason)`` counts that are hidden.
        hidden_totals: Reasons whose total over all groups is hidden.
        hidden_all: Everything is hidden: the whole population is below the minimum.
    """

    groups: list[str]
    reasons: list[str]
    cells: dict[str, dict[str, int]]
    sizes: dict[str, int]
    rows_add_up: bool = True
    hidden_groups: set[str] = field(default_factory=set)
    hidden_cells: set[tuple[str, str]] = field(default_factory=set)
    hidden_totals: set[str] = field(default_factory=set)
    hidden_all: bool = False

    def cell(self, group: str, reason: str) -> int:
        """A count (0 when nobody in the group gave the reason)."""
        return self.cells.get(group, {}).get(reason, 0)

    def total(self, reason: str) -> int:
        """The reason's count over all groups."""
        return sum(self.cell(g, reason) for g in self.groups)

    @property
    def size(self) -> int:
        """The whole population."""
        return sum(self.sizes.values())

    def is_hidden(self, group: str, reason: str) -> bool:
        """Whether the count of ``reason`` in ``group`` is hidden."""
        return self.hidden_all or group in self.hidden_groups or (group, reason) in self.hidden_cells


def check_min_group(k: int) -> int:
    """The reporting minimum, refused below the floor of 3.

    Raises:
        ValueError: For a minimum below 3.
    """
    if k < MIN_GROUP_FLOOR:
        raise ValueError(f"the reporting minimum is {k}; it must be at least {MIN_GROUP_FLOOR}")
    return k


def _small(value: int, k: int) -> bool:
    return 0 < value < k


def suppress(table: Table, k: int) -> Table:
    """Hide every count below ``k``, then every count that sums would give away.

    Args:
        table: The counts; its hidden sets are filled in place.
        k: The reporting minimum (3 or more).

    Returns:
        The same table, for chaining.
    """
    check_min_group(k)
    if table.size < k:
        table.hidden_all = True
        return table
    for group in table.groups:
        if _small(table.sizes[group], k):
            table.hidden_groups.add(group)
        for reason in table.reasons:
            if _small(table.cell(group, reason), k):
                table.hidden_cells.add((group, reason))
    for reason in table.reasons:
        if _small(table.total(reason), k):
            table.hidden_totals.add(reason)
    while True:
        while _complement_once(table):
            pass
        pinned = pinned_cells(table)
        if not pinned:
            return table
        _unpin(table, pinned[0])


def _equations(table: Table) -> list[tuple[list[tuple[str, str]], int]]:
    """Every published sum, as (cells, value): rows with a shown size, shown column totals."""
    cells = [(g, r) for g in table.groups for r in table.reasons]
    found: list[tuple[list[tuple[str, str]], int]] = []
    if table.rows_add_up:
        found.append((cells, table.size))
        for g in table.groups:
            if g not in table.hidden_groups:
                found.append(([(g, r) for r in table.reasons], table.sizes[g]))
        hidden = [c for c in cells if c[0] in table.hidden_groups]
        if hidden:
            found.append((hidden, sum(table.sizes[g] for g in table.hidden_groups)))
    for r in table.reasons:
        if r not in table.hidden_totals:
            found.append(([(g, r) for g in table.groups], table.total(r)))
    return found


def pinned_cells(table: Table) -> list[tuple[str, str]]:
    """Hidden counts that the published sums pin to one value (by interval propagation).

    Each hidden count starts between 0 and the population; every published sum then narrows
    the bounds of its hidden terms, until nothing changes. A count whose bounds meet on a value
    above zero can be worked out, so it is not really hidden. One pinned at zero only says that
    nobody in those groups gave that reason, which tells nothing about any one person.
    """
    hidden = {(g, r) for g in table.groups for r in table.reasons if table.is_hidden(g, r)}
    low = dict.fromkeys(hidden, 0)
    high = dict.fromkeys(hidden, table.size)
    equations = [
        ([c for c in terms if c in hidden], value - sum(table.cell(*c) for c in terms if c not in hidden))
        for terms, value in _equations(table)
    ]
    changed = True
    while changed:
        changed = False
        for terms, rest in equations:
            for cell in terms:
                others_low = sum(low[c] for c in terms if c != cell)
                others_high = sum(high[c] for c in terms if c != cell)
                new_low, new_high = max(low[cell], rest - others_high), min(high[cell], rest - others_low)
                if (new_low, new_high) != (low[cell], high[cell]):
                    low[cell], high[cell] = new_low, new_high
                    changed = True
    pinned = {c for c in hidden if low[c] >= high[c] > 0}
    pinned |= {c for c in _solved_linearly(sorted(hidden), equations) if high[c] > 0}
    return sorted(pinned)


def _solved_linearly(
    hidden: list[tuple[str, str]], equations: list[tuple[list[tuple[str, str]], int]]
) -> set[tuple[str, str]]:
    """Hidden counts the published sums fix by combining them (rows minus columns, say).

    Row-reduces the equations over the hidden counts; a pivot count whose reduced row has no
    free count in it has one value whatever the free counts are.
    """
    index = {cell: i for i, cell in enumerate(hidden)}
    rows = [[Fraction(0)] * len(hidden) for _ in equations]
    for row, (terms, _) in zip(rows, equations, strict=True):
        for cell in terms:
            row[index[cell]] += 1
    pivots: list[int] = []
    top = 0
    for column in range(len(hidden)):
        found = next((r for r in range(top, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[top], rows[found] = rows[found], rows[top]
        lead = rows[top][column]
        rows[top] = [v / lead for v in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append(column)
        top += 1
    free = set(range(len(hidden))) - set(pivots)
    return {
        hidden[column]
        for row, column in zip(rows, pivots, strict=False)
        if all(row[f] == 0 for f in free)
    }


def _unpin(table: Table, cell: tuple[str, str]) -> None:
    """Hide one more count next to a pinned one: in its column, else its row, else its group."""
    group, reason = cell
    column = [(g, reason) for g in table.groups if not table.is_hidden(g, reason)]
    row = [(group, r) for r in table.reasons if not table.is_hidden(group, r)]
    if not _hide_smallest(table, column) and not _hide_smallest(table, row):
        if reason not in table.hidden_totals:
            table.hidden_totals.add(reason)
        else:
            table.hidden_groups.add(group)


def _complement_once(table: Table) -> bool:
    """Hide one more count where a sum has exactly one unknown; ``True`` if anything changed."""
    # Group sizes add up to the population, which is shown.
    hidden = [g for g in table.groups if g in table.hidden_groups]
    if len(hidden) == 1:
        candidates = [g for g in table.groups if g not in table.hidden_groups]
        if candidates:
            table.hidden_groups.add(min(candidates, key=lambda g: (table.sizes[g], g)))
            return True
    for group in table.groups:
        if group in table.hidden_groups or not table.rows_add_up:
            continue
        unknown = [r for r in table.reasons if (group, r) in table.hidden_cells]
        if len(unknown) == 1:
            _hide_smallest(table, [(group, r) for r in table.reasons if r not in unknown])
            return True
    for reason in table.reasons:
        unknown = [g for g in table.groups if table.is_hidden(g, reason)]
        if reason in table.hidden_totals:
            unknown.append("<total>")
        if len(unknown) == 1:
            others = [(g, reason) for g in table.groups if not table.is_hidden(g, reason)]
            if not _hide_smallest(table, others):
                table.hidden_totals.add(reason)
            return True
    return False


def _hide_smallest(table: Table, cells: Sequence[tuple[str, str]]) -> bool:
    """Hide the smallest non-zero count among ``cells`` (a zero if that is all there is)."""
    if not cells:
        return False
    chosen = min(cells, key=lambda c: (table.cell(*c) == 0, table.cell(*c), c))
    table.hidden_cells.add(chosen)
    return True


__all__ = ["DEFAULT_MIN_GROUP", "MIN_GROUP_FLOOR", "Table", "check_min_group", "suppress"]
