"""Typed documents: dataclasses whose fields carry their documentation, printed by one ``to_json``."""

from __future__ import annotations

from dataclasses import field, fields
from typing import Any

from retain.domain.types import JsonObject, JsonValue


def doc(meaning: str, default: Any = None, *, factory: Any = None) -> Any:
    """A dataclass field with the meaning a template author reads in docs/templates.md."""
    if factory is not None:
        return field(default_factory=factory, metadata={"doc": meaning})
    if default is not None:
        return field(default=default, metadata={"doc": meaning})
    return field(metadata={"doc": meaning})


_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})
# Per model class: its printed field names, and whether it adds keys of its own first.
_SPECS: dict[type, tuple[tuple[str, ...], bool]] = {}


def to_json(value: object, memo: dict[int, JsonObject] | None = None) -> JsonValue:
    """Plain JSON of a model: dataclasses become dicts, in field order.

    An object shown in several places (an entry is in its section, the appendix and
    ``entries``) becomes one shared dict, as the context always was. A pack holds tens of
    thousands of values, so plain ones are passed through without a call.
    """
    memo = {} if memo is None else memo
    kind = type(value)
    if kind in _PLAIN:
        return value  # type: ignore[return-value]  # one of the plain JSON types
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN else to_json(v, memo) for v in value]  # type: ignore[attr-defined]
    if kind is dict:
        return {str(k): v if type(v) in _PLAIN else to_json(v, memo) for k, v in value.items()}  # type: ignore[attr-defined]
    if isinstance(value, Model):
        seen = memo.get(id(value))
        if seen is not None:
            return seen
        spec = _SPECS.get(kind)
        if spec is None:
            names = tuple(f.name for f in fields(value) if f.name not in FLATTENED)  # type: ignore[arg-type]
            spec = _SPECS[kind] = (names, callable(getattr(value, "json_extra", None)))
        out: JsonObject = dict(value.json_extra()) if spec[1] else {}  # type: ignore[attr-defined]
        memo[id(value)] = out
        for name in spec[0]:
            item = getattr(value, name)
            out[name] = item if type(item) in _PLAIN else to_json(item, memo)
        return out
    if callable(getattr(value, "to_json", None)):
        return value.to_json()  # type: ignore[attr-defined, no-any-return]  # a domain value (Gap, Coverage)
    raise TypeError(f"{kind.__name__} is not part of a typed document")


# Fields printed inline in their parent rather than under their own key.
FLATTENED = frozenset({"values"})


class Model:
    """Base of typed documents (the pack context, the interview report): ``to_json`` prints them."""

    def to_json(self) -> JsonObject:
        """This part as plain JSON (the shape documented in docs/templates.md)."""
        out = to_json(self)
        assert isinstance(out, dict)
        return out


__all__ = ["FLATTENED", "Model", "doc", "to_json"]
