"""`who`: people ranked by evidence they know a topic, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from retain.errors import InvalidInput
from retain.services import Services
from retain.services.base import session_scope
from retain.store.models import Answer, Mention, Topic


def start(services: Services, person: str, status: str = "active", guide: str = "handover") -> int:
    record = services.interviews.start(guide, person)
    services.people.set_status(person, status)
    return record.id or 0


def say(services: Services, interview: int, question: str, body: str, visibility: str | None = None) -> int:
    return services.interviews.answer(interview, question, text=body, visibility=visibility).id or 0


def tag(services: Services, answer_id: int, surface: str, label: str, key: str | None = None) -> None:
    with session_scope(services.engine) as session:
        row = session.get(Answer, answer_id)
        assert row is not None
        begin = row.body.index(surface)
        session.add(
            Mention(answer_id=answer_id, interview_id=row.interview_id, text=surface, label=label,
                    start=begin, end=begin + len(surface), key=key or " ".join(surface.casefold().split()))
        )


@pytest.fixture
def store(services: Services) -> Services:
    priya = start(services, "Priya Raman", "leaving")
    a1 = say(services, priya, "only-you", "I run the PayBridge interface between Workday and ADP every pay cycle.")
    tag(services, a1, "PayBridge", "SYSTEM")
    tag(services, a1, "Workday", "SYSTEM")
    a2 = say(services, priya, "breaks-first", "If PayBridge fails nobody notices until ADP's cutoff passes.")
    tag(services, a2, "PayBridge", "SYSTEM")
    services.interviews.answer(
        priya, "contacts",
        items=[
            {"name": "Kwame Asante", "role": "SRE", "ask_about": "The server the PayBridge interface runs on"},
            {"name": "Carl Jensen", "role": "ADP", "ask_about": "Cutoff extensions"},
        ],
    )
    who_else = say(services, priya, "who-else-knows",
                   "Elena Petrova built the PayBridge server with me. Tom has watched two pay runs.")
    tag(services, who_else, "Elena Petrova", "PERSON")
    tag(services, who_else, "Tom", "PERSON")
    tom = start(services, "Tom Okafor", "active")
    a3 = say(services, tom, "only-you", "I watched two PayBridge runs and I know the payroll interface logs.")
    with session_scope(services.engine) as session:
        session.add(Topic(interview_id=tom, answer_id=a3, phrase="payroll interface log", score=0.9))
    aisha = start(services, "Aisha Mensah", "left", guide="exit")
    services.interviews.answer(aisha, "decision-story", text="PayBridge was the last straw for me.")
    start(services, "Kwame Asante", "active")
    return services


def test_who_ranks_the_explainer_first_with_status(store: Services) -> None:
    entries = store.knowledge.who("PayBridge")
    assert entries[0].person == "Priya Raman" and entries[0].status == "leaving"
    assert entries[0].count >= 3
    questions = {e.question for e in entries[0].evidence}
    assert {"only-you", "breaks-first"} <= questions
    assert any("**PayBridge**" in e.snippet for e in entries[0].evidence)
    document = entries[0].to_json()
    assert document.keys() >= {"person", "status", "count", "evidence", "named_by"}
    assert document["evidence"][0].keys() == {"interview", "question", "snippet"}


def test_named_contacts_are_listed_with_who_named_them(store: Services) -> None:
    entries = {e.person: e for e in store.knowledge.who("PayBridge interface")}
    kwame = entries["Kwame Asante"]
    assert kwame.named_by == ["Priya Raman"] and kwame.status == "active"
    assert kwame.evidence[0].question == "contacts"
    assert "Carl Jensen" not in entries  # named, but not for this topic


def test_people_named_next_to_the_topic_in_who_else_knows(store: Services) -> None:
    entries = {e.person: e for e in store.knowledge.who("PayBridge")}
    assert entries["Elena Petrova"].named_by == ["Priya Raman"]
    assert entries["Elena Petrova"].status == "unknown"  # never interviewed or recorded
    assert "Tom" not in entries  # named in another sentence


def test_topic_phrases_and_full_text_count(store: Services) -> None:
    entries = {e.person: e for e in store.knowledge.who("payroll interface")}
    assert entries["Tom Okafor"].status == "active"
    assert entries["Tom Okafor"].score >= 2  # a key phrase of his answer


def test_confidential_answers_are_not_evidence(store: Services) -> None:
    assert "Aisha Mensah" not in {e.person for e in store.knowledge.who("PayBridge")}
    assert "Aisha Mensah" in {e.person for e in store.knowledge.who("PayBridge", include_confidential=True)}


def test_confidential_contacts_are_not_named(services: Services) -> None:
    iv = start(services, "Priya Raman", "leaving")
    services.interviews.answer(
        iv, "contacts", items=[{"name": "Gary Moss", "ask_about": "Late deduction files"}],
        visibility="confidential",
    )
    assert services.knowledge.who("deduction files") == []
    named = {e.person: e for e in services.knowledge.who("deduction files", include_confidential=True)}
    assert named["Gary Moss"].named_by == ["Priya Raman"]


def test_unknown_topic_and_bad_input(store: Services) -> None:
    assert store.knowledge.who("quantum teleporter") == []
    with pytest.raises(InvalidInput, match="give a topic"):
        store.knowledge.who("   ")
    with pytest.raises(InvalidInput, match="give a topic"):
        store.knowledge.who('"-*')
    assert store.knowledge.who("Pay\x00Bridge") == []


def test_limit(store: Services) -> None:
    assert len(store.knowledge.who("PayBridge", limit=1)) == 1
