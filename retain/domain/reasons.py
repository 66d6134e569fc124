"""Reasons for leaving: the fixed list exit insights count, with push and pull factors."""

from __future__ import annotations

import re
from typing import Literal

Factor = Literal["push", "pull", "personal", "other"]

# The exit guide's primary-reason options, in its order. Push factors drive people away from
# the organisation, pull factors draw them to the next job, personal ones sit outside work.
REASONS: dict[str, Factor] = {
    "Pay and benefits": "pull",
    "Career growth and progression": "pull",
    "Manager relationship": "push",
    "Workload and wellbeing": "push",
    "Team or culture": "push",
    "Role content or fit": "push",
    "Flexibility, location or commute": "pull",
    "Organisational change or job security": "push",
    "Personal or family circumstances": "personal",
    "Retirement": "personal",
    "Other": "other",
}
OTHER = "Other"
_FOLD = re.compile(r"[^a-z0-9]+")


def _key(value: str) -> str:
    return _FOLD.sub(" ", value.casefold()).strip()


_BY_KEY = {_key(reason): reason for reason in REASONS}


def canonical_reason(value: str | None) -> str | None:
    """The listed reason an answer names, ignoring case and punctuation; ``None`` if empty.

    A value that names no listed reason counts as ``Other``: free text typed into the reason
    column still counts, without creating categories of one.
    """
    if value is None or not value.strip():
        return None
    key = _key(value)
    if key in _BY_KEY:
        return _BY_KEY[key]
    # "Pay", "workload", "manager": a listed reason that starts with what was typed.
    starts = [reason for k, reason in _BY_KEY.items() if k.startswith(key) and len(key) >= 3]
    return starts[0] if len(starts) == 1 else OTHER


def separation_kind(value: str | None) -> str | None:
    """``voluntary`` or ``involuntary`` from the separation answer; ``None`` if not recorded."""
    key = _key(value or "")
    if key.startswith("invol"):
        return "involuntary"
    if key.startswith("vol"):
        return "voluntary"
    return None


def yes_no(value: str | None) -> bool | None:
    """A yes/no answer as a bool; ``None`` if not recorded."""
    key = _key(value or "")
    if key in ("yes", "y", "true"):
        return True
    if key in ("no", "n", "false"):
        return False
    return None


__all__ = ["OTHER", "REASONS", "Factor", "canonical_reason", "separation_kind", "yes_no"]
