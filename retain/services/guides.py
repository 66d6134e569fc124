"""Guide use cases: list and show guides, as the CLI and TUI present them."""

from __future__ import annotations

from typing import TypedDict

from retain.config import Settings
from retain.domain.types import JsonObject
from retain.guides.registry import GuideRegistry
from retain.guides.schema import Guide
from retain.resources import guides_dir


def guide_json(guide: Guide) -> JsonObject:
    """A guide as loaded, in the JSON shape of ``guides show --json``."""
    return {
        "id": guide.id,
        "title": guide.title,
        "track": guide.track,
        "version": guide.version,
        "description": guide.description,
        "extends": guide.extends,
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "intro": section.intro,
                "questions": [
                    {
                        "id": q.id,
                        "prompt": q.prompt,
                        "help": q.help,
                        "probes": q.probes,
                        "type": q.type,
                        "required": q.required,
                        "visibility": guide.default_visibility(q),
                        "pack": q.pack,
                        "fields": [
                            {"id": f.id, "label": f.title, "required": f.required} for f in q.fields
                        ],
                        "options": q.options,
                    }
                    for q in section.questions
                ],
            }
            for section in guide.sections
        ],
    }


class GuideSummary(TypedDict):
    """One row of ``guides list --json``."""

    id: str
    title: str
    track: str
    version: int
    questions: int
    extends: str | None


class GuideService:
    """Reads guides without touching the database."""

    def __init__(self, registry: GuideRegistry) -> None:
        self.registry = registry

    @classmethod
    def from_settings(cls, settings: Settings) -> GuideService:
        """Shipped guides plus the organisation folder (``RETAIN_GUIDES``)."""
        return cls(GuideRegistry(guides_dir(), settings.guides_dir))

    def get(self, guide_id: str) -> Guide:
        """One complete guide (modules merged with what they extend)."""
        return self.registry.get(guide_id)

    def summaries(self) -> list[GuideSummary]:
        """One row per guide: id, title, track, version, question count, what it extends."""
        return [
            {
                "id": guide.id,
                "title": guide.title,
                "track": guide.track,
                "version": guide.version,
                "questions": len(guide.questions()),
                "extends": guide.extends,
            }
            for guide in self.registry.all()
        ]
