"""Indirect leaks: what is derived from a confidential or skipped answer never reaches a shareable reader.

Each test plants a marker in an answer a shareable reader may not see, runs the real
extractor over the real store (SQLite and PostgreSQL), and checks that nothing shareable
changes or shows it: labels, the knowledge map, packs, topics, search, who, gaps.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from retain.domain.types import JsonObject
from retain.services import Services
from retain.store.models import Mention


def shareable_pack(services: Services, interview_id: int) -> JsonObject:
    """The parts of a shareable pack derived from what was said."""
    context = services.exports.context(interview_id).to_json()
    return {key: context[key] for key in ("entities", "topics", "gaps", "knowledge_risk")}


def test_confidential_evidence_never_relabels_another_persons_shareable_mention(services: Services) -> None:
    omar = services.interviews.start("handover", "Omar Castell").id or 0
    services.interviews.answer(omar, "only-you", text="Ask Quinlan about the reconciliation.")
    services.extraction.extract_interview(omar)
    pack_before = shareable_pack(services, omar)
    map_before = [e.to_json() for e in services.knowledge.map()]

    priya = services.interviews.start("handover", "Priya Raman").id or 0
    services.interviews.answer(priya, "only-you", text="the Quinlan interface is fragile", visibility="confidential")
    services.extraction.extract_interview(priya)

    with Session(services.engine) as session:
        labels = {(m.interview_id, m.label) for m in session.exec(select(Mention).where(Mention.key == "quinlan"))}
    assert (omar, "PERSON") in labels and (omar, "SYSTEM") not in labels  # Omar's mention is untouched
    assert (priya, "SYSTEM") in labels  # the confidential answer's own reading stands
    assert not any(e.item == "Quinlan" for e in services.knowledge.map())
    assert [e.to_json() for e in services.knowledge.map()] == map_before
    assert shareable_pack(services, omar) == pack_before
    # The interviewer's confidential map does see the confidential evidence.
    assert any(e.item == "Quinlan" and e.label == "SYSTEM" for e in services.knowledge.map(include_confidential=True))


def themes_of(path: Path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            text = re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode("utf-8"))
        return text[text.index("Themes:"):][:400] if "Themes:" in text else ""
    line = next((line for line in path.read_text(encoding="utf-8").splitlines() if "Themes:" in line), "")
    return line


def test_hr_exit_themes_never_quote_escalations_or_name_organisations(services: Services, tmp_path: Path) -> None:
    exit_id = services.interviews.start("exit", "Lena Sorrow").id or 0
    services.interviews.answer(exit_id, "decision-story", text=(
        "The workload planning kept slipping and the workload planning meetings went nowhere. "
        "I accepted an offer from Brightwater Analytics because Brightwater Analytics offered remote work."
    ))
    services.interviews.answer(exit_id, "push-factors", text="Workload planning and the on-call rota wore me out.")
    services.interviews.answer(exit_id, "escalation", text=(
        "The warehouse forklift inspection was skipped, and the forklift inspection logs were forged."
    ))
    services.extraction.extract_interview(exit_id)
    for fmt in ("md", "docx"):
        result = services.exports.export(exit_id, fmt=fmt, out=tmp_path / f"report.{fmt}", include_confidential=True)
        themes = themes_of(result.path).casefold()
        assert "workload planning" in themes, themes  # real themes are still reported
        assert "forklift" not in themes and "inspection" not in themes, themes
        assert "brightwater" not in themes, themes
    # The escalation itself is still in its restricted section of the HR report.
    assert "forklift inspection" in (tmp_path / "report.md").read_text(encoding="utf-8")


def pack_topics(services: Services, interview_id: int) -> list[Any]:
    return services.exports.context(interview_id).to_json()["topics"]  # type: ignore[return-value]


def test_confidential_answers_do_not_change_a_shareable_packs_topics(services: Services) -> None:
    open_text = {
        "only-you": "I reconcile the payroll interface every Monday and fix the vendor feed by hand.",
        "role-summary": "The payroll interface and the vendor feed are most of the job; month-end close is the rest.",
        "advice": "Watch the vendor feed during month-end close: the payroll interface drops rows.",
    }
    mine = services.interviews.start("handover", "Priya Raman").id or 0
    for question, text in open_text.items():
        services.interviews.answer(mine, question, text=text)
    services.extraction.extract_interview(mine)
    services.extraction.extract_interview(mine, force=True)  # document frequencies now include it
    before = pack_topics(services, mine)
    assert before

    # Someone else's confidential answers repeat some phrases over and over, and add new ones.
    other = services.interviews.start("handover", "Tom Okafor").id or 0
    secret = "The vendor feed is a disaster and the payroll interface leaks salaries to the vendor feed."
    for question in ("only-you", "role-summary", "advice", "stakeholders", "fragile", "workarounds"):
        services.interviews.answer(other, question, text=secret, visibility="confidential")
    services.interviews.answer(mine, "stakeholders", text=secret + " QZX salary leak.", visibility="confidential")
    services.extraction.extract_interviews([other, mine])
    services.extraction.extract_interview(mine, force=True)
    assert pack_topics(services, mine) == before


def test_a_skipped_answers_earlier_text_is_withheld_from_search_and_who(services: Services) -> None:
    iid = services.interviews.start("handover", "Priya Raman").id or 0
    services.interviews.answer(iid, "only-you", text="Only I know the Frobnitz ledger close.")
    services.interviews.answer(iid, "role-summary", text="Payroll for Northwind.")
    services.extraction.extract_interview(iid)
    assert services.search.search("Frobnitz")  # found while it is an answer
    services.interviews.skip(iid, "only-you", "Ask the manager instead.")
    services.extraction.extract_interview(iid)

    assert services.search.search("Frobnitz") == []
    assert services.knowledge.who("Frobnitz") == []
    assert not any("frobnitz" in e.item.casefold() for e in services.knowledge.map())
    assert "Frobnitz" not in json.dumps(services.exports.context(iid).to_json())
    # The interviewer's own, confidential view still finds what they typed.
    assert services.search.search("Frobnitz", include_confidential=True)


def test_a_gap_is_never_drawn_from_a_confidential_answer(services: Services, run_cli: Any) -> None:
    iid = services.interviews.start("handover", "Priya Raman").id or 0
    services.interviews.answer(iid, "only-you", text="I run the PayBridge export.")
    services.interviews.answer(iid, "stakeholders", text="Dana Whitfield blocked the payroll change twice.",
                               visibility="confidential")
    services.interviews.answer(iid, "contacts", items=[{"name": "Ravi Shah", "role": "Head of Finance"}])
    services.extraction.extract_interview(iid)
    with Session(services.engine) as session:
        assert session.exec(select(Mention).where(Mention.key == "dana whitfield")).first() is not None

    report = services.reports.show(iid)  # the interviewer's view, confidential answers included
    assert "Dana Whitfield" in json.dumps(report.to_json())  # the answer itself is there ...
    assert not any("Dana" in json.dumps(gap.to_json()) for gap in report.gaps)  # ... but no gap about it
    shown = run_cli("interview", "show", str(iid), db=services.settings.db_url)
    assert shown.exit_code == 0, shown.output
    gaps = shown.output[shown.output.find("Gaps"):] if "Gaps" in shown.output else ""
    assert "Dana Whitfield" not in gaps
    # Nor in either pack.
    for include in (False, True):
        gaps_json = json.dumps(services.exports.context(iid, include_confidential=include).to_json()["gaps"])
        assert "Dana" not in gaps_json


def test_a_shareable_report_shows_no_topic_drawn_from_confidential_answers(services: Services) -> None:
    iid = services.interviews.start("exit", "Lena Sorrow").id or 0
    services.interviews.answer(iid, "decision-story", text="The Grimsditch restructuring and the Grimsditch restructuring again.")
    services.extraction.extract_interview(iid)
    assert any("grimsditch" in t.phrase.casefold() for t in services.reports.show(iid).topics)  # HR sees it
    shared = services.reports.show(iid, include_confidential=False)
    assert shared.topics == []
    assert "grimsditch" not in json.dumps(shared.to_json()).casefold()
