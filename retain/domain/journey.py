"""The leaver's journey, written once: a person's status on a day, review states, follow-up days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

PERSON_STATUSES: tuple[str, ...] = ("active", "leaving", "left")
REVIEW_STATES: tuple[str, ...] = ("draft", "reviewed", "accepted")
FOLLOWUP_DAYS: tuple[int, ...] = (30, 60, 90)
FOLLOWUP_GUIDE = "successor-followup"
# What a follow-up question is for, by purpose, so the feedback loop does not hang on ids.
CORRECTIONS_PURPOSE = "corrections"
ASKED_PURPOSE = "contacts"


def effective_status(status: str, leaving_date: date | None, today: date) -> str:
    """A person's status as of ``today``: a leaving date in the past means they have left.

    The stored status is what someone set; ``leaving`` with a leaving date before today reads
    as ``left``, so nobody has to come back and flip it on the day.
    """
    if status == "leaving" and leaving_date is not None and leaving_date < today:
        return "left"
    return status


def followup_due(start: date, day: int) -> date:
    """The day a follow-up is due: ``day`` days after the successor started."""
    return start + timedelta(days=day)


def long_date(moment: date | datetime) -> str:
    """``3 Dec 2026``: the date style of pack covers and headers (no leading zero)."""
    return f"{moment.day} {moment:%b %Y}"


def review_label(
    state: str,
    reviewed_by: str | None,
    reviewed_at: datetime | None,
    accepted_by: str | None,
    accepted_at: datetime | None,
) -> str:
    """``REVIEWED by Nora Lindqvist, 3 Dec 2026``, ``ACCEPTED by ...`` or ``DRAFT``."""
    if state == "accepted" and accepted_by:
        when = f", {long_date(accepted_at)}" if accepted_at else ""
        return f"ACCEPTED by {accepted_by}{when}"
    if state in ("reviewed", "accepted") and reviewed_by:
        when = f", {long_date(reviewed_at)}" if reviewed_at else ""
        return f"REVIEWED by {reviewed_by}{when}"
    return "DRAFT"

def corrections_as_gaps(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What successors found wrong or missing, as gaps on the handover they followed up.

    Args:
        findings: Follow-ups with their answers, each answer carrying its question's purpose
            (see ``retain.services.journey.successor_findings``).

    Returns:
        ``{"kind": "successor_found", "message", "follow_up", "question", "item"}`` per finding.
    """
    gaps: list[dict[str, Any]] = []
    for finding in findings:
        for answer in finding["answers"]:
            if answer["purpose"] != CORRECTIONS_PURPOSE:
                continue
            found = [
                ("wrong or missing", line.strip(), "")
                for line in answer["text"].splitlines()
                if line.strip()
            ]
            for row in answer["items"]:
                values = [str(v).strip() for v in row.values() if str(v).strip()]
                item = str(row.get("item") or "").strip() or "; ".join(values)
                how = str(row.get("found") or "").strip()
                kind = " ".join(str(row.get("kind") or "").split()) or "wrong or missing"
                found.append((kind, item, f" (found out: {how})" if how else ""))
            for kind, line, how in found:
                gaps.append(
                    {
                        "kind": "successor_found",
                        "message": f"{finding['person']} ({finding['day']}-day follow-up) "
                        f"found this {kind}: {line}{how}",
                        "follow_up": "Correct or add it in the handover, and tell the "
                        "successor where it now is.",
                        "question": answer["question"],
                        "item": line,
                    }
                )
    return gaps
