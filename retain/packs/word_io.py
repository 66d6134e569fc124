"""Word template I/O shared by the checker and the renderer: open a template, read its parts.

python-docx and docxtpl are imported inside the functions, only when a Word file is used.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from retain.errors import TemplateError

DOCX_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def open_docx_template(path: Path) -> Any:
    """Open a Word template with docxtpl, turning every way it can fail into one clear error.

    Raises:
        TemplateError: If the file is missing, not a zip archive, or not a Word document.
    """
    if not path.is_file():
        raise TemplateError(f"template {path} not found; check the --template path")
    if not zipfile.is_zipfile(path):
        raise TemplateError(
            f"{path} is not a Word .docx file (it is not a zip archive); save the template from Word as .docx"
        )
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(path))
    try:
        template.init_docx()
    except Exception as exc:  # python-docx raises several unrelated types for a damaged package
        raise TemplateError(
            f"{path} is not a Word document ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'unreadable'}); "
            "save the template from Word as .docx"
        ) from exc
    return template


def docx_parts(template: Any) -> list[tuple[str, str]]:
    """The XML of every part docxtpl renders, as written: body, headers, footers, properties."""
    from docx.opc.oxml import parse_xml

    parts = [("body", template.get_xml())]
    for label, uri in (("page header", template.HEADER_URI), ("page footer", template.FOOTER_URI)):
        for _, part in template.get_headers_footers(uri):
            parts.append((label, template.xml_to_string(parse_xml(part.blob))))
    core = template.docx.core_properties
    for prop in ("author", "comments", "identifier", "language", "subject", "title"):
        value = getattr(core, prop) or ""
        if "{" in value:
            parts.append((f"document property {prop!r}", value))
    return parts


def docx_sources(template: Any) -> list[tuple[str, str]]:
    """The Jinja source of every part docxtpl renders, after docxtpl's own clean-up."""
    return [
        (label, xml if label.startswith("document property") else template.patch_xml(xml))
        for label, xml in docx_parts(template)
    ]


_HEADING_STYLE = re.compile(r'<w:pStyle w:val="(?:Heading\d|Title)"')


def docx_locator(path: Path, part: str, xml: str) -> tuple[str, Callable[[int, str], str]]:
    """The part's source as Jinja sees it, and a function naming the paragraph of a line."""
    # docxtpl starts each paragraph on a new line before Jinja sees it: do the same, so Jinja's
    # line numbers point at paragraphs, then describe a line by its heading and its tags.
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml) if part.startswith(("body", "page")) else xml
    lines = source.split("\n")
    headings: list[str] = []
    current = ""
    for line in lines:
        if _HEADING_STYLE.search(line):
            text = re.sub(r"<[^>]+>", "", DOCX_TAG.split(line)[0] if "{%" in line else line).strip()
            current = text or current
        headings.append(current)

    def locate(number: int, name: str) -> str:
        index = min(max(number, 1), len(lines)) - 1
        text = re.sub(r"<[^>]+>", "", lines[index])
        tags = DOCX_TAG.findall(text)
        tag = next((t for t in tags if name and name in t), tags[0] if tags else text.strip())
        where = f"{path.name}, {part}"
        if headings[index] and part == "body":
            where += f", under heading {headings[index]!r}"
        snippet = " ".join(tag.split())
        return f"{where}, in {snippet[:90]!r}" if snippet else where

    return source, locate


__all__ = ["DOCX_TAG", "docx_locator", "docx_parts", "docx_sources", "open_docx_template"]
