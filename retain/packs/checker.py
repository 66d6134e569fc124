"""The template checker: Jinja syntax errors and unknown placeholders, each with its location.

Placeholders are resolved statically against the sample context (:mod:`retain.packs.sample`),
which has every key the real context has and every list populated, so every branch of a
template is checked, not only the branches one interview happens to take.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from retain.domain.types import JsonObject
from retain.errors import TemplateError
from retain.packs.jinja import make_env, read_template_text
from retain.packs.word_io import docx_locator, docx_parts, docx_sources, open_docx_template

ANY: Any = type("_Any", (), {"__repr__": lambda self: "ANY"})()

# Filters that hand back the list they were given (possibly filtered or reordered).
_SAME_LIST = {"sort", "reverse", "list", "unique", "selectattr", "rejectattr", "select", "reject", "batch", "slice"}
_ELEMENT = {"first", "last", "random", "min", "max"}
_ATTRIBUTE_ARG = {"selectattr", "rejectattr", "sort", "groupby", "sum", "unique", "min", "max"}
_LOOP_VARS = {"loop", "caller", "varargs", "kwargs", "self", "super"}


@dataclass(order=True)
class _Problem:
    line: int
    message: str = field(compare=False)
    name: str = field(compare=False, default="")


def _merge(values: Iterable[Any]) -> Any:
    """One representative element for a list: dicts are unioned key by key, recursively."""
    items = [v for v in values if v is not ANY]
    if not items:
        return ANY
    if all(isinstance(v, dict) for v in items):
        keys: dict[str, list[Any]] = {}
        for item in items:
            for key, value in item.items():
                keys.setdefault(key, []).append(value)
        return {key: _combine(found) for key, found in keys.items()}
    if all(isinstance(v, tuple) for v in items) and len({len(v) for v in items}) == 1:
        return tuple(_merge(column) for column in zip(*items, strict=True))
    return items[0]


def _combine(values: list[Any]) -> Any:
    if all(isinstance(v, list) for v in values):
        flat = [item for value in values for item in value]
        return [_merge(flat)] if flat else []
    if all(isinstance(v, dict) for v in values):
        return _merge(values)
    return values[0]


def _element(value: Any) -> Any:
    if isinstance(value, dict):
        return next(iter(value), ANY)
    if isinstance(value, list | tuple):
        return _merge(value)
    if isinstance(value, str):
        return value[:1] or ANY
    return ANY


def _describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg
        key = repr(arg.value) if isinstance(arg, nodes.Const) else "…"
        return f"{_describe(node.node)}[{key}]"
    if isinstance(node, nodes.Call):
        return f"{_describe(node.node)}()"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_describe(node.node)}|{node.name}"
    return "…"


class _Walker:
    """Resolves every placeholder of a parsed template against a sample context."""

    def __init__(self, root: dict[str, Any], env: SandboxedEnvironment) -> None:
        self.root = root
        self.env = env
        self.problems: list[_Problem] = []
        self._quiet = 0

    # -- reporting ------------------------------------------------------------------------
    def _report(self, node: nodes.Node, message: str, name: str = "") -> None:
        if not self._quiet:
            self.problems.append(_Problem(node.lineno or 1, message, name))

    def _unknown(self, node: nodes.Node, path: str, attr: str, options: Iterable[str]) -> None:
        close = difflib.get_close_matches(attr, [o for o in options if isinstance(o, str)], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; see docs/templates.md for the context variables"
        self._report(node, f"unknown placeholder {path!r}{hint}", attr)

    # -- statements -----------------------------------------------------------------------
    def run(self, template: nodes.Template) -> list[_Problem]:
        self._block(template.body, {})
        return sorted(self.problems)

    def _block(self, body: Iterable[nodes.Node], scope: dict[str, Any]) -> None:
        for node in body:
            self._stmt(node, scope)

    def _stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            element = _element(self._expr(node.iter, scope))
            inner = dict(scope)
            self._bind(node.target, element, inner)
            inner["loop"] = ANY
            if node.test is not None:
                self._expr(node.test, inner)
            self._block(node.body, inner)
            self._block(node.else_, scope)
        elif isinstance(node, nodes.If):
            self._expr(node.test, scope)
            self._block(node.body, scope)
            self._block(node.elif_, scope)
            self._block(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            self._bind(node.target, self._expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            self._block(node.body, scope)
            self._bind(node.target, ANY, scope)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope)
            for arg in node.args:
                self._bind(arg, ANY, inner)
            for default in node.defaults:
                self._expr(default, scope)
            if isinstance(node, nodes.CallBlock):
                self._expr(node.call, scope)
            else:
                scope[node.name] = ANY
            self._block(node.body, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self._bind(target, self._expr(value, scope), inner)
            self._block(node.body, inner)
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self._expr(child, scope)
        elif isinstance(node, nodes.Expr):
            self._expr(node, scope)
        else:
            for inner_node in node.iter_child_nodes():
                self._stmt(inner_node, scope)

    def _bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            values = list(value) if isinstance(value, tuple | list) and len(value) == len(target.items) else None
            for index, item in enumerate(target.items):
                self._bind(item, values[index] if values else ANY, scope)
        elif isinstance(target, nodes.NSRef):
            pass

    # -- expressions ----------------------------------------------------------------------
    def _expr(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.root:
                return self.root[node.name]
            if node.name in self.env.globals or node.name in _LOOP_VARS:
                return ANY
            self._unknown(node, node.name, node.name, list(self.root) + list(scope))
            return ANY
        if isinstance(node, nodes.Const):
            return node.value
        if isinstance(node, nodes.Getattr):
            return self._attr(node, self._expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self._expr(node.node, scope)
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and isinstance(base, dict):
                return self._attr(node, base, arg.value)
            self._expr(arg, scope)
            if isinstance(base, list | tuple) and isinstance(arg, nodes.Const | nodes.Neg | nodes.UnaryExpr):
                return _element(base)
            return ANY
        if isinstance(node, nodes.Filter):
            return self._filter(node, scope)
        if isinstance(node, nodes.Test):
            if node.name not in self.env.tests:
                self._report(node, f"unknown test {node.name!r}")
            lenient = node.name in ("defined", "undefined")
            self._quiet += lenient
            try:
                self._expr(node.node, scope)
            finally:
                self._quiet -= lenient
            self._args(node, scope)
            return ANY
        if isinstance(node, nodes.Call):
            return self._call(node, scope)
        if isinstance(node, nodes.CondExpr):
            if node.test is not None:
                self._expr(node.test, scope)
            first = self._expr(node.expr1, scope)
            second = self._expr(node.expr2, scope) if node.expr2 is not None else ANY
            return first if first is not ANY else second
        for child in node.iter_child_nodes():
            self._expr(child, scope)
        return ANY

    def _args(self, node: nodes.Filter | nodes.Test | nodes.Call, scope: dict[str, Any]) -> None:
        for arg in node.args:
            self._expr(arg, scope)
        for kwarg in node.kwargs:
            self._expr(kwarg.value, scope)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self._expr(extra, scope)

    def _attr(self, node: nodes.Node, base: Any, attr: str) -> Any:
        if base is ANY:
            return ANY
        if isinstance(base, dict):
            if attr in base:
                return base[attr]
            if hasattr(dict, attr) and not attr.startswith("_"):
                return ANY
            self._unknown(node, _describe(node), attr, base)
            return ANY
        if hasattr(base, attr) and not attr.startswith("_"):
            return ANY
        self._unknown(node, _describe(node), attr, [])
        return ANY

    def _call(self, node: nodes.Call, scope: dict[str, Any]) -> Any:
        callee = node.node
        self._args(node, scope)
        if isinstance(callee, nodes.Getattr) and callee.attr in ("items", "values", "keys"):
            base = self._expr(callee.node, scope)
            if isinstance(base, dict):
                if callee.attr == "items":
                    return list(base.items())
                return list(base.values()) if callee.attr == "values" else list(base)
            if base is not ANY:
                self._attr(callee, base, callee.attr)
            return ANY
        self._expr(callee, scope)
        return ANY

    def _filter(self, node: nodes.Filter, scope: dict[str, Any]) -> Any:
        if node.name not in self.env.filters:
            self._report(node, f"unknown filter {node.name!r}")
        lenient = node.name in ("default", "d")
        self._quiet += lenient
        try:
            base = self._expr(node.node, scope) if node.node is not None else ANY
        finally:
            self._quiet -= lenient
        self._args(node, scope)
        element = _element(base) if isinstance(base, list | tuple) else ANY
        if node.name in _ATTRIBUTE_ARG and isinstance(element, dict):
            attribute = node.args[0] if node.args and node.name in ("selectattr", "rejectattr", "groupby") else None
            for kwarg in node.kwargs:
                if kwarg.key == "attribute":
                    attribute = kwarg.value
            if isinstance(attribute, nodes.Const) and isinstance(attribute.value, str):
                name = attribute.value.split(".")[0]
                if name not in element:
                    self._unknown(node, f"{_describe(node.node) if node.node else '…'}[].{name}", name, element)
        if node.name == "map":
            for kwarg in node.kwargs:
                if kwarg.key == "attribute" and isinstance(kwarg.value, nodes.Const) and isinstance(element, dict):
                    name = str(kwarg.value.value).split(".")[0]
                    if name not in element:
                        self._unknown(node, f"{_describe(node.node) if node.node else '…'}[].{name}", name, element)
                    else:
                        return [element[name]]
            return ANY
        if lenient:
            return base
        if node.name in _SAME_LIST and isinstance(base, list | tuple):
            return list(base)
        if node.name == "dictsort" and isinstance(base, dict):
            return list(base.items())
        if node.name in _ELEMENT:
            return element
        return ANY


def check_source(source: str, root: JsonObject, env: SandboxedEnvironment,
                 locate: Callable[[int, str], str]) -> list[str]:
    """Check one template source against a sample context.

    Args:
        source: The Jinja source.
        root: A sample context (:func:`retain.packs.sample.sample_context`).
        env: The environment it will render in (for its filters and tests).
        locate: Turns ``(line, placeholder name)`` into a location such as ``file:12``.

    Returns:
        One ``location: message`` string per problem, in template order.
    """
    try:
        parsed = env.parse(source)
    except TemplateSyntaxError as exc:
        message = exc.message or "syntax error"
        if message.startswith("Unexpected end of template"):
            # Jinja only notices an unclosed tag at the very end; point at the tag instead.
            unclosed = first_unclosed(source.split("\n"))
            if unclosed is not None:
                return [f"{locate(unclosed[0], '')}: {unclosed[1]}"]
        return [f"{locate(exc.lineno or 1, '')}: {message}"]
    seen: set[str] = set()
    out: list[str] = []
    for problem in _Walker(root, env).run(parsed):
        line = f"{locate(problem.line, problem.name)}: {problem.message}"
        if line not in seen:
            seen.add(line)
            out.append(line)
    return out


_DELIMITERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def first_unclosed(lines: list[str], *, strip_xml: bool = False) -> tuple[int, str] | None:
    """The first line whose tag is never closed on that line, and a message saying so.

    Jinja reports an unclosed ``{% ... `` only at the end of the template; in a Word template,
    where a tag cannot span paragraphs, the line of the unclosed tag is where the fix goes.
    """
    for number, raw in enumerate(lines, start=1):
        line = re.sub(r"<[^>]+>", "", raw) if strip_xml else raw
        opened = ""
        start = 0
        for match in _DELIMITERS.finditer(line):
            token = match.group()
            if token in _CLOSERS and not opened:
                opened, start = token, match.start()
            elif opened and token == _CLOSERS[opened]:
                opened = ""
        if opened:
            fragment = " ".join(line[start:].split())[:60]
            return number, f"the tag {fragment!r} is not closed; end it with {_CLOSERS[opened]!r}"
    return None


def _best(results: list[list[str]]) -> list[str]:
    # A template is checked against each kind of pack; it is judged as the kind it fits best,
    # so a handover template is not told about HR exit keys, nor the other way round.
    return min(results, key=len) if results else []


def _sample_roots() -> list[JsonObject]:
    from retain.packs.sample import KINDS, sample_context

    return [sample_context(kind).to_json() for kind in KINDS]


def check_text_template(path: Path, roots: list[JsonObject] | None = None) -> list[str]:
    """Check a ``.j2`` template: syntax errors and unknown placeholders, as ``file:line: ...``."""
    source = read_template_text(path)
    env = make_env()
    return _best([
        check_source(source, root, env, lambda line, _: f"{path}:{line}") for root in roots or _sample_roots()
    ])


def check_docx_template(path: Path, roots: list[JsonObject] | None = None) -> list[str]:
    """Check a Word template: syntax errors and unknown placeholders in every rendered part."""
    template = open_docx_template(path)
    env = make_env(autoescape=True, text=False)
    unclosed: list[str] = []
    for part, xml in docx_parts(template):
        # A tag cannot span paragraphs in Word, so an unclosed one is found paragraph by paragraph,
        # before docxtpl's clean-up would swallow everything up to the next closing mark.
        source, locate = docx_locator(path, part, xml)
        found = first_unclosed(source.split("\n"), strip_xml=True)
        if found is not None:
            unclosed.append(f"{locate(found[0], '')}: {found[1]}")
    if unclosed:
        return unclosed
    parts = [docx_locator(path, part, xml) for part, xml in docx_sources(template)]
    results = []
    for root in roots or _sample_roots():
        problems: list[str] = []
        for source, locate in parts:
            problems.extend(check_source(source, root, env, locate))
        results.append(problems)
    return _best(results)


def check_template(path: Path, roots: list[JsonObject] | None = None) -> list[str]:
    """Check a pack template (``.docx`` or ``.j2``).

    Returns:
        Problems, each naming its location; an empty list means the template is fine.

    Raises:
        TemplateError: If the file is missing or is neither a Word document nor a text template.
    """
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return check_docx_template(path, roots)
    if suffix == ".j2":
        return check_text_template(path, roots)
    if not path.exists():
        raise TemplateError(f"template {path} not found; check the path")
    raise TemplateError(f"{path} is not a pack template; use a Word .docx file or a Jinja .j2 text file")
