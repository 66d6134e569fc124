"""The pack context: one plain, documented dict built from an interview, used by every renderer.

The context holds only strings, numbers, booleans, lists and dicts, so it prints as JSON as is,
and every key is always present (an absent value is ``""`` or ``[]``), so a template can use
any placeholder without guarding it. docs/templates.md documents every key.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from retain.errors import ConfidentialityError
from retain.guides.schema import HR_SECTIONS, PACK_SECTIONS, Guide, Question
from retain.packs.hygiene import paragraphs
from retain.progress import compute_progress, is_answered
from retain.store.models import Answer, Interview, Mention, Person, Topic

# What each handover section is for, printed under its heading so a successor knows what to
# expect there. Word templates carry the same words as literal text that people can edit.
PACK_ABOUT: dict[str, str] = {
    "week_one": "Start here: what only the previous holder knew or did, and what needs attention first.",
    "role": "What the role is really for, beyond the job description.",
    "in_flight": "Work in progress, promises made and what is coming up, each with its next step.",
    "rhythms": "What happens daily, weekly, monthly, quarterly and yearly, and what triggers it.",
    "systems": (
        "The systems, tools and data the role relies on, and how to get access. Passwords and "
        "secrets are never recorded here: only where they live and who grants access."
    ),
    "processes": "How things actually get done, including workarounds and the last time something went wrong.",
    "people": "Who to meet first, what to ask them about, and who depends on this work.",
    "decisions": "Why things are done the way they are, so you know what is safe to change.",
    "risks": "What could go wrong, the early warning signs, and how to avoid or handle it.",
    "tacit": "Rules of thumb, advice for the first month, and who else knows what.",
    "signoff": "What the previous holder agreed to about follow-up questions, and the successor's acceptance.",
}

HR_ABOUT: dict[str, str] = {
    "hr_reasons": "Why the person is leaving: the story, the push and pull factors, and what might have kept them.",
    "hr_role": "How the job, the workload and the tools worked out in practice.",
    "hr_manager": "Support from the manager and how the team worked together.",
    "hr_culture": "Culture, development and recognition.",
    "hr_onboarding": "What helped and what was missing in the first months.",
    "hr_change": "The one thing the person would change, and anything else they want known.",
    "hr_alumni": "Whether they would come back, and how they want to stay in touch.",
    "hr_escalation": (
        "Restricted: concerns routed to the HR lead and, where needed, Legal or Compliance. "
        "Never reported as themes."
    ),
    "hr_consent": "What the person agreed to about how their answers are used and about follow-up.",
}


@dataclass(frozen=True)
class TableDef:
    """A list-question table of the handover pack, found by question ``purpose``."""

    key: str
    title: str
    section: str
    columns: tuple[tuple[str, str], ...]
    empty_text: str


TABLES: tuple[TableDef, ...] = (
    TableDef("open_items", "Open items", "in_flight",
             (("item", "Work item"), ("status", "Status"), ("next_step", "Next step"), ("due", "Due")),
             "No open items were recorded."),
    TableDef("recurring", "Recurring tasks", "rhythms",
             (("task", "Task"), ("rhythm", "When or how often"), ("notes", "Notes")),
             "No recurring tasks were recorded."),
    TableDef("systems", "Systems and access", "systems",
             (("name", "System or tool"), ("purpose", "What it is used for"),
              ("access", "How to get access"), ("owner", "Owner or admin")),
             "No systems or tools were recorded."),
    TableDef("contacts", "Contacts", "people",
             (("name", "Name"), ("role", "Role or organisation"), ("ask_about", "Ask them about")),
             "No contacts were recorded."),
    TableDef("risks", "Risks", "risks",
             (("risk", "Risk"), ("impact", "Impact if it happens"), ("mitigation", "How to avoid or handle it")),
             "No risks were recorded in the risk table."),
)

# Entity labels in index order, with the word a reader sees. Counts, ordinals, quantities and
# percentages are left out of the index: they are noise to a successor.
ENTITY_TYPES: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "SYSTEM": "System or tool",
    "PRODUCT": "Product",
    "EMAIL": "Email",
    "URL": "Link",
    "RECURRENCE": "Rhythm",
    "DATE": "Date",
    "TIME": "Time",
    "EVENT": "Event",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Facility",
    "NORP": "Group",
    "LAW": "Law or regulation",
    "WORK_OF_ART": "Document or title",
    "MONEY": "Amount",
    "LANGUAGE": "Language",
}
SKIPPED_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT"})
# Labels whose items count as knowledge someone can hold alone (with topics).
HOLDABLE_LABELS = frozenset({"SYSTEM", "PRODUCT", "ORG"})
SINGLE_HOLDER_LIMIT = 20

STATUS_LABELS = {"draft": "Draft", "in_progress": "In progress", "completed": "Completed"}

GapFinder = Callable[[Guide, Sequence[Answer], Sequence[Mention]], Iterable[Any]]


@dataclass(frozen=True)
class PackData:
    """Everything a pack is built from, loaded by the export service (or made up for samples).

    Attributes:
        interview: The interview row.
        guide: Its guide snapshot.
        person: The person interviewed.
        successor: Who takes over, if named.
        answers: Every answer of the interview, confidential ones included.
        mentions: Every mention extracted from its answers.
        topics: Its topics: interview-level (``answer_id`` null) and answer-level.
        held_elsewhere: Casefolded topic phrases and entity keys that other people's shareable
            answers also mention: anything not in it is held by this person alone.
    """

    interview: Interview
    guide: Guide
    person: Person
    successor: Person | None
    answers: list[Answer]
    mentions: list[Mention] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    held_elsewhere: frozenset[str] = frozenset()


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands timestamps back naive; every stored timestamp is UTC.
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def long_date(value: date | datetime | None) -> str:
    """``12 March 2025`` (unambiguous in every English locale), or ``""``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = (_aware(value) or value).astimezone().date()
    return f"{value.day} {value:%B %Y}"


