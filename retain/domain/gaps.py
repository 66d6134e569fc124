"""Gap analysis: what an interview still misses, each with a follow-up question (no LLM).

Gaps about what was *said* (a system or person mentioned but not listed, rhythms mentioned)
read only shareable answers: the lists they point to are shareable, so a gap drawn from a
confidential answer would nudge the interviewer to copy confidential content into them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from retain.domain.answers import is_done, is_filled
from retain.domain.entities import MentionLike
from retain.domain.types import JsonObject
from retain.domain.visibility import SHAREABLE_READER, Derived, Shown
from retain.guides.sections import PACK_SECTIONS
from retain.nlp.normalize import mention_key, normalise
from retain.nlp.resolve import listed, short_forms

if TYPE_CHECKING:  # only types: a one-off export reads guide snapshots without pydantic
    from retain.guides.schema import Guide, Question


class Answer(Shown, Protocol):
    """What gap analysis reads of an answer."""


class Mention(Derived, MentionLike, Protocol):
    """What gap analysis reads of a mention."""

    @property
    def start(self) -> int: ...


# Gap kinds, in the order they are listed.
KINDS: tuple[str, ...] = (
    "required_unanswered", "single_holder", "system_not_listed", "person_not_in_contacts",
    "rhythms_not_listed", "empty_pack_section",
)
# A "who else knows?" answer that names nobody is the clearest single-holder risk.
_NOBODY = re.compile(
    r"\b(?:nobody|no[- ]one|none|noone|only me|just me|only i\b|nobody else|not really anyone)\b",
    re.IGNORECASE,
)
# Pack sections that hold no know-how of their own: consent and sign-off.
_NOT_KNOWLEDGE = frozenset({"signoff"})


@dataclass(frozen=True)
class Gap:
    """One thing missing from an interview, and the question that would fill it."""

    kind: str
    message: str
    follow_up: str
    question: str | None = None
    item: str | None = None

    def to_json(self) -> JsonObject:
        """The JSON shape used in ``interview show --json``."""
        return {"kind": self.kind, "message": self.message, "follow_up": self.follow_up,
                "question": self.question, "item": self.item}


_filled = is_filled


def _row_keys(answer: Answer | None) -> tuple[set[str], str]:
    """The normalised keys of a list answer's rows (every field), and all its text folded."""
    if answer is None or answer.skipped:
        return set(), ""
    keys: set[str] = set()
    parts: list[str] = []
    for row in answer.items:
        for value in row.values():
            if value and value.strip():
                keys.add(mention_key(value))
                keys.add(normalise(value))
                parts.append(normalise(value))
    parts.append(normalise(answer.text))
    return keys, " | ".join(parts)


def _listed(mention: Mention, keys: set[str], text: str) -> bool:
    """Whether a list answer already covers a mention ("Jira" is covered by "JIRA Cloud")."""
    candidates = {mention.key, normalise(mention.text), mention_key(mention.text)}
    if candidates & keys:
        return True
    return any(c and re.search(r"(?<!\w)" + re.escape(c) + r"(?!\w)", text) for c in candidates)


def _first_by_key(mentions: Iterable[Mention], label: str, skip_answer: int | None) -> list[Mention]:
    """One mention per entity, in text order; "Kwame" after "Kwame Asante" is the same person.

    The mention shown is the first one spelt as the entity's full name, so a follow-up offers
    "Kwame Asante", not "Kwame".
    """
    chosen = [m for m in sorted(mentions, key=lambda m: (m.answer_id or 0, m.start))
              if m.label == label and m.answer_id != skip_answer]
    aliases = short_forms(chosen) if label == "PERSON" else {}
    groups: dict[str, list[Mention]] = {}
    for m in chosen:
        groups.setdefault(aliases.get(m.key, m.key), []).append(m)
    return [next((m for m in group if m.key == key), group[0]) for key, group in groups.items()]


def _row_values(answer: Answer | None) -> list[str]:
    """Every field of a list answer's rows, as written."""
    if answer is None or answer.skipped:
        return []
    return [value for row in answer.items for value in row.values() if value and value.strip()]


def find_gaps(
    guide: Guide,
    answers: Sequence[Answer],
    mentions: Sequence[Mention],
    *,
    people: Sequence[str] = (),
) -> list[Gap]:
    """Deterministic gaps for one interview.

    Every interview gets the required-question check. Handover interviews also get:
    ``single_holder`` (knowledge captured but nobody else named as knowing it),
    ``system_not_listed`` (a SYSTEM mentioned but not in the systems list),
    ``person_not_in_contacts`` (a PERSON mentioned but not among the contacts),
    ``rhythms_not_listed`` (rhythms mentioned, recurring list empty) and
    ``empty_pack_section`` (a pack section the guide feeds that would print empty).

    Args:
        guide: The interview's guide snapshot.
        answers: The answers the reader may see (:func:`retain.domain.visibility.view`).
        mentions: Entities extracted from those answers (may be empty before extraction);
            only those of shareable, unskipped answers raise gaps.
        people: Names never reported as missing contacts (the interviewee, the successor).

    Returns:
        Gaps grouped by kind, each in guide or text order, with a suggested follow-up.
    """
    by_question = {a.question_id: a for a in answers}
    gaps: list[Gap] = []
    for _, question in guide.questions():
        if question.required and not is_done(by_question.get(question.id)):
            gaps.append(
                Gap(
                    kind="required_unanswered",
                    message=f"Required question {question.id!r} is unanswered.",
                    follow_up=question.prompt,
                    question=question.id,
                )
            )
    if guide.track != "handover":
        return gaps
    # Evidence for "add it to the list" gaps: what a shareable reader may read, nothing else.
    open_ids = {a.id for a in answers if SHAREABLE_READER.may_read(a)}
    mentions = [m for m in mentions if m.answer_id in open_ids]
    gaps += _single_holder(guide, by_question)
    gaps += _systems_not_listed(guide, by_question, mentions)
    gaps += _people_not_in_contacts(guide, by_question, mentions, people)
    gaps += _rhythms_not_listed(guide, by_question, mentions)
    gaps += _empty_sections(guide, by_question)
    return gaps


