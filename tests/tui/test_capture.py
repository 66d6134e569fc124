"""The live capture panel with the real spaCy pipeline: entities while typing, follow-ups to add."""

from __future__ import annotations

from textual.widgets import Static

from retain.services import Services
from retain.tui.screens.interview import InterviewScreen
from retain.tui.widgets.capture import CapturePanel
from tests.tui.conftest import SIZE, make_app, settle, type_text


async def test_live_panel_shows_a_system_and_adds_it_to_systems(nlp_services: Services) -> None:
    services = nlp_services
    interview = services.interviews.start("handover", "Ana Silva", successor="Ben Carter")
    app = make_app(services, preload_extractor=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.extractor_state == "ready"  # loaded in the background after the home screen
        app.open_interview(interview.id or 0, "only-you")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)

        await type_text(pilot, "We manage access in Okta.")
        await pilot.pause(0.8)  # the panel extracts after a short pause in typing
        await settle(pilot)
        entities = str(screen.query_one("#capture-entities", Static).render())
        assert "Okta" in entities
        assert "system" in entities

        await pilot.pause(0.5)  # the autosave, then extraction of the saved answer, then gaps
        await settle(pilot, rounds=5)
        capture = screen.query_one(CapturePanel)
        addable = capture.first_addable()
        assert addable is not None and addable["item"] == "Okta"
        assert addable["kind"] == "system_not_listed"

        await pilot.press("ctrl+l")  # add it as a row of the systems question
        await settle(pilot, rounds=5)
        await pilot.press("ctrl+q")

    answers = {a.question_id: a for a in services.interviews.answers(interview.id or 0)}
    assert answers["only-you"].text == "We manage access in Okta."
    assert answers["systems"].items == [{"name": "Okta", "purpose": "", "access": "", "owner": ""}]
    report = services.reports.show(interview.id or 0).to_json()
    assert any(e["text"] == "Okta" and e["label"] == "SYSTEM" for e in report["entities"])
    assert not any(g["kind"] == "system_not_listed" for g in report["gaps"])


async def test_follow_ups_never_come_from_confidential_answers(nlp_services: Services) -> None:
    services = nlp_services
    interview = services.interviews.start("handover", "Ana Silva")
    iid = interview.id or 0
    shared = services.interviews.answer(iid, "only-you", text="I administer Okta for the team.")
    secret = services.interviews.answer(iid, "breaks-first", text="Zendesk billing is a mess.",
                                        visibility="confidential")
    services.extraction.extract_answers([shared.id or 0, secret.id or 0])
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(iid, "breaks-first")
        await settle(pilot)
        gaps = app.screen.query_one(CapturePanel).gaps
        items = {gap.get("item") for gap in gaps}
        assert "Okta" in items  # a shareable mention becomes a follow-up
        assert "Zendesk" not in items  # a confidential one never does


async def test_kwame_asante_in_finance_is_added_once(nlp_services: Services) -> None:
    """Issue 15's session: the mention is the name, one ctrl+l adds one row, then no follow-up."""
    services = nlp_services
    interview = services.interviews.start("handover", "Ana Silva", successor="Ben Carter")
    app = make_app(services, preload_extractor=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(interview.id or 0, "only-you")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)

        await type_text(pilot, "The accruals go to Kwame Asante in Finance for approval.")
        await pilot.pause(0.8)
        await settle(pilot)
        entities = str(screen.query_one("#capture-entities", Static).render())
        assert "Kwame Asante" in entities
        assert "Finance" not in entities

        await pilot.pause(0.5)
        await settle(pilot, rounds=5)
        capture = screen.query_one(CapturePanel)
        addable = capture.first_addable()
        assert addable is not None
        assert (addable["kind"], addable["item"]) == ("person_not_in_contacts", "Kwame Asante")

        await pilot.press("ctrl+l")
        await settle(pilot, rounds=5)
        assert not any(g.get("kind") == "person_not_in_contacts" and "Kwame" in str(g.get("item"))
                       for g in capture.gaps)
        await pilot.press("ctrl+l")  # nothing left to add for Kwame: no second row
        await settle(pilot, rounds=5)
        await pilot.press("ctrl+q")

    answers = {a.question_id: a for a in services.interviews.answers(interview.id or 0)}
    rows = answers["contacts"].items
    assert [row["name"] for row in rows] == ["Kwame Asante"]
    report = services.reports.show(interview.id or 0).to_json()
    assert not any(g["kind"] == "person_not_in_contacts" for g in report["gaps"])
