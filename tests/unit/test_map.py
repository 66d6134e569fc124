"""`map`: knowledge concentration and what is at risk, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from retain.errors import InvalidInput
from retain.services import Services
from retain.services.base import session_scope
from retain.services.evidence_text import risk_phrase_near
from retain.store.models import Answer, Mention, Topic


def start(services: Services, person: str, status: str, guide: str = "handover") -> int:
    record = services.interviews.start(guide, person)
    services.people.set_status(person, status)
    return record.id or 0


def say(services: Services, interview: int, question: str, body: str, tags: dict[str, str],
        visibility: str | None = None) -> int:
    answer_id = services.interviews.answer(interview, question, text=body, visibility=visibility).id or 0
    with session_scope(services.engine) as session:
        row = session.get(Answer, answer_id)
        assert row is not None
        for surface, label in tags.items():
            # Every occurrence, as extraction records them.
            for match in re.finditer(re.escape(surface), row.body):
                session.add(Mention(answer_id=answer_id, interview_id=interview, text=surface, label=label,
                                    start=match.start(), end=match.end(), key=surface.casefold()))
    return answer_id


@pytest.fixture
def store(services: Services) -> Services:
    priya = start(services, "Priya Raman", "leaving")
    say(services, priya, "only-you", "I run PayBridge and talk to ADP about the cutoff.",
        {"PayBridge": "SYSTEM", "ADP": "ORG"})
    say(services, priya, "fragile", "Workday feeds PayBridge.",
        {"Workday": "SYSTEM", "PayBridge": "SYSTEM"})
    tom = start(services, "Tom Okafor", "active")
    say(services, tom, "only-you", "I know Workday well and the Okta groups. Nobody else knows the Okta SCIM setup.",
        {"Workday": "SYSTEM", "Okta": "SYSTEM"})
    say(services, tom, "advice", "Jira is where everything lives.", {"Jira": "SYSTEM"})
    ben = start(services, "Ben Ode", "active")
    say(services, ben, "only-you", "Jira and Confluence, every day.", {"Jira": "SYSTEM", "Confluence": "SYSTEM"})
    aisha = start(services, "Aisha Mensah", "left")
    say(services, aisha, "only-you", "The Kyriba bank feed is mine.", {"Kyriba": "SYSTEM"})
    say(services, aisha, "advice", "Secretly I also run the Zuora billing sync.", {"Zuora": "SYSTEM"},
        visibility="confidential")
    return services


def entries(services: Services, **options: object) -> dict[str, object]:
    return {e.item: e for e in services.knowledge.map(**options)}  # type: ignore[arg-type]


def test_held_only_by_leaving_or_left_people_is_at_risk(store: Services) -> None:
    found = entries(store)
    paybridge = found["PayBridge"]
    assert paybridge.at_risk and paybridge.people == [("Priya Raman", "leaving")]  # type: ignore[attr-defined]
    assert "leaving or gone" in paybridge.reason  # type: ignore[attr-defined]
    assert found["Kyriba"].at_risk  # type: ignore[attr-defined]
    assert not found["Workday"].at_risk  # type: ignore[attr-defined]  # Tom is staying
    assert not found["Jira"].at_risk  # type: ignore[attr-defined]
    jira = found["Jira"]
    assert jira.people == [("Ben Ode", "active"), ("Tom Okafor", "active")]  # type: ignore[attr-defined]
    assert jira.to_json() == {  # type: ignore[attr-defined]
        "item": "Jira", "label": "SYSTEM",
        "people": [{"name": "Ben Ode", "status": "active"}, {"name": "Tom Okafor", "status": "active"}],
        "at_risk": False, "reason": None, "mentions": 2,
    }


def test_nobody_else_knows_near_an_item_is_at_risk(store: Services) -> None:
    okta = entries(store)["Okta"]
    assert okta.at_risk and okta.reason == 'Tom Okafor said "Nobody else knows"'  # type: ignore[attr-defined]
    assert not entries(store)["Workday"].at_risk  # type: ignore[attr-defined]


def test_at_risk_first_and_filters(store: Services) -> None:
    items = store.knowledge.map()
    flags = [e.at_risk for e in items]
    assert flags == sorted(flags, reverse=True)
    assert {e.item for e in store.knowledge.map(at_risk_only=True)} == {"PayBridge", "ADP", "Kyriba", "Okta"}
    assert {e.label for e in store.knowledge.map(label="org")} == {"ORG"}
    assert store.knowledge.map(label="TOPIC") == []
    with pytest.raises(InvalidInput, match="--label"):
        store.knowledge.map(label=" ")


def test_confidential_answers_stay_out_of_the_map(store: Services) -> None:
    assert "Zuora" not in entries(store)
    assert entries(store, include_confidential=True)["Zuora"].at_risk  # type: ignore[attr-defined]


def test_topics_join_the_map(services: Services) -> None:
    priya = start(services, "Priya Raman", "leaving")
    first = say(services, priya, "only-you", "The earning code mapping is manual.", {})
    second = say(services, priya, "fragile", "A new earning code breaks the run.", {})
    with session_scope(services.engine) as session:
        for answer_id in (first, second):
            session.add(Topic(interview_id=priya, answer_id=answer_id, phrase="earning code", score=0.8))
        session.add(Topic(interview_id=priya, answer_id=first, phrase="mapping", score=0.3))
        session.add(Topic(interview_id=priya, answer_id=None, phrase="earning code", score=0.9))
    found = entries(services, label="TOPIC")
    assert list(found) == ["earning code"]  # "mapping" is not a key topic of the interview
    assert found["earning code"].at_risk and found["earning code"].mentions == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "item", "expected"),
    [
        ("I run PayBridge. Nobody else knows how.", "PayBridge", "Nobody else knows"),
        ("Only I know the PayBridge password rotation.", "PayBridge", "Only I know"),
        ("I'm the only one who can restart PayBridge.", "PayBridge", "I'm the only one"),
        ("PayBridge is a single point of failure.", "PayBridge", "single point of failure"),
        ("PayBridge is fine. Jira is fine. Nobody else knows Jira.", "PayBridge", None),
        ("Nobody can explain the PayBridge overrides.", "PayBridge", None),
    ],
)
def test_risk_phrases(body: str, item: str, expected: str | None) -> None:
    start = body.index(item)
    assert risk_phrase_near(body, [(start, start + len(item))]) == expected
