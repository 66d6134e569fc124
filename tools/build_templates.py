"""Build the shipped Word templates (handover.docx, hr_exit.docx) reproducibly with python-docx.

Run ``python tools/build_templates.py`` after changing this file, and commit the
result. The output is byte-for-byte the same on every run (fixed dates, fixed zip order), so
a diff of the committed templates shows real changes only.

The templates are ordinary Word documents: organisations restyle them in Word (styles, fonts,
colours, logo, section order and wording) without touching code. Jinja tags follow docxtpl:
``{{ ... }}`` inline, ``{%p ... %}`` for a tag that takes a whole paragraph, ``{%tr ... %}``
for one that takes a whole table row.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from retain.guides.schema import HR_SECTIONS, PACK_SECTIONS
from retain.packs.catalog import HR_ABOUT, PACK_ABOUT, TABLES
from retain.packs.ooxml import sort_properties

# -- the look: change it here, or restyle the built template in Word --------------------------
FONT = "Arial"  # metric-compatible with Liberation Sans, so Word and LibreOffice lay out alike
INK = "1F2933"
MUTED = "5B6573"
ACCENT = "1F4E79"
RULE = "B8C4D1"
TINT = "E3EBF4"
PALE = "F4F7FA"
RED = "B42318"
FIXED_DATE = datetime(2025, 1, 1)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PAGE_WIDTH_CM = 21.0
MARGIN_CM = 2.2
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM


# -- styles -----------------------------------------------------------------------------------
def _color(hex_value: str) -> RGBColor:
    return RGBColor.from_string(hex_value)


def _border(properties: Any, side: str, color: str, size: int = 6, space: int = 4) -> None:
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # pBdr comes after the keep/page-break/frame/widow/numbering settings in pPr
        anchor = None
        for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"):
            anchor = properties.find(qn(tag))
            if anchor is not None:
                break
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            properties.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _paragraph_style(doc: Any, name: str, *, base: str = "Normal", size: float | None = None,
                     bold: bool | None = None, italic: bool | None = None, color: str | None = None,
                     before: float | None = None, after: float | None = None, keep_next: bool = False,
                     indent_cm: float | None = None, hanging_cm: float | None = None,
                     line: float | None = None, style_id: str | None = None, caps: bool = False,
                     spacing: float | None = None) -> Any:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if style_id:
        style.element.set(qn("w:styleId"), style_id)
    if name != "Normal":
        style.base_style = styles[base]
    style.quick_style = True
    font = style.font
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = _color(color)
    if caps:
        font.all_caps = True
    if spacing is not None:
        rpr = style.element.get_or_add_rPr()
        letter = OxmlElement("w:spacing")
        letter.set(qn("w:val"), str(int(spacing * 20)))
        rpr.append(letter)
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line
    if keep_next:
        fmt.keep_with_next = True
    if indent_cm is not None:
        fmt.left_indent = Cm(indent_cm)
    if hanging_cm is not None:
        fmt.first_line_indent = Cm(-hanging_cm)
    _east_asian_fonts(style.element.get_or_add_rPr())
    return style


def _east_asian_fonts(rpr: Any) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def _character_style(doc: Any, name: str, *, bold: bool = False, color: str | None = None,
                     size: float | None = None, spacing: float | None = None) -> Any:
    existing = [s for s in doc.styles if s.name == name]
    style = existing[0] if existing else doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.quick_style = True
    style.font.bold = bold
    if color:
        style.font.color.rgb = _color(color)
    if size:
        style.font.size = Pt(size)
    if spacing is not None:
        letter = OxmlElement("w:spacing")
        letter.set(qn("w:val"), str(int(spacing * 20)))
        style.element.get_or_add_rPr().append(letter)
    return style


def _prune_styles(doc: Any) -> None:
    # The python-docx starter document carries a hundred table styles nobody uses here; they
    # double the file and the time to load it. Word's own styles stay available in Word.
    root = doc.styles.element
    keep = {"Normal Table", "Table Grid"}
    for style in list(root.findall(qn("w:style"))):
        name = style.find(qn("w:name"))
        if style.get(qn("w:type")) == "table" and (name is None or name.get(qn("w:val")) not in keep):
            root.remove(style)


def build_styles(doc: Any) -> None:
    """Define every style the templates use (Word's navigation pane and TOC need real headings)."""
    _prune_styles(doc)
    normal = _paragraph_style(doc, "Normal", size=10.5, color=INK, after=6, line=1.15)
    normal.font.name = FONT
    _paragraph_style(doc, "Title", size=30, bold=True, color=ACCENT, before=0, after=4, line=1.0)
    for tag in ("w:pBdr",):
        found = doc.styles["Title"].element.pPr.find(qn(tag)) if doc.styles["Title"].element.pPr is not None else None
        if found is not None:
            found.getparent().remove(found)
    _paragraph_style(doc, "Subtitle", size=13, italic=False, color=MUTED, before=0, after=18)
    h1 = _paragraph_style(doc, "Heading 1", size=16, bold=True, color=ACCENT, before=22, after=4,
                          keep_next=True, line=1.0)
    _border(h1.element.get_or_add_pPr(), "bottom", RULE, size=6, space=4)
    _paragraph_style(doc, "Heading 2", size=12.5, bold=True, color=ACCENT, before=14, after=4,
                     keep_next=True, line=1.0)
    _paragraph_style(doc, "Heading 3", size=11, bold=True, color=INK, before=10, after=2, keep_next=True)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title", "Subtitle"):
        style = doc.styles[name]
        style.font.italic = False
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:color",):
            found = rpr.find(qn(tag))
            if found is not None:
                found.attrib.pop(qn("w:themeColor"), None)
                found.attrib.pop(qn("w:themeShade"), None)
    _paragraph_style(doc, "TOC Heading", base="Heading 1", size=16, bold=True, color=ACCENT, before=0, after=10)
    toc_heading = doc.styles["TOC Heading"].element.get_or_add_pPr()
    outline = toc_heading.find(qn("w:outlineLvl"))
    if outline is not None:
        outline.set(qn("w:val"), "9")
    toc1 = _paragraph_style(doc, "toc 1", size=11, bold=True, color=INK, before=6, after=2, style_id="TOC1")
    toc2 = _paragraph_style(doc, "toc 2", size=10, color=MUTED, before=0, after=1, indent_cm=0.6, style_id="TOC2")
    for style in (toc1, toc2):
        style.element.set(qn("w:customStyle"), "0")
        tabs = OxmlElement("w:tabs")
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), "right")
        tab.set(qn("w:leader"), "dot")
        tab.set(qn("w:pos"), str(int(TEXT_WIDTH_CM / 2.54 * 1440)))
        tabs.append(tab)
        style.element.get_or_add_pPr().insert(0, tabs)
    _paragraph_style(doc, "Section Intro", size=10, italic=True, color=MUTED, before=0, after=10)
    _paragraph_style(doc, "Pack Question", size=10.5, bold=True, color=INK, before=10, after=3, keep_next=True)
    answer = _paragraph_style(doc, "Pack Answer", before=0, after=5, indent_cm=0.45)
    _border(answer.element.get_or_add_pPr(), "left", RULE, size=12, space=8)
    _paragraph_style(doc, "Pack Item", base="Pack Answer", before=0, after=3)
    _paragraph_style(doc, "Pack Note", size=9.5, italic=True, color=MUTED, before=2, after=6)
    notice = _paragraph_style(doc, "Pack Notice", size=10, bold=True, color=RED, before=6, after=10)
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), "FDECEA")
    _border(notice.element.get_or_add_pPr(), "left", RED, size=18, space=8)
    notice.element.get_or_add_pPr().append(shade)
    _paragraph_style(doc, "Table Text", size=9.5, before=1, after=1, line=1.05)
    _paragraph_style(doc, "Table Heading", base="Table Text", size=9, bold=True, color=ACCENT, keep_next=True)
    _paragraph_style(doc, "Table Caption", size=9.5, bold=True, color=MUTED, before=8, after=3, keep_next=True,
                     caps=True, spacing=0.6)
    _paragraph_style(doc, "Cover Kicker", size=10, bold=True, color=MUTED, before=110, after=6, caps=True,
                     spacing=1.5)
    _paragraph_style(doc, "Cover Name", size=22, color=INK, before=20, after=2, line=1.0)
    _paragraph_style(doc, "Cover Role", size=12, color=MUTED, before=0, after=24)
    _paragraph_style(doc, "Cover Label", size=11, bold=True, color="FFFFFF", before=4, after=4, spacing=1.2)
    _paragraph_style(doc, "Checklist", before=2, after=5, indent_cm=0.8, hanging_cm=0.8)
    # Based on Normal, not on Word's Header/Footer, whose centre tab would catch the first tab.
    _paragraph_style(doc, "Header Text", size=8.5, color=MUTED, before=0, after=0, line=1.0)
    _paragraph_style(doc, "Footer Text", size=8.5, color=MUTED, before=0, after=0, line=1.0)
    _paragraph_style(doc, "Table Intro", base="Pack Note", keep_next=True)
    _character_style(doc, "Confidential Flag", bold=True, color=RED, size=8, spacing=0.8)
    _character_style(doc, "Question Ref", bold=True, color=MUTED, size=8.5)
    _character_style(doc, "Strong", bold=True)


