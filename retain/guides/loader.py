"""Load interview guides from YAML, reporting every problem as ``file:line: message``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from retain.crashlog import one_line
from retain.errors import GuideError
from retain.guides.schema import ALL_PACK_KEYS, QUESTION_TYPES, TRACKS, Guide
from retain.yamlsafe import MAX_YAML_BYTES, YamlLimitError, load_bounded

LinePath = tuple[str | int, ...]


def _line_map(
    node: yaml.Node, path: LinePath = (), out: dict[LinePath, int] | None = None
) -> dict[LinePath, int]:
    """Map every key path in a YAML document to its 1-based line."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), out)
            out[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), out)
    return out


def _line_for(lines: dict[LinePath, int], loc: LinePath) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _friendly(error: Any, data: Any) -> str:
    """Rewrite a pydantic error into a sentence that names the fix."""
    loc = tuple(error["loc"])
    field = loc[-1] if loc else ""
    kind = error["type"]
    where = _describe(loc, data)
    if kind == "missing":
        if field == "prompt":
            return f"{where} has no prompt; add prompt: <the question to ask>"
        return f"{where} is missing {field!r}; add {field}: ..."
    if kind == "literal_error" and field == "type":
        return (
            f"unknown question type {error.get('input')!r}; use one of {', '.join(QUESTION_TYPES)}"
        )
    if kind == "literal_error" and field == "track":
        return f"unknown track {error.get('input')!r}; use one of {', '.join(TRACKS)}"
    if kind == "literal_error" and field == "visibility":
        return f"unknown visibility {error.get('input')!r}; use shareable or confidential"
    if kind == "extra_forbidden":
        return f"{where}: unknown key {field!r}; remove it or check its spelling"
    if kind == "string_pattern_mismatch":
        return f"{where}: id {error.get('input')!r} must be lower-case letters, digits, '-' or '_'"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind == "value_error":
        return message
    named = f"{field}: " if isinstance(field, str) and field else ""
    return f"{where}: {named}{message}"


def _describe(loc: LinePath, data: Any) -> str:
    node: Any = data
    label = "guide"
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and "id" in node:
            label = (
                f"{'question' if 'prompt' in node or 'type' in node else 'section'} {node['id']!r}"
            )
    return label


def _duplicate_ids(data: Any, lines: dict[LinePath, int]) -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    sections = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(sections, list):
        return problems
    seen_sections: dict[str, int] = {}
    seen_questions: dict[str, int] = {}
    for s_index, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        sid = section.get("id")
        line = lines.get(("sections", s_index, "id"), lines.get(("sections", s_index), 1))
        if isinstance(sid, str):
            if sid in seen_sections:
                problems.append(
                    (
                        line,
                        f"duplicate section id {sid!r} (first at line {seen_sections[sid]}); rename one",
                    )
                )
            seen_sections.setdefault(sid, line)
        questions = section.get("questions")
        for q_index, question in enumerate(questions if isinstance(questions, list) else []):
            if not isinstance(question, dict):
                continue
            qid = question.get("id")
            qline = lines.get(("sections", s_index, "questions", q_index, "id"), line)
            if isinstance(qid, str):
                if qid in seen_questions:
                    problems.append(
                        (
                            qline,
                            f"duplicate question id {qid!r} (first at line {seen_questions[qid]}); rename one",
                        )
                    )
                seen_questions.setdefault(qid, qline)
    return problems


def _nul_characters(root: yaml.Node) -> list[tuple[int, str]]:
    """Text holding a NUL character (``"\\0"`` in YAML): PostgreSQL cannot store it."""
    found: list[tuple[int, str]] = []
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and "\x00" in str(node.value):
            found.append((node.start_mark.line + 1, "the text holds a NUL character; remove it"))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


def parse_guide(text: str, source: str) -> Guide:
    """Parse and validate one guide document.

    Args:
        text: The YAML text.
        source: The file name used in error messages.

    Returns:
        The validated guide (a module is not yet merged with the guide it extends).

    Raises:
        GuideError: With one ``file:line: message`` per problem.
    """
    try:
        loaded = load_bounded(text)
    except YamlLimitError as exc:
        raise GuideError([f"{source}:{exc.line}: {exc.message}"]) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "unreadable"
        raise GuideError(
            [f"{source}:{line}: bad YAML: {problem}; check indentation and quoting"]
        ) from exc
    except yaml.YAMLError as exc:
        raise GuideError([f"{source}:1: bad YAML: {one_line(str(exc))}"]) from exc
    node, data = loaded.node, loaded.data
    if node is None or not isinstance(data, dict):
        raise GuideError(
            [f"{source}:1: a guide must be a mapping with id, title, track and sections"]
        )
    lines = _line_map(node)
    problems = _duplicate_ids(data, lines) + loaded.duplicates + _nul_characters(node)
    try:
        guide = Guide.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            problems.append((_line_for(lines, loc), _friendly(error, data)))
        guide = None
    if problems:
        problems.sort(key=lambda p: p[0])
        raise GuideError([f"{source}:{line}: {message}" for line, message in problems])
    assert guide is not None
    return guide


def load_guide_file(path: Path) -> Guide:
    """Read and validate a guide file.

    Raises:
        GuideError: If the file is unreadable, not UTF-8 or invalid.
    """
    try:
        if path.is_file() and path.stat().st_size > MAX_YAML_BYTES:
            raise GuideError(
                [f"{path}:1: is {path.stat().st_size:,} bytes; a guide may be at most "
                 f"{MAX_YAML_BYTES:,} bytes"]
            )
        text = path.read_bytes().decode("utf-8")
    except IsADirectoryError as exc:
        raise GuideError([f"{path}:1: is a folder; give a guide file (.yaml)"]) from exc
    except OSError as exc:
        raise GuideError([f"{path}:1: cannot read the file ({exc.strerror})"]) from exc
    except UnicodeDecodeError as exc:
        raise GuideError([f"{path}:1: not UTF-8 text; save the file as UTF-8"]) from exc
    return parse_guide(text, str(path))


def merge_module(base: Guide, module: Guide, source: str = "") -> Guide:
    """Build a full guide from a base guide and a module that extends it.

    The module keeps its own id, title and version; its sections follow the base's, so the
    module never copies the base guide's questions.

    Raises:
        GuideError: If the module repeats a section or question id of the base.
    """
    base_ids = {q.id for _, q in base.questions()} | {s.id for s in base.sections}
    clashes = [q.id for _, q in module.questions() if q.id in base_ids]
    clashes += [s.id for s in module.sections if s.id in base_ids]
    if clashes:
        raise GuideError(
            [
                f"{source or module.id}:1: id {clashes[0]!r} is already used by guide {base.id!r}; rename it"
            ]
        )
    return module.model_copy(
        update={"track": base.track, "sections": [*base.sections, *module.sections]}
    )


def iter_guide_files(folders: Iterable[Path]) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` file in the given folders, in a stable order."""
    files: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            files.extend(sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]))
    return files


__all__ = ["ALL_PACK_KEYS", "iter_guide_files", "load_guide_file", "merge_module", "parse_guide"]
