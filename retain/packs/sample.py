"""A made-up, fully populated interview whose context shows every key a template can use.

The template checker resolves placeholders against it, and docs/templates.md is tested
against it, so the documentation and the checker can never drift from the real context.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache

from retain.domain.answers import flatten
from retain.guides.schema import HR_SECTIONS, PACK_SECTIONS, Guide, ListField, Question, Section
from retain.packs.catalog import TABLES
from retain.packs.context import PackData, build_context
from retain.packs.model import PackContext
from retain.store.models import Answer, Interview, Mention, Person, Topic

KINDS = ("handover", "hr_exit")
_NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


# Left unanswered, so the sample has a gap (every list in the sample has an element).
_UNANSWERED = "x"


def _guide(kind: str) -> Guide:
    keys = HR_SECTIONS if kind == "hr_exit" else PACK_SECTIONS
    questions: list[Question] = []
    for key in keys:
        questions.append(Question(id=f"{key.replace('_', '-')}-text", prompt=f"What about {key}?", pack=key,
                                  purpose="who_else_knows" if key == "tacit" else None))
    # Both kinds get the list questions, so every list in the sample has an element to check
    # placeholders against (an HR report simply never shows these tables).
    first = next(iter(keys))
    for table in TABLES:
        questions.append(Question(
            id=f"{table.key.replace('_', '-')}-list", prompt=f"List the {table.title.lower()}.", type="list",
            fields=[ListField(id=cid, label=title) for cid, title in table.columns],
            pack=table.section if kind == "handover" else first,
            purpose=table.key,
        ))
    questions.append(Question(id="vendors", prompt="Which vendors matter?", type="list",
                              fields=[ListField(id="vendor"), ListField(id="contact")],
                              pack="people" if kind == "handover" else first))
    questions += [
        Question(id="consent", prompt="May we contact you?", type="choice", options=["Yes", "No"],
                 pack="signoff" if kind == "handover" else "hr_consent", purpose="consent"),
        Question(id="score", prompt="How sustainable was it?", type="scale", pack=first),
        Question(id="return", prompt="Would you return?", type="yesno", pack=first),
        Question(id="date", prompt="When?", type="date", pack=first),
        Question(id="short", prompt="Contact?", type="short", pack=first),
        Question(id="skipped", prompt="Skipped question?", pack=first),
        Question(id="restricted", prompt="Anything to escalate?", restricted=True,
                 pack="hr_escalation" if kind == "hr_exit" else "risks"),
        Question(id=_UNANSWERED, prompt="Who else knows this?", required=True, pack=first),
        # The who-else-knows answer prints in the knowledge-risk summary: tacit prose needs another.
        Question(id="advice", prompt="Any advice?", pack="tacit" if kind == "handover" else first),
    ]
    return Guide(id="sample", title="Sample guide", track="exit" if kind == "hr_exit" else "handover",
                 sections=[Section(id="one", title="Part one", questions=questions)])


@cache
def sample_data(kind: str) -> PackData:
    """A fully populated :class:`PackData` of the given kind (``handover`` or ``hr_exit``)."""
    guide = _guide(kind)
    person = Person(id=1, name="Sam Sample", email="sam@example.org", role="Analyst", team="Finance",
                    status="leaving", leaving_date=date(2025, 3, 31))
    successor = Person(id=2, name="Alex Heir", role="Analyst", team="Finance")
    interview = Interview(id=1, guide_id=guide.id, guide_title=guide.title, guide_snapshot={},
                          track=guide.track, person_id=1, successor_id=2, interviewer="Ira Interviewer",
                          status="completed", created_at=_NOW, updated_at=_NOW, completed_at=_NOW)
    answers: list[Answer] = []
    for number, (_, question) in enumerate(guide.questions(), start=1):
        if question.id == _UNANSWERED:
            continue
        answer = Answer(id=number, interview_id=1, question_id=question.id, text="", items=[],
                        visibility="confidential" if question.id == "restricted" or kind == "hr_exit" else "shareable",
                        extracted_at=_NOW)
        if question.id == "skipped":
            answer.skipped, answer.skip_reason = True, "Ask the manager instead."
        elif question.type == "list":
            answer.items = [{f.id: f"{f.id} value" for f in question.fields}]
        else:
            answer.text = {"choice": "Yes", "scale": "4", "yesno": "yes", "date": "2025-04-01"}.get(
                question.type, "First paragraph.\nSecond paragraph.")
        answer.body = flatten(answer.text, answer.items)
        answers.append(answer)
    mentions = [
        Mention(id=1, answer_id=1, interview_id=1, text="Ledgerly", label="SYSTEM", start=0, end=8, key="ledgerly"),
        Mention(id=2, answer_id=2, interview_id=1, text="Priya Shah", label="PERSON", start=0, end=10, key="priya shah"),
    ]
    topics = [
        Topic(id=1, interview_id=1, answer_id=None, phrase="first paragraph", score=0.9),
        Topic(id=2, interview_id=1, answer_id=1, phrase="first paragraph", score=0.9),
    ]
    # One successor follow-up, so the placeholders inside its loop are checked too.
    followups = [] if kind == "hr_exit" else [{
        "day": 30, "person": successor.name, "answers": [
            {"number": 1, "question": "what-changed", "prompt": "What did you find?", "purpose": "",
             "text": "First paragraph.", "items": []},
            {"number": 2, "question": "corrections", "prompt": "What was wrong or missing?",
             "purpose": "corrections", "text": "", "items": [{"item": "The vendor list", "kind": "missing"}]},
        ],
    }]
    return PackData(interview=interview, guide=guide, person=person, successor=successor, answers=answers,
                    mentions=mentions, topics=topics, held_elsewhere=frozenset(), followups=followups)


def sample_context(kind: str = "handover") -> PackContext:
    """The context of the sample interview, with every list populated."""
    return build_context(sample_data(kind), include_confidential=True, now=_NOW)
