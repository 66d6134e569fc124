"""The guide registry: shipped guides, overridden by an organisation's folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from retain.errors import GuideError, NotFound
from retain.guides.loader import iter_guide_files, load_guide_file, merge_module
from retain.guides.schema import Guide


@dataclass
class GuideRegistry:
    """Finds guides by id. An organisation guide with the same id replaces a shipped one."""

    shipped_dir: Path
    org_dir: Path | None = None
    _raw: dict[str, tuple[Guide, Path]] = field(default_factory=dict, init=False, repr=False)
    _loaded: bool = field(default=False, init=False, repr=False)

    def _load(self) -> None:
        if self._loaded:
            return
        folders = [self.shipped_dir] + ([self.org_dir] if self.org_dir else [])
        for path in iter_guide_files(folders):
            guide = load_guide_file(path)
            self._raw[guide.id] = (guide, path)
        self._loaded = True

    def ids(self) -> list[str]:
        """Every guide id, sorted."""
        self._load()
        return sorted(self._raw)

    def source(self, guide_id: str) -> Path:
        """The file a guide was read from."""
        self.get(guide_id)
        return self._raw[guide_id][1]

    def get(self, guide_id: str) -> Guide:
        """Return a complete guide, with a module merged onto the guide it extends.

        Raises:
            NotFound: If no guide has that id; the message lists the available ones.
        """
        self._load()
        if guide_id not in self._raw:
            raise NotFound(f"unknown guide {guide_id!r}; available guides: {', '.join(self.ids())}")
        guide, path = self._raw[guide_id]
        if guide.extends is None:
            return guide
        if guide.extends == guide.id or guide.extends not in self._raw:
            raise GuideError(
                [
                    f"{path}:1: extends unknown guide {guide.extends!r}; use one of {', '.join(self.ids())}"
                ]
            )
        return merge_module(self.get(guide.extends), guide, str(path))

    def all(self) -> list[Guide]:
        """Every guide, complete, sorted by id."""
        return [self.get(guide_id) for guide_id in self.ids()]
