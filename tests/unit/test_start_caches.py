"""The on-disk caches behind fast commands give exactly what building afresh gives, and heal."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import CodeType

import pytest

from retain.nlp import keycache
from retain.nlp.normalize import KeyMap, default_keymap
from retain.nlp.terms import gazetteer_terms
from retain.packs.compiled import PartCache
from retain.packs.docx_render import _COMPILED, _PATCHED, render_docx
from retain.packs.sample import sample_context
from retain.resources import templates_dir


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    default_keymap.cache_clear()
    yield tmp_path / "cache" / "retain"
    default_keymap.cache_clear()


def test_cached_key_map_equals_the_built_one(cache_home: Path) -> None:
    built = KeyMap(gazetteer_terms()).aliases
    assert default_keymap().aliases == built  # built, then saved
    assert len(list(cache_home.glob("keymap-*.json"))) == 1
    default_keymap.cache_clear()
    assert default_keymap().aliases == built  # read back
    assert default_keymap().key("JIRA") == default_keymap().key("Jira Cloud")


def test_a_damaged_key_map_cache_is_rebuilt(cache_home: Path) -> None:
    default_keymap()
    (saved,) = cache_home.glob("keymap-*.json")
    for damage in ("{not json", '{"jira": 3}', "[]"):
        saved.write_text(damage, encoding="utf-8")
        default_keymap.cache_clear()
        assert default_keymap().aliases == KeyMap(gazetteer_terms()).aliases
    assert default_keymap().known("Jira Cloud")


def test_an_unwritable_cache_folder_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setattr(keycache, "cache_dir", lambda: blocker / "retain")  # a folder under a file
    assert keycache.cached_aliases(lambda: {"a": "b"}) == {"a": "b"}


def _document(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")


def test_compiled_parts_from_disk_render_the_same_pack(tmp_path: Path) -> None:
    template = templates_dir() / "handover.docx"
    context = sample_context("handover").to_json()
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    _COMPILED.clear()
    _PATCHED.clear()
    render_docx(template, context, tmp_path / "plain.docx", now=now)
    cache = PartCache(tmp_path / "parts", "test")
    for name in ("first.docx", "second.docx"):  # fills the cache, then reads it (a new process)
        _COMPILED.clear()
        _PATCHED.clear()
        render_docx(template, context, tmp_path / name, now=now, cache=cache)
    assert list((tmp_path / "parts").glob("code-*")) and list((tmp_path / "parts").glob("xml-*"))
    assert _document(tmp_path / "first.docx") == _document(tmp_path / "plain.docx")
    assert _document(tmp_path / "second.docx") == _document(tmp_path / "plain.docx")


def test_a_damaged_compiled_part_is_compiled_again(tmp_path: Path) -> None:
    cache = PartCache(tmp_path / "parts", "test")
    compiled = []

    def compile_source(source: str) -> CodeType:
        compiled.append(source)
        return compile(source, "<part>", "exec")

    first = cache.code("x = 1", compile_source)
    (entry,) = (tmp_path / "parts").glob("code-*")
    entry.write_bytes(b"\x00garbage")
    again = cache.code("x = 1", compile_source)
    assert compiled == ["x = 1", "x = 1"] and first.co_code == again.co_code
    assert cache.code("x = 1", compile_source, "other settings") is not None
    assert len(compiled) == 3  # another variant is another entry