# -- building blocks --------------------------------------------------------------------------
Run = tuple[str, str | None]


def para(container: Any, style: str, *runs: str | Run) -> Any:
    """A paragraph of runs; a run is text, or (text, character style)."""
    paragraph = container.add_paragraph(style=style)
    for run in runs:
        text, char_style = (run, None) if isinstance(run, str) else run
        added = paragraph.add_run(text)
        if char_style:
            added.style = char_style
    return paragraph


def tag(container: Any, text: str) -> Any:
    """A paragraph holding only a docxtpl block tag such as ``{%p for e in x %}``."""
    return container.add_paragraph(text, style="Normal")


def page_break(container: Any) -> None:
    container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def field(paragraph: Any, instruction: str, placeholder: str = "", *, dirty: bool = False) -> None:
    """A complex field (PAGE, NUMPAGES, TOC) with its cached result."""
    def char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if dirty and kind == "begin":
            element.set(qn("w:dirty"), "true")
        paragraph.add_run()._r.append(element)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _cell_props(cell: Any, *, fill: str | None = None, width_cm: float | None = None,
                margins: bool = False) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    if width_cm is not None:
        cell.width = Cm(width_cm)
    if fill:
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:color"), "auto")
        shade.set(qn("w:fill"), fill)
        tcpr.append(shade)
    if margins:
        mar = OxmlElement("w:tcMar")
        for side in ("top", "bottom"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), "120")
            edge.set(qn("w:type"), "dxa")
            mar.append(edge)
        tcpr.append(mar)


