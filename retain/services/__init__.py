"""Use cases shared by the CLI and the TUI; nothing here imports textual or spaCy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from retain.config import Settings
from retain.guides.registry import GuideRegistry
from retain.resources import guides_dir
from retain.services.interviews import InterviewService
from retain.services.people import PeopleService
from retain.services.report import ReportService
from retain.store.engine import open_engine

if TYPE_CHECKING:
    from retain.nlp.extractor import Extractor
    from retain.services.export import ExportService
    from retain.services.extraction import ExtractionService
    from retain.services.knowledge import KnowledgeService
    from retain.services.search import SearchService


@dataclass
class Services:
    """Every service, wired to one database, one guide registry and one extractor factory.

    Services are built on first use, so a command that only lists interviews never loads
    spaCy, python-docx or the search code.
    """

    settings: Settings
    engine: Engine
    guides: GuideRegistry = field(default_factory=lambda: GuideRegistry(guides_dir()))
    # Injected so tests and the TUI decide when (and which) spaCy pipeline loads.
    extractor_factory: Callable[[], Extractor] | None = None

    @cached_property
    def interviews(self) -> InterviewService:
        """Interview use cases."""
        return InterviewService(self.engine, self.guides)

    @cached_property
    def people(self) -> PeopleService:
        """People use cases."""
        return PeopleService(self.engine)

    @cached_property
    def reports(self) -> ReportService:
        """The full interview report."""
        return ReportService(self.engine)

    @cached_property
    def extraction(self) -> ExtractionService:
        """Entity, rhythm and topic extraction."""
        from retain.services.extraction import ExtractionService

        return ExtractionService(self.engine, self.settings, self.extractor_factory)

    @cached_property
    def exports(self) -> ExportService:
        """Handover packs and HR reports."""
        from retain.services.export import ExportService

        return ExportService(self.engine, self.settings)

    @cached_property
    def search(self) -> SearchService:
        """Full-text search over answers."""
        from retain.services.search import SearchService

        return SearchService(self.engine)

    @cached_property
    def knowledge(self) -> KnowledgeService:
        """Who knows what, and the knowledge-concentration map."""
        from retain.services.knowledge import KnowledgeService

        return KnowledgeService(self.engine)

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()


def open_services(
    settings: Settings, extractor_factory: Callable[[], Extractor] | None = None
) -> Services:
    """Open the configured database (creating it at the newest schema) and wire the services.

    Raises:
        StoreError: If the database cannot be opened.
        SchemaOutOfDate: If it needs ``retain db upgrade``.
    """
    engine = open_engine(settings.db_url)
    return Services(
        settings=settings,
        engine=engine,
        guides=GuideRegistry(guides_dir(), settings.guides_dir),
        extractor_factory=extractor_factory,
    )


__all__ = ["Services", "open_services"]
