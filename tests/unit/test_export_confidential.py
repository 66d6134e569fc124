"""The hard invariant: a confidential answer never reaches a pack without --include-confidential.

A unique marker goes into a confidential text answer and a confidential list row of a handover
interview, and into the entities and topics derived from them. Every part of every output
format is then searched for it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from sqlmodel import Session

from retain.services import Services
from retain.store.models import Mention, Topic

MARK = "Zorblax Quintavelle"  # a unique name, so the extractor may pick it up as a PERSON too
FORMATS = ("docx", "md", "html", "json")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def marked(services: Services) -> tuple[Services, int]:
    record = services.interviews.start("handover", "Priya Raman", successor="Tom Okafor", interviewer="Dana Whitfield")
    iid = record.id or 0
    services.interviews.answer(iid, "role-summary", text="I run payroll and the PayBridge interface for Northwind.")
    services.interviews.answer(iid, "contacts", items=[{"name": "Ravi Shah", "role": "Head of Finance", "ask_about": "sign-off"}])
    secret = services.interviews.answer(
        iid, "stakeholders", text=f"{MARK} arrived late three months running and blamed payroll.",
        visibility="confidential",
    )
    row = services.interviews.answer(
        iid, "landmines", items=[{"risk": f"{MARK} may dispute the overtime", "impact": "a grievance"}],
        visibility="confidential",
    )
    answer_ids = [secret.id or 0, row.id or 0]
    if importlib.util.find_spec("retain.services.extraction") is not None:
        services.extraction.extract_answers(answer_ids)
    # Whatever the extractor finds, make sure the entity and topic paths carry the marker.
    with Session(services.engine) as session:
        for answer_id in answer_ids:
            session.add(Mention(answer_id=answer_id, interview_id=iid, text=MARK, label="PERSON", start=0,
                                end=len(MARK), key=MARK.lower()))
            session.add(Topic(interview_id=iid, answer_id=answer_id, phrase=f"{MARK} lateness", score=0.9))
        session.add(Topic(interview_id=iid, answer_id=None, phrase=f"{MARK} lateness", score=0.99))
        session.commit()
    return services, iid


def every_part(path: Path) -> dict[str, str]:
    """Each zip part of a .docx as text (XML parts, relationships, properties), or the file."""
    if path.suffix != ".docx":
        return {path.name: path.read_text(encoding="utf-8")}
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()}


def test_the_marker_appears_nowhere_without_the_flag(marked: tuple[Services, int], tmp_path: Path) -> None:
    services, iid = marked
    for fmt in FORMATS:
        result = services.exports.export(iid, fmt=fmt, out=tmp_path)
        assert not result.included_confidential
        parts = every_part(result.path)
        if fmt == "docx":
            names = set(parts)
            assert {"word/document.xml", "docProps/core.xml", "docProps/app.xml"} <= names
            assert any(n.startswith("word/header") for n in names) and any(n.startswith("word/footer") for n in names)
        for name, text in parts.items():
            assert MARK.casefold() not in text.casefold(), f"{fmt}: marker leaked into {name}"
            assert "Zorblax" not in text and "Quintavelle" not in text, f"{fmt}: part of the marker in {name}"
    context = services.exports.context(iid).to_json()
    assert MARK not in json.dumps(context, ensure_ascii=False)
    assert context["withheld"] == 2 and "SHAREABLE HANDOVER" in context["label"]


def test_with_the_flag_the_marker_appears_clearly_labelled(marked: tuple[Services, int], tmp_path: Path) -> None:
    services, iid = marked
    outputs = {fmt: services.exports.export(iid, fmt=fmt, out=tmp_path, include_confidential=True) for fmt in FORMATS}
    assert all(result.included_confidential for result in outputs.values())
    assert all(oct(r.path.stat().st_mode & 0o777) == "0o600" for r in outputs.values())

    # Word: the cover says so, the header says so, and each marked answer and row is flagged.
    path = outputs["docx"].path
    document = Document(str(path))
    parts = every_part(path)
    assert MARK in parts["word/document.xml"]
    assert "CONFIDENTIAL HANDOVER" in document.core_properties.subject
    assert any("CONFIDENTIAL HANDOVER" in t for n, t in parts.items() if n.startswith("word/header"))
    paragraphs = document.paragraphs
    for index, paragraph in enumerate(paragraphs):
        if MARK in paragraph.text and paragraph.style is not None and paragraph.style.name == "Pack Answer":
            question = next(p for p in reversed(paragraphs[:index]) if p.style is not None and p.style.name == "Pack Question")
            assert "CONFIDENTIAL" in question.text
    rows = [r for t in document.tables for r in t.rows if any(MARK in c.text for c in r.cells)]
    assert rows and all("CONFIDENTIAL" in r.cells[0].text for r in rows), [[c.text for c in r.cells] for r in rows]
    assert any("CONFIDENTIAL" in p.text for p in paragraphs if MARK in p.text) or rows

    # Markdown and HTML: every line holding the marker, or the question above it, is flagged.
    md = outputs["md"].path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(md):
        if MARK in line and not line.startswith(("**Key topics", "| ")):
            above = next(x for x in reversed(md[: index + 1]) if x.startswith("**Q") or x.startswith("- "))
            assert "[CONFIDENTIAL]" in above, line
        if MARK in line and line.startswith("| ") and "Quintavelle may dispute" in line:
            assert "[CONFIDENTIAL]" in line
    html = outputs["html"].path.read_text(encoding="utf-8")
    for block in re.findall(r'<div class="qa confidential">.*?</div>', html, re.DOTALL):
        assert '<span class="flag">Confidential</span>' in block
    assert MARK in "".join(re.findall(r'<div class="qa confidential">.*?</div>', html, re.DOTALL))

    # JSON: the marked entries say they are confidential.
    data = json.loads(outputs["json"].path.read_text(encoding="utf-8"))
    marked_entries = [e for e in data["entries"] if MARK in e["text"] or any(MARK in r["lead"] for r in e["rows"])]
    assert len(marked_entries) == 2 and all(e["confidential"] for e in marked_entries)
    assert data["includes_confidential"] is True and data["confidential_count"] == 2