def _table_props(table: Any, *, borders: str = "grid", color: str = RULE) -> None:
    tblpr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    existing = tblpr.find(qn("w:tblW"))
    if existing is not None:
        tblpr.remove(existing)
    style = tblpr.find(qn("w:tblStyle"))
    (style.addnext if style is not None else tblpr.append)(width)
    edges = OxmlElement("w:tblBorders")
    sides = {"grid": ("top", "left", "bottom", "right", "insideH", "insideV"),
             "rows": ("top", "bottom", "insideH"), "none": ()}[borders]
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        if side in sides:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), color)
        else:
            edge.set(qn("w:val"), "nil")
        edges.append(edge)
    width.addnext(edges)
    for old in tblpr.findall(qn("w:tblLayout")):  # python-docx adds one for autofit = False
        tblpr.remove(old)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    edges.addnext(layout)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 50), ("left", 100), ("bottom", 50), ("right", 100)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(value))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    layout.addnext(margins)


def _row_props(row: Any, *, header: bool = False, cant_split: bool = False, height_cm: float | None = None) -> None:
    trpr = row._tr.get_or_add_trPr()
    if cant_split:
        trpr.append(OxmlElement("w:cantSplit"))
    if height_cm:
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(int(height_cm / 2.54 * 1440)))
        height.set(qn("w:hRule"), "atLeast")
        trpr.append(height)
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


def _set_cell(cell: Any, style: str, *runs: str | Run) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    for run in runs:
        text, char_style = (run, None) if isinstance(run, str) else run
        added = paragraph.add_run(text)
        if char_style:
            added.style = char_style


def data_table(container: Any, headers: Sequence[str], cells: Sequence[Sequence[str | Run]],
               widths: Sequence[float], loop: str, *, row_height_cm: float | None = None) -> Any:
    """A table with a repeating header row and one templated row repeated by ``{%tr for %}``."""
    table = container.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _table_props(table)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width / 2.54 * 1440)))
    head, open_row, body, close_row = table.rows
    _row_props(head, header=True, cant_split=True)
    if row_height_cm:
        _row_props(body, height_cm=row_height_cm)
    for index, (title, width) in enumerate(zip(headers, widths, strict=True)):
        _cell_props(head.cells[index], fill=TINT, width_cm=width)
        _set_cell(head.cells[index], "Table Heading", title)
        for row in (open_row, body, close_row):
            _cell_props(row.cells[index], width_cm=width)
    _set_cell(open_row.cells[0], "Table Text", f"{{%tr for {loop} %}}")
    for index, runs in enumerate(cells):
        _set_cell(body.cells[index], "Table Text", *runs)
    _set_cell(close_row.cells[0], "Table Text", "{%tr endfor %}")
    return table


