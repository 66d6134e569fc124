"""What privacy use cases return: erasure results, log entries, the next purge date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from retain.store.erase import ScrubReport


@dataclass(frozen=True)
class InterviewRef:
    """An interview an erasure touches, as listed by a dry run."""

    id: int
    person: str
    guide: str
    track: str
    status: str
    due: date | None = None

    def to_json(self) -> dict[str, Any]:
        """``{"id", "person", "guide", "track", "status", "due"}``."""
        return {"id": self.id, "person": self.person, "guide": self.guide, "track": self.track,
                "status": self.status, "due": self.due.isoformat() if self.due else None}


@dataclass(frozen=True)
class ExportFile:
    """A file retain wrote that holds a person's data, and whether it is still on disk."""

    path: str
    kind: str
    exists: bool
    deleted: bool = False

    def to_json(self) -> dict[str, Any]:
        """``{"path", "kind", "exists", "deleted"}``."""
        return {"path": self.path, "kind": self.kind, "exists": self.exists, "deleted": self.deleted}


@dataclass
class ErasureResult:
    """What a forget, purge or delete did (or, in a dry run, would do).

    Attributes:
        kind: ``forget``, ``purge`` or ``delete``.
        person_ref: The salted hash the erasure log records (forget), never the name.
        dry_run: Nothing was changed.
        counts: Rows deleted per kind (``interviews``, ``answers``, ``mentions``, ...).
        cleared: Links emptied and other fields redacted, per ``table.column``.
        redacted_answers: How many answers of other people now read ``[removed person]``.
        interviews: The interviews deleted.
        files: Files on disk that hold the erased data.
        scrub: What was done to the database files afterwards.
    """

    kind: str
    person_ref: str | None
    dry_run: bool
    counts: dict[str, int]
    cleared: dict[str, int]
    redacted_answers: int
    interviews: list[InterviewRef]
    files: list[ExportFile] = field(default_factory=list)
    scrub: ScrubReport | None = None
    rule: str | None = None

    def summary(self, what: str) -> str:
        """The result for people: counts, the interviews, redactions and files, one per line."""
        verb = "would delete" if self.dry_run else "deleted"
        lines = [f"{what}: {verb} " + (", ".join(f"{n} {k}" for k, n in self.counts.items()) or "nothing")]
        for ref in self.interviews:
            due = f", due {ref.due.isoformat()}" if ref.due else ""
            lines.append(f"  interview {ref.id}: {ref.person} · {ref.guide} ({ref.track}, {ref.status}{due})")
        if self.redacted_answers:
            lines.append(f"  {self.redacted_answers} answers of other people {'would read' if self.dry_run else 'now read'}"
                         " [removed person]")
        for name, n in self.cleared.items():
            lines.append(f"  {'would clear' if self.dry_run else 'cleared'} {n} × {name}")
        for file in self.files:
            state = "deleted" if file.deleted else ("on disk" if file.exists else "already gone")
            lines.append(f"  file ({file.kind}, {state}): {file.path}")
        if self.scrub is not None:
            lines.append(f"  database files scrubbed: {', '.join(self.scrub.steps)}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``person forget``/``purge``: ``{"person_ref", "deleted", "redacted_answers", "files", ...}``."""
        return {
            "kind": self.kind,
            "person_ref": self.person_ref,
            "dry_run": self.dry_run,
            "deleted": self.counts,
            "cleared": self.cleared,
            "redacted_answers": self.redacted_answers,
            "interviews": [i.to_json() for i in self.interviews],
            "files": [f.to_json() for f in self.files],
            "rule": self.rule,
            "scrub": None if self.scrub is None else {
                "backend": self.scrub.backend, "steps": self.scrub.steps, "wal_truncated": self.scrub.wal_truncated,
            },
        }


@dataclass(frozen=True)
class LogEntry:
    """One line of the erasure log."""

    id: int
    at: datetime
    kind: str
    counts: dict[str, int]
    subjects: list[str]

    def to_json(self) -> dict[str, Any]:
        """``{"id", "at", "kind", "counts", "subjects"}``."""
        return {"id": self.id, "at": self.at.isoformat(), "kind": self.kind, "counts": self.counts,
                "subjects": self.subjects}


@dataclass(frozen=True)
class PurgeDue:
    """When the retention policy next has something to purge."""

    due: date
    interviews: int
    overdue: bool

    def describe(self) -> str:
        """``next purge due 2028-12-18 (1 interview)`` or ``purge overdue: 3 interviews ...``."""
        n = f"{self.interviews} interview{'s' if self.interviews != 1 else ''}"
        if self.overdue:
            return f"purge overdue: {n} past retention since {self.due.isoformat()}; run `retain purge`"
        return f"next purge due {self.due.isoformat()} ({n})"
