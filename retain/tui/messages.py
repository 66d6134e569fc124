"""Past-tense messages that thread workers post back to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from retain.nlp.extractor import Extraction
    from retain.services import Services


# Worker results travel as messages, never as return values read from another thread, so
# every screen update happens on the UI thread in message order.


class ServicesReady(Message):
    """The database is open and every service can be used."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services


class ServicesFailed(Message):
    """The database could not be opened; ``message`` is what the CLI would print."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class ExtractorLoaded(Message):
    """The spaCy pipeline finished loading in the background."""

    def __init__(self, seconds: float, warning: str | None = None) -> None:
        super().__init__()
        self.seconds = seconds
        self.warning = warning


class InterviewsLoaded(Message):
    """The home screen's interview list and people list were read."""

    def __init__(
        self, interviews: list[Any], people: list[tuple[str, str]], due: list[Any] | None = None
    ) -> None:
        super().__init__()
        self.interviews = interviews
        self.people = people
        # Successor follow-ups due or overdue (FollowupView), shown above the list.
        self.due = due or []


class InterviewDeleted(Message):
    """An interview was deleted and the files scrubbed (the worker's result)."""

    def __init__(self, description: str) -> None:
        super().__init__()
        self.description = description


class DemoLoaded(Message):
    """The demo data set was loaded (``extracted`` once its entities are stored)."""

    def __init__(self, interviews: int, answers: int, extracted: bool) -> None:
        super().__init__()
        self.interviews = interviews
        self.answers = answers
        self.extracted = extracted


@dataclass(frozen=True)
class SavedAnswer:
    """What the UI needs to know about one saved answer."""

    question_id: str
    answer_id: int
    text: str
    items: list[dict[str, str]]
    visibility: str
    skipped: bool
    skip_reason: str | None = None


class AnswersSaved(Message):
    """One or more answers were written to the database."""

    def __init__(self, interview_id: int, saved: list[SavedAnswer], at: datetime,
                 progress: tuple[int, int, int]) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.saved = saved
        self.at = at
        # (answered or skipped, total, required still open), read after the save.
        self.progress = progress


class AutosaveCrashed(Message):
    """The autosave thread hit a bug (not a RetainError); the UI thread re-raises it."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


class SaveFailed(Message):
    """An answer could not be saved; ``message`` names the fix."""

    def __init__(self, question_id: str, message: str) -> None:
        super().__init__()
        self.question_id = question_id
        self.message = message


class PreviewExtracted(Message):
    """The live capture panel's extraction of the current answer finished."""

    def __init__(self, question_id: str, text: str, entities: list[tuple[str, str]], topics: list[str],
                 extraction: Extraction | None = None) -> None:
        super().__init__()
        self.question_id = question_id
        self.text = text
        self.entities = entities
        self.topics = topics
        # Kept so the saved answer stores this result instead of running spaCy again.
        self.extraction = extraction


class ExtractionStored(Message):
    """A saved answer's mentions and topics were replaced (``stored`` False if its text moved on)."""

    def __init__(self, question_id: str, answer_id: int, text: str, stored: bool) -> None:
        super().__init__()
        self.question_id = question_id
        self.answer_id = answer_id
        self.text = text
        self.stored = stored


class ExtractionFinished(Message):
    """Saved answers were extracted and the interview report (gaps, entities) re-read."""

    def __init__(self, interview_id: int, report: dict[str, Any]) -> None:
        super().__init__()
        self.interview_id = interview_id
        self.report = report


class ExportFinished(Message):
    """A pack was written."""

    def __init__(self, path: str, fmt: str, seconds: float, included_confidential: bool) -> None:
        super().__init__()
        self.path = path
        self.fmt = fmt
        self.seconds = seconds
        self.included_confidential = included_confidential


class ExportFailed(Message):
    """A pack could not be written; ``message`` is the CLI's message."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message


class SearchFinished(Message):
    """A search returned (``error`` set when the query was refused)."""

    def __init__(self, query: str, hits: list[Any], seconds: float, error: str | None = None) -> None:
        super().__init__()
        self.query = query
        self.hits = hits
        self.seconds = seconds
        self.error = error


class WhoFound(Message):
    """The people who know about a topic were found."""

    def __init__(self, topic: str, entries: list[Any], error: str | None = None) -> None:
        super().__init__()
        self.topic = topic
        self.entries = entries
        self.error = error


class MapLoaded(Message):
    """The knowledge-concentration map was built."""

    def __init__(self, entries: list[Any], error: str | None = None) -> None:
        super().__init__()
        self.entries = entries
        self.error = error


class ReviewLoaded(Message):
    """The review screen's report was read, with how many imported segments are unmapped."""

    def __init__(self, report: dict[str, Any], unmapped: int = 0) -> None:
        super().__init__()
        self.report = report
        self.unmapped = unmapped


class UnmappedLoaded(Message):
    """An interview's saved unmapped transcript segments were read."""

    def __init__(self, segments: list[Any]) -> None:
        super().__init__()
        self.segments = segments


class SegmentSettled(Message):
    """A segment was saved as an answer (``assigned``) or dropped; ``note`` says which."""

    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note


class SegmentNeedsReplace(Message):
    """Assigning a segment would overwrite a typed answer: the user is asked first."""

    def __init__(self, segment_id: int, question_id: str, problem: str) -> None:
        super().__init__()
        self.segment_id = segment_id
        self.question_id = question_id
        self.problem = problem


@dataclass
class RowEdit:
    """A list row the form returned: ``index`` is ``None`` for a new row."""

    index: int | None
    row: dict[str, str] = field(default_factory=dict)


__all__ = [
    "AnswersSaved",
    "DemoLoaded",
    "ExportFailed",
    "ExportFinished",
    "ExtractionFinished",
    "ExtractorLoaded",
    "InterviewsLoaded",
    "MapLoaded",
    "PreviewExtracted",
    "ReviewLoaded",
    "RowEdit",
    "SaveFailed",
    "SavedAnswer",
    "SearchFinished",
    "SegmentNeedsReplace",
    "SegmentSettled",
    "ServicesFailed",
    "ServicesReady",
    "UnmappedLoaded",
    "WhoFound",
]


class InsightsLoaded(Message):
    """The exit insights report was built (or failed with ``error``)."""

    def __init__(self, report: Any, error: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.error = error
