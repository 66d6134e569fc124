"""The interview guide schema: tracks, question types, pack sections, as pydantic models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from retain.domain.types import Track, Visibility
from retain.guides.sections import HR_SECTIONS as HR_SECTIONS
from retain.guides.sections import PACK_SECTIONS as PACK_SECTIONS

QuestionType = Literal["text", "short", "choice", "scale", "yesno", "date", "list"]

Purpose = Literal[
    "contacts",
    "systems",
    "recurring",
    "open_items",
    "risks",
    "who_else_knows",
    "consent",
    "escalation",
    # Successor follow-ups: what the successor found wrong or missing (becomes a gap).
    "corrections",
    # Exit insights: the structured reasons for leaving, and HR's own assessment.
    "primary_reason",
    "contributing_reasons",
    "separation",
    "regrettable",
]

TRACKS: tuple[str, ...] = ("exit", "handover")
VISIBILITIES: tuple[str, ...] = ("shareable", "confidential")
QUESTION_TYPES: tuple[str, ...] = ("text", "short", "choice", "scale", "yesno", "date", "list")

ALL_PACK_KEYS: tuple[str, ...] = (*PACK_SECTIONS, *HR_SECTIONS)

TRACK_DEFAULT_VISIBILITY: dict[str, Visibility] = {
    "exit": "confidential",
    "handover": "shareable",
}

_STRICT = ConfigDict(extra="forbid", frozen=True)


class ListField(BaseModel):
    """One column of a list question, e.g. ``{id: name}`` or ``{id: ask_about, label: ...}``."""

    model_config = _STRICT

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    label: str | None = None
    required: bool = False
    # A fixed list of values for the column (exit reasons), so answers can be counted.
    options: list[str] = Field(default_factory=list)

    @property
    def title(self) -> str:
        """The column title shown to people."""
        return self.label or self.id.replace("_", " ").replace("-", " ").capitalize()


class Question(BaseModel):
    """One question of a guide."""

    model_config = _STRICT

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    prompt: str = Field(min_length=1)
    help: str | None = None
    probes: list[str] = Field(default_factory=list)
    type: QuestionType = "text"
    required: bool = False
    visibility: Visibility | None = None
    pack: str | None = None
    fields: list[ListField] = Field(default_factory=list)
    options: list[str] = Field(default_factory=list)
    # Marks a question whose answers go to a restricted follow-up (harassment, safety, compliance).
    restricted: bool = False
    # What the question is for, so gap analysis and packs can find it whatever its id.
    purpose: Purpose | None = None

    @field_validator("pack")
    @classmethod
    def _known_pack(cls, value: str | None) -> str | None:
        if value is not None and value not in ALL_PACK_KEYS:
            raise ValueError(
                f"unknown pack section {value!r}; use one of {', '.join(ALL_PACK_KEYS)}"
            )
        return value

    @model_validator(mode="after")
    def _type_rules(self) -> Question:
        if self.type == "list" and not self.fields:
            raise ValueError(
                f"list question {self.id!r} has no fields; add fields: [{{id: name}}, ...]"
            )
        if self.type != "list" and self.fields:
            raise ValueError(f"question {self.id!r} has fields but is not type: list")
        if self.type == "choice" and not self.options:
            raise ValueError(f"choice question {self.id!r} has no options; add options: [...]")
        ids = [f.id for f in self.fields]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate field id {dupes[0]!r} in question {self.id!r}")
        return self

    @property
    def field_ids(self) -> list[str]:
        """The ids of a list question's columns."""
        return [f.id for f in self.fields]


class Section(BaseModel):
    """A group of questions, often one sitting of the interview."""

    model_config = _STRICT

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    intro: str | None = None
    questions: list[Question] = Field(default_factory=list)


class Guide(BaseModel):
    """A complete interview guide, as stored with every interview that uses it."""

    model_config = _STRICT

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    # Stored in an integer column with every interview, so it must fit one.
    version: int = Field(default=1, ge=1, le=1_000_000_000)
    track: Track
    description: str | None = None
    # A module names the guide it extends; its sections are added after the base guide's.
    extends: str | None = None
    sections: list[Section] = Field(default_factory=list)

    def questions(self) -> list[tuple[Section, Question]]:
        """Every question with its section, in interview order."""
        return [(s, q) for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> tuple[Section, Question] | None:
        """Find a question by id."""
        for section, question in self.questions():
            if question.id == question_id:
                return section, question
        return None

    def by_purpose(self, purpose: str) -> Question | None:
        """The first question declaring ``purpose`` (e.g. the contacts list), if any."""
        return next((q for _, q in self.questions() if q.purpose == purpose), None)

    def purposes(self) -> dict[str, str]:
        """Question id -> purpose, for the questions that declare one."""
        return {q.id: q.purpose for _, q in self.questions() if q.purpose}

    def default_visibility(self, question: Question) -> Visibility:
        """The visibility an answer to ``question`` gets unless the interviewer tightens it."""
        return question.visibility or TRACK_DEFAULT_VISIBILITY[self.track]
