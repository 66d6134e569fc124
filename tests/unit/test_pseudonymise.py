"""`retain export ID --pseudonymise`: no demo person's name in any format; the key kept apart."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
import yaml

from retain.packs.pseudonymise import Pseudonymiser, is_phone
from retain.services import Services
from retain.services.demo import DEMO_FILE
from tests.conftest import CliInvoker


def _demo_people() -> list[dict[str, str]]:
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return list(data["people"])


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "ignore") for name in archive.namelist())


@pytest.fixture
def demo(services: Services) -> Services:
    result = services.demo.load()
    services.extraction.extract_answers(result.new_answer_ids)
    return services


def test_pseudonymised_packs_name_nobody(demo: Services, run_cli: CliInvoker, tmp_path: Path) -> None:
    people = _demo_people()
    db = demo.settings.db_url
    priya = next(r.id for r in demo.interviews.list() if r.person == "Priya Raman" and r.track == "handover")
    written: list[Path] = []
    (tmp_path / "out").mkdir()
    for fmt in ("docx", "md", "html", "json"):
        result = run_cli("export", str(priya), "--format", fmt, "--out", str(tmp_path / "out"),
                         "--pseudonymise", db=db)
        assert result.exit_code == 0, result.output
        written.append(Path(result.stdout.strip()))
        assert "pseudonym key" in result.stderr
    for path in written:
        body = _docx_text(path) if path.suffix == ".docx" else path.read_text(encoding="utf-8")
        assert path.name.startswith("person-1-"), path.name
        for person in people:
            assert person["name"].casefold() not in body.casefold(), (path.name, person["name"])
            if person.get("email"):
                assert person["email"] not in body
        assert "Person 1" in body
    # The key lives in the data folder, owner-only, and maps back to the real names.
    keys = sorted((demo.settings.data_dir / "pseudonym-keys").glob("*.key.json"))
    assert [k.name for k in keys] == sorted(f"{p.name}.key.json" for p in written)
    assert not list((tmp_path / "out").glob("*.key.json"))
    key = json.loads(keys[0].read_text())
    assert key["placeholders"]["Person 1"] == "Priya Raman"
    assert stat.S_IMODE(keys[0].stat().st_mode) == 0o600
    # Forgetting Tom lists the keys (they name him) but not the packs (they do not).
    plan = demo.privacy.forget("Tom Okafor", dry_run=True)
    kinds = {Path(f.path).name: f.kind for f in plan.files}
    assert kinds and set(kinds.values()) == {"key"}


def test_the_plain_pack_still_names_people(demo: Services, tmp_path: Path) -> None:
    priya = next(r.id for r in demo.interviews.list() if r.person == "Priya Raman" and r.track == "handover")
    result = demo.exports.export(priya, fmt="md", out=tmp_path / "plain.md")
    assert "Priya Raman" in result.path.read_text() and result.key is None


def test_placeholders_are_stable_and_cover_emails_and_phones() -> None:
    pseudonyms = Pseudonymiser(["Priya Raman", "Ravi Shah", "Ravi", "Tom", "Tom Okafor", "Tom Hale"])
    text = pseudonyms.text(
        "Priya Raman asked Ravi (ravi.shah@northwind.example, +44 20 7946 0958) and Tom; "
        "RAVI SHAH agreed on 2026-12-01 about JE-2026-06-1187. Grant access to Priya."
    )
    assert text == (
        "Person 1 asked Person 2 ([email 1], [phone 1]) and Person 3; "
        "Person 2 agreed on 2026-12-01 about JE-2026-06-1187. Grant access to Person 1."
    )
    assert pseudonyms.key_document() == {
        "Person 1": "Priya Raman", "Person 2": "Ravi Shah", "Person 3": "Tom",
        "[email 1]": "ravi.shah@northwind.example", "[phone 1]": "+44 20 7946 0958",
    }


@pytest.mark.parametrize(("text", "phone"), [
    ("+44 20 7946 0958", True), ("020 7946 0958", True), ("555-123-4567", True), ("(020) 7946 0958", True),
    ("2026-12-01", False), ("12 500", False), ("JE-2026-06-1187", False), ("1187", False),
])
def test_phone_numbers(text: str, phone: bool) -> None:
    assert is_phone(text) is phone
