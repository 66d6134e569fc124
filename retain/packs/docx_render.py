"""Render a Word template with docxtpl, then finish the document: contents, bookmarks, RTL, properties.

Imported only when a .docx is written: python-docx, docxtpl and lxml stay out of
``import retain.services``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import TemplateSyntaxError

from retain.errors import TemplateError
from retain.packs.compiled import PartCache
from retain.packs.fields import update_fields_on_open
from retain.packs.hygiene import is_rtl, prepare_for_xml
from retain.packs.jinja import describe_error, make_env, template_line
from retain.packs.ooxml import sort_properties
from retain.packs.word_io import docx_locator, docx_sources, open_docx_template

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Elements that follow w:bidi in a paragraph's properties (the schema fixes their order).
_AFTER_BIDI = {
    f"{W}{name}" for name in (
        "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
        "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
        "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
    )
}
_AFTER_RTL = {f"{W}{name}" for name in ("cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")}
_TOC_LEVELS = 2


def render_docx(
    template_path: Path, context: Mapping[str, object], target: Path, *, now: datetime, cache: PartCache | None = None
) -> None:
    """Render ``template_path`` with ``context`` and save the document to ``target``.

    Args:
        template_path: A Word template with Jinja tags (docxtpl syntax).
        context: The pack context as plain JSON (``PackContext.to_json()``).
        target: Where to save (the caller writes to a temp file and renames it).
        now: The generation time, for the document properties.
        cache: Keeps compiled parts between processes (the shipped templates only).

    Raises:
        TemplateError: For a broken template, with the placeholder and its location.
    """
    template = open_docx_template(template_path)
    template.patch_xml = _patched_once(template.patch_xml, cache)
    safe, rtl = prepare_for_xml(context)
    env = _compiled_once(make_env(autoescape=True, text=False), cache)
    try:
        template.render(safe, jinja_env=env, autoescape=True)
    except TemplateSyntaxError as exc:
        raise TemplateError(_locate(template_path, template, exc, f"syntax error: {exc.message}")) from exc
    except JinjaTemplateError as exc:
        raise TemplateError(_locate(template_path, template, exc, describe_error(exc))) from exc
    except SyntaxError as exc:  # lxml's XMLSyntaxError: the rendered XML does not parse
        raise TemplateError(
            f"{template_path.name}: the template produced broken Word XML ({exc}); check tags that "
            "span table cells or paragraphs, and use {%p %}, {%tr %} for block tags"
        ) from exc
    document = template.docx
    body = document.element.find(f"{W}body")
    if body is not None:
        # docxtpl's {% cellbg %} puts w:shd first in a cell's properties, which Word rejects.
        sort_properties(body, (f"{W}tcPr",))
        headings = _heading_styles(document)
        _fill_contents(body, headings)
        if rtl:
            _mark_rtl(body)
    _set_properties(document, safe.get("properties", {}), now)
    update_fields_on_open(document)
    template.save(str(target))


def _compiled_once(env: Any, cache: PartCache | None = None) -> Any:
    """Make ``env.from_string`` reuse compiled code for a template part it has seen before.

    docxtpl compiles every XML part of the template on every render; for the handover
    template that was most of the render time of a small pack (0.1 s of 0.13 s at 60
    answers). The compiled code depends only on the source and the autoescape setting, so
    it is kept per process (and, with ``cache``, on disk for the next process); each render
    still gets a fresh environment and Template.
    """

    def from_string(source: str, globals: Any = None, template_class: Any = None) -> Any:
        key = (source, bool(env.autoescape))
        code = _COMPILED.get(key)
        if code is None:
            code = (env.compile(source) if cache is None
                    else cache.code(source, env.compile, f"autoescape={key[1]}"))
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.pop(next(iter(_COMPILED)))
            _COMPILED[key] = code
        cls = template_class or env.template_class
        return cls.from_code(env, code, env.make_globals(globals))

    env.from_string = from_string
    return env


def _patched_once(patch_xml: Any, cache: PartCache | None = None) -> Any:
    """Reuse docxtpl's clean-up of a template part's XML (a dozen regex passes, ~40 ms a
    render for the handover template): it depends only on the part's source XML."""

    def patched(source: str) -> str:
        done = _PATCHED.get(source)
        if done is None:
            done = patch_xml(source) if cache is None else cache.text(source, patch_xml)
            if len(_PATCHED) >= _COMPILED_MAX:
                _PATCHED.pop(next(iter(_PATCHED)))
            _PATCHED[source] = done
        return done

    return patched


