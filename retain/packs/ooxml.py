"""WordprocessingML property order: Word rejects a file whose property elements are out of order.

The schema fixes the order of the children of ``w:pPr``, ``w:rPr``, ``w:tblPr`` and ``w:tcPr``.
python-docx keeps it for the properties it knows, but raw additions (borders, shading) and
docxtpl's ``cellbg`` (which puts ``w:shd`` first in a cell) do not; :func:`sort_properties`
puts every child back in schema order.
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _order(*names: str) -> dict[str, int]:
    return {f"{W}{name}": index for index, name in enumerate(names)}


ORDER: dict[str, dict[str, int]] = {
    f"{W}pPr": _order(
        "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
        "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
        "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
        "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
        "sectPr", "pPrChange",
    ),
    f"{W}rPr": _order(
        "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
        "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
        "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
        "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
        "eastAsianLayout", "specVanish", "oMath", "rPrChange",
    ),
    f"{W}tblPr": _order(
        "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
        "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
        "tblLook", "tblCaption", "tblDescription", "tblPrChange",
    ),
    f"{W}tcPr": _order(
        "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
        "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
        "tcPrChange",
    ),
}


def out_of_order(element: Any) -> bool:
    """Whether a property element's children break the schema order."""
    rank = ORDER.get(element.tag)
    if rank is None:
        return False
    positions = [rank.get(child.tag, len(rank)) for child in element]
    return positions != sorted(positions)


def sort_properties(root: Any, tags: tuple[str, ...] = tuple(ORDER)) -> int:
    """Put the children of every property element under ``root`` in schema order.

    Args:
        root: An lxml element (a document body, a styles part, a header).
        tags: Which property elements to fix (all four kinds by default).

    Returns:
        How many elements were reordered.
    """
    fixed = 0
    for tag in tags:
        rank = ORDER[tag]
        for element in root.iter(tag):
            children = list(element)
            ordered = sorted(children, key=lambda child: rank.get(child.tag, len(rank)))
            if ordered != children:
                for child in children:
                    element.remove(child)
                element.extend(ordered)
                fixed += 1
    return fixed
