"""The pack context as typed dataclasses: one model every renderer reads, with one ``to_json``.

Each field carries its documentation (``doc(...)``): docs/templates.md's context reference is
generated from it (:mod:`retain.packs.docs`), and a test checks the page is up to date, so the
model, the documentation and the sample context cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from retain.domain.documents import Model, doc, to_json
from retain.domain.types import InterviewStatus, JsonObject, PackKind, Track, Visibility


@dataclass(slots=True)
class PersonBlock(Model):
    """A person; every key is present, ``""`` when unknown."""

    name: str = doc("their name", "")
    email: str = doc("email address", "")
    role: str = doc("role", "")
    team: str = doc("team", "")
    status: str = doc("`active`, `leaving` or `left`", "")
    leaving_date: str = doc("leaving date, ISO 8601", "")
    leaving_on: str = doc("the same date for people (\"31 March 2025\")", "")


@dataclass(slots=True)
class GuideRef(Model):
    """The guide an interview used."""

    id: str = doc("guide id")
    title: str = doc("guide title")
    version: int = doc("guide version")


@dataclass(slots=True)
class InterviewBlock(Model):
    """The interview record (times are ISO 8601 texts; `""` when not set)."""

    id: int = doc("interview id")
    guide: str = doc("guide id")
    guide_title: str = doc("guide title")
    guide_version: int = doc("guide version")
    track: Track = doc("`handover` or `exit`")
    status: InterviewStatus = doc("`draft`, `in_progress` or `completed`")
    reviewed: bool = doc("whether the interviewee reviewed it")
    created_at: str = doc("when it was started")
    updated_at: str = doc("when it last changed")
    completed_at: str = doc("when it was completed")


@dataclass(slots=True)
class Cover(Model):
    """The cover block."""

    title: str = doc("the document title")
    subtitle: str = doc("the guide's title")
    label: str = doc("the visibility label (same as the top-level `label`)")
    person: PersonBlock = doc("the person interviewed (a person block)")
    successor: PersonBlock = doc("the successor, same keys as `person` (all `\"\"` when not named)")
    role_line: str = doc("role and team in one line (\"Senior Accountant · Finance Operations\")")
    label_color: str = doc("hex colour for the label box: blue, or red when confidential")
    successor_name: str = doc("the successor's name, or \"Not yet named\"")
    has_successor: bool = doc("whether a successor is named")
    interviewer: str = doc("the interviewer, or \"Not recorded\"")
    guide: GuideRef = doc("the guide: `id`, `title`, `version`")
    status: InterviewStatus = doc("interview status, as stored")
    status_label: str = doc("interview status for people (\"In progress\")")
    reviewed: bool = doc("whether the pack was reviewed (or accepted since)")
    review_status: str = doc("a sentence saying so")
    started_on: str = doc("date started, for people")
    completed_on: str = doc("date completed, or \"Not yet completed\"")
    leaving_on: str = doc("leaving date, or \"Not recorded\"")
    generated_on: str = doc("date generated, for people")
    review_state: str = doc("`draft`, `reviewed` (the interviewee or manager checked it) or `accepted` "
                            "(the successor confirmed it is usable)", "draft")
    review_label: str = doc("`DRAFT`, `REVIEWED by Nora Lindqvist, 3 Dec 2026` or `ACCEPTED by ...`", "DRAFT")
    reviewed_by: str = doc("who reviewed it, or `\"\"`", "")
    reviewed_on: str = doc("when, for people, or `\"\"`", "")
    accepted_by: str = doc("the successor who accepted it, or `\"\"`", "")
    accepted_on: str = doc("when, for people, or `\"\"`", "")


@dataclass(slots=True)
class Properties(Model):
    """Set as the Word document properties after rendering."""

    title: str = doc("document title")
    subject: str = doc("document subject")
    author: str = doc("the interviewer, or `retain`")
    keywords: str = doc("keywords")
    category: str = doc("the visibility label")
    comments: str = doc("the notice")


@dataclass(slots=True)
class ProgressBlock(Model):
    """Answered, skipped and missing questions."""

    answered: int = doc("questions answered")
    skipped: int = doc("questions skipped")
    total: int = doc("questions in the guide")
    required_missing: list[str] = doc(
        "question ids still to answer, leaving out questions answered confidentially", factory=list)
    percent: int = doc("answered or skipped, of all", 0)


@dataclass(slots=True)
class Cell(Model):
    """One cell of a list row."""

    title: str = doc("the column title")
    value: str = doc("the value")


@dataclass(slots=True)
class Row(Model):
    """One row of a list answer."""

    cells: list[Cell] = doc("each `title` and `value`")
    lead: str = doc("the first filled value")
    detail: str = doc("\"Title: value · Title: value\" of the others")
    confidential: bool = doc("whether it comes from a confidential answer")


@dataclass(slots=True)
class Entry(Model):
    """One answered or skipped question that may be shown."""

    number: int = doc("its number in the guide and the app (never renumbered when answers are left out)")
    ref: str = doc("the same as `Q7`")
    question: str = doc("the question id")
    prompt: str = doc("the question as asked")
    type: str = doc("`text`, `short`, `choice`, `scale`, `yesno`, `date` or `list`")
    purpose: str = doc(
        "the question's purpose (`contacts`, `systems`, `recurring`, `open_items`, `risks`, "
        "`who_else_knows`, `consent`, `escalation`) or `\"\"`")
    section: str = doc("the pack section it feeds (`\"\"` if none)")
    section_title: str = doc("that section's title")
    part: str = doc("the interview section (sitting) it was asked in")
    answered: bool = doc("whether it has an answer")
    skipped: bool = doc("whether it was skipped")
    skip_reason: str = doc("why it was skipped, or `\"\"`")
    text: str = doc("the answer exactly as given (a list question's text around its rows; `\"\"` for skips)")
    value: str = doc("the answer for people: \"4 out of 5\", \"Yes\", \"1 April 2025\"; the text otherwise")
    paragraphs: list[str] = doc("`value` split into paragraphs (one per non-blank line)")
    rows: list[Row] = doc("list rows (below)")
    columns: list[str] = doc("a list question's column titles")
    confidential: bool = doc("whether the answer is confidential (only ever true with `--include-confidential`)")
    visibility: Visibility = doc("`shareable` or `confidential`")
    restricted: bool = doc("the question routes to restricted follow-up (exit escalations)")
    table: str = doc("the `tables` key its rows are shown in, or `\"\"`", "")
    printed_in: str = doc("the title of the section that prints it in full, or `\"\"` when only the "
                          "appendix does (the appendix then points there instead of printing it again)", "")
    recording: str = doc("for an answer imported from a recorded interview, \"from the recording at "
                         "12:04\"; `\"\"` for a typed answer", "")


@dataclass(slots=True)
class Column(Model):
    """A column of a table."""

    id: str = doc("the column id")
    title: str = doc("its title")


@dataclass(slots=True)
class TableRow(Model):
    """One row of a table: one key per column id, plus the keys below."""

    values: dict[str, str] = doc("the value of each column id (each is also a key of the row)")
    cells: list[str] = doc("the values in column order")
    confidential: bool = doc("whether it comes from a confidential answer")
    question: str = doc("the question it came from")

    def json_extra(self) -> JsonObject:
        """The column values come first, keyed by column id (``r.name``, ``r.ask_about``)."""
        return dict(self.values)


@dataclass(slots=True)
class Table(Model):
    """A list-question table, found by question purpose whatever the question ids.

    Column ids: `open_items`: `item`, `status`, `next_step`, `due` · `recurring`: `task`,
    `rhythm`, `notes` · `systems`: `name`, `purpose`, `access`, `owner` · `contacts`: `name`,
    `role`, `ask_about` · `risks`: `risk`, `impact`, `mitigation`. A guide's extra fields are
    added to the last column as "Field: value".
    """

    key: str = doc("the purpose")
    title: str = doc("a title (\"Contacts\")")
    columns: list[Column] = doc("`id` and `title` of each column, in order")
    rows: list[TableRow] = doc("one per list row (below)")
    empty: bool = doc("no rows")
    empty_text: str = doc("a sentence saying so")
    questions: list[str] = doc("the question ids that feed it")
    spoken: bool = doc("no rows, but its list question was answered in words (print no empty note)")


@dataclass(slots=True)
class PackSection(Model):
    """One pack section, keyed by the pack key a question names in its guide (`pack:`).

    Handover: `week_one`, `role`, `in_flight`, `rhythms`, `systems`, `processes`, `people`,
    `decisions`, `risks`, `tacit`, `signoff`. HR exit report: `hr_reasons`, `hr_role`,
    `hr_manager`, `hr_culture`, `hr_onboarding`, `hr_change`, `hr_alumni`, `hr_escalation`,
    `hr_consent`. Use `sections.week_one.title` directly, or loop with
    `{% for s in sections.values() %}`.
    """

    key: str = doc("the pack key")
    title: str = doc("the section title (\"Week-one briefing\")")
    about: str = doc("one sentence on what the section is for")
    entries: list[Entry] = doc("every entry that feeds the section")
    prose: list[Entry] = doc("the entries not already shown as a table row (print these)")
    tables: list[Table] = doc("the `tables` objects that belong in this section (handover only)")
    empty: bool = doc("nothing to show: no prose and no table rows")
    empty_text: str = doc("\"Nothing was recorded for this section.\"")


@dataclass(slots=True)
class Ref(Model):
    """A pointer back to an entry."""

    number: int = doc("the entry's number")
    ref: str = doc("`Q7`")
    question: str = doc("the question id")
    prompt: str = doc("the question as asked")
    section: str = doc("the pack section title, or the interview section")


@dataclass(slots=True)
class Entity(Model):
    """One entry of the entity index: people, organisations, systems, dates and rhythms
    extracted from the shown answers (empty until `retain extract` has run). Counts,
    ordinals, quantities and percentages are left out."""

    confidential: bool = doc("every mention comes from a confidential answer (only ever true with `--include-confidential`)")
    text: str = doc("the most common spelling")
    key: str = doc("the normalised key")
    label: str = doc("the extractor's label (`PERSON`, `ORG`, `SYSTEM`, ...)")
    type: str = doc("the label for people (\"Person\", \"System or tool\", \"Rhythm\")")
    count: int = doc("how many times it is mentioned")
    refs: list[Ref] = doc("the entries it comes from")
    where: str = doc("the same for people: \"People and stakeholder map (Q12); Risks and warnings (Q14)\"")


@dataclass(slots=True)
class TopicItem(Model):
    """A key topic of the interview, highest score first."""

    phrase: str = doc("the phrase")
    score: float = doc("its score (the best is 1.0)")
    confidential: bool = doc("found only in confidential answers")


@dataclass(slots=True)
class GapItem(Model):
    """What the interview still misses."""

    kind: str = doc("e.g. `required_unanswered`, `system_not_listed`")
    message: str = doc("what is missing")
    follow_up: str = doc("a question to ask")
    question: str = doc("the question id, or `\"\"`")
    item: str = doc("the entity or topic concerned, or `\"\"`")
    confidential: bool = doc("the gap concerns a confidential answer; only ever true with `--include-confidential`")


@dataclass(slots=True)
class HolderItem(Model):
    """A topic or system that no one else's shareable answers mention."""

    item: str = doc("the topic or system")
    type: str = doc("\"Topic\" or the entity type")
    refs: list[Ref] = doc("the entries it comes from")
    where: str = doc("the same for people")
    confidential: bool = doc("found only in confidential answers")