def _fields_table(container: Any, rows: Sequence[tuple[str, str]]) -> None:
    table = container.add_table(rows=len(rows), cols=2)
    table.autofit = False
    _table_props(table, borders="rows")
    widths = (4.8, TEXT_WIDTH_CM - 4.8)
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width / 2.54 * 1440)))
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _cell_props(row.cells[0], width_cm=widths[0], margins=True)
        _cell_props(row.cells[1], width_cm=widths[1], margins=True)
        _set_cell(row.cells[0], "Table Heading", label)
        _set_cell(row.cells[1], "Table Text", value)


def label_box(container: Any) -> None:
    """The visibility label, white on a colour the context picks (blue, or red when confidential)."""
    table = container.add_table(rows=1, cols=1)
    table.autofit = False
    _table_props(table, borders="none")
    table._tbl.tblGrid.findall(qn("w:gridCol"))[0].set(qn("w:w"), str(int(TEXT_WIDTH_CM / 2.54 * 1440)))
    cell = table.rows[0].cells[0]
    _cell_props(cell, width_cm=TEXT_WIDTH_CM, margins=True)
    _set_cell(cell, "Cover Label", "{% cellbg cover.label_color %}", "{{ label }}")


def entry_block(container: Any, var: str, *, with_ref: bool = True, mark: str = "confidential") -> None:
    """One question and its answer: prompt, skip note, paragraphs, where it is in a recording, list rows.

    ``mark`` names the flag shown in red after the prompt: ``confidential`` in a handover pack,
    ``restricted`` in the HR report (where everything is confidential anyway).
    """
    runs: list[str | Run] = []
    if with_ref:
        runs.append((f"{{{{ {var}.ref }}}}  ", "Question Ref"))
    runs.append(f"{{{{ {var}.prompt }}}}")
    runs.append((f"{{% if {var}.{mark} %}}   {mark.upper()}{{% endif %}}", "Confidential Flag"))
    para(container, "Pack Question", *runs)
    tag(container, f"{{%p if {var}.skipped %}}")
    para(container, "Pack Note", f"Skipped{{% if {var}.skip_reason %}}: {{{{ {var}.skip_reason }}}}{{% endif %}}")
    tag(container, "{%p endif %}")
    tag(container, f"{{%p for text in {var}.paragraphs %}}")
    para(container, "Pack Answer", "{{ text }}")
    tag(container, "{%p endfor %}")
    if mark == "confidential":
        # An answer mapped from a recorded interview says where to listen (as the md and html do).
        tag(container, f"{{%p if {var}.recording %}}")
        para(container, "Pack Note", f"{{{{ {var}.recording|capitalize }}}}.")
        tag(container, "{%p endif %}")
    tag(container, f"{{%p for row in {var}.rows %}}")
    item: list[str | Run] = [("{{ row.lead }}", "Strong"), "{% if row.detail %} — {{ row.detail }}{% endif %}"]
    if mark == "confidential":
        item.append(("{% if row.confidential %}   CONFIDENTIAL{% endif %}", "Confidential Flag"))
    para(container, "Pack Item", *item)
    tag(container, "{%p endfor %}")


# -- page furniture ---------------------------------------------------------------------------
def _tab_stop(paragraph: Any) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)


def page_setup(doc: Any, *, header_left: str, header_right: str, footer_left: str,
               first_header: str | None) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(29.7)
    section.left_margin = section.right_margin = Cm(MARGIN_CM)
    section.top_margin, section.bottom_margin = Cm(2.3), Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.1), Cm(1.1)
    section.different_first_page_header_footer = True

    def header(part: Any, left: str, right: str) -> None:
        paragraph = part.paragraphs[0]
        paragraph.style = "Header Text"
        _tab_stop(paragraph)
        if left:
            paragraph.add_run(left)
        paragraph.add_run("\t")
        paragraph.add_run(right).bold = True
        _border(paragraph._p.get_or_add_pPr(), "bottom", RULE, size=4, space=4)

    def footer(part: Any, left: str) -> None:
        paragraph = part.paragraphs[0]
        paragraph.style = "Footer Text"
        _tab_stop(paragraph)
        _border(paragraph._p.get_or_add_pPr(), "top", RULE, size=4, space=4)
        paragraph.add_run(left)
        paragraph.add_run("\tPage ")
        field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        field(paragraph, "NUMPAGES", "1")

    header(section.header, header_left, header_right)
    footer(section.footer, footer_left)
    if first_header is not None:
        header(section.first_page_header, "", first_header)
        footer(section.first_page_footer, footer_left)
    else:
        section.first_page_header.paragraphs[0].style = "Header Text"
        section.first_page_footer.paragraphs[0].style = "Footer Text"