def _single_holder(guide: Guide, by_question: dict[str, Answer]) -> list[Gap]:
    question = guide.by_purpose("who_else_knows")
    if question is None:
        return []
    knowledge = any(
        _filled(by_question.get(q.id))
        for _, q in guide.questions()
        if q.id != question.id and q.pack not in _NOT_KNOWLEDGE and q.purpose not in ("consent",)
    )
    if not knowledge:
        return []
    answer = by_question.get(question.id)
    if not _filled(answer):
        return [Gap(
            kind="single_holder",
            message="Nobody else is named as knowing this work: everything captured is a single-holder risk.",
            follow_up=f"{question.prompt} Name one person for each area, even if they only know part of it.",
            question=question.id,
        )]
    assert answer is not None
    if _NOBODY.search(answer.text) and not answer.items:
        return [Gap(
            kind="single_holder",
            message="The interviewee says nobody else knows this work: a single-holder risk.",
            follow_up="Who could learn it before you leave, and which piece should they shadow first?",
            question=question.id,
        )]
    return []


def _systems_not_listed(guide: Guide, by_question: dict[str, Answer],
                        mentions: Sequence[Mention]) -> list[Gap]:
    question = guide.by_purpose("systems")
    if question is None:
        return []
    answer = by_question.get(question.id)
    keys, text = _row_keys(answer)
    gaps: list[Gap] = []
    for mention in _first_by_key(mentions, "SYSTEM", answer.id if answer is not None else None):
        if _listed(mention, keys, text) or listed(mention.text, "SYSTEM", _row_values(answer)):
            continue
        gaps.append(Gap(
            kind="system_not_listed",
            message=f"{mention.text} was mentioned: add it to systems and access?",
            follow_up=f"What do you use {mention.text} for, how does your successor get access, and who owns it?",
            question=question.id,
            item=mention.text,
        ))
    return gaps


def _people_not_in_contacts(guide: Guide, by_question: dict[str, Answer], mentions: Sequence[Mention],
                            people: Sequence[str]) -> list[Gap]:
    question = guide.by_purpose("contacts")
    if question is None:
        return []
    answer = by_question.get(question.id)
    keys, text = _row_keys(answer)
    # "Priya" is covered by a contact row "Priya Shah": compare first and last names too.
    names = {part for key in keys for part in key.split()} | keys
    excluded = {normalise(p) for p in people if p}
    excluded |= {part for p in excluded for part in p.split()}
    gaps: list[Gap] = []
    for mention in _first_by_key(mentions, "PERSON", answer.id if answer is not None else None):
        key = mention.key
        if key in excluded or key in names or _listed(mention, keys, text):
            continue
        if listed(mention.text, "PERSON", _row_values(answer)):
            continue  # "Kwame Asante in Finance" is listed as "Kwame Asante"
        if all(part in names for part in key.split()):
            continue
        gaps.append(Gap(
            kind="person_not_in_contacts",
            message=f"{mention.text} was mentioned but is not among the key contacts.",
            follow_up=f"Should your successor meet {mention.text}? What should they ask them about?",
            question=question.id,
            item=mention.text,
        ))
    return gaps


def _rhythms_not_listed(guide: Guide, by_question: dict[str, Answer],
                        mentions: Sequence[Mention]) -> list[Gap]:
    question = guide.by_purpose("recurring")
    if question is None or _filled(by_question.get(question.id)):
        return []
    rhythms = _first_by_key(mentions, "RECURRENCE", None)
    if not rhythms:
        return []
    named = ", ".join(m.text for m in rhythms[:3])
    return [Gap(
        kind="rhythms_not_listed",
        message=f"Rhythms were mentioned ({named}) but the recurring tasks list is empty.",
        follow_up=(f"You mentioned {rhythms[0].text}: what happens then, and what does your "
                   "successor need to do each time?"),
        question=question.id,
        item=rhythms[0].text,
    )]


def _empty_sections(guide: Guide, by_question: dict[str, Answer]) -> list[Gap]:
    feeding: dict[str, list[Question]] = {}
    for _, question in guide.questions():
        if question.pack in PACK_SECTIONS:
            feeding.setdefault(question.pack, []).append(question)
    gaps: list[Gap] = []
    for section, title in PACK_SECTIONS.items():
        questions = feeding.get(section)
        if not questions or any(_filled(by_question.get(q.id)) for q in questions):
            continue
        gaps.append(Gap(
            kind="empty_pack_section",
            message=f"The handover pack section {title!r} would be empty.",
            follow_up=questions[0].prompt,
            question=questions[0].id,
            item=section,
        ))
    return gaps


__all__ = ["KINDS", "Gap", "find_gaps"]
