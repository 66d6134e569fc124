"""The domain's closed vocabularies as ``Literal`` types, and the JSON value type of documents."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

Visibility = Literal["shareable", "confidential"]
Track = Literal["exit", "handover"]
InterviewStatus = Literal["draft", "in_progress", "completed"]
PersonStatus = Literal["active", "leaving", "left"]
PackKind = Literal["handover", "hr_exit"]

SHAREABLE: Final = "shareable"
CONFIDENTIAL: Final = "confidential"

# What ``to_json`` returns: plain JSON, printable with ``json.dumps`` as is.
JsonValue: TypeAlias = "str | int | float | bool | list[JsonValue] | dict[str, JsonValue] | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"

__all__ = [
    "CONFIDENTIAL", "SHAREABLE", "InterviewStatus", "JsonObject", "JsonValue", "PackKind",
    "PersonStatus", "Track", "Visibility",
]
