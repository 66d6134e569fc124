"""The successor's view of the store: shareable, handover-only reads and nothing else.

Every page of ``retain serve`` reads through :class:`SuccessorReader`. It has no write method
and no way to ask for confidential data: each call passes the services' shareable-only
defaults, and exit-track interviews are dropped before anything is returned.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from retain.errors import InvalidInput, NotFound
from retain.services import Services
from retain.services.interviews import InterviewSummary
from retain.services.knowledge import MapEntry, WhoEntry
from retain.services.people import PersonView
from retain.services.search import SearchHit

# The only track a successor may read: exit interviews are HR data.
SHAREABLE_TRACK = "handover"
DOWNLOADS = ("docx", "md", "html", "pdf")
MAX_QUERY = 500


@dataclass(frozen=True)
class HandoverRow:
    """One handover interview in the list page."""

    summary: InterviewSummary
    role: str
    leaving_date: date | None
    review: str


@dataclass(frozen=True)
class PersonPage:
    """A person with their handover interviews and where others named them."""

    person: PersonView
    interviews: list[InterviewSummary]
    named_for: list[dict[str, Any]]
    successor_of: list[str]


def _bounded(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_QUERY:
        raise InvalidInput(f"{name} is longer than {MAX_QUERY} characters; shorten it")
    return value or None


class SuccessorReader:
    """Read-only, shareable-only access for the web view.

    Args:
        services: The service container of the store being served.
    """

    def __init__(self, services: Services) -> None:
        self._services = services

    # -- interviews -----------------------------------------------------------------------
    def handovers(self) -> list[HandoverRow]:
        """Every handover interview, most recently updated first."""
        people = {p.name: p for p in self._services.people.views()}
        rows: list[HandoverRow] = []
        for summary in self._services.interviews.list():
            if summary.track != SHAREABLE_TRACK:
                continue
            person = people.get(summary.person)
            rows.append(
                HandoverRow(
                    summary=summary,
                    role=(person.role or "") if person else "",
                    leaving_date=person.leaving_date if person else None,
                    review=self._services.interviews.get(summary.id).review_state,
                )
            )
        return rows

    def _check_handover(self, interview_id: int) -> None:
        interview = self._services.interviews.get(interview_id)
        if interview.track != SHAREABLE_TRACK:
            # The same answer as for a missing id, so the page does not confirm it exists.
            raise NotFound(f"no handover interview {interview_id}")

    def pack(self, interview_id: int) -> Any:
        """The shareable pack context of a handover interview.

        Raises:
            NotFound: For a missing id or an exit interview.
        """
        self._check_handover(interview_id)
        return self._services.exports.context(interview_id)

    @contextmanager
    def download(self, interview_id: int, fmt: str) -> Iterator[Path]:
        """Write the shareable pack to a private temporary folder and yield its path.

        The folder and the file are removed when the caller is done with them.

        Raises:
            NotFound: For a missing id, an exit interview or an unknown format.
        """
        if fmt not in DOWNLOADS:
            raise NotFound(f"no {fmt} download")
        self._check_handover(interview_id)
        folder = Path(tempfile.mkdtemp(prefix="retain-web-"))
        try:
            result = self._services.exports.export(interview_id, fmt=fmt, out=folder)
            yield result.path
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # -- search, who, map -----------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        person: str | None = None,
        guide: str | None = None,
        label: str | None = None,
        since: date | None = None,
        status: str | None = None,
        limit: int = 30,
    ) -> list[SearchHit]:
        """Shareable handover answers matching ``query``, best first."""
        text = _bounded(query, "the search")
        if text is None:
            return []
        return self._services.search.search(
            text,
            person=_bounded(person, "the person filter"),
            guide=_bounded(guide, "the guide filter"),
            track=SHAREABLE_TRACK,
            label=_bounded(label, "the label filter"),
            since=since,
            status=_bounded(status, "the status filter"),
            limit=limit,
        )

    def who(self, topic: str) -> list[WhoEntry]:
        """People who know about ``topic``, with shareable handover evidence only."""
        text = _bounded(topic, "the topic")
        if text is None:
            return []
        entries = self._services.knowledge.who(text)
        tracks: dict[int, str] = {}

        def shareable_track(interview_id: int) -> bool:
            if interview_id not in tracks:
                tracks[interview_id] = self._services.interviews.get(interview_id).track
            return tracks[interview_id] == SHAREABLE_TRACK

        kept: list[WhoEntry] = []
        for entry in entries:
            entry.evidence = [e for e in entry.evidence if shareable_track(e.interview)]
            if entry.evidence or entry.named_by:
                kept.append(entry)
        return kept

    def map(self, *, label: str | None = None, at_risk_only: bool = False) -> list[MapEntry]:
        """The knowledge map over shareable answers."""
        return self._services.knowledge.map(label=_bounded(label, "the label"), at_risk_only=at_risk_only)

    # -- people ---------------------------------------------------------------------------
    def person(self, person_id: int) -> PersonPage:
        """A person, their handover interviews, and what colleagues named them as a contact for.

        Raises:
            NotFound: If there is no such person.
        """
        detail = self._services.people.show(str(person_id))
        if detail.person.id != person_id:
            raise NotFound(f"no person {person_id}")
        handovers = [s for s in self._services.interviews.list() if s.track == SHAREABLE_TRACK]
        interviews = [s for s in handovers if s.person == detail.person.name]
        handover_ids = {s.id for s in handovers}
        named_for = [n for n in detail.named_for if n.get("interview") in handover_ids]
        return PersonPage(person=detail.person, interviews=interviews, named_for=named_for,
                          successor_of=list(detail.successor_of))

    def person_id(self, name: str) -> int | None:
        """The id of the person called ``name`` (exactly, ignoring case), if any."""
        wanted = name.casefold()
        return next((p.id for p in self._services.people.views() if p.name.casefold() == wanted), None)

    def people(self) -> list[PersonView]:
        """Everyone in the store, by name, with the status as of today."""
        return self._services.people.views()