_PATCHED: dict[str, str] = {}
# Compiled template parts, oldest first (a handful per template; bounded all the same).
_COMPILED: dict[tuple[str, bool], Any] = {}
_COMPILED_MAX = 64


def _locate(path: Path, template: Any, exc: BaseException, message: str) -> str:
    """Name the part and paragraph a render error came from, as the checker would."""
    part = getattr(template, "current_rendering_part", None)
    partname = str(getattr(part, "partname", ""))
    line = template_line(exc, "<template>")
    try:
        sources = docx_sources(open_docx_template(path))
    except TemplateError:
        return f"{path.name}: {message}"
    label = "body"
    if "header" in partname:
        label = "page header"
    elif "footer" in partname:
        label = "page footer"
    for name, xml in sources:
        if name == label and line is not None:
            match = re.search(r"unknown placeholder '([^']+)'", message)
            _, locate = docx_locator(path, name, xml)
            return f"{locate(line, match.group(1) if match else '')}: {message}"
    return f"{path.name}, {label}: {message}"


def _heading_styles(document: Any) -> dict[str, int]:
    """Style ids of the paragraph styles that feed the contents, with their level."""
    levels: dict[str, int] = {}
    for style in document.styles.element.findall(f"{W}style"):
        if style.get(f"{W}type") != "paragraph":
            continue
        name_el = style.find(f"{W}name")
        name = (name_el.get(f"{W}val") if name_el is not None else "") or ""
        match = re.fullmatch(r"(?i)heading (\d)", name.strip())
        if match and 1 <= int(match.group(1)) <= _TOC_LEVELS:
            levels[style.get(f"{W}styleId") or ""] = int(match.group(1))
    return levels


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _fill_contents(body: Any, headings: dict[str, int]) -> None:
    """Write the headings into the TOC field's result, each linked to a bookmark.

    Word rebuilds the table (with page numbers) when it opens the file, because the field is
    marked dirty; every other reader, and LibreOffice's PDF export, shows this pre-filled list
    instead of "update the field" placeholder text.
    """
    instr = next((i for i in body.iter(f"{W}instrText") if (i.text or "").strip().startswith("TOC")), None)
    if instr is None or not headings:
        return
    entries: list[tuple[int, str, str]] = []
    for index, paragraph in enumerate(body.iter(f"{W}p")):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        level = headings.get(style.get(f"{W}val") if style is not None else "", 0)
        text = _text(paragraph).strip()
        if not level or not text:
            continue
        name = f"_Toc_retain_{index}"
        start = _sub(paragraph, f"{W}bookmarkStart")
        start.set(f"{W}id", str(900_000 + index))
        start.set(f"{W}name", name)
        properties = paragraph.find(f"{W}pPr")
        if properties is not None:
            properties.addnext(start)
        else:
            paragraph.insert(0, start)
        end = _sub(paragraph, f"{W}bookmarkEnd")
        end.set(f"{W}id", str(900_000 + index))
        entries.append((level, text, name))
    first = instr.getparent().getparent()  # w:instrText -> w:r -> w:p
    if first.tag != f"{W}p":
        return
    # Collect everything from the field's "separate" mark to its "end" mark.
    runs = list(first.iter(f"{W}r"))
    paragraphs = [first]
    sibling = first.getnext()
    depth, finished = 0, False
    for run in runs:
        mark = run.find(f"{W}fldChar")
        if mark is not None:
            kind = mark.get(f"{W}fldCharType")
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if kind == "begin" and depth == 1:
                mark.set(f"{W}dirty", "true")
            if depth == 0 and kind == "end":
                finished = True
    while not finished and sibling is not None:
        paragraphs.append(sibling)
        for mark in sibling.iter(f"{W}fldChar"):
            kind = mark.get(f"{W}fldCharType")
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth == 0 and kind == "end":
                finished = True
        sibling = sibling.getnext()
    if not finished:
        return
    _rewrite_contents(first, paragraphs, entries)


