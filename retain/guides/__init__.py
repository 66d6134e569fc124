"""Interview guides: the YAML schema, the loader and the registry."""

from __future__ import annotations

from retain.guides.loader import load_guide_file, parse_guide
from retain.guides.registry import GuideRegistry
from retain.guides.schema import PACK_SECTIONS, Guide, ListField, Question, Section

__all__ = [
    "PACK_SECTIONS",
    "Guide",
    "GuideRegistry",
    "ListField",
    "Question",
    "Section",
    "load_guide_file",
    "parse_guide",
]
