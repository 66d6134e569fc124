"""Guides: the shipped set, the loader's file:line errors, organisation overrides and modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from retain.errors import GuideError, NotFound
from retain.guides import GuideRegistry, load_guide_file
from retain.guides.schema import PACK_SECTIONS
from retain.resources import guides_dir

GOOD = """\
id: tiny
title: Tiny guide
version: 1
track: handover
sections:
  - id: one
    title: One
    questions:
      - id: only-you
        prompt: What do you know that nobody else does?
        pack: week_one
      - id: contacts
        prompt: Who should your successor meet?
        type: list
        fields: [{id: name}, {id: role}]
        pack: people
"""


def write(tmp_path: Path, text: str, name: str = "guide.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(GuideError) as info:
        load_guide_file(path)
    return info.value.problems


def test_shipped_guides_load_and_cover_both_tracks() -> None:
    registry = GuideRegistry(guides_dir())
    ids = registry.ids()
    for expected in ("exit", "handover", "it-service-owner", "people-manager", "internal-move"):
        assert expected in ids
    assert registry.get("exit").track == "exit"
    handover = registry.get("handover")
    assert handover.track == "handover"
    purposes = {q.purpose for _, q in handover.questions()}
    assert {
        "contacts",
        "systems",
        "recurring",
        "open_items",
        "risks",
        "who_else_knows",
        "consent",
    } <= purposes
    assert all(q.pack in PACK_SECTIONS for _, q in handover.questions() if q.pack)


def test_exit_guide_is_confidential_and_has_a_restricted_escalation() -> None:
    guide = GuideRegistry(guides_dir()).get("exit")
    assert all(guide.default_visibility(q) == "confidential" for _, q in guide.questions())
    assert any(q.restricted for _, q in guide.questions())


def test_modules_extend_handover_without_copying_it() -> None:
    registry = GuideRegistry(guides_dir())
    base = {q.id for _, q in registry.get("handover").questions()}
    for module_id in ("it-service-owner", "people-manager"):
        raw = load_guide_file(registry.source(module_id))
        assert raw.extends == "handover"
        own = {q.id for _, q in raw.questions()}
        assert own and not own & base, "a module must not copy handover questions"
        merged = {q.id for _, q in registry.get(module_id).questions()}
        assert merged == base | own


def test_good_guide_loads(tmp_path: Path) -> None:
    guide = load_guide_file(write(tmp_path, GOOD))
    assert [q.id for _, q in guide.questions()] == ["only-you", "contacts"]
    assert guide.default_visibility(guide.questions()[0][1]) == "shareable"


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("title: One", "title: One: two: [broken"))
    [problem] = problems(path)
    assert problem.startswith(f"{path}:7: bad YAML")


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("pack: week_one", "pack: week_two").replace(
        "      - id: contacts\n        prompt: Who should your successor meet?\n        type: list\n        fields: [{id: name}, {id: role}]",
        "      - id: only-you\n        type: essay",
    )
    found = problems(write(tmp_path, text))
    joined = "\n".join(found)
    assert "guide.yaml:12: duplicate question id 'only-you'" in joined
    assert "guide.yaml:11: unknown pack section 'week_two'" in joined
    assert "guide.yaml:13: unknown question type 'essay'" in joined
    assert "no prompt" in joined


def test_list_question_without_fields(tmp_path: Path) -> None:
    text = GOOD.replace("        fields: [{id: name}, {id: role}]\n", "")
    [problem] = problems(write(tmp_path, text))
    assert ":12:" in problem and "has no fields" in problem


def test_unknown_key_and_not_utf8(tmp_path: Path) -> None:
    assert "unknown key 'colour'" in problems(write(tmp_path, GOOD + "colour: red\n"))[0]
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: caf\xe9".encode("latin-1"))
    assert "not UTF-8" in problems(path)[0]


def test_org_guides_override_shipped_ones(tmp_path: Path) -> None:
    org = tmp_path / "org"
    org.mkdir()
    write(
        org,
        GOOD.replace("id: tiny", "id: handover").replace("Tiny guide", "Our handover"),
        "ours.yaml",
    )
    registry = GuideRegistry(guides_dir(), org)
    assert registry.get("handover").title == "Our handover"
    assert "exit" in registry.ids()


def test_unknown_guide_lists_available() -> None:
    with pytest.raises(NotFound, match="available guides: exit, handover"):
        GuideRegistry(guides_dir()).get("nope")