def contents(doc: Any) -> None:
    para(doc, "TOC Heading", "Contents")
    paragraph = doc.add_paragraph(style="toc 1")
    field(paragraph, 'TOC \\o "1-2" \\h \\z \\u',
          "Right-click here and choose Update Field to build the table of contents.", dirty=True)


def properties(doc: Any, title: str) -> None:
    core = doc.core_properties
    core.title = title
    core.subject = "retain pack template"
    core.author = "retain"
    core.comments = "Built by python tools/build_templates.py; see docs/templates.md."
    core.keywords = "retain; template"
    core.category = ""
    core.last_modified_by = "retain"
    core.revision = 1
    core.created = FIXED_DATE
    core.modified = FIXED_DATE
    core.language = "en-GB"


# -- the handover pack ------------------------------------------------------------------------
def flag(var: str) -> Run:
    """A red CONFIDENTIAL run shown only when ``var.confidential`` is true."""
    return (f"{{% if {var}.confidential %}}  CONFIDENTIAL{{% endif %}}", "Confidential Flag")


TOPICS = ("{% for t in topics %}{{ t.phrase }}{% if t.confidential %} (CONFIDENTIAL){% endif %}"
          "{% if not loop.last %}, {% endif %}{% endfor %}")

def _section_tables(doc: Any, key: str) -> None:
    for table in (t for t in TABLES if t.section == key):
        ref = f"tables.{table.key}"
        tag(doc, f"{{%p if {ref}.rows %}}")
        para(doc, "Table Caption", table.title)
        widths = _widths(len(table.columns))
        cells: list[list[str | Run]] = [[f"{{{{ r.{cid} }}}}"] for cid, _ in table.columns]
        cells[0].append(flag("r"))
        data_table(doc, [title for _, title in table.columns], cells, widths, f"r in {ref}.rows")
        tag(doc, f"{{%p elif not {ref}.spoken and not sections.{key}.empty %}}")
        para(doc, "Pack Note", table.empty_text)
        tag(doc, "{%p endif %}")


def _widths(count: int) -> list[float]:
    shares = {2: [0.45, 0.55], 3: [0.28, 0.30, 0.42], 4: [0.26, 0.24, 0.30, 0.20]}[count]
    return [round(TEXT_WIDTH_CM * share, 2) for share in shares]


def _pack_section(doc: Any, key: str) -> None:
    para(doc, "Heading 1", PACK_SECTIONS[key])
    para(doc, "Section Intro", PACK_ABOUT[key])
    _section_tables(doc, key)
    tag(doc, f"{{%p for e in sections.{key}.prose %}}")
    entry_block(doc, "e")
    tag(doc, "{%p endfor %}")
    tag(doc, f"{{%p if sections.{key}.empty %}}")
    para(doc, "Pack Note", "Nothing was recorded for this section.")
    tag(doc, "{%p endif %}")


