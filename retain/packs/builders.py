"""Small pure builders of the pack context's parts, each over the reader's view of an interview.

Nothing here decides visibility: :func:`retain.domain.visibility.view` has already removed
what the reader may not see, and every builder only reads what it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from retain.clock import today
from retain.domain.answers import is_filled
from retain.domain.entities import group_mentions
from retain.domain.gaps import Gap
from retain.domain.journey import effective_status
from retain.domain.topics import TopicEvidence
from retain.domain.types import Visibility
from retain.domain.visibility import is_confidential
from retain.packs.catalog import ENTITY_TYPES, HOLDABLE_LABELS, SKIPPED_LABELS, TABLES, TableDef
from retain.packs.hygiene import paragraphs
from retain.packs.model import (
    Cell,
    Column,
    Entity,
    Entry,
    GapItem,
    HolderItem,
    OpenItem,
    PackSection,
    Part,
    PersonBlock,
    Ref,
    Row,
    SuccessorAnswer,
    SuccessorFollowup,
    Table,
    TableRow,
    TopicItem,
)
from retain.packs.records import StoredAnswer as Answer
from retain.packs.records import StoredMention as Mention
from retain.packs.records import StoredPerson as Person
from retain.packs.records import StoredTopic as Topic

if TYPE_CHECKING:
    # Only types: a one-off export reads the snapshot without pydantic (retain.packs.guide_view).
    from retain.guides.schema import Guide, Question

WHERE_LIMIT = 6
RISK_TITLE = "Knowledge-risk summary"


def aware(moment: datetime | None) -> datetime | None:
    """A stored timestamp as aware UTC (SQLite hands them back naive)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def long_date(value: date | datetime | None) -> str:
    """``12 March 2025`` (unambiguous in every English locale), or ``""``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (aware(value) or value).astimezone().date()
    return f"{value.day} {value:%B %Y}"


def iso(moment: datetime | None) -> str:
    """ISO 8601 of an aware timestamp, or ``""``."""
    stamp = aware(moment)
    return stamp.isoformat() if stamp else ""


def counted(count: int, one: str, many: str) -> str:
    """``1 gap``, ``2 gaps``."""
    return f"{count} {one if count == 1 else many}"


def person_block(person: Person | None) -> PersonBlock:
    """A person as the context shows them; every key present, ``""`` when unknown."""
    if person is None:
        return PersonBlock()
    return PersonBlock(
        name=person.name, email=person.email or "", role=person.role or "", team=person.team or "",
        status=effective_status(person.status, person.leaving_date, today()), leaving_date=person.leaving_date.isoformat() if person.leaving_date else "",
        leaving_on=long_date(person.leaving_date),
    )


def _display(question: Question, text: str) -> str:
    value = text.strip()
    if not value:
        return ""
    if question.type == "scale":
        return f"{value} out of 5"
    if question.type == "yesno":
        return {"yes": "Yes", "no": "No"}.get(value.casefold(), value)
    if question.type == "date":
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    return text


def _row(question: Question, item: dict[str, str], confidential: bool) -> Row:
    cells = [Cell(f.title, (item.get(f.id) or "").strip()) for f in question.fields]
    filled = [c for c in cells if c.value]
    lead = filled[0].value if filled else ""
    detail = " · ".join(f"{c.title}: {c.value}" for c in filled[1:])
    return Row(cells, lead, detail, confidential)


def _visibility(answer: Answer) -> Visibility:
    return "confidential" if is_confidential(answer) else "shareable"


def entry(number: int, question: Question, answer: Answer, part: str, titles: dict[str, str]) -> Entry:
    """One shown question and its answer (a skip shows its reason, never the text typed before it)."""
    confidential = is_confidential(answer)
    answered = not answer.skipped
    # A list question's text is said or typed around its rows (a transcript maps only text):
    # it is printed with the entry, and the rows go to their table.
    text = answer.text if answered else ""
    value = _display(question, text)
    return Entry(
        number=number, ref=f"Q{number}", question=question.id, prompt=question.prompt, type=question.type,
        purpose=question.purpose or "",
        section=question.pack if question.pack in titles else "",
        section_title=titles.get(question.pack or "", ""),
        part=part, answered=answered, skipped=answer.skipped,
        skip_reason=(answer.skip_reason or "") if answer.skipped else "",
        text=text, value=value,
        paragraphs=paragraphs(value) if question.type in ("text", "short", "list") else ([value] if value else []),
        rows=[_row(question, item, confidential) for item in answer.items]
        if question.type == "list" and answered else [],
        columns=[f.title for f in question.fields],
        confidential=confidential, visibility=_visibility(answer), restricted=question.restricted,
    )


def entries(guide: Guide, shown: Sequence[Answer], titles: dict[str, str],
            recorded_at: Mapping[int, str] | None = None) -> tuple[list[Entry], list[Part]]:
    """Every shown answered or skipped question, numbered as in the guide, and grouped by sitting."""
    by_question = {a.question_id: a for a in shown}
    out: list[Entry] = []
    parts: list[Part] = []
    # The guide's own numbering (as the app shows it): leaving out a confidential answer never
    # renumbers the questions after it, so "Q8" means the same question everywhere.
    number = 0
    for section in guide.sections:
        own: list[Entry] = []
        for question in section.questions:
            number += 1
            answer = by_question.get(question.id)
            if answer is None or not (answer.skipped or is_filled(answer)):
                continue
            own.append(entry(number, question, answer, section.title, titles))
            at = (recorded_at or {}).get(answer.id or 0)
            if at:
                own[-1].recording = f"from the recording at {at}"
            out.append(own[-1])
        if own:
            parts.append(Part(section.id, section.title, own))
    return out, parts


def _table_row(table: TableDef, question: Question, item: dict[str, str], confidential: bool) -> TableRow:
    values = {cid: "" for cid, _ in table.columns}
    extras: list[str] = []
    for f in question.fields:
        value = (item.get(f.id) or "").strip()
        if f.id in values:
            values[f.id] = value
        elif value:
            # A guide may add columns of its own; they go in the last column, labelled.
            extras.append(f"{f.title}: {value}")
    if extras:
        last = table.columns[-1][0]
        values[last] = "; ".join(part for part in [values[last], *extras] if part)
    return TableRow(values, [values[cid] for cid, _ in table.columns], confidential, question.id)


def tables(guide: Guide, shown: Sequence[Answer], entry_of: dict[str, Entry]) -> dict[str, Table]:
    """The list-question tables, found by question purpose; marks the entries they show."""
    by_question = {a.question_id: a for a in shown}
    out: dict[str, Table] = {}
    for table in TABLES:
        sources = [
            q for _, q in guide.questions()
            if q.type == "list" and q.purpose == table.key and q.id in entry_of and entry_of[q.id].rows
        ]
        labels = {f.id: f.title for q in sources[:1] for f in q.fields}
        rows: list[TableRow] = []
        for question in sources:
            shown_entry = entry_of[question.id]
            shown_entry.table = table.key
            rows.extend(_table_row(table, question, item, shown_entry.confidential)
                        for item in by_question[question.id].items)
        # "No open items were recorded." is false above a spoken answer to the list question.
        spoken = not rows and any(
            q.type == "list" and q.purpose == table.key and q.id in entry_of and entry_of[q.id].paragraphs
            for _, q in guide.questions()
        )
        out[table.key] = Table(
            key=table.key, title=table.title,
            columns=[Column(cid, labels.get(cid, title)) for cid, title in table.columns],
            rows=rows, empty=not rows, empty_text=table.empty_text, questions=[q.id for q in sources],
            spoken=spoken,
        )
    return out


def sections(all_entries: list[Entry], all_tables: dict[str, Table], titles: dict[str, str],
             abouts: dict[str, str], handover: bool) -> dict[str, PackSection]:
    """The pack sections, in print order, each fed by its questions' pack key."""
    out: dict[str, PackSection] = {}
    for key, title in titles.items():
        own = [e for e in all_entries if e.section == key]
        own_tables = [all_tables[t.key] for t in TABLES if t.section == key] if handover else []
        # "Who else knows" is printed once, in the knowledge-risk summary.
        for shown_entry in own:
            shown_entry.printed_in = (
                RISK_TITLE if handover and shown_entry.purpose == "who_else_knows" and not shown_entry.table
                else title
            )
        # An entry whose rows are in a table is printed as prose only for its text (without
        # the rows, which the table shows); with no text it is in the table alone.
        prose = [replace(e, rows=[]) if e.table else e for e in own
                 if (not e.table or e.paragraphs) and not (handover and e.purpose == "who_else_knows")]
        out[key] = PackSection(
            key=key, title=title, about=abouts.get(key, ""), entries=own, prose=prose, tables=own_tables,
            empty=not prose and not any(t.rows for t in own_tables),
            empty_text="Nothing was recorded for this section.",
        )
    return out