def _iso(moment: datetime | None) -> str:
    aware = _aware(moment)
    return aware.isoformat() if aware else ""


def person_block(person: Person | None) -> dict[str, str]:
    """A person as the context shows them; every key present, ``""`` when unknown."""
    if person is None:
        return {"name": "", "email": "", "role": "", "team": "", "status": "", "leaving_date": "",
                "leaving_on": ""}
    return {
        "name": person.name,
        "email": person.email or "",
        "role": person.role or "",
        "team": person.team or "",
        "status": person.status,
        "leaving_date": person.leaving_date.isoformat() if person.leaving_date else "",
        "leaving_on": long_date(person.leaving_date),
    }


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


def _row(question: Question, item: dict[str, str], confidential: bool) -> dict[str, Any]:
    cells = [{"title": f.title, "value": (item.get(f.id) or "").strip()} for f in question.fields]
    filled = [c for c in cells if c["value"]]
    lead = filled[0]["value"] if filled else ""
    detail = " · ".join(f"{c['title']}: {c['value']}" for c in filled[1:])
    return {"cells": cells, "lead": lead, "detail": detail, "confidential": confidential}


def _table_row(table: TableDef, question: Question, item: dict[str, str], confidential: bool) -> dict[str, Any]:
    row: dict[str, Any] = {cid: "" for cid, _ in table.columns}
    extras: list[str] = []
    for f in question.fields:
        value = (item.get(f.id) or "").strip()
        if f.id in row:
            row[f.id] = value
        elif value:
            # A guide may add columns of its own; they go in the last column, labelled.
            extras.append(f"{f.title}: {value}")
    if extras:
        last = table.columns[-1][0]
        row[last] = "; ".join(part for part in [row[last], *extras] if part)
    row["cells"] = [row[cid] for cid, _ in table.columns]
    row["confidential"] = confidential
    row["question"] = question.id
    return row


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def build_context(
    data: PackData,
    *,
    include_confidential: bool = False,
    now: datetime | None = None,
    find_gaps: GapFinder | None = None,
) -> dict[str, Any]:
    """Build the pack context of one interview.

    Args:
        data: The interview and everything extracted from it.
        include_confidential: Include confidential answers, clearly labelled. Without it,
            confidential answers and everything derived from them (list rows, entities,
            topics found only in them, gaps about them) are left out entirely.
        now: The generation time (defaults to the current time).
        find_gaps: The gap analysis to run on the visible answers
            (``retain.services.gaps.find_gaps``); ``None`` reports no gaps.

    Returns:
        The context documented in docs/templates.md.

    Raises:
        ConfidentialityError: For an exit-track interview without ``include_confidential``.
    """
    interview, guide = data.interview, data.guide
    track = interview.track
    if track == "exit" and not include_confidential:
        raise ConfidentialityError(
            f"interview {interview.id} is a confidential exit interview; add "
            "--include-confidential to write the HR exit report"
        )
    now = _aware(now) or datetime.now(UTC)
    kind = "hr_exit" if track == "exit" else "handover"
    section_titles = HR_SECTIONS if kind == "hr_exit" else PACK_SECTIONS
    abouts = HR_ABOUT if kind == "hr_exit" else PACK_ABOUT

    by_question = {a.question_id: a for a in data.answers}
    withheld = {a.question_id for a in data.answers if a.visibility != "shareable" and not include_confidential}
    visible = [a for a in data.answers if a.question_id not in withheld]
    visible_ids = {a.id for a in visible}
    confidential_shown = sum(1 for a in visible if a.visibility != "shareable" and (is_answered(a) or a.skipped))
    mentions = [m for m in data.mentions if m.answer_id in visible_ids]

    # -- entries: one per visible answered or skipped question, numbered in guide order -----
    entries: list[dict[str, Any]] = []
    entry_of: dict[str, dict[str, Any]] = {}
    parts: list[dict[str, Any]] = []
    for section in guide.sections:
        part_entries: list[dict[str, Any]] = []
        for question in section.questions:
            answer = by_question.get(question.id)
            if answer is None or question.id in withheld or not (is_answered(answer) or answer.skipped):
                continue
            confidential = answer.visibility != "shareable"
            # A deliberate skip wins over half-typed text, as in the interview's progress.
            answered = not answer.skipped
            text = "" if question.type == "list" or not answered else answer.text
            value = _display(question, text)
            entry = {
                "number": len(entries) + 1,
                "ref": f"Q{len(entries) + 1}",
                "question": question.id,
                "prompt": question.prompt,
                "type": question.type,
                "purpose": question.purpose or "",
                "section": question.pack if question.pack in section_titles else "",
                "section_title": section_titles.get(question.pack or "", ""),
                "part": section.title,
                "answered": answered,
                "skipped": answer.skipped,
                "skip_reason": (answer.skip_reason or "") if answer.skipped else "",
                "text": text,
                "value": value,
                "paragraphs": paragraphs(value) if question.type in ("text", "short") else ([value] if value else []),
                "rows": [_row(question, item, confidential) for item in answer.items]
                if question.type == "list" and answered else [],
                "columns": [f.title for f in question.fields],
                "confidential": confidential,
                "visibility": answer.visibility,
                "restricted": question.restricted,
                "table": "",
            }
            entries.append(entry)
            entry_of[question.id] = entry
            part_entries.append(entry)
        if part_entries:
            parts.append({"id": section.id, "title": section.title, "entries": part_entries})

    # -- list-question tables, found by purpose -------------------------------------------
    tables: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        sources = [
            q for _, q in guide.questions()
            if q.type == "list" and q.purpose == table.key and q.id in entry_of and entry_of[q.id]["rows"]
        ]
        labels = {f.id: f.title for q in sources[:1] for f in q.fields}
        rows: list[dict[str, Any]] = []
        for question in sources:
            entry_of[question.id]["table"] = table.key
            answer = by_question[question.id]
            rows.extend(_table_row(table, question, item, entry_of[question.id]["confidential"]) for item in answer.items)
        tables[table.key] = {
            "key": table.key,
            "title": table.title,
            "columns": [{"id": cid, "title": labels.get(cid, title)} for cid, title in table.columns],
            "rows": rows,
            "empty": not rows,
            "empty_text": table.empty_text,
            "questions": [q.id for q in sources],
        }

    # -- pack sections, fed by each question's pack key -----------------------------------
    sections: dict[str, dict[str, Any]] = {}
    for key, title in section_titles.items():
        own = [e for e in entries if e["section"] == key]
        section_tables = [tables[t.key] for t in TABLES if t.section == key] if kind == "handover" else []
        prose = [e for e in own if not e["table"]]
        sections[key] = {
            "key": key,
            "title": title,
            "about": abouts.get(key, ""),
            "entries": own,
            "prose": prose,
            "tables": section_tables,
            "empty": not prose and not any(t["rows"] for t in section_tables),
            "empty_text": "Nothing was recorded for this section.",
        }

    # -- entity index: each entry points back to the questions it came from ----------------
    question_of_answer = {a.id: a.question_id for a in visible}
    answer_confidential = {a.id: a.visibility != "shareable" for a in visible}
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.label not in SKIPPED_LABELS:
            groups[(mention.key, mention.label)].append(mention)
    type_rank = {label: i for i, label in enumerate(ENTITY_TYPES)}
    entities: list[dict[str, Any]] = []
    for (key, label), group in groups.items():
        text = Counter(m.text for m in group).most_common(1)[0][0]
        refs = _refs(
            entry_of[q] for q in dict.fromkeys(question_of_answer.get(m.answer_id, "") for m in group) if q in entry_of
        )
        entities.append({
            "confidential": all(answer_confidential.get(m.answer_id, False) for m in group),
            "text": text,
            "key": key,
            "label": label,
            "type": ENTITY_TYPES.get(label, label.replace("_", " ").capitalize()),
            "count": len(group),
            "refs": refs,
            "where": _where(refs),
        })
    entities.sort(key=lambda e: (type_rank.get(e["label"], len(type_rank)), e["text"].casefold()))

    # -- topics: interview-level, minus any found only in withheld answers ----------------
    # A topic is kept only if a shown answer evidences it, and flagged if only confidential
    # ones do: interview-level topics are computed over every answer.
    shareable = [a for a in visible if a.visibility == "shareable"]
    corpus = "\n".join(a.body or _flatten(a) for a in visible).casefold()
    open_corpus = "\n".join(a.body or _flatten(a) for a in shareable).casefold()
    answer_phrases = [(t.answer_id, t.phrase.casefold()) for t in data.topics if t.answer_id is not None]
    visible_phrases = {p for a, p in answer_phrases if a in visible_ids}
    open_ids = {a.id for a in shareable}
    open_phrases = {p for a, p in answer_phrases if a in open_ids}
    topics = [
        {"phrase": t.phrase, "score": round(float(t.score), 4),
         "confidential": not (t.phrase.casefold() in open_phrases or t.phrase.casefold() in open_corpus)}
        for t in sorted((t for t in data.topics if t.answer_id is None), key=lambda t: -t.score)
        if not withheld or t.phrase.casefold() in visible_phrases or t.phrase.casefold() in corpus
    ]

    # -- gaps and the knowledge-risk summary ---------------------------------------------
    gaps = []
    secret_questions = {a.question_id for a in visible if a.visibility != "shareable"}
    secret_names = [e["text"] for e in entities if e["confidential"]]
    for gap in find_gaps(guide, visible, mentions) if find_gaps else []:
        raw = gap.to_json() if hasattr(gap, "to_json") else dict(gap)
        if raw.get("question") in withheld:
            continue  # answered, only confidentially: not a gap, and nothing to say about it
        message = str(raw.get("message") or "")
        item = str(raw.get("item") or "")
        gaps.append({
            "kind": str(raw.get("kind") or ""),
            "message": message,
            "follow_up": str(raw.get("follow_up") or ""),
            "question": str(raw.get("question") or ""),
            "item": item,
            # Only with --include-confidential can a gap come from a confidential answer.
            "confidential": raw.get("question") in secret_questions
            or any(name and (name == item or name in message) for name in secret_names),
        })

    single_holder = _single_holder(topics, entities, entries, data.held_elsewhere)
    extracted = bool(mentions) or any(a.extracted_at is not None for a in visible)
    who_else = [e for e in entries if e["purpose"] == "who_else_knows"]
    name = data.person.name
    summary_parts = [_counted(len(gaps), "gap to follow up", "gaps to follow up") if gaps else "No gaps to follow up"]
    if extracted:
        summary_parts.append(
            _counted(len(single_holder), "topic or system", "topics or systems") + f" that only {name} talked about"
            if single_holder else f"no topic or system that only {name} talked about"
        )
    knowledge_risk = {
        "gaps": gaps,
        "single_holder": single_holder[:SINGLE_HOLDER_LIMIT],
        "single_holder_total": len(single_holder),
        "single_holder_more": max(0, len(single_holder) - SINGLE_HOLDER_LIMIT),
        "who_else_knows": who_else,
        "extracted": extracted,
        "summary": " and ".join(summary_parts) + ".",
        "empty": not gaps and not single_holder and not who_else,
    }

    # -- cover, labels and document properties -------------------------------------------
    progress = _progress(guide, data.answers, withheld)
    reviewed = interview.reviewed
    review_word = "REVIEWED" if reviewed else "DRAFT"
    includes_confidential = confidential_shown > 0
    if kind == "hr_exit":
        label = "CONFIDENTIAL — HR EXIT REPORT"
        notice = "Confidential: HR only. Report themes, never names. Do not forward."
        title = "Exit interview report"
    elif includes_confidential:
        label = f"CONFIDENTIAL HANDOVER — {review_word}"
        notice = (
            f"Includes {_counted(confidential_shown, 'confidential answer', 'confidential answers')}, "
            "each marked CONFIDENTIAL. Restricted distribution: do not forward."
        )
        title = "Handover pack"
    else:
        label = f"SHAREABLE HANDOVER — {review_word}"
        notice = ""
        title = "Handover pack"
    successor = person_block(data.successor)
    interviewer = interview.interviewer or ""
    cover = {
        "title": title,
        "subtitle": interview.guide_title or guide.title,
        "label": label,
        "person": person_block(data.person),
        "successor": successor,
        "role_line": " · ".join(part for part in (data.person.role, data.person.team) if part),
        "label_color": "B42318" if kind == "hr_exit" or includes_confidential else "1F4E79",
        "successor_name": successor["name"] or "Not yet named",
        "has_successor": bool(successor["name"]),
        "interviewer": interviewer or "Not recorded",
        "guide": {"id": interview.guide_id, "title": interview.guide_title or guide.title,
                  "version": interview.guide_version},
        "status": interview.status,
        "status_label": STATUS_LABELS.get(interview.status, interview.status.replace("_", " ").capitalize()),
        "reviewed": reviewed,
        "review_status": (f"Reviewed by {name}" if reviewed else f"Draft: not yet reviewed by {name}"),
        "started_on": long_date(interview.created_at),
        "completed_on": long_date(interview.completed_at) or "Not yet completed",
        "leaving_on": long_date(data.person.leaving_date) or "Not recorded",
        "generated_on": long_date(now),
    }
    properties = {
        "title": f"{title}: {name}",
        "subject": f"{cover['subtitle']} — {label}",
        "author": interviewer or "retain",
        "keywords": "exit interview; HR; confidential" if kind == "hr_exit" else "handover; knowledge transfer",
        "category": label,
        "comments": notice,
    }
    consent_entry = next((e for e in entries if e["purpose"] == "consent"), None)
    successor_line = successor["name"] or "the successor"
    signoff = {
        "consent": consent_entry["value"] if consent_entry else "",
        "consent_recorded": consent_entry is not None and bool(consent_entry["value"]),
        "checklist": (_HR_CHECKLIST if kind == "hr_exit" else _checklist(name)),
        "signatories": (
            [{"role": "Interviewer", "name": interviewer}, {"role": "HR lead", "name": ""}]
            if kind == "hr_exit"
            else [
                {"role": "Leaving employee", "name": name},
                {"role": "Successor", "name": successor["name"]},
                {"role": "Manager or interviewer", "name": interviewer},
            ]
        ),
        "statement": (
            f"I, {successor_line}, have received this handover pack and accept the handover "
            "subject to the open points above." if kind == "handover" else
            "Reviewed for themes and restricted follow-up."
        ),
    }
    highlights = [
        {"ref": e["ref"], "question": e["question"], "prompt": e["prompt"], "value": e["value"],
         "type": e["type"], "confidential": e["confidential"]}
        for e in entries
        if e["type"] in ("choice", "scale", "yesno", "date") and e["answered"] and not e["restricted"]
    ]
    answered_any = any(e["answered"] for e in entries)
    withheld_count = len([q for q in withheld if is_answered(by_question[q]) or by_question[q].skipped])
    return {
        "kind": kind,
        "title": title,
        "label": label,
        "notice": notice,
        "include_confidential": include_confidential,
        "includes_confidential": includes_confidential,
        "confidential_count": confidential_shown,
        "withheld": withheld_count,
        "withheld_text": (
            f"{_counted(withheld_count, 'answer was', 'answers were')} marked confidential and "
            f"{'is' if withheld_count == 1 else 'are'} not included in this pack."
            if withheld_count else ""
        ),
        "generated_at": now.isoformat(),
        "generated_on": long_date(now),
        "empty": not answered_any,
        "empty_text": (
            "This interview has no answers yet, so every section below is empty. Complete the "
            "interview and generate the pack again."
        ),
        "interview": {
            "id": interview.id or 0,
            "guide": interview.guide_id,
            "guide_title": interview.guide_title or guide.title,
            "guide_version": interview.guide_version,
            "track": track,
            "status": interview.status,
            "reviewed": reviewed,
            "created_at": _iso(interview.created_at),
            "updated_at": _iso(interview.updated_at),
            "completed_at": _iso(interview.completed_at),
        },
        "cover": cover,
        "properties": properties,
        "progress": progress,
        "sections": sections,
        "tables": tables,
        "entities": entities,
        "topics": topics,
        "gaps": gaps,
        "knowledge_risk": knowledge_risk,
        "highlights": highlights,
        "signoff": signoff,
        "appendix": parts,
        "unsectioned": [e for e in entries if not e["section"]],
        "entries": entries,
    }


