"""Typed documents: dataclasses whose fields carry their documentation, printed by one ``to_json``."""

from __future__ import annotations

from dataclasses import field, fields, is_dataclass
from typing import Any

from retain.domain.types import JsonObject, JsonValue


def doc(meaning: str, default: Any = None, *, factory: Any = None) -> Any:
    """A dataclass field with the meaning a template author reads in docs/templates.md."""
    if factory is not None:
        return field(default_factory=factory, metadata={"doc": meaning})
    if default is not None:
        return field(default=default, metadata={"doc": meaning})
    return field(metadata={"doc": meaning})


_FIELDS: dict[type, tuple[str, ...]] = {}


def to_json(value: object, memo: dict[int, JsonValue] | None = None) -> JsonValue:
    """Plain JSON of a model: dataclasses become dicts, in field order.

    An object shown in several places (an entry is in its section, the appendix and
    ``entries``) becomes one shared dict, as the context always was.
    """
    memo = {} if memo is None else memo
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [to_json(item, memo) for item in value]
    if isinstance(value, dict):
        return {str(k): to_json(v, memo) for k, v in value.items()}
    if not isinstance(value, Model) and callable(getattr(value, "to_json", None)):
        return value.to_json()  # type: ignore[attr-defined, no-any-return]  # a domain value (Gap, Coverage)
    if is_dataclass(value) and not isinstance(value, type):
        seen = memo.get(id(value))
        if seen is not None:
            return seen
        custom = getattr(value, "json_extra", None)
        names = _FIELDS.get(type(value))
        if names is None:
            names = _FIELDS[type(value)] = tuple(f.name for f in fields(value) if f.name not in FLATTENED)
        out: JsonObject = {}
        memo[id(value)] = out
        if callable(custom):
            out.update(custom())
        for name in names:
            out[name] = to_json(getattr(value, name), memo)
        return out
    raise TypeError(f"{type(value).__name__} is not part of the pack model")


# Fields printed inline in their parent rather than under their own key.
FLATTENED = frozenset({"values"})


class Model:
    """Base of the context's parts: ``to_json`` prints any of them as plain JSON."""

    def to_json(self) -> JsonObject:
        """This part as plain JSON (the shape documented in docs/templates.md)."""
        out = to_json(self)
        assert isinstance(out, dict)
        return out


__all__ = ["FLATTENED", "Model", "doc", "to_json"]
