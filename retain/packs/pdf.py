"""PDF packs through LibreOffice, with the contents page's page numbers filled in.

LibreOffice turns the Word pack into PDF but does not update its table of contents. So the
pack is converted once, the page of every heading is read back from that PDF (poppler's
``pdftotext``), the numbers are written into the contents entries, and it is converted again.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]  # python-docx brings it; no stubs

from retain.errors import ExportError, InvalidInput

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TOC_ANCHOR = "_Toc_retain_"
CONVERT_TIMEOUT = 180  # seconds; a cold LibreOffice start takes a few
MAX_PAGES = 2000


def find_soffice() -> str:
    """The LibreOffice command.

    Raises:
        InvalidInput: When LibreOffice is not installed (nothing is written).
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise InvalidInput(
            "--format pdf needs LibreOffice (soffice), which is not installed; install LibreOffice "
            "(e.g. apt install libreoffice-writer), or export --format docx and save it as PDF from Word"
        )
    return found


def write_pdf(render_docx: Callable[[Path], None], target: Path, soffice: str | None = None) -> None:
    """Render the Word pack with ``render_docx``, then write it to ``target`` as PDF.

    Raises:
        InvalidInput: Without LibreOffice.
        ExportError: If LibreOffice fails or times out.
    """
    command = soffice or find_soffice()
    with tempfile.TemporaryDirectory(prefix="retain-pdf-") as folder:
        work = Path(folder)
        docx = work / "pack.docx"
        render_docx(docx)
        pdf = _convert(command, docx, work)
        entries = toc_entries(docx)
        pages = heading_pages(pdf, [text for _, text in entries]) if entries else []
        if any(pages):
            write_page_numbers(docx, {anchor: page for (anchor, _), page in zip(entries, pages, strict=True)})
            pdf = _convert(command, docx, work)
        shutil.copyfile(pdf, target)


def _convert(soffice: str, docx: Path, folder: Path) -> Path:
    # Its own profile folder: a LibreOffice already open on the desktop must not block it.
    profile = (folder / "profile").as_uri()
    try:
        done = subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
            capture_output=True, text=True, timeout=CONVERT_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ExportError(f"LibreOffice took longer than {CONVERT_TIMEOUT} s to write the PDF; try again") from exc
    except OSError as exc:
        raise ExportError(f"cannot run LibreOffice ({exc.strerror}); check the installation") from exc
    pdf = docx.with_suffix(".pdf")
    if done.returncode != 0 or not pdf.exists():
        reason = (done.stderr or done.stdout or "no output").strip().splitlines()
        raise ExportError(f"LibreOffice could not write the PDF: {reason[-1] if reason else 'no output'}")
    return pdf


def toc_entries(docx: Path) -> list[tuple[str, str]]:
    """The contents entries retain wrote into the pack: ``(bookmark, heading text)`` in order."""
    with zipfile.ZipFile(docx) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    entries: list[tuple[str, str]] = []
    for link in root.iter(f"{W}hyperlink"):
        anchor = link.get(f"{W}anchor") or ""
        if anchor.startswith(TOC_ANCHOR):
            entries.append((anchor, "".join(t.text or "" for t in link.iter(f"{W}t")).strip()))
    return entries


def heading_pages(pdf: Path, headings: list[str]) -> list[int]:
    """The page each heading starts on (0 when not found), searching after the contents page.

    Headings are found in order, each on or after the page of the one before, so a heading
    text that also occurs earlier in the pack is not taken for the later heading.
    """
    if shutil.which("pdftotext") is None:
        return [0] * len(headings)
    try:
        done = subprocess.run(["pdftotext", "-layout", "-l", str(MAX_PAGES), str(pdf), "-"],
                              capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return [0] * len(headings)
    pages = [[" ".join(line.split()) for line in page.splitlines()] for page in done.stdout.split("\f")]
    start = next((n for n, lines in enumerate(pages) if "Contents" in lines), -1) + 1
    found: list[int] = []
    for heading in headings:
        wanted = " ".join(heading.split())
        page = next((n for n in range(start, len(pages)) if wanted in pages[n]), None)
        if page is None:
            found.append(0)
            continue
        found.append(page + 1)
        start = page
    return found


def write_page_numbers(docx: Path, pages: dict[str, int]) -> None:
    """Add a tab and the page number to each contents entry (the TOC styles hold a dotted tab)."""
    with zipfile.ZipFile(docx) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    for link in root.iter(f"{W}hyperlink"):
        page = pages.get(link.get(f"{W}anchor") or "", 0)
        if not page:
            continue
        tab_run = etree.SubElement(link, f"{W}r")
        etree.SubElement(tab_run, f"{W}tab")
        number_run = etree.SubElement(link, f"{W}r")
        etree.SubElement(number_run, f"{W}t").text = str(page)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