@dataclass(slots=True)
class KnowledgeRisk(Model):
    """The knowledge-risk summary."""

    gaps: list[GapItem] = doc("the same list as `gaps`")
    single_holder: list[HolderItem] = doc("up to 20 topics and systems that no one else's shareable answers mention")
    single_holder_total: int = doc("how many there are in all")
    single_holder_more: int = doc("how many are not listed")
    who_else_knows: list[Entry] = doc("the entries answering \"who else knows what you know?\"")
    extracted: bool = doc("whether extraction has run (otherwise single-holder topics cannot be known)")
    summary: str = doc("one sentence: the number of gaps and of single-holder topics")
    empty: bool = doc("no gaps, no single-holder topics and no who-else-knows answer")


@dataclass(slots=True)
class Highlight(Model):
    """An answered choice, scale, yes/no or date question, for an at-a-glance table
    (restricted questions are never highlighted)."""

    ref: str = doc("`Q7`")
    question: str = doc("the question id")
    prompt: str = doc("the question as asked")
    value: str = doc("the answer for people")
    type: str = doc("the question type")
    confidential: bool = doc("whether the answer is confidential")


@dataclass(slots=True)
class Signatory(Model):
    """Someone who signs."""

    role: str = doc("their role in the handover")
    name: str = doc("their name, or `\"\"`")


