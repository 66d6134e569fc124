"""Bounded YAML loading: size, nesting depth and alias expansion are limited before anything is built.

PyYAML's safe loader shares the object an alias points at, but everything that walks the
result afterwards (line maps, validation) sees the expanded tree: nine levels of nine aliases
is 387 million nodes. So the expanded size is counted on the node graph, with memoisation,
before a single Python object is constructed. Depth is checked on the event stream first,
because composing nodes recurses and a deep document would overflow Python's stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

# Guides and glossaries are hand-written: 1 MB is hundreds of questions, 32 levels is far more
# nesting than any schema here has, and 200,000 nodes is 20x the biggest shipped guide.
MAX_YAML_BYTES = 1_000_000
MAX_YAML_DEPTH = 32
MAX_YAML_NODES = 200_000


class YamlLimitError(ValueError):
    """A document goes past a bound; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Loaded:
    """A composed and constructed document, with the duplicate keys found on the way."""

    node: yaml.Node | None
    data: Any
    duplicates: list[tuple[int, str]] = field(default_factory=list)


def _check_depth(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise YamlLimitError(
                    event.start_mark.line + 1 if event.start_mark else 1,
                    f"nested more than {MAX_YAML_DEPTH} levels deep; flatten the document",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _expanded_size(root: yaml.Node) -> int:
    """Nodes in the tree once every alias is expanded, stopping as soon as it passes the bound."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk: the depth is bounded already, but recursion is not needed.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children = _children(node)
        if not done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(child), 1) for child in children)
        if total > MAX_YAML_NODES:
            raise YamlLimitError(
                node.start_mark.line + 1,
                f"expands to more than {MAX_YAML_NODES:,} values (aliases repeat what they point "
                "at); use fewer aliases",
            )
        sizes[id(node)] = total
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _duplicate_keys(root: yaml.Node) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1
                    if key.value in first:
                        found.append(
                            (line, f"duplicate key {key.value!r} (first at line {first[key.value]}); "
                                   "keep one of them")
                        )
                    first.setdefault(key.value, line)
        stack.extend(_children(node))
    return sorted(found)


def load_bounded(text: str) -> Loaded:
    """Compose and construct one YAML document within the bounds.

    Returns:
        The root node (``None`` for an empty document), the data, and duplicate keys.

    Raises:
        YamlLimitError: Past a size, depth or expansion bound, or a value PyYAML cannot build
            (an integer of thousands of digits).
        yaml.YAMLError: For bad YAML.
    """
    size = len(text.encode("utf-8", errors="replace"))
    if size > MAX_YAML_BYTES:
        raise YamlLimitError(1, f"is {size:,} bytes; the limit is {MAX_YAML_BYTES:,}")
    _check_depth(text)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Loaded(None, None)
        _expanded_size(node)
        duplicates = _duplicate_keys(node)
        try:
            data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "digits" in detail:
                detail = "a number has more than 4,300 digits; quote it or shorten it"
            raise YamlLimitError(1, f"a value cannot be read ({detail})") from exc
        return Loaded(node, data, duplicates)
    finally:
        loader.dispose()
