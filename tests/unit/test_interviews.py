"""Interview services on SQLite and PostgreSQL: answers, visibility, progress, lifecycle."""

from __future__ import annotations

import pytest

from retain.errors import InvalidInput, NotFound
from retain.services import Services


def start(services: Services, guide: str = "handover") -> int:
    return (
        services.interviews.start(
            guide, "Priya Raman", role="Payroll lead", successor="Tom Okafor"
        ).id
        or 0
    )


def test_scripted_flow_with_list_question(services: Services) -> None:
    iid = start(services)
    services.interviews.answer(iid, "only-you", text="I run the PayBridge export every Monday.")
    services.interviews.answer(iid, "breaks-first", text="The ADP file drop.")
    services.interviews.answer(
        iid,
        "contacts",
        items=[{"name": "Tom Okafor", "role": "Controller", "ask_about": "month-end"}],
    )
    report = services.reports.show(iid).to_json()
    assert report["status"] == "in_progress"
    assert report["progress"]["answered"] == 3
    assert report["person"]["name"] == "Priya Raman"
    assert report["person"]["role"] == "Payroll lead"
    assert report["successor"]["name"] == "Tom Okafor"
    by_q = {a["question"]: a for a in report["answers"]}
    assert by_q["contacts"]["items"] == [
        {"name": "Tom Okafor", "role": "Controller", "ask_about": "month-end"}
    ]
    assert set(by_q["only-you"]) >= {
        "question",
        "section",
        "text",
        "items",
        "visibility",
        "skipped",
    }
    assert report["entities"] == [] and report["topics"] == []
    services.interviews.complete(iid)
    assert services.interviews.get(iid).status == "completed"
    services.interviews.reopen(iid)
    assert services.interviews.get(iid).status == "in_progress"


def test_visibility_defaults_by_track(services: Services) -> None:
    exit_id = start(services, "exit")
    question = services.interviews.guide(exit_id).questions()[1][1]
    saved = services.interviews.answer(
        exit_id, question.id, text=_valid_text(question.type, question.options)
    )
    assert saved.visibility == "confidential"
    handover_id = start(services)
    assert services.interviews.answer(handover_id, "only-you", text="x").visibility == "shareable"


def _valid_text(kind: str, options: list[str]) -> str:
    return {
        "choice": options[0] if options else "",
        "scale": "3",
        "yesno": "yes",
        "date": "2026-12-01",
    }.get(kind, "Some words.")


def test_tighten_but_never_loosen(services: Services) -> None:
    iid = start(services)
    assert (
        services.interviews.answer(
            iid, "advice", text="Watch Sam.", visibility="confidential"
        ).visibility
        == "confidential"
    )
    # A later save without a visibility keeps the tightened one.
    assert (
        services.interviews.answer(iid, "advice", text="Watch Sam closely.").visibility
        == "confidential"
    )
    assert services.interviews.set_visibility(iid, "advice", "shareable").visibility == "shareable"
    exit_id = start(services, "exit")
    qid = services.interviews.guide(exit_id).questions()[1][1].id
    with pytest.raises(InvalidInput, match="confidential by design"):
        services.interviews.answer(exit_id, qid, text="x", visibility="shareable")


def test_bad_answers_are_refused_and_nothing_is_written(services: Services) -> None:
    iid = start(services)
    with pytest.raises(NotFound, match=r"valid ids: .*only-you"):
        services.interviews.answer(iid, "nope", text="x")
    with pytest.raises(InvalidInput, match="is a list"):
        services.interviews.answer(iid, "contacts", text="Tom")
    with pytest.raises(InvalidInput, match="not a list"):
        services.interviews.answer(iid, "only-you", items=[{"name": "Tom"}])
    with pytest.raises(InvalidInput, match="valid fields: name, role"):
        services.interviews.answer(iid, "contacts", items=[{"nom": "Tom"}])
    with pytest.raises(NotFound, match="no interview 999"):
        services.interviews.answer(999, "only-you", text="x")
    assert services.interviews.answers(iid) == []


