"""Acceptance: `retain demo && retain export ID` writes a pack Word and LibreOffice both open."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document

from retain.cli import cli
from retain.config import database_url
from retain.guides.schema import PACK_SECTIONS


class Demo:
    """A demo database loaded once for the module, and a way to run the CLI on it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = database_url(str(root / "retain.db"))
        self.env = {
            "RETAIN_CONFIG": str(root / "config.toml"),
            "RETAIN_DATA_DIR": str(root / "data"),
            "RETAIN_EXPORTS": str(root / "exports"),
            "RETAIN_DB": None,
            "RETAIN_GUIDES": None,
        }
        self.runner = CliRunner()

    def run(self, *args: str) -> Result:
        return self.runner.invoke(cli, ["--db", self.url, *args], env=self.env)

    def interview(self, person: str, guide: str = "handover") -> int:
        rows = json.loads(self.run("interview", "list", "--json").stdout)
        return int(next(r["id"] for r in rows if r["person"] == person and r["guide"] == guide))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    loaded = Demo(tmp_path_factory.mktemp("demo"))
    result = loaded.run("demo")
    if result.exit_code != 0 and isinstance(result.exception, ModuleNotFoundError):
        result = loaded.run("demo", "--no-extract")  # extraction not installed in this build
    assert loaded.run("interview", "list").exit_code == 0, result.output
    return loaded


@pytest.fixture(scope="module")
def demo_pack(demo: Demo) -> Path:
    result = demo.run("export", str(demo.interview("Aisha Mensah")))
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.suffix == ".docx" and path.parent == demo.root / "exports"
    return path


def test_the_demo_pack_has_headings_in_order_filled_tables_and_an_entity_index(demo_pack: Path) -> None:
    document = Document(str(demo_pack))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    expected = [t for k, t in PACK_SECTIONS.items() if k != "signoff"]
    # Aisha's successor answered a 30-day follow-up, so the pack has what she added (issue 11).
    assert headings == [*expected, "Knowledge-risk summary", "What the successor added", "Entity index",
                        PACK_SECTIONS["signoff"], "Appendix: questions and answers"]
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    for header in (("Work item", "Status", "Next step", "Due"), ("Task", "When or how often", "Notes"),
                   ("System or tool", "What it is used for", "How to get access", "Owner or admin"),
                   ("Name", "Role or organisation", "Ask them about")):
        assert len(tables[header].rows) > 2, header  # the header row plus real rows
        assert all(row.cells[0].text for row in tables[header].rows[1:])
    index = next(i for i, p in enumerate(document.paragraphs)
                 if p.text == "Entity index" and p.style is not None and p.style.name == "Heading 1")
    assert document.paragraphs[index + 1].style.name == "Section Intro"
    entity_header = ("Name", "Type", "Mentions", "Where it comes up")
    if entity_header in tables:  # extraction ran: every entry points back to its question
        rows = tables[entity_header].rows[1:]
        assert rows and all(re.search(r"\(Q\d+\)", r.cells[3].text) for r in rows)
    toc = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "toc 1"]
    assert toc == headings


def test_a_confidential_demo_answer_stays_out_of_the_demo_pack(demo: Demo, tmp_path: Path) -> None:
    result = demo.run("export", str(demo.interview("Priya Raman")), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(result.stdout.strip().splitlines()[-1]) as archive:
        for name in archive.namelist():
            assert "Gary Moss" not in archive.read(name).decode("utf-8", "replace"), name


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_demo_pack_to_a_multi_page_pdf(demo_pack: Path, tmp_path: Path) -> None:
    profile = tmp_path / "lo-profile"
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
               "--outdir", str(tmp_path), str(demo_pack)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / (demo_pack.stem + ".pdf")
    assert completed.returncode == 0 and pdf.is_file(), completed.stderr or completed.stdout
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    else:
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages > 1
