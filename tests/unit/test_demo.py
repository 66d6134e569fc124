"""The demo data set loads, reads like real interviews, and is idempotent."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from retain.services import Services
from retain.services.demo import DemoService
from retain.store.models import Answer, Interview, Person


def counts(services: Services) -> tuple[int, int, int]:
    with Session(services.engine) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Person, Interview, Answer)
        )


def test_demo_is_idempotent_and_rich(services: Services) -> None:
    demo = DemoService(services.engine, services.interviews)
    first = demo.load()
    assert first.interviews >= 8
    after_first = counts(services)
    second = demo.load()
    assert (second.people, second.interviews, second.answers) == (0, 0, 0)
    assert counts(services) == after_first
    people, interviews, _ = after_first
    assert people >= 6 and interviews >= 8
    rows = services.interviews.list()
    assert {r.status for r in rows} == {"draft", "in_progress", "completed"}
    assert {r.track for r in rows} == {"exit", "handover"}
    assert {r.person_status for r in rows} >= {"active", "leaving", "left"} - {"active"}
    confidential = [
        a
        for r in rows
        if r.track == "exit"
        for a in services.reports.show(r.id).to_json()["answers"]
        if a["visibility"] == "confidential"
    ]
    assert confidential
