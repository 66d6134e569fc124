"""The privacy actions in the app: forget with a typed confirmation, export a person's data, purge."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from sqlmodel import Session, select
from textual.widgets import Button, DataTable, Input, Static

from retain.services import Services
from retain.store.models import Answer, Person
from retain.tui.screens.dialogs import PromptModal
from retain.tui.screens.people import PeopleScreen
from retain.tui.screens.privacy import ForgetModal, PurgeModal
from tests.tui.conftest import SIZE, make_app, settle, type_text

NAME = "Priya Raman"


def _person_id(services: Services, name: str) -> int:
    with Session(services.engine) as session:
        person = session.exec(select(Person).where(Person.name == name)).one()
        return person.id or 0


async def _people_screen_on(pilot, services: Services, name: str) -> PeopleScreen:  # type: ignore[no-untyped-def]
    pilot.app.action_people()
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PeopleScreen)
    table = screen.query_one("#people-table", DataTable)
    table.move_cursor(row=table.get_row_index(str(_person_id(services, name))))
    await settle(pilot)
    return screen


async def test_forget_shows_the_dry_run_and_needs_the_typed_name(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Next purge due 2028-" in str(app.screen.query_one("#purge-line", Static).render())
        await _people_screen_on(pilot, demo_services, NAME)
        await pilot.press("x")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ForgetModal)
        summary = str(modal.query_one("#erase-summary", Static).render())
        assert "would delete" in summary and "2 interviews" in summary and "[removed person]" in summary
        await type_text(pilot, "Priya")
        await settle(pilot)
        assert modal.query_one("#erase", Button).disabled
        await pilot.press("enter")  # not the full name yet: nothing happens
        await settle(pilot)
        assert app.screen is modal and _person_id(demo_services, NAME)
        await type_text(pilot, " raman")
        await settle(pilot)
        assert not modal.query_one("#erase", Button).disabled
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert isinstance(app.screen, PeopleScreen)
        with Session(demo_services.engine) as session:
            assert session.exec(select(Person).where(Person.name == NAME)).first() is None
            bodies = [a.body for a in session.exec(select(Answer)).all()]
        assert not any("Priya" in b for b in bodies) and any("[removed person]" in b for b in bodies)
        table = app.screen.query_one("#people-table", DataTable)
        assert str(_person_id(demo_services, "Tom Okafor")) in table.rows
        assert [e.kind for e in demo_services.privacy.log()] == ["forget"]


async def test_forget_can_be_cancelled(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _people_screen_on(pilot, demo_services, NAME)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert _person_id(demo_services, NAME)


async def test_export_and_purge_from_the_people_screen(demo_services: Services, tmp_path: Path) -> None:
    app = make_app(demo_services)
    target = tmp_path / "priya.zip"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _people_screen_on(pilot, demo_services, NAME)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one("#prompt-input", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, rounds=5)
        assert target.is_file() and stat.S_IMODE(target.stat().st_mode) == 0o600
        with zipfile.ZipFile(target) as archive:
            assert "Priya Raman" in archive.read("person.md").decode()
        await pilot.press("p")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PurgeModal)
        assert "Nothing is due for purging" in str(modal.query_one("#erase-summary", Static).render())
        assert not modal.query_one("#erase-confirm", Input).display
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