def open_items(guide: Guide, shown: Sequence[Entry], withheld: frozenset[str]) -> list[OpenItem]:
    """Questions the successor has no answer to: never answered, or skipped (with the reason).

    A question answered confidentially is not open (it was answered), so it is not listed.
    """
    by_question = {e.question: e for e in shown}
    out: list[OpenItem] = []
    for number, (section, question) in enumerate(guide.questions(), start=1):
        found = by_question.get(question.id)
        if question.id in withheld or (found is not None and not found.skipped):
            continue
        out.append(OpenItem(
            number=number, ref=f"Q{number}", question=question.id, prompt=question.prompt, part=section.title,
            status="skipped" if found is not None else "unanswered",
            reason=found.skip_reason if found is not None else "", required=question.required,
        ))
    return out


def successor_added(findings: Sequence[dict[str, Any]]) -> list[SuccessorFollowup]:
    """The successor's follow-up answers (already shareable-only), as the pack prints them."""
    out: list[SuccessorFollowup] = []
    for finding in findings:
        answers: list[SuccessorAnswer] = []
        for answer in finding["answers"]:
            rows = ["; ".join(str(v) for v in row.values() if str(v).strip()) for row in answer["items"]]
            answers.append(SuccessorAnswer(
                ref=f"Q{answer['number']}" if answer.get("number") else "", question=str(answer["question"]),
                prompt=str(answer["prompt"]), paragraphs=paragraphs(str(answer["text"])),
                rows=[r for r in rows if r], correction=answer.get("purpose") == "corrections",
            ))
        day, person = int(str(finding["day"] or 0)), str(finding["person"])
        out.append(SuccessorFollowup(day=day, person=person, title=f"{day}-day follow-up with {person}",
                                     answers=answers))
    return out


