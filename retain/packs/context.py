"""The pack context: the typed model (:mod:`retain.packs.model`) built from an interview.

:func:`build_context` first filters the interview for its reader
(:func:`retain.domain.visibility.view`), then assembles the context from small pure builders
(:mod:`retain.packs.builders`) that only ever see that filtered view. Every key is always
present (an absent value is ``""`` or ``[]``), so a template can use any placeholder without
guarding it; ``PackContext.to_json()`` is what renderers and ``--format json`` read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from retain.domain.answers import is_done
from retain.domain.gaps import find_gaps
from retain.domain.journey import corrections_as_gaps, review_label
from retain.domain.progress import compute_progress
from retain.domain.types import InterviewStatus, Track
from retain.domain.visibility import Reader, reader_for, view
from retain.errors import ConfidentialityError, Fix
from retain.guides.sections import HR_SECTIONS, PACK_SECTIONS
from retain.packs import builders as build
from retain.packs.catalog import (
    ENTITY_TYPES,
    HOLDABLE_LABELS,
    HR_ABOUT,
    HR_CHECKLIST,
    PACK_ABOUT,
    SINGLE_HOLDER_LIMIT,
    SKIPPED_LABELS,
    STATUS_LABELS,
    TABLES,
    TableDef,
    checklist,
)
from retain.packs.model import (
    Cover,
    Entry,
    GapItem,
    GuideRef,
    Highlight,
    InterviewBlock,
    KnowledgeRisk,
    PackContext,
    ProgressBlock,
    Properties,
    Signatory,
    Signoff,
)
from retain.packs.records import StoredAnswer as Answer
from retain.packs.records import StoredInterview as Interview
from retain.packs.records import StoredMention as Mention
from retain.packs.records import StoredPerson as Person
from retain.packs.records import StoredTopic as Topic

if TYPE_CHECKING:
    # Only a type: a one-off export reads the snapshot without pydantic (retain.packs.guide_view).
    from retain.guides.schema import Guide

long_date = build.long_date
person_block = build.person_block


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
        followups: The successor follow-ups' shareable answers
            (:func:`retain.services.journey.successor_findings`).
    """

    interview: Interview
    guide: Guide
    person: Person
    successor: Person | None
    answers: Sequence[Answer]
    mentions: Sequence[Mention] = field(default_factory=list)
    topics: Sequence[Topic] = field(default_factory=list)
    held_elsewhere: frozenset[str] = frozenset()
    # What the successor's follow-ups added (shareable answers only; see services.journey).
    followups: list[dict[str, Any]] = field(default_factory=list)
    # Imported answers: answer id -> where the answer starts in its recording ("12:04").
    recorded_at: dict[int, str] = field(default_factory=dict)


