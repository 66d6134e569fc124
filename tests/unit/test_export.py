"""`retain export`: formats, paths, no clobbering, the HR exit report, bad output folders, hygiene."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from retain.errors import ConfidentialityError, ExportError, InvalidInput, NotFound
from retain.guides.schema import PACK_SECTIONS
from retain.services import Services

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def handover(services: Services, name: str = "Priya Raman") -> int:
    record = services.interviews.start("handover", name, role="Payroll Lead", team="Finance",
                                       successor="Tom Okafor", interviewer="Dana Whitfield")
    iid = record.id or 0
    services.interviews.answer(iid, "role-summary", text="I run payroll for the UK and US entities.")
    services.interviews.answer(iid, "only-you", text="Only I know how the PayBridge interface is patched.")
    services.interviews.answer(iid, "contacts", items=[
        {"name": "Ravi Shah", "role": "Head of Finance Operations", "ask_about": "approvals"},
        {"name": "First Meridian Bank", "role": "Bank", "ask_about": "the BAI2 file"},
    ])
    services.interviews.answer(iid, "systems", items=[
        {"name": "PayBridge", "purpose": "payroll interface", "access": "Ravi approves", "owner": "IT"},
    ])
    services.interviews.skip(iid, "decisions", "Ask Ravi, he was there")
    return iid


def body_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_docx_pack_is_a_real_word_document(services: Services) -> None:
    iid = handover(services)
    result = services.exports.export(iid)
    today = date.today().isoformat()
    assert result.path == Path(services.settings.exports_dir) / f"priya-raman-handover-{today}.docx"
    assert result.format == "docx" and not result.included_confidential and result.seconds > 0
    document = Document(str(result.path))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    expected = [title for key, title in PACK_SECTIONS.items() if key != "signoff"]
    assert headings[: len(expected)] == expected
    assert headings[len(expected):] == ["Knowledge-risk summary", "Entity index", PACK_SECTIONS["signoff"],
                                        "Appendix: questions and answers"]
    contacts = next(t for t in document.tables if t.rows[0].cells[0].text == "Name")
    assert [c.text for c in contacts.rows[1].cells] == ["Ravi Shah", "Head of Finance Operations", "approvals"]
    assert contacts.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None  # header row repeats
    props = document.core_properties
    assert props.title == "Handover pack: Priya Raman"
    assert "SHAREABLE HANDOVER — DRAFT" in props.subject and props.author == "Dana Whitfield"
    with zipfile.ZipFile(result.path) as archive:
        xml = archive.read("word/document.xml").decode()
        footers = [archive.read(n).decode() for n in archive.namelist() if n.startswith("word/footer")]
    assert " TOC " in xml and "Week-one briefing" in xml
    assert any(" PAGE " in footer for footer in footers)
    text = body_text(result.path)
    assert "Skipped: Ask Ravi, he was there" in text
    assert "Nothing was recorded for this section." in text


def test_never_overwrites_silently(services: Services) -> None:
    iid = handover(services)
    first = services.exports.export(iid, fmt="md").path
    second = services.exports.export(iid, fmt="md").path
    third = services.exports.export(iid, fmt="md").path
    assert second.name == first.name.replace(".md", "-2.md")
    assert third.name == first.name.replace(".md", "-3.md")
    first.write_text("old", encoding="utf-8")
    forced = services.exports.export(iid, fmt="md", force=True).path
    assert forced == first and first.read_text(encoding="utf-8").startswith("# Handover pack")
    leftovers = [p.name for p in first.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_markdown_html_and_json_use_the_same_context(services: Services, tmp_path: Path) -> None:
    iid = handover(services)
    md = services.exports.export(iid, fmt="md", out=tmp_path).path.read_text(encoding="utf-8")
    assert md.startswith("# Handover pack: Priya Raman")
    assert "| Ravi Shah | Head of Finance Operations | approvals |" in md
    html = services.exports.export(iid, fmt="html", out=tmp_path / "pack.html").path.read_text(encoding="utf-8")
    assert html.lstrip().startswith("<!DOCTYPE html>") and "<style>" in html
    assert "<link" not in html and "<script" not in html  # one self-contained file
    assert "Only I know how the PayBridge interface is patched." in html
    data = json.loads(services.exports.export(iid, fmt="json", out=tmp_path).path.read_text(encoding="utf-8"))
    context = services.exports.context(iid).to_json()
    assert data.keys() == context.keys()
    assert data["tables"]["contacts"] == context["tables"]["contacts"]


def test_output_paths(services: Services, tmp_path: Path) -> None:
    iid = handover(services)
    assert services.exports.export(iid, fmt="md", out=tmp_path / "handover").path == tmp_path / "handover.md"
    nested = services.exports.export(iid, fmt="json", out=tmp_path / "new" / "deeper" / "p.json").path
    assert nested.is_file()
    with pytest.raises(InvalidInput, match=r"does not end in \.docx"):
        services.exports.export(iid, out=tmp_path / "pack.md")
    with pytest.raises(InvalidInput, match="unknown format"):
        services.exports.export(iid, fmt="odt")
    with pytest.raises(NotFound):
        services.exports.export(9999)


def test_an_unwritable_output_folder_is_a_clear_error(services: Services, tmp_path: Path) -> None:
    iid = handover(services)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="choose another location with --out"):
        services.exports.export(iid, out=blocker / "pack.docx")
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(ExportError, match="permission denied"):
                services.exports.export(iid, out=locked / "pack.docx")
        finally:
            locked.chmod(0o700)


def exit_interview(services: Services) -> int:
    record = services.interviews.start("exit", "Marcus Bell", interviewer="Dana Whitfield")
    iid = record.id or 0
    services.interviews.answer(iid, "consent", text="yes")
    services.interviews.answer(iid, "decision-story", text="It started when the platform team was cut.")
    services.interviews.answer(iid, "primary-reason", text="Workload and wellbeing")
    services.interviews.answer(iid, "workload-scale", text="2")
    services.interviews.answer(iid, "escalation", text="A vendor was paid twice and nobody checked.")
    return iid


def test_exit_interview_needs_the_flag_and_makes_a_confidential_hr_report(services: Services, tmp_path: Path) -> None:
    iid = exit_interview(services)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for fmt in ("docx", "md", "html", "json"):
        with pytest.raises(ConfidentialityError, match="--include-confidential"):
            services.exports.export(iid, fmt=fmt, out=tmp_path)
    assert list(tmp_path.iterdir()) == []
    result = services.exports.export(iid, include_confidential=True, out=tmp_path)
    assert result.included_confidential and result.path.name.startswith("marcus-bell-exit-")
    assert oct(result.path.stat().st_mode & 0o777) == "0o600"  # confidential files stay owner-only
    with zipfile.ZipFile(result.path) as archive:
        furniture = [n for n in archive.namelist() if n.startswith(("word/header", "word/footer"))]
        assert len(furniture) == 4  # first-page and other-page headers and footers
        for name in furniture:
            assert "CONFIDENTIAL" in archive.read(name).decode(), name
    document = Document(str(result.path))
    section = document.sections[0]
    for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
        assert "CONFIDENTIAL" in "".join(p.text for p in part.paragraphs)
    text = body_text(result.path)
    assert "Exit interview report" in text and "A vendor was paid twice" in text
    assert "2 out of 5" in "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    md = services.exports.export(iid, fmt="md", include_confidential=True, out=tmp_path).path.read_text("utf-8")
    lines = [line for line in md.splitlines() if line.strip()]
    assert "CONFIDENTIAL" in lines[0] and "CONFIDENTIAL" in lines[-1]
    html = services.exports.export(iid, fmt="html", include_confidential=True, out=tmp_path).path.read_text("utf-8")
    assert html.count("CONFIDENTIAL — HR ONLY") >= 2 and "position: fixed" in html


def test_an_interview_without_answers_gives_a_valid_pack(services: Services, tmp_path: Path) -> None:
    iid = services.interviews.start("handover", "Leo Martins").id or 0
    path = services.exports.export(iid, out=tmp_path).path
    text = body_text(path)
    assert "This interview has no answers yet" in text
    assert "No questions have been answered yet." in text
    md = services.exports.export(iid, fmt="md", out=tmp_path).path.read_text(encoding="utf-8")
    assert "no answers yet" in md


def test_docx_keeps_every_script_and_drops_only_xml_invalid_characters(services: Services, tmp_path: Path) -> None:
    iid = services.interviews.start("handover", "Mei Chen").id or 0
    long_answer = " ".join(f"Step {n} of the month-end close is documented in the runbook." for n in range(1500))
    services.interviews.answer(iid, "role-summary", text="Bell\x07 and escape\x1b gone; 漢字 and emoji 👩‍💻 stay.")
    services.interviews.answer(iid, "advice", text="שלום, זו עצה לשבוע הראשון.")
    services.interviews.answer(iid, "workarounds", text=long_answer)
    path = services.exports.export(iid, out=tmp_path).path
    text = body_text(path)
    assert "Bell and escape gone; 漢字 and emoji 👩‍💻 stay." in text
    assert "שלום, זו עצה לשבוע הראשון." in text
    assert long_answer in text
    document = Document(str(path))
    hebrew = next(p for p in document.paragraphs if p.text.startswith("שלום"))
    assert hebrew._p.find(f"{W}pPr/{W}bidi") is not None  # reads right to left
    md = services.exports.export(iid, fmt="md", out=tmp_path).path.read_text(encoding="utf-8")
    assert "Bell\x07 and escape\x1b gone" in md  # text formats keep the answer as typed


def test_cli_export_prints_the_path_and_refuses_exit_interviews(services: Services, run_cli, tmp_path: Path) -> None:
    iid = handover(services)
    exit_id = exit_interview(services)
    url = services.settings.db_url
    result = run_cli("export", str(iid), "--out", str(tmp_path / "pack.md"), db=url)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(tmp_path / "pack.md")
    refused = run_cli("export", str(exit_id), db=url)
    assert refused.exit_code == 1
    assert "retain: error:" in refused.output and "--include-confidential" in refused.output
    allowed = run_cli("export", str(exit_id), "--include-confidential", "--format", "json", "--out", str(tmp_path), db=url)
    assert allowed.exit_code == 0
    assert Path(allowed.stdout.strip().splitlines()[-1]).is_file()
