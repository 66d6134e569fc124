"""docxtpl's per-render compile and clean-up are reused; the output is unchanged and errors still surface."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from retain.errors import TemplateError
from retain.packs import docx_render
from retain.packs.sample import sample_context
from retain.resources import templates_dir

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def _body(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_second_render_reuses_compiled_parts_and_matches(tmp_path: Path) -> None:
    template = templates_dir() / "handover.docx"
    context = sample_context("handover").to_json()
    docx_render.render_docx(template, context, tmp_path / "one.docx", now=NOW)
    compiled, patched = dict(docx_render._COMPILED), dict(docx_render._PATCHED)
    assert compiled and patched
    docx_render.render_docx(template, context, tmp_path / "two.docx", now=NOW)
    # Nothing compiled or cleaned again: the very same code objects and strings are kept.
    assert docx_render._COMPILED.keys() == compiled.keys()
    assert all(docx_render._COMPILED[key] is code for key, code in compiled.items())
    assert all(docx_render._PATCHED[key] is xml for key, xml in patched.items())
    assert _body(tmp_path / "one.docx") == _body(tmp_path / "two.docx")


def test_broken_template_still_fails_every_time(tmp_path: Path) -> None:
    from docx import Document

    broken = tmp_path / "broken.docx"
    document = Document()
    document.add_paragraph("{{ person.name ")
    document.save(str(broken))
    for _ in range(2):
        with pytest.raises(TemplateError):
            docx_render.render_docx(broken, sample_context("handover").to_json(), tmp_path / "out.docx", now=NOW)