def build_context(
    data: PackData,
    *,
    include_confidential: bool = False,
    reader: Reader | None = None,
    now: datetime | None = None,
) -> PackContext:
    """Build the pack context of one interview, for one reader.

    Args:
        data: The interview and everything extracted from it.
        include_confidential: Shorthand for ``reader=HR_READER``: confidential answers are
            included, clearly labelled. Without it, confidential answers and everything
            derived from them (list rows, entities, topics found only in them, gaps about
            them) are left out entirely.
        reader: Who reads (overrides ``include_confidential``).
        now: The generation time (defaults to the current time).

    Raises:
        ConfidentialityError: For an exit-track interview read without confidential access.
    """
    reader = reader or reader_for(include_confidential)
    interview, guide = data.interview, data.guide
    if interview.track == "exit" and not reader.include_confidential:
        raise ConfidentialityError(
            f"interview {interview.id} is a confidential exit interview",
            fix=Fix.INCLUDE_CONFIDENTIAL,
        )
    now = build.aware(now) or datetime.now(UTC)
    hr = interview.track == "exit"
    titles = HR_SECTIONS if hr else PACK_SECTIONS
    seen = view(data.answers, data.mentions, reader)

    entries, parts = build.entries(guide, seen.answers, titles, data.recorded_at)
    entry_of = {e.question: e for e in entries}
    tables = build.tables(guide, seen.answers, entry_of)
    sections = build.sections(entries, tables, titles, HR_ABOUT if hr else PACK_ABOUT, not hr)
    entities = build.entities(seen.mentions, seen.readable, entry_of)
    restricted = {q.id for _, q in guide.questions() if q.restricted}
    # Restricted escalations are never reported as themes, and HR themes never name anyone.
    evidence = [a for a in seen.readable if not (hr and a.question_id in restricted)]
    evidence_ids = {a.id for a in evidence}
    topics = build.topics(data.topics, evidence, [m for m in seen.mentions if m.answer_id in evidence_ids],
                          names_allowed=not hr)
    people = [p.name for p in (data.person, data.successor) if p is not None]
    gaps = build.gaps(
        find_gaps(guide, seen.answers, seen.mentions, people=people), seen.withheld,
        {a.question_id for a in seen.answers if a.id in seen.confidential_ids},
        [e.text for e in entities if e.confidential],
    )
    if not hr:
        # What the successor found wrong or missing is a gap on this handover (shareable only).
        gaps += [
            GapItem(kind=g["kind"], message=g["message"], follow_up=g["follow_up"], question="",
                    item=g["item"], confidential=False)
            for g in corrections_as_gaps(data.followups)
        ]
    holders = build.single_holder(topics, entities, entries, data.held_elsewhere)
    extracted = bool(seen.mentions) or any(a.extracted_at is not None for a in seen.answers)
    name = data.person.name
    summary = [build.counted(len(gaps), "gap to follow up", "gaps to follow up") if gaps else "No gaps to follow up"]
    if extracted:
        summary.append(
            build.counted(len(holders), "topic or system", "topics or systems") + f" that only {name} talked about"
            if holders else f"no topic or system that only {name} talked about"
        )
    who_else = [e for e in entries if e.purpose == "who_else_knows"]
    risk = KnowledgeRisk(
        gaps=gaps, single_holder=holders[:SINGLE_HOLDER_LIMIT], single_holder_total=len(holders),
        single_holder_more=max(0, len(holders) - SINGLE_HOLDER_LIMIT), who_else_knows=who_else,
        extracted=extracted, summary=" and ".join(summary) + ".", empty=not gaps and not holders and not who_else,
    )
    shown_confidential = sum(1 for a in seen.answers if a.id in seen.confidential_ids and is_done(a))
    withheld = sum(1 for a in data.answers if a.question_id in seen.withheld and is_done(a))
    cover, properties, label, notice, title = _cover(data, hr, shown_confidential, now)
    return PackContext(
        kind="hr_exit" if hr else "handover",
        title=title, label=label, notice=notice,
        include_confidential=reader.include_confidential,
        includes_confidential=shown_confidential > 0,
        confidential_count=shown_confidential,
        withheld=withheld,
        withheld_text=(
            f"{build.counted(withheld, 'answer was', 'answers were')} marked confidential and "
            f"{'is' if withheld == 1 else 'are'} not included in this pack." if withheld else ""
        ),
        generated_at=now.isoformat(), generated_on=long_date(now),
        empty=not any(e.answered for e in entries),
        empty_text=(
            "This interview has no answers yet, so every section below is empty. Complete the "
            "interview and generate the pack again."
        ),
        interview=InterviewBlock(
            id=interview.id or 0, guide=interview.guide_id, guide_title=interview.guide_title or guide.title,
            guide_version=interview.guide_version, track=cast(Track, interview.track),
            status=cast(InterviewStatus, interview.status), reviewed=interview.reviewed,
            created_at=build.iso(interview.created_at), updated_at=build.iso(interview.updated_at),
            completed_at=build.iso(interview.completed_at),
        ),
        cover=cover, properties=properties,
        progress=_progress(guide, data.answers, seen.withheld),
        sections=sections, tables=tables, entities=entities, topics=topics, gaps=gaps, knowledge_risk=risk,
        highlights=[
            Highlight(e.ref, e.question, e.prompt, e.value, e.type, e.confidential)
            for e in entries if e.type in ("choice", "scale", "yesno", "date") and e.answered and not e.restricted
        ],
        signoff=_signoff(entries, hr, name, cover),
        appendix=parts,
        unsectioned=[e for e in entries if not e.section],
        entries=entries,
        open_items=build.open_items(guide, entries, seen.withheld),
        successor_added=[] if hr else build.successor_added(data.followups),
    )