def _rewrite_contents(first: Any, paragraphs: list[Any], entries: list[tuple[int, str, str]]) -> None:
    head: list[Any] = []
    for run in list(first.findall(f"{W}r")):
        head.append(run)
        mark = run.find(f"{W}fldChar")
        if mark is not None and mark.get(f"{W}fldCharType") == "separate":
            break
    end_run = _new(first, f"{W}r")
    _sub(end_run, f"{W}fldChar").set(f"{W}fldCharType", "end")
    properties = first.find(f"{W}pPr")
    for extra in paragraphs[1:]:
        extra.getparent().remove(extra)
    for child in list(first):
        if child is not properties:
            first.remove(child)
    for run in head:
        first.append(run)
    if not entries:
        first.append(end_run)
        return
    current = first
    for number, (level, text, anchor) in enumerate(entries):
        if number:
            paragraph = _new(first, f"{W}p")
            if properties is not None:
                paragraph.append(copy.deepcopy(properties))
            current.addnext(paragraph)
            current = paragraph
        _set_style(current, f"TOC{level}")
        link = _sub(current, f"{W}hyperlink")
        link.set(f"{W}anchor", anchor)
        link.set(f"{W}history", "1")
        run = _sub(link, f"{W}r")
        text_el = _sub(run, f"{W}t")
        text_el.text = text
        text_el.set(XML_SPACE, "preserve")
    current.append(end_run)


def _sub(parent: Any, tag: str) -> Any:
    child = parent.makeelement(tag, {})
    parent.append(child)
    return child


def _new(like: Any, tag: str) -> Any:
    # makeelement keeps the new element in the same lxml tree family without importing lxml.
    return like.makeelement(tag, {})


def _set_style(paragraph: Any, style_id: str) -> None:
    properties = paragraph.find(f"{W}pPr")
    if properties is None:
        properties = _new(paragraph, f"{W}pPr")
        paragraph.insert(0, properties)
    style = properties.find(f"{W}pStyle")
    if style is None:
        style = _new(paragraph, f"{W}pStyle")
        properties.insert(0, style)
    style.set(f"{W}val", style_id)


def _mark_rtl(body: Any) -> None:
    """Make paragraphs that start in a right-to-left script read right to left."""
    for paragraph in body.iter(f"{W}p"):
        text = _text(paragraph)
        if not text or not is_rtl(text):
            continue
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            properties = _new(paragraph, f"{W}pPr")
            paragraph.insert(0, properties)
        if properties.find(f"{W}bidi") is None:
            _insert_before(properties, _new(paragraph, f"{W}bidi"), _AFTER_BIDI)
        for run in paragraph.iter(f"{W}r"):
            run_props = run.find(f"{W}rPr")
            if run_props is None:
                run_props = _new(run, f"{W}rPr")
                run.insert(0, run_props)
            if run_props.find(f"{W}rtl") is None:
                _insert_before(run_props, _new(run, f"{W}rtl"), _AFTER_RTL)


def _insert_before(parent: Any, element: Any, later: set[str]) -> None:
    for index, child in enumerate(parent):
        if child.tag in later:
            parent.insert(index, element)
            return
    parent.append(element)


def _set_properties(document: Any, properties: dict[str, Any], now: datetime) -> None:
    core = document.core_properties
    core.title = str(properties.get("title", ""))[:255]
    core.subject = str(properties.get("subject", ""))[:255]
    core.author = str(properties.get("author", ""))[:255]
    core.keywords = str(properties.get("keywords", ""))[:255]
    core.category = str(properties.get("category", ""))[:255]
    core.comments = str(properties.get("comments", ""))
    core.last_modified_by = "retain"
    core.revision = 1
    # python-docx writes the value as UTC ("...Z") without converting it.
    moment = (now.astimezone(UTC) if now.tzinfo else now).replace(microsecond=0, tzinfo=None)
    core.created = moment
    core.modified = moment