def build_handover() -> Any:
    """The handover pack template."""
    doc = Document()
    doc._body.clear_content()
    build_styles(doc)
    page_setup(doc, header_left="Handover pack · {{ cover.person.name }}", header_right="{{ label }}",
               footer_left="{{ cover.subtitle }} · generated {{ generated_on }}", first_header=None)

    # cover
    para(doc, "Cover Kicker", "Knowledge handover")
    para(doc, "Title", "Handover pack")
    para(doc, "Cover Name", "{{ cover.person.name }}")
    para(doc, "Cover Role", "{{ cover.role_line }}")
    label_box(doc)
    para(doc, "Normal", "")
    _fields_table(doc, [
        ("Successor", "{{ cover.successor_name }}"),
        ("Interviewer", "{{ cover.interviewer }}"),
        ("Interview started", "{{ cover.started_on }}"),
        ("Interview completed", "{{ cover.completed_on }}"),
        ("Leaving date", "{{ cover.leaving_on }}"),
        ("Interview guide", "{{ cover.guide.title }} (version {{ cover.guide.version }})"),
        ("Review status", "{{ cover.review_status }}"),
        ("Generated", "{{ generated_on }}"),
    ])
    tag(doc, "{%p if notice %}")
    para(doc, "Pack Notice", "{{ notice }}")
    tag(doc, "{%p endif %}")
    page_break(doc)

    # contents and how to use the pack
    contents(doc)
    para(doc, "Table Caption", "How to use this pack")
    para(doc, "Normal",
         "Read the week-one briefing first, then the work in flight and the risks. The tables list "
         "contacts, systems, recurring tasks and open items; the knowledge-risk summary lists what "
         "still needs a conversation. Q numbers are the question numbers of the interview guide; the "
         "appendix lists every question answered and where its answer is printed. Finish with the acceptance checklist and sign-off.")
    tag(doc, "{%p if empty %}")
    para(doc, "Pack Notice", "{{ empty_text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if withheld %}")
    para(doc, "Pack Note", "{{ withheld_text }}")
    tag(doc, "{%p endif %}")
    page_break(doc)

    for key in PACK_SECTIONS:
        if key == "signoff":
            continue
        _pack_section(doc, key)

    # knowledge-risk summary
    para(doc, "Heading 1", "Knowledge-risk summary")
    para(doc, "Section Intro",
         "What this pack cannot hand over on its own: gaps to follow up, and knowledge that only "
         "{{ cover.person.name }} seems to hold.")
    para(doc, "Normal", ("{{ knowledge_risk.summary }}", "Strong"))
    para(doc, "Heading 2", "Gaps to follow up")
    tag(doc, "{%p if knowledge_risk.gaps %}")
    data_table(doc, ["What is missing", "Suggested follow-up question"],
               [["{{ g.message }}", flag("g")], ["{{ g.follow_up }}"]], _widths(2), "g in knowledge_risk.gaps")
    tag(doc, "{%p else %}")
    para(doc, "Pack Note", "No gaps: every required question was answered.")
    tag(doc, "{%p endif %}")
    para(doc, "Heading 2", "Single-holder topics")
    tag(doc, "{%p if knowledge_risk.single_holder %}")
    para(doc, "Table Intro",
         "Topics and systems that come up in no one else's interview. Make sure someone else knows "
         "each one before the last day.")
    data_table(doc, ["Topic or system", "Type", "Where it comes up"],
               [["{{ s.item }}", flag("s")], ["{{ s.type }}"], ["{{ s.where }}"]], _widths(3),
               "s in knowledge_risk.single_holder")
    tag(doc, "{%p if knowledge_risk.single_holder_more %}")
    para(doc, "Pack Note", "…and {{ knowledge_risk.single_holder_more }} more.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p elif knowledge_risk.extracted %}")
    para(doc, "Pack Note", "None found: every extracted topic and system also comes up in someone else's interview.")
    tag(doc, "{%p else %}")
    para(doc, "Pack Note",
         "Topic and entity extraction has not run for this interview yet, so single-holder topics "
         "are not listed.")
    tag(doc, "{%p endif %}")
    para(doc, "Heading 2", "Who else knows")
    tag(doc, "{%p for e in knowledge_risk.who_else_knows %}")
    entry_block(doc, "e")
    tag(doc, "{%p else %}")
    para(doc, "Pack Note", "Not recorded.")
    tag(doc, "{%p endfor %}")
    para(doc, "Heading 2", "Open items for the successor")
    tag(doc, "{%p if open_items %}")
    para(doc, "Table Intro", "Questions the interview left unanswered or skipped: ask about them early.")
    tag(doc, "{%p for o in open_items %}")
    para(doc, "Pack Item", ("{{ o.ref }}  ", "Question Ref"), ("{{ o.prompt }}", "Strong"),
         " ({{ o.part }}) — {% if o.status == 'skipped' %}skipped{% else %}not answered{% endif %}"
         "{% if o.reason %}: {{ o.reason }}{% endif %}{% if o.required %} · required{% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "Pack Note", "None: every question was answered.")
    tag(doc, "{%p endif %}")

    # what the successor added, once a follow-up has answers
    tag(doc, "{%p if successor_added %}")
    para(doc, "Heading 1", "What the successor added")
    para(doc, "Section Intro",
         "The successor's follow-ups: what they used, what was wrong or missing, and who they had to ask.")
    tag(doc, "{%p for f in successor_added %}")
    para(doc, "Heading 2", "{{ f.title }}")
    tag(doc, "{%p for a in f.answers %}")
    para(doc, "Pack Question", ("{{ a.ref }}  ", "Question Ref"), "{{ a.prompt }}",
         ("{% if a.correction %}   CORRECTION: listed as a gap above{% endif %}", "Confidential Flag"))
    tag(doc, "{%p for text in a.paragraphs %}")
    para(doc, "Pack Answer", "{{ text }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for row in a.rows %}")
    para(doc, "Pack Item", "{{ row }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    # entity index
    para(doc, "Heading 1", "Entity index")
    para(doc, "Section Intro",
         "People, organisations, systems, dates and rhythms named in the answers, and where each "
         "comes up. Q numbers refer to the appendix.")
    tag(doc, "{%p if topics %}")
    para(doc, "Normal", ("Key topics: ", "Strong"), TOPICS)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if entities %}")
    data_table(doc, ["Name", "Type", "Mentions", "Where it comes up"],
               [["{{ x.text }}", flag("x")], ["{{ x.type }}"], ["{{ x.count }}"], ["{{ x.where }}"]],
               [4.6, 3.0, 1.9, round(TEXT_WIDTH_CM - 9.5, 2)], "x in entities")
    tag(doc, "{%p elif knowledge_risk.extracted %}")
    para(doc, "Pack Note", "No names, systems or dates were found in the shareable answers.")
    tag(doc, "{%p else %}")
    para(doc, "Pack Note", "Entity extraction has not run for this interview yet, so the index is empty.")
    tag(doc, "{%p endif %}")

    # sign-off
    _pack_section(doc, "signoff")
    para(doc, "Heading 2", "Successor acceptance checklist")
    tag(doc, "{%p for item in signoff.checklist %}")
    para(doc, "Checklist", "☐\t{{ item }}")
    tag(doc, "{%p endfor %}")
    para(doc, "Normal", "")
    para(doc, "Normal", "{{ signoff.statement }}")
    data_table(doc, ["Role", "Name", "Signature", "Date"],
               [["{{ s.role }}"], ["{{ s.name }}"], [""], [""]],
               [3.8, 4.4, 5.0, round(TEXT_WIDTH_CM - 13.2, 2)], "s in signoff.signatories", row_height_cm=1.2)

    # appendix
    page_break(doc)
    para(doc, "Heading 1", "Appendix: questions and answers")
    para(doc, "Section Intro",
         "Every question answered, in the order it was asked, with where its answer is printed.")
    tag(doc, "{%p if withheld %}")
    para(doc, "Pack Note", "{{ withheld_text }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for part in appendix %}")
    para(doc, "Heading 2", "{{ part.title }}")
    tag(doc, "{%p for e in part.entries %}")
    # Printed in full once, in its section; the appendix points there.
    tag(doc, "{%p if e.printed_in %}")
    para(doc, "Pack Item", ("{{ e.ref }}  ", "Question Ref"), "{{ e.prompt }} — see {{ e.printed_in }}")
    tag(doc, "{%p else %}")
    entry_block(doc, "e")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "Pack Note", "No questions have been answered yet.")
    tag(doc, "{%p endfor %}")
    properties(doc, "Handover pack")
    return doc


