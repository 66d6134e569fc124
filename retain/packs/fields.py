"""Word fields: ask Word to update them (the contents page's page numbers) when a pack opens."""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What follows w:updateFields in CT_Settings: Word rejects settings out of schema order.
_AFTER = {
    f"{W}{name}"
    for name in (
        "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
        "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
    )
}


def update_fields_on_open(document: Any) -> None:
    """Set ``<w:updateFields w:val="true"/>`` in settings.xml, so Word fills in the page numbers.

    Word then offers to update the document's fields on open (the contents page, "Page 3 of
    12"); readers that do not update fields keep the pre-filled contents.
    """
    settings = document.settings.element
    existing = settings.find(f"{W}updateFields")
    if existing is None:
        existing = settings.makeelement(f"{W}updateFields", {})
        later = next((child for child in settings if child.tag in _AFTER), None)
        if later is not None:
            later.addprevious(existing)
        else:
            settings.append(existing)
    existing.set(f"{W}val", "true")
