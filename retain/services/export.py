"""Export use cases: the pack context, handover packs and HR exit reports, template checks.

python-docx and docxtpl are imported only when a Word file is written or checked, so
``import retain.services`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING

from retain.config import Settings
from retain.errors import InvalidInput, TemplateError
from retain.gcpause import paused_gc
from retain.packs.context import PackData, build_context
from retain.packs.hygiene import slugify
from retain.packs.jinja import is_html
from retain.packs.model import PackContext
from retain.packs.output import pack_writer, write_atomically
from retain.resources import templates_dir

if TYPE_CHECKING:
    # Only types: a one-off export on an SQLite file never imports SQLAlchemy (see ExportService).
    from sqlalchemy import Engine
    from sqlmodel import Session

    from retain.store.rows import SqliteRows

FORMATS: dict[str, str] = {"docx": ".docx", "md": ".md", "html": ".html", "json": ".json", "pdf": ".pdf"}
_ALIASES = {"word": "docx", "markdown": "md", "htm": "html"}
# The shipped template of each kind of document; Markdown and HTML use <name>.<fmt>.j2.
SHIPPED = {"handover": "handover", "hr_exit": "hr_exit"}


@dataclass(frozen=True)
class ExportResult:
    """A written pack.

    Attributes:
        path: The file written (a numbered name if the wanted one existed).
        format: ``docx``, ``md``, ``html`` or ``json``.
        seconds: Time taken, from loading the interview to the file being in place.
        included_confidential: Whether the file holds confidential answers.
        key: With ``pseudonymise``, the key file mapping placeholders back (kept apart).
    """

    path: Path
    format: str
    seconds: float
    included_confidential: bool
    key: Path | None = None


def normalise_format(fmt: str) -> str:
    """``DOCX``, ``.md``, ``markdown`` -> ``docx``, ``md``, ``md``.

    Raises:
        InvalidInput: For an unknown format.
    """
    value = fmt.strip().lower().lstrip(".")
    value = _ALIASES.get(value, value)
    if value not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return value


class ExportService:
    """Builds pack contexts and writes them as Word, Markdown, HTML or JSON.

    Args:
        engine: The database, or a function opening it when first needed.
        settings: The resolved settings.
        rows: A plain sqlite3 reader of the same SQLite file. With it, packs are read and
            their export records written through sqlite3 alone (:mod:`retain.packs.load_rows`):
            a one-off ``retain export`` then never imports SQLAlchemy, SQLModel or the pydantic
            guide schema, which cost more than building and writing the pack. Without it (the
            app, the web view, PostgreSQL), through the ORM (``_load_orm``).
    """

    def __init__(self, engine: Engine | Callable[[], Engine], settings: Settings,
                 rows: SqliteRows | None = None) -> None:
        self._engine_source = engine
        self._settings = settings
        self._rows = rows

    @property
    def _engine(self) -> Engine:
        source = self._engine_source
        # An Engine is not callable: a callable is the opener of the database.
        return source() if callable(source) else source

    # -- context --------------------------------------------------------------------------
    def context(self, interview_id: int, *, include_confidential: bool = False) -> PackContext:
        """The pack context of an interview: the one typed document every renderer uses.

        Args:
            interview_id: The interview.
            include_confidential: Include confidential answers, each labelled. Without it,
                they and everything extracted from them are left out entirely.

        Returns:
            The context documented in docs/templates.md.

        Raises:
            NotFound: If there is no such interview.
            ConfidentialityError: For an exit interview without ``include_confidential``.
        """
        return self._context(interview_id, include_confidential, datetime.now(UTC))

    def _context(self, interview_id: int, include_confidential: bool, now: datetime) -> PackContext:
        with paused_gc():
            return build_context(self._load(interview_id), include_confidential=include_confidential, now=now)

    def _load(self, interview_id: int) -> PackData:
        if self._rows is not None:
            from retain.packs import load_rows

            return load_rows.load_pack_data(self._rows, interview_id)
        return _load_orm(self._engine, interview_id)

    def _record(self, path: Path, interview_id: int, content: object, visibility: str,
                pseudonymised: bool) -> None:
        """Remember the file and whose names it holds, so `person forget` can list it."""
        if self._rows is not None and self._rows.location is not None:
            from retain.packs.load_rows import record_export

            record_export(Path(self._rows.location), path, interview_id=interview_id, content=content,
                          visibility=visibility, pseudonymised=pseudonymised)
            return
        from retain.services.privacy import PrivacyService

        PrivacyService(self._engine, self._settings).record_export(
            path, interview_id=interview_id, content=content, visibility=visibility, pseudonymised=pseudonymised)

    # -- export ---------------------------------------------------------------------------
    def export(
        self,
        interview_id: int,
        *,
        fmt: str = "docx",
        out: Path | None = None,
        template: Path | None = None,
        include_confidential: bool = False,
        force: bool = False,
        pseudonymise: bool = False,
    ) -> ExportResult:
        """Write the handover pack (or, for an exit interview, the HR exit report).

        Args:
            interview_id: The interview.
            fmt: ``docx``, ``md``, ``html`` or ``json`` (the context itself). With a ``.j2``
                template and the default ``docx``, the format follows the template's name.
            out: A file or folder; default ``<exports>/<person>-<guide>-<date>.<ext>``.
            template: A custom ``.docx`` or ``.j2`` template (rendered in the sandbox).
            include_confidential: Include confidential answers, clearly labelled; required
                for an exit interview.
            force: Replace an existing file instead of writing a numbered copy.
            pseudonymise: Replace people's names, e-mail addresses and phone numbers with
                placeholders (``Person 1``); the key goes to the data folder, not the pack.

        Returns:
            What was written, and where.

        Raises:
            NotFound: For an unknown interview.
            ConfidentialityError: For an exit interview without ``include_confidential``.
            TemplateError: For a broken template (with its location); nothing is written.
            ExportError: If the output cannot be written; no partial file is left.
            InvalidInput: For an unknown format or a format that does not fit the template.
        """
        with paused_gc():
            return self._export(interview_id, fmt, out, template, include_confidential, force, pseudonymise)

    def _export(self, interview_id: int, fmt: str, out: Path | None, template: Path | None,
                include_confidential: bool, force: bool, pseudonymise: bool = False) -> ExportResult:
        started = perf_counter()
        fmt = normalise_format(fmt)
        custom = Path(template).expanduser() if template is not None else None
        if custom is not None:
            fmt = self._format_for_template(custom, fmt)
        now = datetime.now(UTC)
        context = self._context(interview_id, include_confidential, now)
        pseudonyms = None
        if pseudonymise:  # before the file name is chosen: it carries the person's name
            from retain.services.pseudonyms import pseudonymiser_for

            pseudonyms = pseudonymiser_for(self._engine, interview_id, context)
            pseudonyms.apply(context)
        if custom is not None:
            self._check_custom(custom, context.kind)
        chosen = custom or self._shipped(context.kind, fmt)
        ext = self._extension(chosen, fmt) if custom is not None else FORMATS[fmt]
        target = self._target(out, context, ext)
        writer = pack_writer(fmt, chosen, context, now, isolated=custom is not None)
        confidential = context.includes_confidential
        path = write_atomically(target, writer, force=force, private=confidential)
        self._record(path, interview_id, context, "confidential" if confidential else "shareable",
                     pseudonyms is not None)
        key = None
        if pseudonyms is not None:
            from retain.services.privacy import PrivacyService
            from retain.services.pseudonyms import write_key

            key = write_key(self._settings, path, pseudonyms)
            PrivacyService(self._engine, self._settings).record_export(
                key, interview_id=interview_id, content=pseudonyms.key_document(), kind="key")
        return ExportResult(path=path, format=fmt, seconds=perf_counter() - started,
                            included_confidential=confidential, key=key)

    def check_template(self, path: Path) -> list[str]:
        """Lint a pack template: syntax errors and unknown placeholders, each with its location.

        Args:
            path: A ``.docx`` or ``.j2`` template.

        Returns:
            One line per problem; an empty list means the template is fine.
        """
        return self.check_file(path)

    @staticmethod
    def check_file(path: Path) -> list[str]:
        """:meth:`check_template` without a service: checking a template needs no database."""
        from retain.packs.checker import check_template

        try:
            problems = check_template(Path(path).expanduser())
        except TemplateError as exc:
            return [exc.message]
        if problems:
            return problems
        # Placeholders are fine; now render it for real (limited), so a template that
        # divides by zero, loops for ever or builds gigabytes is reported here too.
        from retain.packs.checker import _sample_roots
        from retain.packs.sandbox import trial_render

        failure = trial_render(Path(path).expanduser(), _sample_roots())
        return [failure] if failure else []

    # -- helpers --------------------------------------------------------------------------
    @staticmethod
    def _format_for_template(template: Path, fmt: str) -> str:
        suffix = template.suffix.lower()
        if suffix == ".docx":
            if fmt not in ("docx", "pdf"):
                raise InvalidInput(f"a .docx template writes a Word file; drop --format {fmt} or use --format docx")
            return fmt
        if suffix == ".j2":
            if fmt == "json":
                raise InvalidInput("JSON output is the context itself and takes no template; drop --template")
            if fmt == "docx":
                return "html" if is_html(template) else "md"
            return fmt
        if not template.exists():
            raise TemplateError(f"template {template} not found; check the --template path")
        raise TemplateError(f"{template} is not a pack template; use a Word .docx file or a Jinja .j2 text file")

    @staticmethod
    def _check_custom(template: Path, kind: str) -> None:
        from retain.packs.checker import check_template
        from retain.packs.sample import sample_context

        problems = check_template(template, [sample_context(kind).to_json()])
        if problems:
            more = f" (+{len(problems) - 1} more; run `retain templates check {template}`)" if len(problems) > 1 else ""
            raise TemplateError(problems[0] + more)

    @staticmethod
    def _shipped(kind: str, fmt: str) -> Path:
        name = SHIPPED[kind]
        folder = templates_dir()
        # A PDF is the Word pack, converted by LibreOffice.
        return folder / (f"{name}.docx" if fmt in ("docx", "pdf") else f"{name}.{fmt}.j2")

    @staticmethod
    def _extension(template: Path, fmt: str) -> str:
        if template.suffix.lower() == ".j2":
            inner = Path(template.stem).suffix.lower()
            if inner and inner[1:].isalnum():
                return inner
        return FORMATS[fmt]

    def _target(self, out: Path | None, context: PackContext, ext: str) -> Path:
        person = context.cover.person.name
        # A file holding confidential answers says so in its name, so it is not sent by mistake.
        marker = "-confidential" if context.includes_confidential else ""
        name = (f"{slugify(person)}-{slugify(context.interview.guide, 'guide')}{marker}-"
                f"{date.today().isoformat()}{ext}")
        if out is None:
            return Path(self._settings.exports_dir).expanduser() / name
        out = Path(out).expanduser()
        if out.is_dir() or str(out).endswith(("/", "\\")):
            return out / name
        if not out.suffix:
            return out.with_name(out.name + ext)
        if out.suffix.lower() != ext:
            raise InvalidInput(
                f"--out {out.name} does not end in {ext}; name the file *{ext} or choose the format "
                f"with --format"
            )
        return out



# -- the ORM loader (the app, the web view, PostgreSQL) ------------------------------------------
# SQLAlchemy and SQLModel are imported inside: a one-off export on an SQLite file reads the same
# rows through sqlite3 alone (retain.packs.load_rows), and tests check both give the same pack.
_CHUNK = 500


def _load_orm(engine: Engine, interview_id: int) -> PackData:
    """Everything a pack is built from, confidential answers included (the reader filter comes later)."""
    from sqlmodel import col, select

    from retain.errors import Fix, NotFound
    from retain.imports.model import clock
    from retain.packs.catalog import HOLDABLE_LABELS
    from retain.services.base import session_scope
    from retain.services.interviews import snapshot_guide
    from retain.services.journey import successor_findings
    from retain.store.models import Answer, Interview, Mention, Person, Topic
    from retain.store.provenance import answer_sources

    with session_scope(engine) as session:
        interview = session.get(Interview, interview_id)
        if interview is None:
            raise NotFound(f"no interview {interview_id}", fix=Fix.LIST_INTERVIEWS)
        person = session.get(Person, interview.person_id)
        if person is None:  # pragma: no cover - a foreign key guarantees it
            raise NotFound(f"interview {interview_id} has no person; the database is damaged")
        successor = session.get(Person, interview.successor_id) if interview.successor_id else None
        # In id order, as the plain-SQL loader reads them.
        answers = list(session.exec(select(Answer).where(Answer.interview_id == interview_id).order_by(col(Answer.id))))
        mentions = list(session.exec(
            select(Mention).where(Mention.interview_id == interview_id).order_by(col(Mention.id))))
        topics = list(session.exec(select(Topic).where(Topic.interview_id == interview_id).order_by(col(Topic.id))))
        candidates = {m.key.casefold() for m in mentions if m.label in HOLDABLE_LABELS}
        candidates |= {t.phrase.casefold() for t in topics if t.answer_id is None}
        return PackData(
            interview=interview,
            guide=snapshot_guide(interview),
            person=person,
            successor=successor,
            answers=answers,
            mentions=mentions,
            topics=topics,
            held_elsewhere=frozenset(_held_elsewhere(session, person.id or 0, candidates)),
            # What the successor's follow-ups added: shareable answers only.
            followups=successor_findings(session, interview_id),
            # Packs cite imported answers: "from the recording at 12:04".
            recorded_at={
                answer_id: clock(source["start"])
                for answer_id, source in answer_sources(session, interview_id).items()
                if source["start"] is not None
            },
        )


def _held_elsewhere(session: Session, person_id: int, candidates: set[str]) -> set[str]:
    """Which candidate keys or phrases other people's shareable answers also mention."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from retain.store.models import Answer, Interview, Mention, Topic
    from retain.store.visibility import readable

    held: set[str] = set()
    keys = sorted(candidates)
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        others = (
            select(Answer.id)
            .join(Interview, col(Interview.id) == Answer.interview_id)
            # What a shareable reader may read of them: a skip's leftover text is not.
            .where(Interview.person_id != person_id, readable())
        )
        mention_key = func.lower(Mention.key)
        held |= set(session.exec(
            select(mention_key).where(col(Mention.answer_id).in_(others), mention_key.in_(chunk)).distinct()
        ).all())
        phrase = func.lower(Topic.phrase)
        held |= set(session.exec(
            select(phrase).where(col(Topic.answer_id).in_(others), phrase.in_(chunk)).distinct()
        ).all())
    return held