# -- the HR exit report -----------------------------------------------------------------------
def build_hr_exit() -> Any:
    """The HR exit report template: CONFIDENTIAL in the header and footer of every page."""
    doc = Document()
    doc._body.clear_content()
    build_styles(doc)
    page_setup(doc, header_left="CONFIDENTIAL — HR ONLY", header_right="Exit interview · {{ cover.person.name }}",
               footer_left="{{ label }} · {{ cover.person.name }}", first_header="CONFIDENTIAL — HR ONLY")
    for part in (doc.sections[0].header, doc.sections[0].first_page_header):
        runs = part.paragraphs[0].runs
        for run in runs:
            if "CONFIDENTIAL" in run.text:
                run.bold = True
                run.font.color.rgb = _color(RED)

    para(doc, "Cover Kicker", "Exit interview · HR only")
    para(doc, "Title", "Exit interview report")
    para(doc, "Cover Name", "{{ cover.person.name }}")
    para(doc, "Cover Role", "{{ cover.role_line }}")
    label_box(doc)
    para(doc, "Normal", "")
    _fields_table(doc, [
        ("Interviewer", "{{ cover.interviewer }}"),
        ("Interview started", "{{ cover.started_on }}"),
        ("Interview completed", "{{ cover.completed_on }}"),
        ("Leaving date", "{{ cover.leaving_on }}"),
        ("Interview guide", "{{ cover.guide.title }} (version {{ cover.guide.version }})"),
        ("Generated", "{{ generated_on }}"),
    ])
    para(doc, "Pack Notice", "{{ notice }}")
    page_break(doc)

    contents(doc)
    tag(doc, "{%p if empty %}")
    para(doc, "Pack Notice", "{{ empty_text }}")
    tag(doc, "{%p endif %}")

    para(doc, "Heading 1", "At a glance")
    para(doc, "Section Intro", "The structured answers: the main reason, the scores and the yes/no questions.")
    tag(doc, "{%p if highlights %}")
    data_table(doc, ["Question", "Answer"], [["{{ h.prompt }}"], ["{{ h.value }}"]], [11.0, round(TEXT_WIDTH_CM - 11, 2)],
               "h in highlights")
    tag(doc, "{%p else %}")
    para(doc, "Pack Note", "No structured answers were recorded.")
    tag(doc, "{%p endif %}")

    for key in HR_SECTIONS:
        para(doc, "Heading 1", HR_SECTIONS[key])
        para(doc, "Section Intro", HR_ABOUT[key])
        tag(doc, f"{{%p for e in sections.{key}.prose %}}")
        entry_block(doc, "e", with_ref=False, mark="restricted")
        tag(doc, "{%p endfor %}")
        tag(doc, f"{{%p if sections.{key}.empty %}}")
        para(doc, "Pack Note", "Nothing was recorded for this section.")
        tag(doc, "{%p endif %}")

    tag(doc, "{%p if unsectioned %}")
    para(doc, "Heading 1", "Other answers")
    tag(doc, "{%p for e in unsectioned %}")
    entry_block(doc, "e", with_ref=False, mark="restricted")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    para(doc, "Heading 1", "Themes and open points")
    tag(doc, "{%p if topics %}")
    para(doc, "Normal", ("Themes: ", "Strong"), "{{ topics|map(attribute='phrase')|join(', ') }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if gaps %}")
    data_table(doc, ["Open point", "Suggested follow-up question"], [["{{ g.message }}"], ["{{ g.follow_up }}"]],
               _widths(2), "g in gaps")
    tag(doc, "{%p else %}")
    para(doc, "Pack Note", "No open points: every required question was answered.")
    tag(doc, "{%p endif %}")

    para(doc, "Heading 1", "HR follow-up")
    tag(doc, "{%p for item in signoff.checklist %}")
    para(doc, "Checklist", "☐\t{{ item }}")
    tag(doc, "{%p endfor %}")
    para(doc, "Normal", "")
    data_table(doc, ["Role", "Name", "Signature", "Date"], [["{{ s.role }}"], ["{{ s.name }}"], [""], [""]],
               [3.8, 4.4, 5.0, round(TEXT_WIDTH_CM - 13.2, 2)], "s in signoff.signatories", row_height_cm=1.2)
    para(doc, "Normal", "")  # Word wants a paragraph, not a table, at the end of the body
    properties(doc, "Exit interview report")
    return doc


