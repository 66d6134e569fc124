"""Full-text search on SQLite and PostgreSQL through the derived index: query language, filters, sync."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from retain.clock import utcnow
from retain.errors import InvalidInput
from retain.services import Services
from retain.services.base import session_scope
from retain.services.search import HIGHLIGHT, SearchHit
from retain.store.models import Answer, Mention
from retain.store.search.bulk import BulkAnswer

MARKER = "zebracorn"  # a word that appears nowhere else


def start(services: Services, person: str, guide: str = "handover", status: str | None = None) -> int:
    record = services.interviews.start(guide, person)
    if status:
        services.people.set_status(person, status)
    return record.id or 0


def answer(services: Services, interview: int, question: str, body: str, visibility: str | None = None) -> int:
    saved = services.interviews.answer(interview, question, text=body, visibility=visibility)
    return saved.id or 0


def mention(services: Services, answer_id: int, surface: str, label: str) -> None:
    with session_scope(services.engine) as session:
        row = session.get(Answer, answer_id)
        assert row is not None
        begin = row.body.index(surface)
        session.add(
            Mention(answer_id=answer_id, interview_id=row.interview_id, text=surface, label=label,
                    start=begin, end=begin + len(surface), key=surface.casefold())
        )


def found(services: Services, query: str, **filters: object) -> list[str]:
    return [hit.question_id for hit in services.search.search(query, **filters)]  # type: ignore[arg-type]


@pytest.fixture
def store(services: Services) -> Services:
    """Two handover interviews and an exit interview with varied answers."""
    ana = start(services, "Ana Silva", status="leaving")
    answer(services, ana, "only-you", "I run the PayBridge payroll export every Friday. Nobody else knows the bank file format.")
    answer(services, ana, "workarounds", "When the export fails I rerun the payrolls by hand and email José Müller.")
    answer(services, ana, "fragile", "The invoice matching is fragile; running it twice duplicates lines.")
    ben = start(services, "Ben Ode")
    answer(services, ben, "only-you", "I look after Workday integrations and the Okta groups for the payroll team.")
    answer(services, ben, "advice", "Read the runbook first. The file format changed in 2024.")
    exit_ = start(services, "Ana Silva", guide="exit")
    services.interviews.answer(exit_, "decision-story", text=f"Payroll politics and the {MARKER} incident.")
    return services


def test_words_all_must_match(store: Services) -> None:
    assert found(store, "payroll Friday") == ["only-you"]
    assert set(found(store, "payroll export")) == {"only-you", "workarounds"}
    assert {(h.person, h.question_id) for h in store.search.search("payroll")} == {
        ("Ana Silva", "only-you"), ("Ana Silva", "workarounds"), ("Ben Ode", "only-you")
    }
    assert found(store, "payroll kangaroo") == []


def test_inflections_fold_both_ways(store: Services) -> None:
    assert "workarounds" in found(store, "payroll")  # "payrolls" in the text
    assert "only-you" in found(store, "payrolls")  # "payroll" in the text
    assert "fragile" in found(store, "run")  # "running"
    assert found(store, '"payrolls"') == ["workarounds"]  # quoted: exact


def test_phrase_is_exact_and_ordered(store: Services) -> None:
    assert found(store, '"bank file format"') == ["only-you"]
    assert found(store, '"format file"') == []
    assert set(found(store, '"file format"')) == {"only-you", "advice"}


def test_or_and_exclude(store: Services) -> None:
    assert set(found(store, "invoice OR Okta")) == {"fragile", "only-you"}
    hits = store.search.search("payroll -Friday")
    assert {(h.person, h.question_id) for h in hits} == {("Ana Silva", "workarounds"), ("Ben Ode", "only-you")}
    assert found(store, 'format -"bank file"') == ["advice"]


def test_prefix(store: Services) -> None:
    people = {hit.person for hit in store.search.search("pay*")}
    assert people == {"Ana Silva", "Ben Ode"}
    assert "only-you" in found(store, "PayBr*")
    assert found(store, "zzq*") == []


def test_diacritics_and_case_are_folded(store: Services) -> None:
    assert found(store, "jose muller") == ["workarounds"]
    assert found(store, "JOSÉ") == ["workarounds"]
    assert found(store, "PAYBRIDGE") == ["only-you"]


MALFORMED = ['"unbalanced', "-", "OR OR", "payroll*", "OR", "NEAR(payroll export)", "payroll:export",
             "^payroll", "(payroll", "payroll)", "AND", "NOT payroll", "*", '""', "'", "\\", "%", "_",
             "pay\x00roll", "🙂", "a" * 3000, "-payroll", "payroll OR", '"payroll', "---", "e-mail*"]


def test_malformed_queries_never_fail(store: Services) -> None:
    for query in MALFORMED:
        hits = store.search.search(query)
        assert all(isinstance(hit, SearchHit) for hit in hits), query
        assert all(isinstance(hit, SearchHit) for hit in store.search.search(query, person="ana")), query


def test_literal_reading_of_malformed_queries(store: Services) -> None:
    assert found(store, '"unbalanced') == []
    assert found(store, "-") == []
    assert set(found(store, "payroll*")) >= {"only-you", "workarounds"}
    assert found(store, "(Okta") == ["only-you"]
    assert found(store, "NOT Okta") == []  # "not" is a word, and no answer says it


def test_snippets_are_highlighted(store: Services) -> None:
    hit = store.search.search("Okta")[0]
    assert f"{HIGHLIGHT[0]}Okta{HIGHLIGHT[1]}" in hit.snippet
    assert hit.to_json().keys() >= {"interview", "person", "question", "snippet", "score", "visibility"}
    assert hit.to_json()["question"] == "only-you" and hit.person_status == "active"


def test_answer_words_outrank_prompt_words(services: Services) -> None:
    # "successor" is in the prompt of the contacts question; one answer says it itself.
    iv = start(services, "Cleo Park")
    services.interviews.answer(iv, "contacts", items=[{"name": "Dan Roe", "ask_about": "budgets"}])
    answer(services, iv, "advice", "Meet your successor early and often.")
    hits = services.search.search("successor")
    assert hits[0].question_id == "advice"


def test_confidential_only_with_the_flag(store: Services) -> None:
    assert found(store, MARKER) == []
    hits = store.search.search(MARKER, include_confidential=True)
    assert [h.visibility for h in hits] == ["confidential"] and hits[0].track == "exit"
    # A shareable question tightened to confidential is hidden too.
    iv = start(store, "Cleo Park")
    answer(store, iv, "advice", "The quokkaplan is secret.", visibility="confidential")
    assert found(store, "quokkaplan") == []
    assert found(store, "quokkaplan", include_confidential=True) == ["advice"]


def test_filters(store: Services) -> None:
    assert {h.person for h in store.search.search("payroll", person="ode")} == {"Ben Ode"}
    assert found(store, "payroll", person="nobody") == []
    assert found(store, "payroll", guide="exit", include_confidential=True) == ["decision-story"]
    assert found(store, "payroll", track="exit") == []
    assert found(store, "payroll", track="exit", include_confidential=True) == ["decision-story"]
    assert {h.person for h in store.search.search("payroll", status="leaving")} == {"Ana Silva"}
    assert {h.person for h in store.search.search("payroll", status="active")} == {"Ben Ode"}
    assert found(store, "payroll", status="in_progress")
    assert found(store, "payroll", status="completed") == []
    assert found(store, "payroll", since=date.today() + timedelta(days=2)) == []
    assert found(store, "payroll", since=date.today() - timedelta(days=1))


def test_label_filter(store: Services) -> None:
    hit = store.search.search("Okta")[0]
    mention(store, hit.answer_id, "Workday", "SYSTEM")
    assert found(store, "payroll", label="SYSTEM") == ["only-you"]
    assert found(store, "payroll", label="system") == ["only-you"]
    assert found(store, "payroll", label="workday") == ["only-you"]
    assert found(store, "payroll", label="ORG") == []


def test_bad_filters_name_the_fix(store: Services) -> None:
    with pytest.raises(InvalidInput, match="exit or handover"):
        store.search.search("payroll", track="hr")
    with pytest.raises(InvalidInput, match="active, leaving, left"):
        store.search.search("payroll", status="gone")
    with pytest.raises(InvalidInput, match="--limit"):
        store.search.search("payroll", limit=0)
    assert store.search.search("payroll", person="\x00", guide="") != []


def test_limit(store: Services) -> None:
    assert len(store.search.search("the", limit=2)) == 2


def test_index_follows_edits_deletes_and_visibility(store: Services) -> None:
    ben = next(h for h in store.search.search("Okta"))
    store.interviews.answer(ben.interview_id, "only-you", text="Now I only look after Jamf.")
    assert found(store, "Okta") == []
    assert found(store, "Jamf") == ["only-you"]
    store.interviews.set_visibility(ben.interview_id, "only-you", "confidential")
    assert found(store, "Jamf") == []
    assert found(store, "Jamf", include_confidential=True) == ["only-you"]
    store.interviews.delete_answer(ben.interview_id, "only-you")
    assert found(store, "Jamf", include_confidential=True) == []
    ana = store.search.search("PayBridge")[0].interview_id
    store.interviews.delete(ana)
    assert found(store, "PayBridge", include_confidential=True) == []
    assert found(store, "runbook") == ["advice"]  # the other interview is untouched
    _integrity(store)


def test_skip_keeps_search_consistent(store: Services) -> None:
    ben = store.search.search("runbook")[0].interview_id
    store.interviews.skip(ben, "advice", "no time")
    store.interviews.answer(ben, "advice", text="Ask about the zanzibar cluster.")
    assert found(store, "zanzibar") == ["advice"]
    assert found(store, "runbook") == []
    _integrity(store)


def test_bulk_load_then_single_saves(services: Services) -> None:
    iv = start(services, "Cleo Park")
    answer(services, iv, "only-you", "Existing answer about the quasar pipeline.")
    now = utcnow()
    with services.search.bulk_load() as load:
        load.add_answers(
            BulkAnswer(iv, question, "Prompt?", f"Bulk row {index} about the quasar pipeline and nebula {index}.",
                       "shareable", now, now)
            for index, question in enumerate(["advice", "fragile", "decisions"])
        )
    assert len(found(services, "quasar")) == 4
    assert found(services, "nebula") == ["decisions", "fragile", "advice"]  # newest first on a tie
    # Triggers are back: a single save after the bulk load is indexed at once.
    answer(services, iv, "workarounds", "A later quasar answer.")
    assert "workarounds" in found(services, "quasar")
    services.search.rebuild()
    assert len(found(services, "quasar")) == 5
    _integrity(services)


def _integrity(services: Services) -> None:
    """The index holds exactly the answers in the database, each with its current visibility."""
    assert services.search.backend.index.verify() == []  # type: ignore[attr-defined]
