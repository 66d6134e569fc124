"""REFI-QDA export: interviews, read through the visibility filter, as one .qdpx project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import col, select

from retain.config import Settings
from retain.domain.journey import effective_status
from retain.domain.visibility import reader_for, view
from retain.errors import InvalidInput, NotFound
from retain.packs.output import write_atomically
from retain.packs.pseudonymise import Pseudonymiser
from retain.packs.qdpx import (
    QdaAnswer,
    QdaCounts,
    QdaInterview,
    QdaMention,
    build_project,
    pseudonymised,
    source_path,
    write_qdpx,
)
from retain.services.base import session_scope
from retain.services.interviews import snapshot_guide
from retain.store.models import Answer, Interview, Mention, Person, Topic

# Counts and ordinals are noise as codes, as they are in the pack's entity index.
SKIP_LABELS = frozenset({"CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"})
MAX_INTERVIEWS = 10_000


@dataclass(frozen=True)
class QdpxResult:
    """A written project.

    Attributes:
        path: The .qdpx file.
        counts: Sources, selections, codings, codes, cases and users in it.
        included_confidential: Whether confidential answers are in it.
        skipped: Interviews left out because nothing in them may be shown.
        key: With ``pseudonymise``, the key file mapping placeholders back (kept apart).
    """

    path: Path
    counts: QdaCounts
    included_confidential: bool
    skipped: list[int]
    key: Path | None = None


class QdpxService:
    """Builds REFI-QDA projects for qualitative researchers (ATLAS.ti, MAXQDA, NVivo, QualCoder)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings

    def export(
        self,
        interview_ids: Sequence[int] | None,
        out: Path,
        *,
        include_confidential: bool = False,
        force: bool = False,
        pseudonymise: bool = False,
    ) -> QdpxResult:
        """Write interviews as a .qdpx project.

        Args:
            interview_ids: The interviews, or ``None`` for every interview.
            out: The .qdpx file to write.
            include_confidential: Include confidential answers (exit interviews among them).
                Without it they, and every mention and topic drawn from them, are left out.
            force: Replace an existing file instead of writing a numbered copy.
            pseudonymise: Replace people's names, e-mail addresses and phone numbers with
                stable placeholders across the whole project; the key is written apart.

        Returns:
            What was written.

        Raises:
            NotFound: For an unknown interview id.
            InvalidInput: If ``out`` is not a .qdpx file, or nothing may be exported.
        """
        if out.suffix.lower() != ".qdpx":
            raise InvalidInput(f"{out.name} is not a .qdpx file; pass --out FILE.qdpx")
        interviews, skipped = self._load(interview_ids, include_confidential)
        if not interviews:
            hint = "" if include_confidential else "; exit interviews need --include-confidential"
            raise InvalidInput(f"nothing to export: no answer may be shown{hint}")
        pseudonyms = None
        if pseudonymise:
            from retain.packs.pseudonymise import Pseudonymiser

            pseudonyms = Pseudonymiser(self._names(interviews))
            interviews = [pseudonymised(i, pseudonyms) for i in interviews]
        xml, texts, counts = build_project(interviews, name="retain interviews", created=datetime.now(UTC))
        path = write_atomically(out, lambda temp: write_qdpx(temp, xml, texts), force=force, private=True)
        key = self._record(path, interviews, texts, include_confidential, pseudonyms)
        return QdpxResult(path=path, counts=counts, included_confidential=include_confidential,
                          skipped=skipped, key=key)

    def _names(self, interviews: Sequence[QdaInterview]) -> list[str]:
        with session_scope(self._engine, readonly=True) as session:
            names = list(session.exec(select(Person.name)).all())
        names += [i.interviewer for i in interviews if i.interviewer]
        names += [m.text for i in interviews for a in i.answers for m in a.mentions if m.label == "PERSON"]
        return names

    def _record(self, path: Path, interviews: Sequence[QdaInterview], texts: dict[str, str], confidential: bool,
                pseudonyms: Pseudonymiser | None) -> Path | None:
        """Remember the file (and write and remember its key), so that forgetting a person finds it."""
        from retain.services.privacy import PrivacyService

        privacy = PrivacyService(self._engine, self._settings)
        visibility = "confidential" if confidential else "shareable"
        for interview in interviews:
            privacy.record_export(path, interview_id=interview.interview_id, content=texts[source_path(interview.interview_id)],
                                  visibility=visibility, pseudonymised=pseudonyms is not None)
        if pseudonyms is not None:
            from retain.services.pseudonyms import write_key

            key = write_key(self._settings, path, pseudonyms)
            privacy.record_export(key, interview_id=None, content=pseudonyms.key_document(), kind="key")
            return key
        return None

    def _load(
        self, interview_ids: Sequence[int] | None, include_confidential: bool
    ) -> tuple[list[QdaInterview], list[int]]:
        reader = reader_for(include_confidential)
        today = date.today()
        with session_scope(self._engine, readonly=True) as session:
            query = select(Interview).order_by(col(Interview.id))
            if interview_ids is not None:
                wanted = sorted(set(interview_ids))
                query = query.where(col(Interview.id).in_(wanted))
            rows = list(session.exec(query.limit(MAX_INTERVIEWS + 1)).all())
            if len(rows) > MAX_INTERVIEWS:
                raise InvalidInput(f"more than {MAX_INTERVIEWS:,} interviews; export them in parts by id")
            if interview_ids is not None:
                missing = sorted(set(wanted) - {r.id for r in rows})
                if missing:
                    raise NotFound(f"no interview {missing[0]}; see `retain interview list`")
            built: list[QdaInterview] = []
            skipped: list[int] = []
            for interview in rows:
                iid = interview.id or 0
                answers = list(session.exec(select(Answer).where(Answer.interview_id == iid)).all())
                mentions = list(session.exec(select(Mention).where(Mention.interview_id == iid)).all())
                topics = list(session.exec(
                    select(Topic).where(Topic.interview_id == iid, col(Topic.answer_id).is_not(None))
                ).all())
                seen = view(answers, mentions, reader)
                readable = {a.id: a for a in seen.readable}
                if not readable:
                    skipped.append(iid)
                    continue
                person = session.get(Person, interview.person_id)
                built.append(self._interview(interview, person, readable, seen.mentions,
                                             seen.derived(topics, lambda t: t.answer_id), today))
            return built, skipped

    @staticmethod
    def _interview(
        interview: Interview,
        person: Person | None,
        answers: dict[int | None, Answer],
        mentions: Sequence[Mention],
        topics: Sequence[Topic],
        today: date,
    ) -> QdaInterview:
        guide = snapshot_guide(interview)
        by_answer: dict[int, list[QdaMention]] = {}
        for m in mentions:
            if m.label not in SKIP_LABELS:
                by_answer.setdefault(m.answer_id, []).append(QdaMention(m.start, m.end, m.label, m.key, m.text))
        topic_of: dict[int, list[str]] = {}
        for t in topics:
            if t.answer_id is not None:
                topic_of.setdefault(t.answer_id, []).append(t.phrase)
        by_question = {a.question_id: a for a in answers.values()}
        qda_answers: list[QdaAnswer] = []
        for number, (section, question) in enumerate(guide.questions(), start=1):
            answer = by_question.get(question.id)
            if answer is None or not answer.body.strip():
                continue
            qda_answers.append(QdaAnswer(
                section_id=section.id, section_title=section.title, question_id=question.id,
                prompt=question.prompt, number=number, body=answer.body,
                mentions=by_answer.get(answer.id or 0, []), topics=topic_of.get(answer.id or 0, []),
            ))
        status = effective_status(person.status, person.leaving_date, today) if person else "unknown"
        return QdaInterview(
            interview_id=interview.id or 0, guide_id=interview.guide_id,
            guide_title=interview.guide_title or guide.title, track=interview.track,
            person=person.name if person else "unknown", person_status=status,
            person_role=(person.role or "") if person else "", interviewer=interview.interviewer or "",
            created_at=interview.created_at, answers=qda_answers,
        )