@dataclass(slots=True)
class Signoff(Model):
    """Consent, the acceptance checklist and the signatories."""

    consent: str = doc("the answer to the follow-up consent question, or `\"\"`")
    consent_recorded: bool = doc("whether consent was recorded")
    checklist: list[str] = doc("the successor acceptance checklist (HR follow-up steps in the HR report), as sentences")
    signatories: list[Signatory] = doc("`role` and `name` of each person who signs")
    statement: str = doc("the acceptance sentence above the signature table")


@dataclass(slots=True)
class OpenItem(Model):
    """A question that was neither answered nor shown: an open item for the successor."""

    number: int = doc("its number in the guide and the app")
    ref: str = doc("`Q7`")
    question: str = doc("the question id")
    prompt: str = doc("the question as asked")
    part: str = doc("the interview section (sitting) it belongs to")
    status: str = doc("`unanswered` or `skipped`")
    reason: str = doc("why it was skipped, or `\"\"`")
    required: bool = doc("whether the guide marks it required")


@dataclass(slots=True)
class SuccessorAnswer(Model):
    """One answer of a successor follow-up."""

    ref: str = doc("`Q2` of the follow-up guide")
    question: str = doc("the follow-up question id")
    prompt: str = doc("the question as asked")
    paragraphs: list[str] = doc("the answer text, one paragraph per line")
    rows: list[str] = doc("list rows, each as one line")
    correction: bool = doc("the answer says what was wrong, missing or out of date")


