"""Gap analysis: deterministic gaps with follow-up questions (no database needed)."""

from __future__ import annotations

from retain.guides.registry import GuideRegistry
from retain.guides.schema import Guide
from retain.nlp.normalize import mention_key
from retain.resources import guides_dir
from retain.services.gaps import KINDS, find_gaps
from retain.store.models import Answer, Mention


def guide(name: str = "handover") -> Guide:
    return GuideRegistry(guides_dir()).get(name)


def answer(aid: int, question: str, text: str = "", items: list[dict[str, str]] | None = None,
           skipped: bool = False) -> Answer:
    return Answer(id=aid, interview_id=1, question_id=question, text=text, items=items or [],
                  skipped=skipped)


def mention(aid: int, text: str, label: str, start: int = 0) -> Mention:
    return Mention(answer_id=aid, interview_id=1, text=text, label=label, start=start,
                   end=start + len(text), key=mention_key(text))


def kinds(gaps: list) -> list[str]:  # type: ignore[type-arg]
    return [g.kind for g in gaps]


def test_every_gap_has_a_follow_up_and_a_known_kind() -> None:
    gaps = find_gaps(guide(), [answer(1, "only-you", "I run the Okta resets every Monday.")],
                     [mention(1, "Okta", "SYSTEM"), mention(1, "every Monday", "RECURRENCE", 20)])
    assert gaps
    for gap in gaps:
        assert gap.kind in KINDS
        assert gap.follow_up.strip()
        assert gap.to_json()["kind"] == gap.kind


def test_system_not_listed_names_the_system_and_the_systems_question() -> None:
    answers = [answer(1, "only-you", "I reset Okta and JIRA tickets."),
               answer(2, "systems", items=[{"name": "Jira Cloud", "access": "ask IT"}])]
    mentions = [mention(1, "Okta", "SYSTEM"), mention(1, "JIRA", "SYSTEM", 14)]
    gaps = [g for g in find_gaps(guide(), answers, mentions) if g.kind == "system_not_listed"]
    assert [(g.item, g.question) for g in gaps] == [("Okta", "systems")]
    assert gaps[0].message == "Okta was mentioned: add it to systems and access?"


def test_person_not_in_contacts_matches_first_names_and_skips_the_successor() -> None:
    answers = [answer(1, "only-you", "Priya knows the file; Raj Patel built it; Tom takes over."),
               answer(2, "contacts", items=[{"name": "Priya Shah", "role": "Bank"}])]
    mentions = [mention(1, "Priya", "PERSON"), mention(1, "Raj Patel", "PERSON", 20),
                mention(1, "Tom", "PERSON", 40)]
    gaps = [g for g in find_gaps(guide(), answers, mentions, people=["Ana Silva", "Tom Okafor"])
            if g.kind == "person_not_in_contacts"]
    assert [g.item for g in gaps] == ["Raj Patel"]
    assert gaps[0].question == "contacts"


def test_single_holder_when_nobody_else_knows() -> None:
    knowledge = answer(1, "only-you", "Only I can rebuild the PayBridge file.")
    unanswered = find_gaps(guide(), [knowledge], [])
    assert "single_holder" in kinds(unanswered)
    nobody = find_gaps(guide(), [knowledge, answer(2, "who-else-knows", "Honestly, nobody else.")], [])
    assert "single_holder" in kinds(nobody)
    named = find_gaps(guide(), [knowledge, answer(2, "who-else-knows", "Ravi covers when I am away.")], [])
    assert "single_holder" not in kinds(named)
    assert "single_holder" not in kinds(find_gaps(guide(), [], []))  # no knowledge captured yet


def test_rhythms_not_listed_only_when_the_recurring_list_is_empty() -> None:
    text = "Month-end needs the accruals by the 5th of each month."
    mentions = [mention(1, "Month-end", "RECURRENCE"), mention(1, "by the 5th of each month", "RECURRENCE", 29)]
    empty = find_gaps(guide(), [answer(1, "only-you", text)], mentions)
    gap = next(g for g in empty if g.kind == "rhythms_not_listed")
    assert gap.question == "recurring" and gap.item == "Month-end"
    listed = find_gaps(guide(), [answer(1, "only-you", text),
                                 answer(2, "recurring", items=[{"task": "accruals", "rhythm": "monthly"}])],
                       mentions)
    assert "rhythms_not_listed" not in kinds(listed)


def test_empty_pack_sections_follow_the_guide() -> None:
    gaps = find_gaps(guide(), [answer(1, "only-you", "I know the bank file.")], [])
    sections = [g.item for g in gaps if g.kind == "empty_pack_section"]
    assert "week_one" not in sections
    assert "systems" in sections and "people" in sections
    skipped = find_gaps(guide(), [answer(1, "only-you", "x"), answer(2, "advice", skipped=True)], [])
    assert "tacit" in [g.item for g in skipped if g.kind == "empty_pack_section"]


def test_exit_interviews_only_get_the_required_check() -> None:
    gaps = find_gaps(guide("exit"), [], [mention(1, "Okta", "SYSTEM"), mention(1, "Priya", "PERSON")])
    assert gaps and set(kinds(gaps)) == {"required_unanswered"}


def test_gaps_are_deterministic() -> None:
    answers = [answer(1, "only-you", "I reset Okta every Monday with Raj.")]
    mentions = [mention(1, "Okta", "SYSTEM"), mention(1, "every Monday", "RECURRENCE", 14),
                mention(1, "Raj", "PERSON", 32)]
    assert find_gaps(guide(), answers, mentions) == find_gaps(guide(), list(reversed(answers)),
                                                              list(reversed(mentions)))