# -- reproducible output ----------------------------------------------------------------------
_DROP_RELS = ("stylesWithEffects", "customXml", "thumbnail")


def _drop_extras(doc: Any) -> None:
    # Parts of the python-docx starter file that a template does not need.
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _DROP_RELS:
                rels.pop(rid)


def to_bytes(doc: Any) -> bytes:
    """Save a document with fixed zip timestamps, so identical content gives identical bytes."""
    _drop_extras(doc)
    # Raw additions (borders, shading, table settings) may sit out of schema order; Word
    # refuses such a file, so every part's properties are put back in order.
    section = doc.sections[0]
    parts = [doc.element, doc.styles.element]
    parts += [p._element for p in (section.header, section.footer, section.first_page_header,
                                   section.first_page_footer)]
    for part in parts:
        sort_properties(part)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


BUILDERS = {"handover.docx": build_handover, "hr_exit.docx": build_hr_exit}


def build_all(folder: Path) -> list[Path]:
    """Build every shipped Word template into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in BUILDERS.items():
        path = folder / name
        path.write_bytes(to_bytes(builder()))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``python tools/build_templates.py [--out DIR]``."""
    from retain.resources import templates_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=templates_dir(), help="folder to write (default: templates/)")
    args = parser.parse_args(argv)
    for path in build_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
