"""A stored guide snapshot read into plain frozen dataclasses with the interface of the pydantic ``Guide``.

A snapshot is written from a validated guide (``Guide.model_dump``) when an interview starts,
so reading it back needs no validation: the pydantic import and the schema's classes cost
~0.1 s of a one-off ``retain export``, more than building the whole pack. Fields missing
from an older snapshot take the schema's defaults. A test checks the two readings agree
field for field on every shipped guide and the demo's snapshots.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from retain.domain.types import Visibility

if TYPE_CHECKING:
    from retain.guides.schema import Guide

# As retain.guides.schema.TRACK_DEFAULT_VISIBILITY (a test checks they agree).
TRACK_DEFAULT_VISIBILITY: dict[str, Visibility] = {"exit": "confidential", "handover": "shareable"}


@dataclass(frozen=True)
class FieldView:
    """One column of a list question (``ListField``)."""

    id: str
    label: str | None = None
    required: bool = False
    options: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The column title shown to people."""
        return self.label or self.id.replace("_", " ").replace("-", " ").capitalize()


@dataclass(frozen=True)
class QuestionView:
    """One question (``Question``)."""

    id: str
    prompt: str
    help: str | None = None
    probes: list[str] = field(default_factory=list)
    type: str = "text"
    required: bool = False
    visibility: Visibility | None = None
    pack: str | None = None
    fields: list[FieldView] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    restricted: bool = False
    purpose: str | None = None

    @property
    def field_ids(self) -> list[str]:
        """The ids of a list question's columns."""
        return [f.id for f in self.fields]


@dataclass(frozen=True)
class SectionView:
    """A group of questions (``Section``)."""

    id: str
    title: str
    intro: str | None = None
    questions: list[QuestionView] = field(default_factory=list)


@dataclass(frozen=True)
class GuideView:
    """A whole guide (``Guide``): the same fields and the same read methods."""

    id: str
    title: str
    version: int = 1
    track: str = "handover"
    description: str | None = None
    extends: str | None = None
    sections: list[SectionView] = field(default_factory=list)

    def questions(self) -> list[tuple[SectionView, QuestionView]]:
        """Every question with its section, in interview order."""
        return [(s, q) for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> tuple[SectionView, QuestionView] | None:
        """Find a question by id."""
        for section, question in self.questions():
            if question.id == question_id:
                return section, question
        return None

    def by_purpose(self, purpose: str) -> QuestionView | None:
        """The first question declaring ``purpose``, if any."""
        return next((q for _, q in self.questions() if q.purpose == purpose), None)

    def purposes(self) -> dict[str, str]:
        """Question id -> purpose, for the questions that declare one."""
        return {q.id: q.purpose for _, q in self.questions() if q.purpose}

    def default_visibility(self, question: QuestionView) -> Visibility:
        """The visibility an answer to ``question`` gets unless the interviewer tightens it."""
        return question.visibility or TRACK_DEFAULT_VISIBILITY[self.track]


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _list(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _field(data: Mapping[str, Any]) -> FieldView:
    return FieldView(id=data["id"], label=data.get("label"), required=bool(data.get("required", False)),
                     options=_strings(data.get("options")))


def _question(data: Mapping[str, Any]) -> QuestionView:
    return QuestionView(
        id=data["id"], prompt=data["prompt"], help=data.get("help"), probes=_strings(data.get("probes")),
        type=data.get("type") or "text", required=bool(data.get("required", False)),
        visibility=data.get("visibility"), pack=data.get("pack"),
        fields=[_field(f) for f in _list(data.get("fields"))], options=_strings(data.get("options")),
        restricted=bool(data.get("restricted", False)), purpose=data.get("purpose"),
    )


def guide_view(snapshot: Mapping[str, Any]) -> GuideView:
    """Read a stored snapshot (``Guide.model_dump()``) without validating it again."""
    return GuideView(
        id=snapshot["id"], title=snapshot["title"], version=int(snapshot.get("version", 1)),
        track=snapshot["track"], description=snapshot.get("description"), extends=snapshot.get("extends"),
        sections=[
            SectionView(id=s["id"], title=s["title"], intro=s.get("intro"),
                        questions=[_question(q) for q in _list(s.get("questions"))])
            for s in _list(snapshot.get("sections"))
        ],
    )


def as_guide(snapshot: Mapping[str, Any]) -> Guide:
    """:func:`guide_view`, typed as the ``Guide`` whose read interface it has (packs only read it)."""
    return cast("Guide", guide_view(snapshot))


__all__ = ["FieldView", "GuideView", "QuestionView", "SectionView", "as_guide", "guide_view"]