def _cover(data: PackData, hr: bool, confidential: int, now: datetime) -> tuple[Cover, Properties, str, str, str]:
    interview, guide, name = data.interview, data.guide, data.person.name
    # "REVIEWED by Nora Lindqvist, 3 Dec 2026": the state with who and when, on every page.
    review_word = review_label(interview.review_state, interview.reviewed_by, interview.reviewed_at,
                               interview.accepted_by, interview.accepted_at)
    if hr:
        label = "CONFIDENTIAL — HR EXIT REPORT"
        notice = "Confidential: HR only. Report themes, never names. Do not forward."
        title = "Exit interview report"
    elif confidential:
        label = f"CONFIDENTIAL HANDOVER — {review_word}"
        notice = (
            f"Includes {build.counted(confidential, 'confidential answer', 'confidential answers')}, "
            "each marked CONFIDENTIAL. Restricted distribution: do not forward."
        )
        title = "Handover pack"
    else:
        label, notice, title = f"SHAREABLE HANDOVER — {review_word}", "", "Handover pack"
    successor = person_block(data.successor)
    interviewer = interview.interviewer or ""
    subtitle = interview.guide_title or guide.title
    cover = Cover(
        title=title, subtitle=subtitle, label=label, person=person_block(data.person), successor=successor,
        role_line=" · ".join(part for part in (data.person.role, data.person.team) if part),
        label_color="B42318" if hr or confidential else "1F4E79",
        successor_name=successor.name or "Not yet named", has_successor=bool(successor.name),
        interviewer=interviewer or "Not recorded",
        guide=GuideRef(interview.guide_id, subtitle, interview.guide_version),
        status=cast(InterviewStatus, interview.status),
        status_label=STATUS_LABELS.get(interview.status, interview.status.replace("_", " ").capitalize()),
        reviewed=interview.reviewed,
        review_status=_review_status(interview, name, data.successor),
        started_on=long_date(interview.created_at),
        completed_on=long_date(interview.completed_at) or "Not yet completed",
        leaving_on=long_date(data.person.leaving_date) or "Not recorded",
        generated_on=long_date(now),
        review_state=interview.review_state, review_label=review_word,
        reviewed_by=interview.reviewed_by or "", reviewed_on=long_date(interview.reviewed_at),
        accepted_by=interview.accepted_by or "", accepted_on=long_date(interview.accepted_at),
    )
    properties = Properties(
        title=f"{title}: {name}", subject=f"{subtitle} — {label}", author=interviewer or "retain",
        keywords="exit interview; HR; confidential" if hr else "handover; knowledge transfer",
        category=label, comments=notice,
    )
    return cover, properties, label, notice, title


def _review_status(interview: Interview, name: str, successor: Person | None) -> str:
    """The cover's review sentence: who checked the pack and who accepted it, with dates."""
    if interview.review_state == "accepted":
        return (f"Reviewed by {interview.reviewed_by} on {long_date(interview.reviewed_at)}; accepted by "
                f"{interview.accepted_by} on {long_date(interview.accepted_at)}")
    if interview.review_state == "reviewed":
        heir = successor.name if successor else "the successor"
        return (f"Reviewed by {interview.reviewed_by} on {long_date(interview.reviewed_at)}; "
                f"not yet accepted by {heir}")
    return f"Draft: not yet reviewed by {name} or their manager"


def _signoff(entries: list[Entry], hr: bool, name: str, cover: Cover) -> Signoff:
    consent = next((e for e in entries if e.purpose == "consent"), None)
    successor = cover.successor.name
    interviewer = "" if cover.interviewer == "Not recorded" else cover.interviewer
    return Signoff(
        consent=consent.value if consent else "",
        consent_recorded=consent is not None and bool(consent.value),
        checklist=list(HR_CHECKLIST) if hr else checklist(name),
        signatories=(
            [Signatory("Interviewer", interviewer), Signatory("HR lead", "")] if hr else [
                Signatory("Leaving employee", name), Signatory("Successor", successor),
                Signatory("Manager or interviewer", interviewer),
            ]
        ),
        statement=(
            "Reviewed for themes and restricted follow-up." if hr else
            f"I, {successor or 'the successor'}, have received this handover pack and accept the handover "
            "subject to the open points above."
        ),
    )


def _progress(guide: Guide, answers: Sequence[Answer], withheld: frozenset[str]) -> ProgressBlock:
    progress = compute_progress(guide, answers, withheld)
    return ProgressBlock(
        answered=progress.answered, skipped=progress.skipped, total=progress.total,
        required_missing=progress.required_missing,
        percent=round(100 * progress.done / progress.total) if progress.total else 0,
    )


__all__ = [
    "ENTITY_TYPES", "HOLDABLE_LABELS", "SKIPPED_LABELS", "TABLES", "PackContext", "PackData", "TableDef",
    "build_context", "long_date", "person_block",
]
