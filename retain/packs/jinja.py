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
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from retain.errors import TemplateError as PackTemplateError

# Every ASCII punctuation character CommonMark can read as syntax anywhere in a line:
# emphasis, code spans and fences, links and images, raw HTML, entities, tables, escapes.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#!|~&])")
# What only means something at the start of a line: list items, ordered lists, setext
# underlines, block quotes (already escaped above) and headings.
_MD_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def _md_line(line: str) -> str:
    # Leading spaces would make an indented code block, trailing ones a hard break.
    line = _MD_INLINE.sub(r"\\\1", line.strip())
    match = _MD_LINE_START.match(line)
    if match is None:
        return line
    if match.group(1)[0].isdigit():  # "1." -> "1\." so it stays a number in a sentence
        end = match.end()
        return f"{line[:end]}\\{line[end:]}"
    return "\\" + line


def md_text(value: Any) -> str:
    """Markdown-safe paragraph text: whatever an answer holds, it renders as plain text.

    Every character CommonMark could read as structure is backslash-escaped (which CommonMark
    shows as the character itself), so a line of three backticks, ``## SHAREABLE HANDOVER``,
    ``<script>`` or ``<img onerror=...>`` stays text; the line breaks are kept.
    """
    return "\n".join(_md_line(line) for line in str(value).splitlines())


def md_inline(value: Any) -> str:
    """:func:`md_text` on one line (names, titles): line breaks become spaces."""
    return " ".join(_md_line(line) for line in str(value).splitlines() if line.strip())


def md_cell(value: Any) -> str:
    """Text for a Markdown table cell: escaped as :func:`md_text`, line breaks as ``<br>``."""
    lines = [_md_line(line) for line in str(value).splitlines()]
    return "<br>".join(line for line in lines if line) or " "


def html_lines(value: Any) -> Markup:
    """HTML-escaped text with its line breaks kept as ``<br>``."""
    return Markup("<br>").join(escape(line) for line in str(value).splitlines())


FILTERS = {"md_text": md_text, "md_inline": md_inline, "md_cell": md_cell, "html_lines": html_lines}


# What one template may build: any single value, and the whole rendered text.
MAX_VALUE_CHARS = 50_000_000
MAX_RENDER_CHARS = 200_000_000
# 9**99999999 has 330 million bits; no pack needs a number past this many.
MAX_NUMBER_BITS = 4_096


class LimitedEnvironment(SandboxedEnvironment):
    """The sandbox, plus bounds on the arithmetic a template can ask for.

    ``**``, ``*`` and ``+`` are checked before they run, because each can take minutes and
    gigabytes inside one C call (``9**99999999``, ``'a'*3000000000``) where nothing else can
    stop it.
    """

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse a power, repetition or concatenation whose result would be too big."""
        problem = _too_big(operator, left, right)
        if problem:
            raise SecurityError(problem)
        return super().call_binop(context, operator, left, right)


def _too_big(operator: str, left: Any, right: Any) -> str | None:
    """Why ``left <operator> right`` must not run, or ``None``; checked on sizes, never computed."""
    if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        if abs(left) > 1 and right * abs(left).bit_length() > MAX_NUMBER_BITS:
            return f"{_short(left)}**{_short(right)} is too big to compute"
        return None
    if operator == "*":
        count, value = (right, left) if isinstance(right, int) else (left, right)
        sized = isinstance(value, str | bytes | list | tuple)
        if sized and isinstance(count, int) and count > 0 and len(value) * count > MAX_VALUE_CHARS:
            return f"repeating a value {_short(count)} times is too big (limit {MAX_VALUE_CHARS:,})"
        both_int = isinstance(left, int) and isinstance(right, int)
        if both_int and abs(left).bit_length() + abs(right).bit_length() > MAX_NUMBER_BITS:
            return "a multiplication is too big to compute"
        return None
    if operator == "%" and isinstance(left, str) and _wide_format(left):
        return f"a format width above {MAX_WIDTH:,} characters"
    sequences = isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple)
    if operator == "+" and sequences and len(left) + len(right) > MAX_VALUE_CHARS:
        return f"a value longer than {MAX_VALUE_CHARS:,} characters"
    return None


_PRINTF_WIDTH = re.compile(r"%[-+ #0]*(\d*)(?:\.(\d+))?")
# A width beyond this ("%999999999d", "x"|center(10**9)) only ever pads with gigabytes.
MAX_WIDTH = 10_000


def _wide_format(template: str) -> bool:
    return any(
        int(number) > MAX_WIDTH
        for match in _PRINTF_WIDTH.finditer(template)
        for number in match.groups()
        if number
    )


def _bounded(name: str, function: Any) -> Any:
    """A filter whose numeric arguments (widths, counts) are refused past :data:`MAX_WIDTH`."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        numbers = [a for a in (*args[1:], *kwargs.values()) if isinstance(a, int)]
        if any(abs(n) > MAX_WIDTH for n in numbers):
            raise SecurityError(f"|{name} takes widths up to {MAX_WIDTH:,}")
        if name == "format" and args and isinstance(args[0], str) and _wide_format(args[0]):
            raise SecurityError(f"a format width above {MAX_WIDTH:,} characters")
        return function(*args, **kwargs)

    return bounded


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _short(value: Any) -> str:
    text = str(value) if not isinstance(value, int) or value.bit_length() < 64 else "a big number"
    return text[:20]


