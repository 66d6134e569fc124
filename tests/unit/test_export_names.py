"""An export records whose names it holds, scanning each distinct string of the pack once."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from retain.config import load_settings
from retain.domain.names import distinct_strings as _strings
from retain.services import open_services
from retain.store.models import ExportRecord, Person


def test_repeated_strings_are_scanned_once() -> None:
    context = {"sections": [{"text": "Ravi Shah signs off."}] * 50, "appendix": ["Ravi Shah signs off.", "Ana"]}
    assert _strings(context).count("Ravi Shah signs off.") == 1
    assert set(_strings(context).split("\n")) == {"sections", "appendix", "text", "Ravi Shah signs off.", "Ana"}


def test_an_export_records_everyone_it_names(sqlite_url: str, tmp_path: Path) -> None:
    services = open_services(load_settings(db=sqlite_url))
    try:
        interview = services.interviews.start("handover", "Cleo Park", successor="Dev Rao").id or 0
        services.people.update("Cleo Park", email="cleo@example.com")
        services.interviews.start("handover", "Ravi Shah")
        services.interviews.start("handover", "Nobody Named")
        for question in ("only-you", "breaks-first", "role-summary"):  # the same text, many times in the pack
            services.interviews.answer(interview, question, text="Ravi Shah approves the payroll run.")
        written = services.exports.export(interview, out=tmp_path / "pack.docx")
        with Session(services.engine) as session:
            record = session.exec(select(ExportRecord).where(ExportRecord.path == str(written.path.resolve()))).one()
            names = {p.name for p in session.exec(select(Person)).all() if p.id in record.person_ids}
        assert names == {"Cleo Park", "Dev Rao", "Ravi Shah"}
    finally:
        services.close()
