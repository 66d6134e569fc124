"""Retention rules: how long interviews are kept, and the day each one falls due for purging."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from retain.errors import ConfigError, InvalidInput

TRACKS = ("exit", "handover")
# Exit interviews are personal data kept for HR learning; handover records are the
# organisation's memory. Two years after leaving is a common HR retention period.
DEFAULT_RETENTION: dict[str, str] = {"exit": "24 months after leaving", "handover": "never"}
ANCHORS = ("leaving", "completion", "update")
UNITS = {
    "d": "days", "day": "days", "days": "days",
    "w": "weeks", "week": "weeks", "weeks": "weeks",
    "m": "months", "mo": "months", "month": "months", "months": "months",
    "y": "years", "year": "years", "years": "years",
}
# Beyond a century a period is a typo, not a policy.
MAX_AMOUNT = {"days": 36_500, "weeks": 5_200, "months": 1_200, "years": 100}
_PERIOD = re.compile(r"^\s*(\d{1,6})\s*([a-z]+)\s*$")
_RULE = re.compile(r"^(?P<period>.+?)(?:\s+after\s+(?P<anchor>[a-z]+))?\s*$")


@dataclass(frozen=True)
class Period:
    """A calendar period such as 24 months or 2 years."""

    amount: int
    unit: str  # days | weeks | months | years

    def before(self, day: date) -> date:
        """The day this period before ``day`` (month ends clamp: 31 March - 1 month = 28/29 Feb)."""
        return _shift(day, -self)

    def after(self, day: date) -> date:
        """The day this period after ``day``."""
        return _shift(day, self)

    def __neg__(self) -> Period:
        return Period(-self.amount, self.unit)

    def __str__(self) -> str:
        unit = self.unit if abs(self.amount) != 1 else self.unit[:-1]
        return f"{self.amount} {unit}"


@dataclass(frozen=True)
class RetentionRule:
    """How long one track is kept: ``period`` after ``anchor``, or forever when period is None."""

    track: str
    period: Period | None
    anchor: str = "leaving"

    def describe(self) -> str:
        """The rule as written in config.toml."""
        return "never" if self.period is None else f"{self.period} after {self.anchor}"

    def due(self, *, leaving: date | None, completed: datetime | None, updated: datetime) -> date | None:
        """The day an interview under this rule becomes due for purging (None: never).

        An ``after leaving`` rule falls back to the interview's completion, then its last
        update, when the person has no leaving date: a record never escapes the policy
        just because a date was not filled in.
        """
        if self.period is None:
            return None
        start: date = updated.date()
        if self.anchor == "leaving" and leaving is not None:
            start = leaving
        elif self.anchor in ("leaving", "completion") and completed is not None:
            start = completed.date()
        return self.period.after(start)


def parse_period(text: str) -> Period:
    """``2y``, ``24 months``, ``90d``, ``6 weeks`` -> a :class:`Period`.

    Raises:
        InvalidInput: For anything else (the message shows the accepted forms).
    """
    match = _PERIOD.match(text.lower())
    unit = UNITS.get(match.group(2)) if match else None
    if match is None or unit is None:
        raise InvalidInput(f"not a period: {text!r}; use e.g. 2y, 18m, 90d, 6w or '24 months'")
    amount = int(match.group(1))
    if not 0 < amount <= MAX_AMOUNT[unit]:
        raise InvalidInput(f"period {text!r} is out of range; use 1 to {MAX_AMOUNT[unit]} {unit}")
    return Period(amount, unit)


def parse_rule(track: str, text: str) -> RetentionRule:
    """``24 months after leaving``, ``2y after completion``, ``3 years``, ``never``.

    Raises:
        InvalidInput: For a malformed rule or an unknown anchor.
    """
    clean = " ".join(str(text).lower().split())
    if clean in ("never", "forever", "keep"):
        return RetentionRule(track, None)
    match = _RULE.match(clean)
    if match is None or len(clean) > 100:
        raise InvalidInput(f"not a retention rule: {text!r}; use e.g. '24 months after leaving' or 'never'")
    anchor = match.group("anchor") or "leaving"
    if anchor not in ANCHORS:
        raise InvalidInput(f"unknown anchor {anchor!r} in {text!r}; use after {', after '.join(ANCHORS)}")
    return RetentionRule(track, parse_period(match.group("period")), anchor)


def parse_policy(values: Mapping[str, object] | None, source: str = "config.toml") -> dict[str, RetentionRule]:
    """The retention policy: the defaults, overridden per track by ``retention = {...}``.

    Raises:
        ConfigError: Naming the track and the fix, for an unknown track or a bad rule.
    """
    merged: dict[str, object] = {**DEFAULT_RETENTION, **dict(values or {})}
    policy: dict[str, RetentionRule] = {}
    for track, rule in merged.items():
        if track not in TRACKS:
            raise ConfigError(f"{source}: retention has unknown track {track!r}; use {' or '.join(TRACKS)}")
        try:
            policy[track] = parse_rule(track, str(rule))
        except InvalidInput as exc:
            raise ConfigError(f"{source}: retention.{track}: {exc.message}") from exc
    return policy


def parse_cutoff(older_than: str, today: date) -> date:
    """``--older-than``: an ISO date, or a period counted back from today.

    Raises:
        InvalidInput: For neither, or a date in the future.
    """
    value = older_than.strip()
    try:
        cutoff = date.fromisoformat(value)
    except ValueError:
        return parse_period(value).before(today)
    if cutoff > today:
        raise InvalidInput(f"--older-than {value} is in the future; give a past date or a period like 2y")
    return cutoff


def _shift(day: date, period: Period) -> date:
    if period.unit == "days":
        return date.fromordinal(day.toordinal() + period.amount)
    if period.unit == "weeks":
        return date.fromordinal(day.toordinal() + 7 * period.amount)
    months = period.amount * (12 if period.unit == "years" else 1)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
