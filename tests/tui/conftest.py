"""Fixtures for the Textual app: apps on temp databases, a shared spaCy pipeline, demo data."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from retain.config import Settings, load_settings
from retain.services import Services, open_services
from retain.tui.app import RetainApp

SIZE = (100, 32)


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let timers fire, workers finish and their messages land."""
    for _ in range(rounds):
        await pilot.pause()
        await _workers_done(pilot)
    await pilot.pause()


async def _workers_done(pilot: Pilot[Any], attempts: int = 10) -> None:
    for _ in range(attempts):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            # An exclusive worker was replaced by a newer one (the purge line refreshes when
            # the home screen comes back): wait for that one instead.
            await pilot.pause()
    raise AssertionError("workers kept being cancelled and restarted")


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type text key by key, as a person would."""
    await pilot.press(*text)


def make_app(services: Services, **kwargs: Any) -> RetainApp:
    """The app on ready-made services (no background spaCy unless asked for)."""
    kwargs.setdefault("preload_extractor", False)
    kwargs.setdefault("preload_quiet", 0.0)  # tests load spaCy at once when they ask for it
    kwargs.setdefault("strict", True)
    return RetainApp(services=services, **kwargs)


@pytest.fixture(scope="session")
def shared_extractor() -> Iterator[Any]:
    """One loaded spaCy extractor for the whole session (loading costs ~1.5 s)."""
    from retain.nlp import load_extractor

    folder = Path(tempfile.mkdtemp(prefix="retain-nlp-"))
    extractor = load_extractor(Settings(data_dir=folder))
    extractor.load()
    yield extractor
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def nlp_services(sqlite_services: Services, shared_extractor: Any) -> Services:
    """SQLite services whose extraction uses the shared, already loaded pipeline."""
    sqlite_services.extractor_factory = lambda: shared_extractor
    return sqlite_services


_demo_template: dict[str, Path] = {}


@pytest.fixture
def demo_services(tmp_path: Path) -> Iterator[Services]:
    """SQLite services on a copy of a database with the demo data loaded (loaded once)."""
    if "db" not in _demo_template:
        folder = Path(tempfile.mkdtemp(prefix="retain-demo-"))
        services = open_services(load_settings(db=str(folder / "demo.db")))
        services.demo.load()
        services.close()
        _demo_template["db"] = folder / "demo.db"
    target = tmp_path / "demo.db"
    shutil.copyfile(_demo_template["db"], target)
    services = open_services(load_settings(db=str(target)))
    yield services
    services.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    template = _demo_template.pop("db", None)
    if template is not None:
        shutil.rmtree(template.parent, ignore_errors=True)
