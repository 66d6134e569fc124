"""The pack context: shape, sections, tables, confidentiality filtering, hygiene (no database)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from retain.errors import ConfidentialityError
from retain.guides.loader import load_guide_file
from retain.guides.schema import HR_SECTIONS, PACK_SECTIONS, Guide
from retain.packs.context import PackData
from retain.packs.context import build_context as build_model
from retain.packs.hygiene import is_rtl, paragraphs, slugify, xml_safe, xml_safe_tree
from retain.packs.sample import KINDS, sample_context
from retain.resources import guides_dir
from retain.services.gaps import find_gaps
from retain.store.models import Answer, Interview, Mention, Person, Topic

MARK = "QZXMARK4417"
NOW = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)


def build_context(data: PackData, **options: Any) -> dict[str, Any]:
    """The context as renderers read it (gaps always come from the domain's gap analysis)."""
    options.pop("find_gaps", None)
    return build_model(data, **options).to_json()


def guide(name: str) -> Guide:
    return load_guide_file(guides_dir() / f"{name}.yaml")


def pack(guide_id: str, answers: list[Answer], **extra: Any) -> PackData:
    g = guide(guide_id)
    interview = Interview(id=7, guide_id=g.id, guide_title=g.title, guide_snapshot={}, track=g.track,
                          person_id=1, interviewer="Dana Whitfield", status="in_progress",
                          created_at=datetime(2025, 5, 1, 9, 0), updated_at=NOW)
    person = Person(id=1, name="Priya Raman", role="Payroll Lead", team="Finance", status="leaving",
                    leaving_date=date(2025, 6, 30))
    return PackData(interview=interview, guide=g, person=person, successor=extra.pop("successor", None),
                    answers=answers, **extra)


def answer(number: int, question: str, text: str = "", items: list[dict[str, str]] | None = None,
           visibility: str = "shareable") -> Answer:
    rows = items or []
    body = "\n".join([text, *("; ".join(r.values()) for r in rows)]).strip()
    return Answer(id=number, interview_id=7, question_id=question, text=text, items=rows, body=body,
                  visibility=visibility)


def test_sections_follow_the_pack_order_and_each_question_feeds_its_pack_key() -> None:
    data = pack("handover", [
        answer(1, "only-you", "Only I know the PayBridge export.\n\nIt runs on Mondays."),
        answer(2, "advice", "Start the close checklist early."),
    ])
    context = build_context(data, now=NOW, find_gaps=find_gaps)
    assert list(context["sections"]) == list(PACK_SECTIONS)
    week_one = context["sections"]["week_one"]
    assert [e["question"] for e in week_one["prose"]] == ["only-you"]
    assert week_one["prose"][0]["paragraphs"] == ["Only I know the PayBridge export.", "It runs on Mondays."]
    assert context["sections"]["tacit"]["prose"][0]["question"] == "advice"
    assert context["sections"]["decisions"]["empty"] is True
    assert context["label"] == "SHAREABLE HANDOVER — DRAFT"
    assert context["cover"]["started_on"] == "1 May 2025"
    assert context["cover"]["successor_name"] == "Not yet named"
    # Required questions without answers are gaps, with the question to ask.
    assert any(g["question"] == "systems" and g["follow_up"] for g in context["gaps"])


def test_list_questions_become_tables_found_by_purpose() -> None:
    data = pack("handover", [
        answer(1, "contacts", items=[{"name": "Ravi Shah", "role": "Head of Finance", "ask_about": "approvals"}]),
        answer(2, "systems", items=[{"name": "NetSuite", "purpose": "GL", "access": "Ravi approves", "owner": "IT"}]),
    ])
    context = build_context(data, now=NOW)
    contacts = context["tables"]["contacts"]
    assert contacts["rows"][0]["name"] == "Ravi Shah"
    assert contacts["rows"][0]["cells"] == ["Ravi Shah", "Head of Finance", "approvals"]
    assert [c["title"] for c in contacts["columns"]] == ["Name", "Role or organisation", "Ask them about"]
    assert context["tables"]["systems"]["rows"][0]["access"] == "Ravi approves"
    assert context["tables"]["risks"]["empty"] is True
    people = context["sections"]["people"]
    assert people["tables"][0]["key"] == "contacts"
    assert people["prose"] == []  # the contacts list is shown as the table, not again as prose
    assert people["empty"] is False


def test_the_text_of_a_list_question_is_printed_and_its_rows_only_in_the_table() -> None:
    """A transcript maps spoken text onto a list question: that text reached no part of the pack."""
    said = "Three things: the Workday timesheets move, the salary letters, and the accruals journal."
    data = pack("handover", [
        answer(1, "in-flight", said),
        answer(2, "contacts", "Finance first, then IT.",
               items=[{"name": "Ravi Shah", "role": "Head of Finance", "ask_about": "approvals"}]),
    ])
    context = build_context(data, now=NOW)
    flight = context["sections"]["in_flight"]["prose"]
    assert [e["paragraphs"] for e in flight] == [[said]]
    people = context["sections"]["people"]["prose"]
    assert [(e["paragraphs"], e["rows"]) for e in people] == [(["Finance first, then IT."], [])]
    assert context["tables"]["contacts"]["rows"][0]["name"] == "Ravi Shah"  # the rows stay in the table
    appendix = {e["question"]: e for e in context["entries"]}
    assert appendix["contacts"]["rows"] and appendix["contacts"]["paragraphs"] == ["Finance first, then IT."]


def test_a_guide_with_its_own_columns_still_fills_the_canonical_table() -> None:
    g = guide("handover")
    data = pack("handover", [answer(1, "contacts", items=[{"name": "Ana", "role": "Vendor"}])])
    # The same answer read through a guide whose contacts list has an extra column.
    raw = g.model_dump(mode="json")
    for section in raw["sections"]:
        for question in section["questions"]:
            if question["id"] == "contacts":
                question["fields"].append({"id": "phone", "label": "Phone", "required": False})
    odd = Guide.model_validate(raw)
    data = PackData(interview=data.interview, guide=odd, person=data.person, successor=None,
                    answers=[answer(1, "contacts", items=[{"name": "Ana", "role": "Vendor", "phone": "555"}])])
    row = build_context(data, now=NOW)["tables"]["contacts"]["rows"][0]
    assert row["ask_about"] == "Phone: 555"


def confidential_pack() -> PackData:
    answers = [
        answer(1, "only-you", "The PayBridge export is mine."),
        answer(2, "stakeholders", f"{MARK} arrived late three months running.", visibility="confidential"),
        answer(3, "landmines", items=[{"risk": f"{MARK} vendor dispute", "impact": "fines"}],
               visibility="confidential"),
    ]
    mentions = [
        Mention(id=1, answer_id=2, interview_id=7, text=MARK, label="PERSON", start=0, end=len(MARK), key=MARK.lower()),
        Mention(id=2, answer_id=1, interview_id=7, text="PayBridge", label="SYSTEM", start=4, end=13, key="paybridge"),
    ]
    topics = [
        Topic(id=1, interview_id=7, answer_id=None, phrase=f"{MARK} lateness", score=0.9),
        Topic(id=2, interview_id=7, answer_id=2, phrase=f"{MARK} lateness", score=0.9),
        Topic(id=3, interview_id=7, answer_id=None, phrase="PayBridge export", score=0.8),
    ]
    return pack("handover", answers, mentions=mentions, topics=topics)


def test_without_the_flag_nothing_derived_from_a_confidential_answer_is_in_the_context() -> None:
    context = build_context(confidential_pack(), now=NOW, find_gaps=find_gaps)
    assert MARK not in json.dumps(context, ensure_ascii=False)
    assert MARK.lower() not in json.dumps(context, ensure_ascii=False).lower()
    assert [e["text"] for e in context["entities"]] == ["PayBridge"]
    assert [t["phrase"] for t in context["topics"]] == ["PayBridge export"]
    assert context["withheld"] == 2
    assert "2 answers were marked confidential" in context["withheld_text"]
    assert context["includes_confidential"] is False
    # A confidential answer to a required question is answered, not a gap.
    assert "stakeholders" not in {g["question"] for g in context["gaps"]}


def test_with_the_flag_confidential_answers_are_included_and_labelled() -> None:
    context = build_context(confidential_pack(), include_confidential=True, now=NOW)
    entry = next(e for e in context["entries"] if e["question"] == "stakeholders")
    assert entry["confidential"] is True and MARK in entry["text"]
    assert context["tables"]["risks"]["rows"][0]["confidential"] is True
    assert context["label"] == "CONFIDENTIAL HANDOVER — DRAFT"
    assert "2 confidential answers" in context["notice"]
    assert any(MARK in e["text"] for e in context["entities"])


def test_an_exit_interview_needs_the_flag() -> None:
    data = pack("exit", [answer(1, "decision-story", "It started in March.", visibility="confidential")])
    with pytest.raises(ConfidentialityError, match="--include-confidential"):
        build_context(data, now=NOW)
    context = build_context(data, include_confidential=True, now=NOW)
    assert context["kind"] == "hr_exit"
    assert list(context["sections"]) == list(HR_SECTIONS)
    assert context["label"] == "CONFIDENTIAL — HR EXIT REPORT"


def test_structured_answers_read_naturally() -> None:
    data = pack("exit", [
        answer(1, "workload-scale", "2", visibility="confidential"),
        answer(2, "would-return", "yes", visibility="confidential"),
        answer(3, "primary-reason", "Manager relationship", visibility="confidential"),
    ])
    context = build_context(data, include_confidential=True, now=NOW)
    values = {h["question"]: h["value"] for h in context["highlights"]}
    assert values == {"workload-scale": "2 out of 5", "would-return": "Yes", "primary-reason": "Manager relationship"}


def test_an_interview_without_answers_gives_a_valid_context_that_says_so() -> None:
    context = build_context(pack("handover", []), now=NOW, find_gaps=find_gaps)
    assert context["empty"] is True and "no answers yet" in context["empty_text"]
    assert all(section["empty"] for section in context["sections"].values())
    assert context["appendix"] == [] and context["entities"] == []
    json.dumps(context)  # plain data only


def test_single_holder_topics_leave_out_what_others_also_know() -> None:
    data = confidential_pack()
    alone = build_context(data, now=NOW)["knowledge_risk"]["single_holder"]
    assert {s["item"] for s in alone} == {"PayBridge export", "PayBridge"}
    shared = PackData(**{**data.__dict__, "held_elsewhere": frozenset({"paybridge", "paybridge export"})})
    assert build_context(shared, now=NOW)["knowledge_risk"]["single_holder"] == []


def test_xml_hygiene_removes_only_what_xml_cannot_hold() -> None:
    text = "ok\x00\x01\x08\x0b\x0c\x1f\ufffe tab\tnew\nline 漢字 שלום مرحبا 👩‍💻"
    assert xml_safe(text) == "ok tab\tnew\nline 漢字 שלום مرحبا 👩‍💻"
    assert xml_safe_tree({"a": ["x\x07y", ("\x1b",)]}) == {"a": ["xy", ("",)]}


def test_text_helpers() -> None:
    assert slugify("Zoë O'Neil") == "zoe-oneil"
    assert slugify("李雷") == "李雷"
    assert slugify("***") == "interview"
    assert is_rtl("שלום world") and not is_rtl("hello שלום") and not is_rtl("123")
    assert paragraphs("a\r\n\r\n  \nb  \n") == ["a", "b"]


def _keys(value: Any, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            _keys(item, out)
    elif isinstance(value, list):
        for item in value:
            _keys(item, out)
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_every_context_key_is_documented_for_template_authors(kind: str) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "templates.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_0-9]+)`", docs))
    missing = sorted(_keys(sample_context(kind).to_json(), set()) - documented)
    assert missing == [], f"add these context keys to docs/templates.md: {missing}"


def test_the_context_reference_in_docs_is_generated_from_the_model() -> None:
    from retain.packs.docs import updated

    page = (Path(__file__).resolve().parents[2] / "docs" / "templates.md").read_text(encoding="utf-8")
    assert page == updated(page), "docs/templates.md is out of date; run python -m retain.packs.docs docs/templates.md"


def test_the_typed_context_prints_as_the_json_renderers_read() -> None:
    from retain.packs.model import PackContext

    context = build_model(confidential_pack(), now=NOW)
    assert isinstance(context, PackContext)
    plain = context.to_json()
    assert json.loads(json.dumps(plain)) == plain
    # An entry is one object wherever it is shown, as templates have always seen it.
    assert plain["entries"][0] is plain["appendix"][0]["entries"][0]
