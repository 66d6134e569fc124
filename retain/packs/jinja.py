"""The sandboxed Jinja environment every pack template runs in, and text-template rendering."""

from __future__ import annotations

import re
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    FunctionLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from retain.errors import TemplateError as PackTemplateError

_MD_BLOCK_START = re.compile(r"^(\s*)([#>+*-]|\d+[.)])(\s)", re.MULTILINE)


def md_text(value: Any) -> str:
    """Markdown-safe text: a line that would start a heading, quote or list is escaped."""
    return _MD_BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", str(value))


def md_cell(value: Any) -> str:
    """Text for a Markdown table cell: pipes escaped, line breaks as ``<br>``."""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return "<br>".join(line.strip() for line in text.splitlines()) or " "


def html_lines(value: Any) -> Markup:
    """HTML-escaped text with its line breaks kept as ``<br>``."""
    return Markup("<br>").join(escape(line) for line in str(value).splitlines())


FILTERS = {"md_text": md_text, "md_cell": md_cell, "html_lines": html_lines}


def make_env(*, autoescape: bool = False, text: bool = True) -> SandboxedEnvironment:
    """A sandboxed environment with strict undefined: a misspelt placeholder is an error.

    Args:
        autoescape: Escape HTML/XML special characters in every ``{{ }}`` (HTML and Word).
        text: Trim the newline after a block tag, which text templates want and docxtpl
            must not have (it relies on Jinja's defaults).
    """
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=text,
        lstrip_blocks=text,
        keep_trailing_newline=text,
    )
    env.filters.update(FILTERS)
    return env


def is_html(path: Path) -> bool:
    """Whether a ``.j2`` template writes HTML or XML (and so needs escaping)."""
    inner = Path(path.stem).suffix.lower()
    return inner in (".html", ".htm", ".xml", ".xhtml")


def read_template_text(path: Path) -> str:
    """Read a text template.

    Raises:
        TemplateError: If the file is missing, unreadable or not UTF-8.
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PackTemplateError(f"template {path} not found; check the --template path") from exc
    except UnicodeDecodeError as exc:
        raise PackTemplateError(f"{path} is not UTF-8 text; save the template as UTF-8") from exc
    except OSError as exc:
        raise PackTemplateError(f"cannot read template {path}: {exc.strerror}") from exc


def template_line(exc: BaseException, filename: str) -> int | None:
    """The template line an error happened on, from Jinja's rewritten traceback."""
    line = getattr(exc, "lineno", None)
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if isinstance(line, int) else None


def render_text(path: Path, context: dict[str, Any], *, source: str | None = None) -> str:
    """Render a ``.j2`` text template (Markdown, HTML, anything textual) in the sandbox.

    Raises:
        TemplateError: With ``file:line`` for a syntax error, an unknown placeholder or any
            other error raised while rendering.
    """
    text = read_template_text(path) if source is None else source
    filename = str(path)

    def load(name: str) -> tuple[str, str, Any] | None:
        return (text, filename, lambda: True) if name == path.name else None

    env = make_env(autoescape=is_html(path))
    env.loader = FunctionLoader(load)
    try:
        return env.get_template(path.name).render(context)
    except TemplateNotFound as exc:
        raise PackTemplateError(
            f"{filename}: includes and imports are not supported ({exc.name!r}); put everything in one template"
        ) from exc
    except TemplateSyntaxError as exc:
        raise PackTemplateError(f"{filename}:{exc.lineno}: {exc.message}") from exc
    except TemplateError as exc:
        line = template_line(exc, filename)
        where = f"{filename}:{line}" if line else filename
        raise PackTemplateError(f"{where}: {describe_error(exc)}") from exc


def describe_error(exc: BaseException) -> str:
    """A one-line description of a Jinja error, naming the placeholder where Jinja knows it."""
    message = str(getattr(exc, "message", None) or exc).splitlines()[0]
    match = re.match(r"'(?:dict|list|str) object' has no attribute '([^']+)'", message)
    if match:
        return f"unknown placeholder {match.group(1)!r} ({message}); see docs/templates.md"
    match = re.match(r"'([^']+)' is undefined", message)
    if match:
        return f"unknown placeholder {match.group(1)!r}; see docs/templates.md"
    return message
