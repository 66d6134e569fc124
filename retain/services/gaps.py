"""Gap analysis; the rules live in :mod:`retain.domain.gaps` (kept for old imports)."""

from __future__ import annotations

from retain.domain.gaps import KINDS, Gap, find_gaps

__all__ = ["KINDS", "Gap", "find_gaps"]