def refs(shown: Iterable[Entry]) -> list[Ref]:
    """Pointers back to entries, in entry order."""
    out = [Ref(e.number, e.ref, e.question, e.prompt, e.section_title or e.part) for e in shown]
    return sorted(out, key=lambda r: r.number)


def where(pointers: list[Ref]) -> str:
    """``Risks and warnings (Q14); People and stakeholder map (Q12)``, at most six of them."""
    shown = "; ".join(f"{r.section} ({r.ref})" for r in pointers[:WHERE_LIMIT])
    more = len(pointers) - WHERE_LIMIT
    return f"{shown}; and {more} more" if more > 0 else shown


def entities(mentions: Sequence[Mention], readable: Sequence[Answer], entry_of: dict[str, Entry]) -> list[Entity]:
    """The entity index: each entity points back to the entries it comes from."""
    question_of = {a.id: a.question_id for a in readable}
    secret = {a.id for a in readable if is_confidential(a)}
    rank = {label: i for i, label in enumerate(ENTITY_TYPES)}
    out: list[Entity] = []
    for group in group_mentions(mentions, skip_labels=SKIPPED_LABELS):
        questions = dict.fromkeys(question_of.get(m.answer_id, "") for m in group.mentions)
        pointers = refs(entry_of[q] for q in questions if q in entry_of)
        out.append(Entity(
            confidential=all(m.answer_id in secret for m in group.mentions),
            text=group.text, key=group.key, label=group.label,
            type=ENTITY_TYPES.get(group.label, group.label.replace("_", " ").capitalize()),
            count=group.count, refs=pointers, where=where(pointers),
        ))
    out.sort(key=lambda e: (rank.get(e.label, len(rank)), e.text.casefold()))
    return out


