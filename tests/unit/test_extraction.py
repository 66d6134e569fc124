"""The extraction service on SQLite and PostgreSQL: storage, incremental runs, topics, failures."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from retain.nlp.extractor import Extraction, Extractor
from retain.services import Services, open_services
from retain.services.extraction import ExtractStats, PeopleIndex
from retain.store.models import Answer, Mention, Topic
from tests.conftest import CliInvoker

FINANCE = ("Every Monday I export the vendor ledger from NetSuite and reconcile it in BlackLine. "
           "Priya Shah at Northwind Bank knows the PayBridge interface.")
ONLY_YOU = ("Only I know how the PayBridge interface file is rebuilt when it fails at quarter-end. "
            "Ask Priya about the Okta groups and the Jenkins job that rebuilds it nightly.")


def start(services: Services) -> int:
    services.people  # noqa: B018  (the person table is created by the interview itself)
    interview = services.interviews.start("handover", "Ana Silva", successor="Tom Okafor")
    return interview.id or 0


def mentions(services: Services, interview_id: int) -> list[Mention]:
    with Session(services.engine) as session:
        return list(session.exec(select(Mention).where(Mention.interview_id == interview_id)
                                 .order_by(Mention.answer_id, Mention.start)).all())


def topics(services: Services, interview_id: int, *, interview_level: bool) -> list[Topic]:
    with Session(services.engine) as session:
        query = select(Topic).where(Topic.interview_id == interview_id)
        query = query.where(col(Topic.answer_id).is_(None) if interview_level else col(Topic.answer_id).is_not(None))
        return list(session.exec(query.order_by(col(Topic.score).desc())).all())


def test_extract_stores_mentions_topics_and_offsets(services: Services) -> None:
    iv = start(services)
    saved = services.interviews.answer(iv, "role-summary", text=FINANCE)
    services.interviews.answer(iv, "systems", items=[{"name": "NetSuite", "purpose": "ledger"}])
    stats = services.extraction.extract_interview(iv)
    assert isinstance(stats, ExtractStats)
    assert stats.answers == 2 and stats.failed == 0 and stats.mentions > 5 and stats.words > 20
    assert "answers" in str(stats) and "words/s" in str(stats)
    found = mentions(services, iv)
    by_text = {m.text: m for m in found if m.answer_id == saved.id}
    assert by_text["NetSuite"].label == "SYSTEM"
    assert by_text["PayBridge"].label == "SYSTEM"
    assert by_text["Every Monday"].label == "RECURRENCE"
    assert by_text["Northwind Bank"].label == "ORG"
    for m in found:  # offsets index into the answer body
        with Session(services.engine) as session:
            body = session.get(Answer, m.answer_id).body  # type: ignore[union-attr]
        assert body[m.start:m.end] == m.text
    assert topics(services, iv, interview_level=False)
    phrases = [t.phrase for t in topics(services, iv, interview_level=True)]
    assert "vendor ledger" in phrases and "PayBridge interface" in phrases
    with Session(services.engine) as session:
        answer = session.get(Answer, saved.id)
        assert answer is not None and answer.extracted_at is not None


def test_person_mentions_link_to_people(services: Services) -> None:
    iv = start(services)
    services.interviews.answer(iv, "only-you", text="Tom Okafor takes over the Okta work; ask Tom first.")
    services.extraction.extract_interview(iv)
    people = [m for m in mentions(services, iv) if m.label == "PERSON"]
    assert {m.text for m in people} == {"Tom Okafor", "Tom"}
    assert len({m.person_id for m in people}) == 1 and people[0].person_id is not None
    assert {m.key for m in people} == {"tom okafor"}


def test_people_index_links_only_unambiguous_names() -> None:
    index = PeopleIndex([(1, "Priya Shah"), (2, "Priya Raman"), (3, "Tom Okafor")])
    assert index.link("priya shah") == (1, "priya shah")
    assert index.link("priya") == (None, "priya")
    assert index.link("tom") == (3, "tom okafor")
    assert index.link("okafor") == (3, "tom okafor")


def test_re_extraction_replaces_and_runs_are_incremental(services: Services) -> None:
    iv = start(services)
    services.interviews.answer(iv, "role-summary", text=FINANCE)
    services.interviews.answer(iv, "only-you", text=ONLY_YOU)
    first = services.extraction.extract_all()
    assert first.answers == 2
    before = len(mentions(services, iv))
    again = services.extraction.extract_all()
    assert again.answers == 0 and again.unchanged == 2
    assert len(mentions(services, iv)) == before
    services.interviews.answer(iv, "only-you", text="Now it is just Salesforce.")
    third = services.extraction.extract_all()
    assert third.answers == 1 and third.unchanged == 1
    texts = [m.text for m in mentions(services, iv)]
    assert "Jenkins" not in texts and "Salesforce" in texts
    forced = services.extraction.extract_all(force=True)
    assert forced.answers == 2
    assert len(mentions(services, iv)) == len(texts)


def test_skipped_and_empty_answers_produce_nothing(services: Services) -> None:
    iv = start(services)
    saved = services.interviews.answer(iv, "only-you", text=ONLY_YOU)
    services.extraction.extract_interview(iv)
    assert mentions(services, iv)
    services.interviews.skip(iv, "only-you", "later")
    services.extraction.extract_interview(iv)
    assert mentions(services, iv) == []
    assert topics(services, iv, interview_level=True) == []
    services.interviews.answer(iv, "role-summary", text="   ")
    stats = services.extraction.extract_answers([saved.id or 0, 999_999])
    assert stats.failed == 0 and stats.mentions == 0


def test_confidential_answers_are_extracted_but_kept_out_of_interview_topics(services: Services) -> None:
    iv = start(services)
    services.interviews.answer(iv, "role-summary", text=FINANCE)
    secret = services.interviews.answer(
        iv, "landmines", items=[{"risk": "Marta's grievance investigation about the night shift rota"}],
        visibility="confidential",
    )
    services.extraction.extract_interview(iv)
    assert any(m.answer_id == secret.id for m in mentions(services, iv))  # linked to its answer
    answer_level = {t.phrase for t in topics(services, iv, interview_level=False) if t.answer_id == secret.id}
    assert answer_level
    interview_level = {t.phrase for t in topics(services, iv, interview_level=True)}
    assert interview_level and not interview_level & answer_level
    shared = services.reports.show(iv, include_confidential=False).to_json()
    assert "Marta" not in json.dumps(shared)


class FailingOn:
    """The real extractor, with one failure injected: answers containing a marker raise."""

    def __init__(self, inner: Extractor, marker: str) -> None:
        self.inner = inner
        self.marker = marker

    def load(self) -> None:
        self.inner.load()

    def extract(self, text: str) -> Extraction:
        if self.marker in text:
            raise RuntimeError("the parser choked")
        return self.inner.extract(text)

    def extract_many(self, texts: Iterable[str], *, n_process: int = 1,
                     batch_size: int = 64) -> Iterator[Extraction]:
        for text in texts:
            yield self.extract(text)


def test_a_failing_answer_is_reported_and_the_rest_carry_on(db_url: str, extractor: Extractor) -> None:
    from retain.config import load_settings

    services = open_services(load_settings(db=db_url), extractor_factory=lambda: FailingOn(extractor, "BOOM"))
    try:
        iv = start(services)
        services.interviews.answer(iv, "role-summary", text=FINANCE)
        bad = services.interviews.answer(iv, "only-you", text="BOOM goes the Okta sync.")
        services.interviews.answer(iv, "advice", text="Keep Salesforce tidy every Friday.")
        stats = services.extraction.extract_interview(iv)
        assert stats.failed == 1 and stats.answers == 2
        assert f"answer {bad.id}" in stats.errors[0] and "choked" in stats.errors[0]
        assert "1 failed" in str(stats)
        texts = {m.text for m in mentions(services, iv)}
        assert {"NetSuite", "Salesforce"} <= texts and "Okta" not in texts
        again = services.extraction.extract_all()  # the failed one is retried, not marked done
        assert again.failed == 1 and again.unchanged == 2
    finally:
        services.close()


def test_processes_are_switched_off_for_small_batches(services: Services) -> None:
    iv = start(services)
    saved = services.interviews.answer(iv, "only-you", text=ONLY_YOU)
    assert services.extraction._choose_processes(2, [saved.id or 0]) == 1
    stats = services.extraction.extract_answers([saved.id or 0], processes=2)
    assert stats.answers == 1


def test_preview_stores_nothing(services: Services) -> None:
    iv = start(services)
    preview = services.extraction.preview("Ask Priya about the Workday export every Monday.")
    assert {"Workday", "every Monday"} <= {m.text for m in preview.mentions}
    assert mentions(services, iv) == []


def test_in_house_systems_are_labelled_consistently(services: Services) -> None:
    iv = start(services)
    services.interviews.answer(iv, "only-you", text="Only I can restart the Quillmate interface.")
    services.interviews.answer(iv, "fragile", text="Quillmate breaks when the bank is late.")
    services.extraction.extract_interview(iv)
    assert {m.label for m in mentions(services, iv) if m.text == "Quillmate"} == {"SYSTEM"}


def test_cli_extract_and_demo_show_systems_rhythms_and_gaps(run_cli: CliInvoker, tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    loaded = run_cli("demo", db=db)
    assert loaded.exit_code == 0, loaded.output
    result = run_cli("extract", "--all", db=db)
    assert result.exit_code == 0, result.output
    assert "nothing to extract" in result.output  # `retain demo` already extracted
    forced = run_cli("extract", "--all", "--force", "--json", db=db)
    stats = json.loads(forced.stdout)
    assert stats["answers"] > 50 and stats["failed"] == 0
    listing = json.loads(run_cli("interview", "list", "--json", db=db).stdout)
    systems: set[str] = set()
    people: set[str] = set()
    rhythms = 0
    follow_ups = 0
    for row in listing:
        report = json.loads(run_cli("interview", "show", str(row["id"]), "--json", db=db).stdout)
        systems |= {e["text"] for e in report["entities"] if e["label"] == "SYSTEM"}
        people |= {e["text"] for e in report["entities"] if e["label"] == "PERSON"}
        rhythms += sum(1 for e in report["entities"] if e["label"] == "RECURRENCE")
        follow_ups += sum(1 for g in report["gaps"] if g["follow_up"])
        assert all(set(g) == {"kind", "message", "follow_up", "question", "item"} for g in report["gaps"])
        if report["track"] == "handover" and report["progress"]["answered"] > 3:
            assert report["topics"], row
    assert {"Jenkins", "Workday", "Okta"} <= systems
    assert not {"Jenkins", "Workday", "Okta"} & people
    assert rhythms >= 5 and follow_ups >= 5


def test_cli_extract_usage_and_errors(run_cli: CliInvoker, tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    assert run_cli("extract", db=db).exit_code == 2
    assert run_cli("extract", "1", "--all", db=db).exit_code == 2
    missing = run_cli("extract", "42", db=db)
    assert missing.exit_code == 1 and "no interview 42" in missing.output


@pytest.mark.parametrize("processes", [1, 2])
def test_cli_extract_interview_ids(run_cli: CliInvoker, tmp_path: Path, processes: int) -> None:
    db = str(tmp_path / "x.db")
    new = json.loads(run_cli("interview", "new", "--guide", "handover", "--person", "Ana Silva", "--json",
                             db=db).stdout)
    run_cli("interview", "answer", str(new["id"]), "only-you", "--text", ONLY_YOU, db=db)
    result = run_cli("extract", str(new["id"]), "--processes", str(processes), db=db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("extracted 1 answer")
