"""The interview screen's draft queue: unsaved changes per question, written through one save call."""

from __future__ import annotations

import threading
import time
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
    so the newest words are always the last written, whatever order threads run in. A
    database that is unreachable or locked keeps the draft queued for the next flush; an
    answer the service refuses is dropped and reported.

    With ``max_wait`` set, :meth:`start` runs an autosave thread: a change is flushed at most
    ``max_wait`` seconds after it was queued, however fast typing continues (a throttle, not
    a debounce). The thread does not depend on the UI's event loop, so a busy screen (a
    backlog of keys, spaCy loading) never holds a save back.

    Args:
        save: The one save call, bound to an interview.
        max_wait: The throttle's maximum wait, in seconds.
        flushed: Called (on the autosave thread) with what each autosave wrote.
        crashed: Called (on the autosave thread) with an unexpected exception; the thread
            keeps running.
    """

    def __init__(self, save: SaveCall, *, max_wait: float | None = None,
                 flushed: Callable[[Flushed], None] | None = None,
                 crashed: Callable[[BaseException], None] | None = None) -> None:
        self._save = save
        self._drafts: dict[str, Draft] = {}
        self._lock = threading.Lock()  # guards _drafts and _due
        self._flushing = threading.Lock()  # one flush at a time
        self._max_wait = max_wait
        self._on_flushed = flushed
        self._on_crashed = crashed
        self._due: float | None = None  # when the oldest unsaved change must be written
        self._wake = threading.Condition(self._lock)
        self._stopped = False
        self._thread: threading.Thread | None = None

    # -- the autosave thread --------------------------------------------------------------
    def start(self) -> None:
        """Start autosaving (needs ``max_wait``)."""
        if self._max_wait is None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="retain-autosave", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop autosaving (what is still queued stays queued: flush it first)."""
        with self._lock:
            self._stopped = True
            self._wake.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def save_soon(self) -> None:
        """Ask the autosave thread to write what is queued now (a row added, a choice made)."""
        with self._lock:
            if self._drafts:
                self._due = time.monotonic()
                self._wake.notify_all()

    def _mark_due(self) -> None:
        # Called with the lock held, after a change: the first change since a flush sets the
        # deadline; later ones never push it back.
        if self._max_wait is not None and self._due is None:
            self._due = time.monotonic() + self._max_wait
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._stopped and (self._due is None or self._due > time.monotonic()):
                    self._wake.wait(None if self._due is None else self._due - time.monotonic())
                if self._stopped:
                    return
            try:
                result = self.flush()
                if self._on_flushed is not None and (result.saved or result.failed):
                    self._on_flushed(result)
            except BaseException as exc:  # a bug: report it, keep autosaving
                if self._on_crashed is None:
                    raise
                self._on_crashed(exc)
                with self._lock:
                    if self._due is not None and self._due <= time.monotonic():
                        self._due = None  # never spin on a failing write

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
            self._mark_due()

    def visibility(self, question_id: str, visibility: str) -> None:
        """Queue a visibility change (it travels with any queued text, in one write)."""
        with self._lock:
            self._drafts.setdefault(question_id, Draft()).visibility = visibility
            self._mark_due()

    def skip(self, question_id: str, reason: str | None) -> None:
        """Queue a skip, keeping whatever text was typed."""
        with self._lock:
            draft = self._drafts.setdefault(question_id, Draft())
            draft.skip, draft.reason = True, reason
            self._mark_due()

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
                self._due = None
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
