"""The domain's closed vocabularies as ``Literal`` types, and the JSON value type of documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal, TypeAlias

Visibility = Literal["shareable", "confidential"]
Track = Literal["exit", "handover"]
InterviewStatus = Literal["draft", "in_progress", "completed"]
PersonStatus = Literal["active", "leaving", "left"]
PackKind = Literal["handover", "hr_exit"]

SHAREABLE: Final = "shareable"
CONFIDENTIAL: Final = "confidential"

# What ``to_json`` returns: plain JSON, printable with ``json.dumps`` as is.
# Read-only containers, so a ``list[str]`` or a ``dict[str, str]`` is a JSON value as it is.
JsonValue: TypeAlias = "str | int | float | bool | Sequence[JsonValue] | Mapping[str, JsonValue] | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"

__all__ = [
    "CONFIDENTIAL", "SHAREABLE", "InterviewStatus", "JsonObject", "JsonValue", "PackKind",
    "PersonStatus", "Track", "Visibility",
]