_HR_CHECKLIST = [
    "Themes added to the quarterly exit report, without names.",
    "Restricted concerns passed to the HR lead within two working days.",
    "Agreed follow-up (rehire, alumni network, contact after leaving) recorded.",
]


def _checklist(name: str) -> list[str]:
    return [
        f"I have read this handover pack and discussed it with {name} or their manager.",
        "I have access to every system listed under Systems, tools and access, or know who grants it.",
        "I have met, or booked time with, the people listed under People and stakeholder map.",
        "I know the next step and the owner of each item under Work in flight and open items.",
        "The recurring tasks for the next three months are in my calendar.",
        "I have read the risks and warnings and know whom to call if one happens.",
        "Each gap and single-holder topic in the knowledge-risk summary has an owner or a follow-up date.",
    ]


def _flatten(answer: Answer) -> str:
    rows = ["; ".join(v for v in item.values() if v) for item in answer.items]
    return "\n".join(part for part in [answer.text, *rows] if part)


def _refs(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    refs = [
        {"number": e["number"], "ref": e["ref"], "question": e["question"], "prompt": e["prompt"],
         "section": e["section_title"] or e["part"]}
        for e in entries
    ]
    return sorted(refs, key=lambda r: r["number"])


WHERE_LIMIT = 6


def _where(refs: list[dict[str, Any]]) -> str:
    shown = "; ".join(f"{r['section']} ({r['ref']})" for r in refs[:WHERE_LIMIT])
    more = len(refs) - WHERE_LIMIT
    return f"{shown}; and {more} more" if more > 0 else shown


def _single_holder(
    topics: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    entries: list[dict[str, Any]],
    held_elsewhere: frozenset[str],
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    haystacks = [
        (e, " ".join([e["text"], *(c["value"] for r in e["rows"] for c in r["cells"])]).casefold())
        for e in entries
    ] if topics else []
    for topic in topics:
        key = topic["phrase"].casefold()
        if key in held_elsewhere or key in seen:
            continue
        seen.add(key)
        refs = _refs(e for e, text in haystacks if key in text)
        items.append({"item": topic["phrase"], "type": "Topic", "refs": refs, "where": _where(refs),
                      "confidential": topic["confidential"]})
    for entity in entities:
        key = entity["key"].casefold()
        if entity["label"] not in HOLDABLE_LABELS or key in held_elsewhere or key in seen:
            continue
        seen.add(key)
        items.append({"item": entity["text"], "type": entity["type"], "refs": entity["refs"],
                      "where": entity["where"], "confidential": entity["confidential"]})
    return items


def _progress(guide: Guide, answers: Sequence[Answer], withheld: set[str]) -> dict[str, Any]:
    progress = compute_progress(guide, answers, withheld)
    done, total = progress.done, progress.total
    return {
        "answered": progress.answered,
        "skipped": progress.skipped,
        "total": total,
        "required_missing": progress.required_missing,
        "percent": round(100 * done / total) if total else 0,
    }
