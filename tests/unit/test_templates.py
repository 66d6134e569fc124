"""Templates: the shipped ones, the checker, custom templates edited the way people edit in Word."""

from __future__ import annotations

import importlib.util
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt, RGBColor

from retain.errors import TemplateError
from retain.guides.schema import HR_SECTIONS, PACK_SECTIONS
from retain.packs.checker import check_template
from retain.packs.ooxml import ORDER, out_of_order
from retain.resources import templates_dir
from retain.services import Services

W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
SHIPPED = ["handover.docx", "handover.md.j2", "handover.html.j2", "hr_exit.docx", "hr_exit.md.j2", "hr_exit.html.j2"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_templates_are_clean(name: str) -> None:
    assert check_template(templates_dir() / name) == []


ROOT = Path(__file__).resolve().parents[2]
REQUIRED_STYLES = {"Heading 1", "Heading 2", "Pack Question", "Pack Answer", "toc 1"}
# What every Word pack template must hold, whatever its look: the label in the header, the
# cover, one heading and one placeholder per section of its kind, and the entity index.
REQUIRED = {
    "handover.docx": (
        [*PACK_SECTIONS.values(), "Knowledge-risk summary", "Entity index"],
        ["{{ label }}", "cover.person.name", *(f"sections.{key}" for key in PACK_SECTIONS), "entities"],
    ),
    "hr_exit.docx": (
        [*HR_SECTIONS.values(), "Themes and open points"],
        ["{{ label }}", "cover.person.name", *(f"sections.{key}" for key in HR_SECTIONS), "topics"],
    ),
}


def structure_problems(path: Path, name: str) -> list[str]:
    """What a Word template lacks: styles, section headings, placeholders (its look is free)."""
    document = Document(str(path))
    problems = [f"style {s!r} is missing" for s in sorted(REQUIRED_STYLES - {s.name for s in document.styles})]
    headings = {p.text.strip() for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"}
    titles, placeholders = REQUIRED[name]
    problems += [f"no Heading 1 {title!r}" for title in titles if title not in headings]
    header = "".join(p.text for p in document.sections[0].header.paragraphs)
    with zipfile.ZipFile(path) as package:
        body = re.sub(r"<[^>]+>", "", package.read("word/document.xml").decode("utf-8"))
    problems += [f"no placeholder {tag!r}" for tag in placeholders if tag not in body + header]
    return problems + check_template(path)


def build_tool() -> Callable[[Path], list[Path]]:
    spec = importlib.util.spec_from_file_location("build_templates", ROOT / "tools" / "build_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    build_all: Callable[[Path], list[Path]] = module.build_all
    return build_all


@pytest.mark.parametrize("name", ["handover.docx", "hr_exit.docx"])
def test_shipped_word_templates_have_every_style_section_and_placeholder(name: str) -> None:
    assert structure_problems(templates_dir() / name, name) == []


def test_the_build_tool_writes_templates_with_the_same_structure(tmp_path: Path) -> None:
    built = build_tool()(tmp_path)
    assert [p.name for p in built] == ["handover.docx", "hr_exit.docx"]
    for path in built:
        assert structure_problems(path, path.name) == []


def test_a_template_restyled_in_word_passes_the_structural_check(tmp_path: Path) -> None:
    target = tmp_path / "handover.docx"
    shutil.copy(templates_dir() / "handover.docx", target)
    document = Document(str(target))
    for style_name in ("Heading 1", "Heading 2", "Pack Answer"):
        style = document.styles[style_name]
        style.font.name = "Georgia"
        style.font.size = Pt(15)
        style.font.color.rgb = RGBColor(0x80, 0x20, 0x40)
    document.core_properties.comments = "Restyled in Word by the comms team."
    document.save(str(target))
    assert structure_problems(target, "handover.docx") == []
    # ... while a template that lost a section does not.
    for paragraph in document.paragraphs:
        if paragraph.text == "Entity index":
            paragraph.style = document.styles["Normal"]
    document.save(str(target))
    assert "no Heading 1 'Entity index'" in structure_problems(target, "handover.docx")


def test_the_word_template_is_a_real_template() -> None:
    document = Document(str(templates_dir() / "handover.docx"))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[0] == "Week-one briefing" and "Entity index" in headings
    section = document.sections[0]
    assert section.different_first_page_header_footer  # a clean cover page
    assert "{{ label }}" in "".join(p.text for p in section.header.paragraphs)
    styles = {s.name for s in document.styles}
    assert {"Heading 1", "Heading 2", "Pack Question", "Pack Answer", "toc 1"} <= styles


def property_problems(path: Path) -> list[str]:
    """Property elements out of schema order or repeated, in every XML part: Word rejects both."""
    from collections import Counter

    from lxml import etree

    problems = []
    with zipfile.ZipFile(path) as archive:
        for part in archive.namelist():
            if part.endswith((".xml", ".rels")):
                root = etree.fromstring(archive.read(part))
                for tag in ORDER:
                    for element in root.iter(tag):
                        counts = Counter(child.tag for child in element)
                        if out_of_order(element) or max(counts.values(), default=1) > 1:
                            problems.append(f"{part}: {[c.tag.split('}')[1] for c in element]}")
    return problems


@pytest.mark.parametrize("name", ["handover.docx", "hr_exit.docx"])
def test_templates_and_packs_keep_word_property_order(name: str, services: Services, tmp_path: Path) -> None:
    assert property_problems(templates_dir() / name) == []
    if name == "handover.docx":
        iid = handover(services)
        services.interviews.answer(iid, "advice", text="שלום, זו עצה")
        pack = services.exports.export(iid, out=tmp_path, include_confidential=True).path
    else:
        iid = services.interviews.start("exit", "Jonah Fischer").id or 0
        services.interviews.answer(iid, "decision-story", text="It began in spring.")
        pack = services.exports.export(iid, out=tmp_path, include_confidential=True).path
    assert property_problems(pack) == []
    body = Document(str(pack)).element.body
    assert body[-2].tag.endswith("}p")  # the last block before the section properties


def body_element_index(document: Document, text: str) -> int:
    for index, element in enumerate(document.element.body):
        if element.tag.endswith("}p") and "".join(t.text or "" for t in element.iter(W_T)) == text:
            return index
    raise AssertionError(f"no paragraph {text!r}")


def word_edited_copy(tmp_path: Path) -> Path:
    """Copy the shipped template and edit it the way someone would in Word."""
    path = tmp_path / "our-handover.docx"
    shutil.copyfile(templates_dir() / "handover.docx", path)
    document = Document(str(path))
    # A changed style: the house font and colour.
    heading = document.styles["Heading 1"]
    heading.font.size = Pt(20)
    heading.font.color.rgb = RGBColor(0x7A, 0x1F, 0x5C)
    document.styles["Normal"].font.name = "Georgia"
    # A moved section: "Decisions and rationale" now comes first.
    body = document.element.body
    start = body_element_index(document, "Decisions and rationale")
    end = body_element_index(document, "Risks and warnings")
    block = list(body)[start:end]
    anchor = list(body)[body_element_index(document, "Week-one briefing")]
    for element in block:
        anchor.addprevious(element)
    # A deleted placeholder: the interviewer's name on the cover.
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text == "Interviewer":
                for run in row.cells[1].paragraphs[0].runs:
                    run.text = ""
    # A tag split across runs, as Word does when part of it is reformatted.
    for paragraph in document.paragraphs:
        if paragraph.text == "{{ cover.person.name }}":
            paragraph.runs[0].text = "{{ cover.per"
            split = paragraph.add_run("son.name }}")
            split.bold = True
    document.save(str(path))
    return path


def handover(services: Services) -> int:
    iid = services.interviews.start("handover", "Aisha Mensah", interviewer="Ravi Shah").id or 0
    services.interviews.answer(iid, "only-you", text="The intercompany recharge model.")
    services.interviews.answer(iid, "decisions", text="Manual journals for the UK because of a 2023 audit finding.")
    services.interviews.answer(iid, "contacts", items=[{"name": "Sophie Grant", "role": "UK controller"}])
    return iid


def test_a_template_edited_in_word_still_renders(services: Services, tmp_path: Path) -> None:
    template = word_edited_copy(tmp_path)
    assert check_template(template) == []
    iid = handover(services)
    path = services.exports.export(iid, template=template, out=tmp_path / "out").path
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings[:2] == ["Decisions and rationale", "Week-one briefing"]
    assert document.styles["Heading 1"].font.size == Pt(20)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Aisha Mensah" in text and "Manual journals for the UK" in text
    cover = next(t for t in document.tables if t.rows[0].cells[0].text == "Successor")
    assert [r.cells[1].text for r in cover.rows if r.cells[0].text == "Interviewer"] == [""]
    # The contents follow the new order.
    toc = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "toc 1"]
    assert toc[:2] == ["Decisions and rationale", "Week-one briefing"]


def misspelt_copy(tmp_path: Path) -> Path:
    path = tmp_path / "misspelt.docx"
    shutil.copyfile(templates_dir() / "handover.docx", path)
    document = Document(str(path))
    first = next(r for p in document.paragraphs for r in p.runs if r.text == "{{ text }}")
    first.text = "{{ txet }}"
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text == "Successor":
                row.cells[1].paragraphs[0].runs[0].text = "{{ cover.succesor_name }}"
    document.save(str(path))
    return path


def test_the_checker_names_a_misspelt_placeholder_and_where_it_is(tmp_path: Path, run_cli) -> None:
    path = misspelt_copy(tmp_path)
    problems = check_template(path)
    assert len(problems) == 2
    assert "unknown placeholder 'cover.succesor_name'; did you mean 'successor_name'?" in problems[0]
    assert "misspelt.docx, body, under heading 'Handover pack', in '{{ cover.succesor_name }}'" in problems[0]
    assert "unknown placeholder 'txet'" in problems[1]
    assert "under heading 'Week-one briefing'" in problems[1]
    result = run_cli("templates", "check", str(path))
    assert result.exit_code == 1
    assert "cover.succesor_name" in result.stdout and "2 problems" in result.stderr
    ok = run_cli("templates", "check", str(templates_dir() / "handover.docx"))
    assert ok.exit_code == 0 and "ok" in ok.stdout


def test_export_with_a_misspelt_placeholder_stops_with_its_name(services: Services, tmp_path: Path) -> None:
    iid = handover(services)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(TemplateError, match=r"cover\.succesor_name.*\(\+1 more; run `retain templates check"):
        services.exports.export(iid, template=misspelt_copy(tmp_path), out=out)
    assert list(out.iterdir()) == []


def test_broken_jinja_is_an_error_with_its_location_and_leaves_no_file(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    shutil.copyfile(templates_dir() / "handover.docx", path)
    document = Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text == "{%p endfor %}":
            paragraph.runs[0].text = "{%p endfor"  # an unclosed tag
            break
    document.save(str(path))
    problems = check_template(path)
    assert len(problems) == 1 and "broken.docx, body, under heading 'Week-one briefing'" in problems[0]
    iid = handover(services)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(TemplateError, match=r"broken\.docx, body"):
        services.exports.export(iid, template=path, out=out)
    assert list(out.iterdir()) == []  # no partial file, no temp file


def test_text_templates_report_file_and_line(services: Services, tmp_path: Path) -> None:
    iid = handover(services)
    broken = tmp_path / "broken.md.j2"
    broken.write_text("# {{ cover.person.name }}\n{% for e in entries %}\n{{ e.prompt }\n{% endfor %}\n", "utf-8")
    assert check_template(broken) == [f"{broken}:3: unexpected '}}'"]
    misspelt = tmp_path / "mine.md.j2"
    misspelt.write_text("# {{ cover.person.name }}\n\n{% for e in entries %}{{ e.promt }}{% endfor %}\n", "utf-8")
    with pytest.raises(TemplateError, match=rf"{misspelt}:3: unknown placeholder 'e.promt'; did you mean 'prompt'"):
        services.exports.export(iid, template=misspelt, out=tmp_path)
    good = tmp_path / "brief.txt.j2"
    good.write_text("{{ cover.person.name }}: {{ entries|length }} answers\n", "utf-8")
    result = services.exports.export(iid, template=good, out=tmp_path)
    assert result.path.suffix == ".txt" and result.path.read_text("utf-8") == "Aisha Mensah: 3 answers\n"


def test_html_templates_escape_answers(services: Services, tmp_path: Path) -> None:
    iid = handover(services)
    services.interviews.answer(iid, "advice", text="<script>alert('x')</script> & keep <b>calm</b>")
    html = services.exports.export(iid, fmt="html", out=tmp_path).path.read_text("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_templates_run_in_a_sandbox(services: Services, tmp_path: Path) -> None:
    iid = handover(services)
    sneaky = tmp_path / "sneaky.md.j2"
    sneaky.write_text("{{ cover.__class__.__mro__ }}{{ ''.__class__.__subclasses__() }}\n", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(TemplateError):
        services.exports.export(iid, template=sneaky, out=out)
    assert list(out.iterdir()) == []


def test_a_docx_that_is_not_a_zip_is_a_clear_error(services: Services, tmp_path: Path, run_cli) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("this is not a Word file", "utf-8")
    with pytest.raises(TemplateError, match=r"not a Word \.docx file .*not a zip archive.*save the template from Word"):
        check_template(fake)
    iid = handover(services)
    with pytest.raises(TemplateError, match="not a zip archive"):
        services.exports.export(iid, template=fake, out=tmp_path)
    result = run_cli("templates", "check", str(fake))
    assert result.exit_code == 1 and "not a zip archive" in result.stdout
    empty_zip = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TemplateError, match="not a Word document"):
        check_template(empty_zip)
    with pytest.raises(TemplateError, match="not found"):
        check_template(tmp_path / "missing.docx")
    plain = tmp_path / "notes.txt"
    plain.write_text("hello", "utf-8")
    with pytest.raises(TemplateError, match="not a pack template"):
        services.exports.export(iid, template=plain, out=tmp_path)
