"""Interview progress; the rules live in :mod:`retain.domain.progress` (kept for old imports)."""

from __future__ import annotations

from retain.domain.answers import is_answered
from retain.domain.progress import Coverage, Progress, compute_progress, pack_coverage

__all__ = ["Coverage", "Progress", "compute_progress", "is_answered", "pack_coverage"]