@dataclass(slots=True)
class SuccessorFollowup(Model):
    """What the successor added in one follow-up (shareable answers only)."""

    day: int = doc("30, 60 or 90")
    person: str = doc("the successor")
    title: str = doc("\"30-day follow-up with Isabel Ortiz\"")
    answers: list[SuccessorAnswer] = doc("the answered questions")


@dataclass(slots=True)
class Part(Model):
    """One interview section (sitting) with shown answers."""

    id: str = doc("the section id")
    title: str = doc("its title")
    entries: list[Entry] = doc("its shown entries")


@dataclass(slots=True)
class PackContext(Model):
    """The top level of the context."""

    kind: PackKind = doc("`handover` (handover track) or `hr_exit` (exit track)")
    title: str = doc("\"Handover pack\" or \"Exit interview report\"")
    label: str = doc(
        "the visibility label: `SHAREABLE HANDOVER — DRAFT`, `SHAREABLE HANDOVER — REVIEWED`, "
        "`CONFIDENTIAL HANDOVER — DRAFT` (confidential answers included), `CONFIDENTIAL — HR EXIT REPORT`")
    notice: str = doc("a warning to print prominently when the document holds confidential answers; `\"\"` otherwise")
    include_confidential: bool = doc("whether `--include-confidential` was given")
    includes_confidential: bool = doc("whether the document actually holds a confidential answer")
    confidential_count: int = doc("how many confidential answers it holds")
    withheld: int = doc("how many confidential answers were left out")
    withheld_text: str = doc(
        "a sentence saying so (\"2 answers were marked confidential and are not included in this pack.\"), or `\"\"`")
    generated_at: str = doc("ISO 8601 time of generation")
    generated_on: str = doc("the same date for people (\"29 November 2025\")")
    empty: bool = doc("the interview has no answers yet")
    empty_text: str = doc("a sentence saying so, for the top of the pack")
    interview: InterviewBlock = doc("the interview record")
    cover: Cover = doc("the cover block")
    properties: Properties = doc("the document properties")
    progress: ProgressBlock = doc("answered, skipped and missing questions")
    sections: dict[str, PackSection] = doc("the pack sections in order, keyed by pack key")
    tables: dict[str, Table] = doc("the list-question tables, keyed by purpose")
    entities: list[Entity] = doc("the entity index")
    topics: list[TopicItem] = doc("key topics of the interview")
    gaps: list[GapItem] = doc("what the interview still misses")
    knowledge_risk: KnowledgeRisk = doc("the knowledge-risk summary")
    highlights: list[Highlight] = doc("structured answers (choice, scale, yes/no, date) for an at-a-glance table")
    signoff: Signoff = doc("consent, acceptance checklist and signatories")
    appendix: list[Part] = doc("every shown answer, grouped by interview section")
    unsectioned: list[Entry] = doc("entries whose question feeds no section of this kind of document")
    entries: list[Entry] = doc("every shown entry, in guide order (the same objects as in `sections` and `appendix`)")
    open_items: list[OpenItem] = doc("questions neither answered nor shown, and skipped ones: open items for the successor",
                                     factory=list)
    successor_added: list[SuccessorFollowup] = doc(
        "what the successor's follow-ups added (empty until a follow-up has answers)", factory=list)


__all__ = [
    "Cell", "Column", "Cover", "Entity", "Entry", "GapItem", "GuideRef", "Highlight", "HolderItem",
    "InterviewBlock", "KnowledgeRisk", "Model", "OpenItem", "PackContext", "PackSection", "Part", "PersonBlock",
    "ProgressBlock", "Properties", "Ref", "Row", "Signatory", "Signoff", "SuccessorAnswer", "SuccessorFollowup",
    "Table", "TableRow", "TopicItem",
    "doc", "to_json",
]
