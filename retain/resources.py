"""Locate the shipped interview guides and templates, in a wheel or a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data_dir(name: str) -> Path:
    # A wheel carries the folders as retain/_data/<name>; an editable install or a source
    # checkout reads them from the repository root, beside the package.
    packaged = resources.files("retain").joinpath("_data", name)
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def guides_dir() -> Path:
    """Return the folder of shipped interview guides."""
    return _data_dir("interviews")


def templates_dir() -> Path:
    """Return the folder of shipped pack templates."""
    return _data_dir("templates")