# Labels a theme of the HR exit report must not name: "Report themes, never names."
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "EMAIL"})


def topics(all_topics: Sequence[Topic], evidence: Sequence[Answer], mentions: Sequence[Mention],
           *, names_allowed: bool) -> list[TopicItem]:
    """Interview-level topics that a shown answer evidences, flagged if only confidential ones do.

    Args:
        all_topics: The interview's topics (interview-level and answer-level).
        evidence: The answers a topic may be drawn from (readable, and for the HR report not
            restricted: escalations are never reported as themes).
        mentions: Mentions of those answers, for keeping names out of themes.
        names_allowed: Whether a topic may name a person or an organisation.
    """
    said = TopicEvidence.of(evidence, all_topics)
    said_openly = TopicEvidence.of([a for a in evidence if not is_confidential(a)], all_topics)
    names = set() if names_allowed else {
        m.text.casefold() for m in mentions if m.label in NAME_LABELS and len(m.text) > 2
    }
    out: list[TopicItem] = []
    for topic in sorted((t for t in all_topics if t.answer_id is None), key=lambda t: -t.score):
        phrase = topic.phrase.casefold()
        if not said.shows(phrase) or any(name in phrase or phrase in name for name in names):
            continue
        out.append(TopicItem(topic.phrase, round(float(topic.score), 4), not said_openly.shows(phrase)))
    return out


def gaps(found: Iterable[Gap], withheld: frozenset[str], secret_questions: set[str],
         secret_names: list[str]) -> list[GapItem]:
    """Gaps as the pack shows them; none about an answer the reader may not see."""
    out: list[GapItem] = []
    for gap in found:
        if gap.question in withheld:
            continue  # answered, only confidentially: not a gap, and nothing to say about it
        item = gap.item or ""
        out.append(GapItem(
            kind=gap.kind, message=gap.message, follow_up=gap.follow_up, question=gap.question or "",
            item=item,
            # Only with --include-confidential can a gap concern a confidential answer.
            confidential=gap.question in secret_questions
            or any(name and (name == item or name in gap.message) for name in secret_names),
        ))
    return out


def single_holder(found_topics: list[TopicItem], found_entities: list[Entity], all_entries: list[Entry],
                  held_elsewhere: frozenset[str]) -> list[HolderItem]:
    """Topics and systems nobody else's shareable answers mention."""
    out: list[HolderItem] = []
    seen: set[str] = set()
    haystacks = [
        (e, " ".join([e.text, *(c.value for r in e.rows for c in r.cells)]).casefold()) for e in all_entries
    ] if found_topics else []
    for topic in found_topics:
        key = topic.phrase.casefold()
        if key in held_elsewhere or key in seen:
            continue
        seen.add(key)
        pointers = refs(e for e, text in haystacks if key in text)
        out.append(HolderItem(topic.phrase, "Topic", pointers, where(pointers), topic.confidential))
    for entity in found_entities:
        key = entity.key.casefold()
        if entity.label not in HOLDABLE_LABELS or key in held_elsewhere or key in seen:
            continue
        seen.add(key)
        out.append(HolderItem(entity.text, entity.type, entity.refs, entity.where, entity.confidential))
    return out


__all__ = [
    "aware", "counted", "entities", "entries", "gaps", "iso", "long_date", "open_items", "person_block", "refs",
    "sections", "single_holder", "successor_added", "tables", "topics", "where",
]
