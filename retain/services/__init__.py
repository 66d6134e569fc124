"""Use cases shared by the CLI and the TUI; nothing here imports textual or spaCy."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

from retain.config import Settings

if TYPE_CHECKING:
    # Imported where used, not here: a command pays only for the services it touches
    # (SQLModel, the guide schema and the services' own modules cost ~0.3 s together).
    from sqlalchemy import Engine

    from retain.guides.registry import GuideRegistry
    from retain.nlp.extractor import Extractor
    from retain.services.database import DatabaseService
    from retain.services.demo import DemoService
    from retain.services.export import ExportService
    from retain.services.extraction import ExtractionService
    from retain.services.guides import GuideService
    from retain.services.imports import ImportService
    from retain.services.insights import InsightsService
    from retain.services.interviews import InterviewService
    from retain.services.journey import JourneyService
    from retain.services.knowledge import KnowledgeService
    from retain.services.people import PeopleService
    from retain.services.privacy import PrivacyService
    from retain.services.qdpx import QdpxService
    from retain.services.report import ReportService
    from retain.services.search import SearchService
    from retain.services.segments import SegmentService
    from retain.store.rows import RowReader, SqliteRows


class Services:
    """Every service, wired to one database, one guide registry and one extractor factory.

    Both front ends receive this container and never build a service themselves. Services
    are built on first use, so a command that only lists interviews never loads spaCy,
    python-docx or the search code, and one that needs no database (``guides``, ``db
    upgrade``) never opens it.

    Args:
        settings: The resolved settings.
        engine: An open database; ``None`` opens ``settings.db_url`` on first use.
        guides: The guide registry (shipped guides plus the organisation folder).
        extractor_factory: Builds the extractor; injected so tests and the TUI decide when
            (and which) spaCy pipeline loads.
    """

    def __init__(
        self,
        settings: Settings,
        engine: Engine | None = None,
        guides: GuideRegistry | None = None,
        extractor_factory: Callable[[], Extractor] | None = None,
    ) -> None:
        self.settings = settings
        self._engine = engine
        self._guides = guides
        self.extractor_factory = extractor_factory
        # spaCy pipelines are not safe to share between threads, and loading one twice wastes
        # seconds: every caller that runs the extractor in a thread holds this lock.
        self.extraction_lock = threading.Lock()
        self._light_rows: SqliteRows | None = None

    @property
    def engine(self) -> Engine:
        """The database, opened (and created at the newest schema) on first use.

        Raises:
            StoreError: If the database cannot be opened.
            SchemaOutOfDate: If it needs upgrading.
        """
        if self._engine is None:
            from retain.store.engine import open_engine

            self._engine = open_engine(self.settings.db_url)
        return self._engine

    @property
    def guides(self) -> GuideRegistry:
        """The guide registry (shipped guides plus the organisation folder), read on first use."""
        if self._guides is None:
            from retain.guides.registry import GuideRegistry
            from retain.resources import guides_dir

            self._guides = GuideRegistry(guides_dir(), self.settings.guides_dir)
        return self._guides

    @guides.setter
    def guides(self, registry: GuideRegistry) -> None:
        self._guides = registry

    @cached_property
    def database(self) -> DatabaseService:
        """Schema upgrades and backups (works on a database that is not open or not current)."""
        from retain.services.database import DatabaseService

        return DatabaseService(self.settings)

    @cached_property
    def guide_catalogue(self) -> GuideService:
        """Guides as the front ends list and show them (no database needed)."""
        from retain.services.guides import GuideService

        return GuideService(self.guides)

    @cached_property
    def demo(self) -> DemoService:
        """The realistic demo data set."""
        from retain.services.demo import DemoService

        return DemoService(self.engine, self.interviews)

    @cached_property
    def interviews(self) -> InterviewService:
        """Interview use cases."""
        from retain.services.interviews import InterviewService

        return InterviewService(self.engine, self.guides)

    @cached_property
    def people(self) -> PeopleService:
        """People use cases."""
        from retain.services.people import PeopleService

        return PeopleService(self.engine)

    @cached_property
    def journey(self) -> JourneyService:
        """Pack review and sign-off, and successor follow-ups."""
        from retain.services.journey import JourneyService

        return JourneyService(self.engine, self.interviews)

    @cached_property
    def reports(self) -> ReportService:
        """The full interview report."""
        from retain.services.report import ReportService

        return ReportService(self.engine)

    @cached_property
    def extraction(self) -> ExtractionService:
        """Entity, rhythm and topic extraction."""
        from retain.services.extraction import ExtractionService

        return ExtractionService(self.engine, self.settings, self.extractor_factory)

    @cached_property
    def exports(self) -> ExportService:
        """Handover packs and HR reports.

        On an SQLite file at the current schema, opened before the engine (a one-off
        ``retain export``), packs are read and recorded through sqlite3 alone, as :attr:`rows`
        reads; the engine opens only if a step needs it (``--pseudonymise``).
        """
        from retain.services.export import ExportService
        from retain.store.rows import SqliteRows

        light = self.rows if self._engine is None else None
        if isinstance(light, SqliteRows):
            return ExportService(lambda: self.engine, self.settings, rows=light)
        return ExportService(self.engine, self.settings)

    @cached_property
    def search(self) -> SearchService:
        """Full-text search over answers."""
        from retain.services.search import SearchService

        return SearchService(self.engine)

    @cached_property
    def rows(self) -> RowReader:
        """Read-only SQL for work that only reads and prints (search, listings, who, map).

        On an SQLite file at the current schema, opened before the engine, this is the
        sqlite3 module alone: importing SQLAlchemy costs ~0.16 s, more than such a command
        does. Anything else (PostgreSQL, a file to create or upgrade, not a database) reads
        through the engine, which creates, refuses or explains as every other command does.
        """
        from retain.store.rows import EngineRows, open_sqlite_rows, sqlite_file

        path = sqlite_file(self.settings.db_url) if self._engine is None else None
        light = open_sqlite_rows(path) if path is not None else None
        if light is not None:
            self._light_rows = light
            return light
        return EngineRows(self.engine)

    @cached_property
    def search_readonly(self) -> SearchService:
        """Search that only reads, through :attr:`rows` (a one-off command's search)."""
        from retain.services.search import SearchService

        return SearchService(self.rows)

    @cached_property
    def knowledge(self) -> KnowledgeService:
        """Who knows what, and the knowledge-concentration map."""
        from retain.services.knowledge import KnowledgeService

        return KnowledgeService(self.engine)

    @cached_property
    def privacy(self) -> PrivacyService:
        """Forget a person, purge by retention, the erasure log and export records."""
        from retain.services.privacy import PrivacyService

        return PrivacyService(self.engine, self.settings)

    @cached_property
    def imports(self) -> ImportService:
        """Recorded-interview transcripts mapped onto the guide."""
        from retain.services.imports import ImportService

        return ImportService(self.engine, self.guides)

    @cached_property
    def segments(self) -> SegmentService:
        """Unmapped transcript talk, saved as an answer or dropped after an import."""
        from retain.services.segments import SegmentService

        return SegmentService(self.engine)

    @cached_property
    def qdpx(self) -> QdpxService:
        """REFI-QDA projects for qualitative researchers."""
        from retain.services.qdpx import QdpxService

        return QdpxService(self.engine, self.settings)

    @cached_property
    def insights(self) -> InsightsService:
        """HR exit insights behind reporting minimums."""
        from retain.services.insights import InsightsService

        return InsightsService(self.engine, self.settings)

    def close(self) -> None:
        """Release database connections (if the database was ever opened)."""
        if self._engine is not None:
            self._engine.dispose()
        if self._light_rows is not None:
            self._light_rows.close()
            self._light_rows = None


def open_services(
    settings: Settings, extractor_factory: Callable[[], Extractor] | None = None
) -> Services:
    """Open the configured database (creating it at the newest schema) and wire the services.

    Raises:
        StoreError: If the database cannot be opened.
        SchemaOutOfDate: If it needs ``retain db upgrade``.
    """
    from retain.store.engine import open_engine

    return Services(settings=settings, engine=open_engine(settings.db_url), extractor_factory=extractor_factory)


__all__ = ["Services", "open_services"]
