"""The guide registry: shipped guides, overridden by an organisation's folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from retain.errors import ConfigError, GuideError, NotFound
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
        if self.org_dir is not None:
            check_guides_folder(self.org_dir)
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
            GuideError: If a guide extends an unknown guide, or guides extend each other.
        """
        self._load()
        if guide_id not in self._raw:
            raise NotFound(f"unknown guide {guide_id!r}; available guides: {', '.join(self.ids())}")
        problem = extends_problem(guide_id, {k: (g.extends, p) for k, (g, p) in self._raw.items()})
        if problem:
            raise GuideError([problem])
        guide, path = self._raw[guide_id]
        if guide.extends is None:
            return guide
        return merge_module(self.get(guide.extends), guide, str(path))

    def all(self) -> list[Guide]:
        """Every guide, complete, sorted by id."""
        return [self.get(guide_id) for guide_id in self.ids()]


def check_guides_folder(folder: Path) -> None:
    """Refuse a ``RETAIN_GUIDES`` folder that is missing or unreadable, instead of ignoring it.

    Raises:
        ConfigError: Naming the folder and the fix.
    """
    if not folder.exists():
        raise ConfigError(f"the guides folder {folder} does not exist; fix RETAIN_GUIDES or unset it")
    if not folder.is_dir():
        raise ConfigError(f"the guides folder {folder} is not a folder; fix RETAIN_GUIDES or unset it")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise ConfigError(f"cannot read the guides folder {folder}: permission denied; fix its "
                          "permissions or RETAIN_GUIDES")


def extends_problem(guide_id: str, extends: dict[str, tuple[str | None, Path]]) -> str | None:
    """What is wrong with the ``extends`` chain of ``guide_id``, or ``None``.

    Args:
        guide_id: The guide to check.
        extends: Every known guide id -> (the id it extends, its file).

    Returns:
        ``file:1: message`` for an unknown guide or a cycle.
    """
    chain = [guide_id]
    current = guide_id
    while True:
        parent, path = extends[current]
        if parent is None:
            return None
        if parent not in extends:
            known = ", ".join(sorted(k for k in extends if k != current))
            return f"{path}:1: extends unknown guide {parent!r}; use one of {known}"
        if parent in chain:
            cycle = " -> ".join([*chain[chain.index(parent):], parent])
            return (f"{extends[guide_id][1]}:1: guides extend each other ({cycle}); "
                    "a module extends a full guide")
        chain.append(parent)
        current = parent


def validate_files(
    registry: GuideRegistry, paths: list[Path]
) -> tuple[list[tuple[Path, Guide]], list[str]]:
    """Validate guide files, including what they ``extends`` (known guides or each other).

    Returns:
        The files that passed, with their guide, and every problem as ``file:line: message``.
    """
    problems: list[str] = []
    loaded: list[tuple[Path, Guide]] = []
    for path in paths:
        try:
            loaded.append((path, load_guide_file(path)))
        except GuideError as exc:
            problems.extend(exc.problems)
    registry._load()
    known: dict[str, tuple[str | None, Path]] = {
        gid: (guide.extends, source) for gid, (guide, source) in registry._raw.items()
    }
    known.update({guide.id: (guide.extends, path) for path, guide in loaded})
    passed: list[tuple[Path, Guide]] = []
    for path, guide in loaded:
        problem = extends_problem(guide.id, known)
        if problem is None and guide.extends is not None:
            base_id = guide.extends
            base = next((g for p, g in loaded if g.id == base_id), None)
            try:
                merge_module(base or registry.get(base_id), guide, str(path))
            except GuideError as exc:
                problem = exc.problems[0]
        if problem is None:
            passed.append((path, guide))
        else:
            problems.append(problem)
    return passed, problems
