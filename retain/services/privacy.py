"""Privacy use cases: forget a person, purge by retention, the erasure log, export records."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, update
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from retain.clock import today as utc_today
from retain.clock import utcnow
from retain.config import Settings
from retain.domain import names
from retain.domain.redaction import NameMatcher
from retain.domain.retention import TRACKS, RetentionRule, parse_cutoff, parse_policy
from retain.errors import InvalidInput, NotFound
from retain.services.erasure import Eraser, Erasure
from retain.services.privacy_results import (
    ErasureResult,
    ExportFile,
    InterviewRef,
    LogEntry,
    PurgeDue,
)
from retain.store.erase import erasing, scrub
from retain.store.models import ErasureLog, ExportRecord, Interview, Mention, Person, PrivacySetting

SALT_KEY = "erasure_salt"
_REF_COLUMNS = (col(Interview.id), col(Person.name), col(Interview.guide_id), col(Interview.track),
                col(Interview.status))
MAX_REF = 200


def normalise_ref(name: str) -> str:
    """How a person reference is hashed: spaces collapsed, case folded."""
    return " ".join(name.split()).casefold()


class PrivacyService:
    """Erasure and retention, for the CLI and the TUI."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings

    # -- forget ---------------------------------------------------------------------------
    def forget(self, ref: str, *, dry_run: bool = False, delete_files: bool = False) -> ErasureResult:
        """Erase a person: their record, their interviews and everything derived from them.

        Where other people's answers name them, the name becomes ``[removed person]`` and
        the mentions of them go; successor, interviewer and similar links are cleared. Then
        the database files are scrubbed (see :func:`retain.store.erase.scrub`).

        Args:
            ref: A person's name or numeric id.
            dry_run: Count what would go and change nothing.
            delete_files: Also delete the exported files that hold them.

        Returns:
            What was (or would be) erased; ``files`` lists the exports that hold them.

        Raises:
            NotFound: If there is no such person.
        """
        with erasing(self._engine) as db:
            person = resolve_person(db, ref)
            matcher = NameMatcher(person.name, email=person.email, others=known_names(db, person))
            own = self._interviews(db, [col(Interview.person_id) == person.id])
            eraser = Eraser(db, count_only=dry_run)
            eraser.redact_answers(matcher, person.id or 0, [i.id for i in own])
            eraser.delete_rows("person", [person.id or 0])
            eraser.redact_columns(matcher)
            # An unexpected error's traceback may quote an answer: the error log is redacted too.
            logged = redact_error_logs(self._settings.data_dir, matcher, dry_run=dry_run)
            if logged:
                eraser.result.cleared["logs.errors"] = logged
            subject = self._hash(db, person.name)
            files = self._files(db, person.id or 0, {i.id for i in own}, dry_run, delete_files)
            result = self._result("forget", subject, dry_run, eraser.result, own, files)
            if not dry_run:
                self._log(db, "forget", eraser.result, [subject], files)
        if not dry_run:
            result.scrub = scrub(self._engine, eraser.result.tables)
        return result

    # -- purge ----------------------------------------------------------------------------
    def policy(self) -> dict[str, RetentionRule]:
        """The retention policy: config.toml ``retention`` over the defaults.

        Raises:
            ConfigError: For a malformed policy.
        """
        source = str(self._settings.config_file or "config.toml")
        return parse_policy(getattr(self._settings, "retention", None), source)

    def purge(self, *, older_than: str | None = None, track: str | None = None, dry_run: bool = False,
              today: date | None = None) -> ErasureResult:
        """Erase the interviews past retention, or older than ``older_than``.

        Without ``older_than`` the policy decides, per track. With it, every interview whose
        last update is before the cutoff goes. People left with no interview and no link are
        deleted too. The same arguments on the same day pick the same interviews, so a dry
        run lists exactly what the real run removes.

        Args:
            older_than: ``2y``, ``18m``, ``90d`` or an ISO date.
            track: Only ``exit`` or only ``handover``.
            dry_run: List what would go and change nothing.
            today: The day to compute from (tests).

        Raises:
            InvalidInput: For a bad period, date or track.
        """
        day = today or utc_today()
        if track is not None and track not in TRACKS:
            raise InvalidInput(f"unknown track {track!r}; use {' or '.join(TRACKS)}")
        cutoff = parse_cutoff(older_than, day) if older_than else None
        rule = f"older than {cutoff.isoformat()}" if cutoff else self._describe_policy(track)
        with erasing(self._engine) as db:
            if cutoff is None:
                chosen = [i for i in self._due(db, track, day) if i.due is not None and i.due <= day]
            else:
                chosen = self._older(db, track, cutoff)
            eraser = Eraser(db, count_only=dry_run)
            ids = [i.id for i in chosen]
            people = self._people_of(db, ids)
            eraser.delete_rows("interview", ids)
            orphans = self._orphans(db, people, ids) if chosen else []
            eraser.delete_rows("person", orphans)
            subjects = sorted({self._hash(db, name) for name in people.values()})
            files = self._files(db, None, set(ids), dry_run, False)
            result = self._result("purge", None, dry_run, eraser.result, chosen, files)
            result.rule = rule
            if not dry_run and chosen:
                self._log(db, "purge", eraser.result, subjects, files)
        if not dry_run and chosen:
            result.scrub = scrub(self._engine, eraser.result.tables)
        return result

    def next_purge(self, today: date | None = None) -> PurgeDue | None:
        """When the policy next purges something (None when nothing ever falls due)."""
        day = today or utc_today()
        with self._engine.connect() as db:
            due = [i.due for i in self._due(db, None, day) if i.due is not None]
        if not due:
            return None
        past = [d for d in due if d <= day]
        if past:
            return PurgeDue(min(past), len(past), True)
        first = min(due)
        return PurgeDue(first, sum(1 for d in due if d == first), False)

    # -- delete ---------------------------------------------------------------------------
    def delete_interview(self, interview_id: int) -> ErasureResult:
        """Delete one interview with everything stored about it, and scrub the files.

        Raises:
            NotFound: If there is no such interview.
        """
        return erase_interviews(self._engine, [interview_id])

    # -- log ------------------------------------------------------------------------------
    def log(self) -> list[LogEntry]:
        """The erasure log, oldest first: when, what kind, counts and salted hashes only."""
        with self._engine.connect() as db:
            rows = db.execute(select(ErasureLog).order_by(col(ErasureLog.id))).mappings().all()
        return [LogEntry(r["id"], r["at"], r["kind"], dict(r["counts"]), list(r["subjects"])) for r in rows]

    def subject_ref(self, name: str) -> str:
        """The salted hash the log records for a person's name (to check whether they were erased)."""
        with self._engine.connect() as db:
            return self._hash(db, name)

    # -- export records -------------------------------------------------------------------
    def record_export(self, path: Path, *, interview_id: int | None, content: Any, kind: str = "pack",
                      visibility: str = "shareable", pseudonymised: bool = False,
                      person_ids: Iterable[int] = ()) -> None:
        """Remember a written file and whose names it holds, so that forgetting them finds it.

        Args:
            path: The file written.
            interview_id: The interview it came from, if any.
            content: What was rendered (a context dict, a typed context, or text); the
                people named anywhere in it are recorded.
            kind: ``pack``, ``key`` or ``access``.
            visibility: ``confidential`` when it holds confidential answers.
            pseudonymised: Whether names were replaced by placeholders.
            person_ids: People known to be in it (the subject, say), added to those found.
        """
        with self._engine.begin() as db:
            ids = set(person_ids) | people_named(db, names.distinct_strings(content))
            db.execute(ExportRecord.__table__.insert().values(  # type: ignore[attr-defined]
                path=str(Path(path).resolve()), interview_id=interview_id, person_ids=sorted(ids),
                kind=kind, visibility=visibility, pseudonymised=pseudonymised, created_at=utcnow(),
            ))

    # -- helpers --------------------------------------------------------------------------
    @staticmethod
    def _interviews(db: Connection, where: Sequence[Any]) -> list[InterviewRef]:
        query = select_columns(*_REF_COLUMNS) \
            .join(Person, col(Person.id) == Interview.person_id).where(*where).order_by(col(Interview.id))
        return [InterviewRef(iid or 0, name, guide, trk, status) for iid, name, guide, trk, status in db.execute(query).all()]

    def _due(self, db: Connection, track: str | None, day: date) -> list[InterviewRef]:
        policy = self.policy()
        query = select_columns(*_REF_COLUMNS, col(Person.leaving_date), col(Interview.completed_at),
                               col(Interview.updated_at)) \
            .join(Person, col(Person.id) == Interview.person_id).order_by(col(Interview.id))
        if track:
            query = query.where(col(Interview.track) == track)
        refs: list[InterviewRef] = []
        for iid, name, guide, trk, status, leaving, completed, updated in db.execute(query).all():
            rule = policy.get(trk)
            due = rule.due(leaving=leaving, completed=completed, updated=updated) if rule else None
            refs.append(InterviewRef(iid or 0, name, guide, trk, status, due))
        return refs

    @staticmethod
    def _older(db: Connection, track: str | None, cutoff: date) -> list[InterviewRef]:
        query = select_columns(*_REF_COLUMNS, col(Interview.updated_at)).join(Person, col(Person.id) == Interview.person_id) \
            .order_by(col(Interview.id))
        if track:
            query = query.where(col(Interview.track) == track)
        return [InterviewRef(iid or 0, name, guide, trk, status)
                for iid, name, guide, trk, status, updated in db.execute(query).all() if updated.date() < cutoff]

    def _describe_policy(self, track: str | None) -> str:
        policy = self.policy()
        return "; ".join(f"{t} = {policy[t].describe()}" for t in TRACKS if track in (None, t))

    @staticmethod
    def _people_of(db: Connection, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        query = select(Person.id, Person.name).join(Interview, col(Interview.person_id) == Person.id) \
            .where(col(Interview.id).in_(list(ids)))
        return {pid: name for pid, name in db.execute(query).all()}

    @staticmethod
    def _orphans(db: Connection, people: dict[int, str], purged: Sequence[int]) -> list[int]:
        """People whose every interview is purged and whom no other interview links to."""
        keep = set(db.execute(select(Interview.person_id).where(col(Interview.id).not_in(list(purged)))).scalars())
        keep |= set(db.execute(select(Interview.successor_id).where(col(Interview.id).not_in(list(purged)))).scalars())
        return sorted(set(people) - keep)

    @staticmethod
    def _hash(db: Connection, name: str) -> str:
        salt = db.execute(select(PrivacySetting.value).where(col(PrivacySetting.key) == SALT_KEY)).scalar_one()
        return hmac.new(salt.encode(), normalise_ref(name).encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def _files(db: Connection, person_id: int | None, interviews: set[int], dry_run: bool,
               delete_files: bool) -> list[ExportFile]:
        """Exports holding the person (or the interviews); their records go, the files if asked."""
        table = ExportRecord.__table__  # type: ignore[attr-defined]
        files: list[ExportFile] = []
        for rid, path, iid, ids, kind in db.execute(
            select_columns(table.c.id, table.c.path, table.c.interview_id, table.c.person_ids, table.c.kind)
        ).all():
            own = iid in interviews or (kind == "access" and person_id in ids)
            if not own and person_id not in ids:
                continue
            target = Path(path)
            exists = target.is_file()
            deleted = False
            if not dry_run:
                if delete_files and exists:
                    target.unlink()
                    deleted = True
                # A file named after the person (their own pack) leaves no record behind:
                # the path itself would keep their name in the database.
                if own or deleted:
                    db.execute(delete(table).where(table.c.id == rid))
                else:
                    db.execute(update(table).where(table.c.id == rid)
                               .values(person_ids=[i for i in ids if i != person_id]))
            files.append(ExportFile(path, kind, exists, deleted))
        return files

    @staticmethod
    def _result(kind: str, ref: str | None, dry_run: bool, erasure: Erasure, interviews: list[InterviewRef],
                files: list[ExportFile]) -> ErasureResult:
        counts = {k: v for k, v in sorted(erasure.counts.items()) if k != "redacted_answers"}
        return ErasureResult(kind, ref, dry_run, counts, dict(sorted(erasure.cleared.items())),
                             len(erasure.redacted_answers), interviews, files)

    @staticmethod
    def _log(db: Connection, kind: str, erasure: Erasure, subjects: list[str], files: list[ExportFile]) -> None:
        counts = dict(erasure.counts)
        counts["redacted_answers"] = len(erasure.redacted_answers)
        counts["files_listed"] = len(files)
        counts["files_deleted"] = sum(1 for f in files if f.deleted)
        db.execute(ErasureLog.__table__.insert().values(  # type: ignore[attr-defined]
            at=utcnow(), kind=kind, counts=counts, subjects=subjects))


def resolve_person(db: Connection, ref: str) -> Person:
    """The person named by ``ref`` (a name, any case, or a numeric id).

    Raises:
    InvalidInput: For an empty or overlong reference.
    NotFound: If there is no such person.
    """
    ref = " ".join(ref.split())
    if not ref or len(ref) > MAX_REF:
        raise InvalidInput("give a person's name or id (see `retain person list`)")
    query = select(Person).where(col(Person.id) == int(ref)) if ref.isdigit() else \
        select(Person).where(col(Person.name).ilike(ref.replace("\\", "\\\\").replace("%", "\\%")
                                                       .replace("_", "\\_"), escape="\\"))
    row = db.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"no person {ref!r}; see `retain person list`")
    return Person.model_validate(dict(row))

def known_names(db: Connection, person: Person) -> list[str]:
    """Every other name retain knows (people and PERSON mentions), to tell shared name parts."""
    names = list(db.execute(select(Person.name).where(col(Person.id) != person.id)).scalars())
    names += list(db.execute(select(Mention.text).where(col(Mention.label) == "PERSON").distinct()).scalars())
    return names


def redact_error_logs(data_dir: Path, matcher: NameMatcher, *, dry_run: bool = False) -> int:
    """Replace the name in ``errors.log`` (and its rotated copy); returns how many lines changed."""
    from retain.crashlog import log_path

    changed = 0
    current = log_path(Path(data_dir))
    for path in (current, current.with_name(current.name + ".1")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        lines = text.splitlines(keepends=True)
        redacted = [matcher.redact(line)[0] for line in lines]
        diff = sum(1 for a, b in zip(lines, redacted, strict=True) if a != b)
        if diff and not dry_run:
            temp = path.with_name(path.name + ".tmp")
            fd = os.open(temp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("".join(redacted))
            temp.replace(path)
        changed += diff
    return changed


def purge_notice(settings: Settings) -> str | None:
    """One line on when the retention policy next purges, for ``db path`` and the home screen.

    Never creates or upgrades a database: a missing or out-of-date one gives ``None``.
    """
    from retain.errors import RetainError
    from retain.store.engine import SCHEMA_HEAD, make_engine, schema_revision

    if settings.is_sqlite and not Path(settings.db_url.removeprefix("sqlite:///")).is_file():
        return None
    try:
        engine = make_engine(settings.db_url)
        try:
            if schema_revision(engine) != SCHEMA_HEAD:
                return None
            service = PrivacyService(engine, settings)
            due = service.next_purge()
            policy = service._describe_policy(None)
        finally:
            engine.dispose()
    except RetainError:
        return None
    return f"{due.describe()} (retention: {policy})" if due else f"nothing falls due for purging (retention: {policy})"


def erase_interviews(engine: Engine, ids: Sequence[int]) -> ErasureResult:
    """Delete interviews with everything that hangs off them, log it and scrub the files.

    Raises:
        NotFound: If one of them does not exist.
    """
    with erasing(engine) as db:
        found = PrivacyService._interviews(db, [col(Interview.id).in_(list(ids))])
        missing = sorted(set(ids) - {i.id for i in found})
        if missing:
            raise NotFound(f"no interview {missing[0]}; see `retain interview list`")
        eraser = Eraser(db)
        subjects = sorted({PrivacyService._hash(db, i.person) for i in found})
        eraser.delete_rows("interview", list(ids))
        files = PrivacyService._files(db, None, set(ids), False, False)
        result = PrivacyService._result("delete", None, False, eraser.result, found, files)
        PrivacyService._log(db, "delete", eraser.result, subjects, files)
    result.scrub = scrub(engine, eraser.result.tables)
    return result


def people_named(db: Connection, text: str) -> set[int]:
    """The ids of the people whose full name (or e-mail) occurs in ``text``."""
    return names.people_named(db.execute(select(Person.id, Person.name, Person.email)).all(), text)


__all__ = [
    "ErasureResult", "ExportFile", "InterviewRef", "LogEntry", "PrivacyService", "PurgeDue",
    "erase_interviews", "known_names", "people_named", "purge_notice", "redact_error_logs", "resolve_person",
]
