"""retain: offboarding and knowledge-retention interviews, extracted, handed over and searchable."""

from __future__ import annotations

__version__ = "0.1.0"
