"""Interview guides: the YAML schema, the loader and the registry."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from retain.guides.loader import load_guide_file, parse_guide
    from retain.guides.registry import GuideRegistry
    from retain.guides.schema import PACK_SECTIONS, Guide, ListField, Question, Section

# Loaded on first use: importing a light submodule (retain.guides.sections, .outline) must not
# import pydantic and the YAML loader, which cost ~0.1 s at every command's start.
_WHERE = {
    "PACK_SECTIONS": "retain.guides.sections",
    "Guide": "retain.guides.schema",
    "ListField": "retain.guides.schema",
    "Question": "retain.guides.schema",
    "Section": "retain.guides.schema",
    "GuideRegistry": "retain.guides.registry",
    "load_guide_file": "retain.guides.loader",
    "parse_guide": "retain.guides.loader",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