@pytest.mark.parametrize(
    "text",
    [
        "emoji 🚀🔥 and a family 👨‍👩‍👧",
        "عربي: مرحبا بالعالم — mixed with English",
        "control \x07 bell \x1b[31m escape \x0b vtab\r\nCRLF\ttab",
        "x" * 1_000_000,
    ],
    ids=["emoji", "rtl", "control", "1mb"],
)
def test_text_is_stored_byte_for_byte(services: Services, text: str) -> None:
    iid = start(services)
    services.interviews.answer(iid, "only-you", text=text)
    [answer] = services.interviews.answers(iid)
    assert answer.text == text
    assert services.reports.show(iid).to_json()["answers"][0]["text"].encode() == text.encode()


def test_typed_questions_validate(services: Services) -> None:
    iid = start(services, "exit")
    guide = services.interviews.guide(iid)
    for _, question in guide.questions():
        if question.type == "scale":
            with pytest.raises(InvalidInput, match="1 to 5"):
                services.interviews.answer(iid, question.id, text="7")
            assert services.interviews.answer(iid, question.id, text=" 4 ").text == "4"
        if question.type == "yesno":
            assert services.interviews.answer(iid, question.id, text="Y").text == "yes"
        if question.type == "choice":
            with pytest.raises(InvalidInput, match="choose one of"):
                services.interviews.answer(iid, question.id, text="definitely not an option")


def test_skip_progress_and_first_unanswered(services: Services) -> None:
    iid = start(services)
    guide = services.interviews.guide(iid)
    first, second = guide.questions()[0][1].id, guide.questions()[1][1].id
    assert services.interviews.first_unanswered(iid) == first
    services.interviews.skip(iid, first, "Covered in the IT sitting")
    services.interviews.answer(iid, second, text="done")
    progress = services.interviews.progress(iid)
    assert (progress.answered, progress.skipped, progress.total) == (1, 1, len(guide.questions()))
    assert services.interviews.first_unanswered(iid) == guide.questions()[2][1].id
    report = services.reports.show(iid).to_json()
    skipped = [a for a in report["answers"] if a["skipped"]]
    assert skipped[0]["skip_reason"] == "Covered in the IT sitting"
    # Answering a skipped question un-skips it.
    services.interviews.answer(iid, first, text="Actually, here it is.")
    assert services.interviews.progress(iid).skipped == 0


def test_sittings_are_logged(services: Services) -> None:
    iid = start(services)
    first = services.interviews.begin_sitting(iid)
    services.interviews.end_sitting(first)
    services.interviews.begin_sitting(iid)
    sittings = services.interviews.sittings(iid)
    assert len(sittings) == 2 and sittings[0].ended_at is not None and sittings[1].ended_at is None
    services.interviews.complete(iid)
    assert all(s.ended_at is not None for s in services.interviews.sittings(iid))


def test_list_filters_and_delete(services: Services) -> None:
    a = start(services)
    b = services.interviews.start("exit", "Marcus Chen").id or 0
    services.interviews.complete(b)
    assert {row.id for row in services.interviews.list()} == {a, b}
    assert [row.id for row in services.interviews.list(status="completed")] == [b]
    assert [row.id for row in services.interviews.list(person="priya")] == [a]
    with pytest.raises(InvalidInput, match="unknown status"):
        services.interviews.list(status="done")
    services.interviews.answer(a, "only-you", text="x")
    services.interviews.delete(a)
    assert [row.id for row in services.interviews.list()] == [b]
    with pytest.raises(NotFound):
        services.interviews.get(a)


def test_guide_snapshot_survives_guide_edits(services: Services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from retain.guides import GuideRegistry
    from retain.resources import guides_dir

    org = tmp_path / "org"
    org.mkdir()
    source = (guides_dir() / "handover.yaml").read_text(encoding="utf-8")
    (org / "handover.yaml").write_text(source, encoding="utf-8")
    services.guides = GuideRegistry(guides_dir(), org)
    services.__dict__.pop("interviews", None)
    iid = start(services)
    before = [q.prompt for _, q in services.interviews.guide(iid).questions()]
    # Someone edits the guide file after the interview started.
    (org / "handover.yaml").write_text(
        source.replace("What do you know or do", "EDITED: what do you know or do"), encoding="utf-8"
    )
    services.guides = GuideRegistry(guides_dir(), org)
    services.__dict__.pop("interviews", None)
    assert [q.prompt for _, q in services.interviews.guide(iid).questions()] == before
    services.interviews.answer(iid, "only-you", text="still fine")
    assert not any("EDITED" in a["prompt"] for a in services.reports.show(iid).to_json()["answers"])
