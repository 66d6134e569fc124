"""The interview screen's draft queue: unsaved changes per question, written through one save call."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from retain.errors import RetainError, StoreError

if TYPE_CHECKING:
    from retain.store.models import Answer


class SaveCall(Protocol):
    """``InterviewService.save`` bound to one interview."""

    def __call__(
        self,
        question_id: str,
        *,
        text: str | None = ...,
        items: list[dict[str, str]] | None = ...,
        visibility: str | None = ...,
        skip: bool = ...,
        reason: str | None = ...,
    ) -> Answer: ...


@dataclass
class Draft:
    """Changes to one answer that are not in the database yet (``None`` keeps what is stored)."""

    text: str | None = None
    items: list[dict[str, str]] | None = None
    visibility: str | None = None
    skip: bool = False
    reason: str | None = None


@dataclass
class Flushed:
    """What one flush wrote, and what it could not."""

    saved: list[Answer] = field(default_factory=list)
    failed: list[tuple[str, RetainError]] = field(default_factory=list)


class DraftQueue:
    """Unsaved changes, keyed by question, that any thread can flush.

    Each flush takes everything queued when it starts and writes each answer with one save
    call (content, visibility and skip together, in one transaction). Flushes never overlap,
    so the newest words are always the last written, whatever order worker threads run in.
    A database that is unreachable or locked keeps the draft queued for the next flush; an
    answer the service refuses is dropped and reported.
    """

    def __init__(self, save: SaveCall) -> None:
        self._save = save
        self._drafts: dict[str, Draft] = {}
        self._lock = threading.Lock()  # guards _drafts
        self._flushing = threading.Lock()  # one flush at a time

    # -- queueing -----------------------------------------------------------------------
    def content(self, question_id: str, *, text: str | None = None,
                items: list[dict[str, str]] | None = None) -> None:
        """Queue new text (or list rows); typing an answer un-skips it."""
        with self._lock:
            draft = self._drafts.setdefault(question_id, Draft())
            if items is not None:
                draft.text, draft.items = None, [dict(item) for item in items]
            else:
                draft.text, draft.items = text or "", None
            draft.skip, draft.reason = False, None

    def visibility(self, question_id: str, visibility: str) -> None:
        """Queue a visibility change (it travels with any queued text, in one write)."""
        with self._lock:
            self._drafts.setdefault(question_id, Draft()).visibility = visibility

    def skip(self, question_id: str, reason: str | None) -> None:
        """Queue a skip, keeping whatever text was typed."""
        with self._lock:
            draft = self._drafts.setdefault(question_id, Draft())
            draft.skip, draft.reason = True, reason

    # -- reading ------------------------------------------------------------------------
    def waiting(self) -> set[str]:
        """Questions with unsaved changes."""
        with self._lock:
            return set(self._drafts)

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._drafts)

    @property
    def busy(self) -> bool:
        """Whether a flush is writing right now."""
        return self._flushing.locked()

    # -- writing ------------------------------------------------------------------------
    def flush(self, before: Callable[[], None] | None = None) -> Flushed:
        """Write every queued draft (from any thread).

        Args:
            before: Called once the flush holds its turn, before it takes the queue.
        """
        with self._flushing:
            if before is not None:
                before()
            with self._lock:
                batch, self._drafts = self._drafts, {}
            result = Flushed()
            for question_id, draft in batch.items():
                try:
                    result.saved.append(self._save(
                        question_id, text=draft.text, items=draft.items,
                        visibility=draft.visibility, skip=draft.skip, reason=draft.reason,
                    ))
                except StoreError as exc:
                    # Unreachable or locked: keep the words for the next flush, unless newer
                    # ones were queued meanwhile (those win).
                    with self._lock:
                        self._drafts.setdefault(question_id, draft)
                    result.failed.append((question_id, exc))
                except RetainError as exc:
                    result.failed.append((question_id, exc))
            return result


__all__ = ["Draft", "DraftQueue", "Flushed", "SaveCall"]