def make_env(*, autoescape: bool = False, text: bool = True) -> SandboxedEnvironment:
    """A sandboxed environment with strict undefined: a misspelt placeholder is an error.

    Args:
        autoescape: Escape HTML/XML special characters in every ``{{ }}`` (HTML and Word).
        text: Trim the newline after a block tag, which text templates want and docxtpl
            must not have (it relies on Jinja's defaults).
    """
    env = LimitedEnvironment(
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=text,
        lstrip_blocks=text,
        keep_trailing_newline=text,
    )
    env.filters.update(FILTERS)
    for name in ("center", "indent", "format", "truncate", "wordwrap", "batch", "slice", "filesizeformat"):
        if name in env.filters:
            env.filters[name] = _bounded(name, env.filters[name])
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
        pieces: list[str] = []
        size = 0
        # Streamed, so a template that writes without end stops at the limit, not at the
        # end of memory.
        for piece in env.get_template(path.name).generate(context):
            size += len(piece)
            if size > MAX_RENDER_CHARS:
                raise PackTemplateError(
                    f"{filename}: the output passes {MAX_RENDER_CHARS:,} characters; "
                    "look for a loop that repeats without end"
                )
            pieces.append(piece)
        return "".join(pieces)
    except TemplateNotFound as exc:
        raise PackTemplateError(
            f"{filename}: includes and imports are not supported ({exc.name!r}); put everything in one template"
        ) from exc
    except TemplateSyntaxError as exc:
        raise PackTemplateError(f"{filename}:{exc.lineno}: {exc.message}") from exc
    except PackTemplateError:
        raise
    except Exception as exc:  # whatever the template's own code raises: ZeroDivisionError, ...
        raise PackTemplateError(describe_render_error(path, exc)) from exc


def describe_render_error(path: Path, exc: BaseException) -> str:
    """``file:line: what went wrong`` for any exception raised while a template rendered."""
    filename = str(path)
    line = template_line(exc, filename) or template_line(exc, "<template>")
    where = f"{filename}:{line}" if line else filename
    if isinstance(exc, TemplateError):
        return f"{where}: {describe_error(exc)}"
    if isinstance(exc, TypeError) and "no loader" in str(exc):
        return f"{where}: includes and imports are not supported; put everything in one template"
    if isinstance(exc, MemoryError):
        return f"{where}: the template ran out of memory; simplify it"
    if isinstance(exc, RecursionError):
        return f"{where}: the template recurses too deeply; simplify its macros"
    if isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        return f"{where}: range() is limited to 100,000 items in a template"
    detail = str(exc).splitlines()[0][:200].rstrip(".") if str(exc) else ""
    return f"{where}: {type(exc).__name__}" + (f": {detail}" if detail else "") + "; fix the template"


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
