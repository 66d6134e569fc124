"""Search in the app: a demo hit, enter opens it; confidential answers only on explicit request."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, OptionList

from retain.services import Services
from retain.tui.screens.home import HomeScreen
from retain.tui.screens.interview import InterviewScreen
from retain.tui.screens.search import SearchScreen
from tests.tui.conftest import SIZE, make_app, settle, type_text


async def test_search_finds_a_demo_answer_and_enter_opens_it(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await type_text(pilot, "PayBridge")
        await pilot.pause(0.4)  # results come after a short pause in typing
        await settle(pilot)
        assert screen.hits, "the demo data mentions PayBridge"
        assert all(hit.visibility == "shareable" for hit in screen.hits)
        results = screen.query_one("#results", OptionList)
        assert results.option_count == len(screen.hits)
        first = screen.hits[0]
        assert "**" in first.snippet  # the snippet carries its highlight

        await pilot.press("enter")  # from the query box into the results
        assert results.has_focus
        await pilot.press("enter")  # show the highlighted answer, read-only (issue 11)
        await settle(pilot)
        from retain.tui.screens.answer_view import AnswerViewModal

        view = app.screen
        assert isinstance(view, AnswerViewModal)
        assert (view.interview_id, view.question_id) == (first.interview_id, first.question_id)
        await pilot.press("e")  # editing it is an explicit key
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, InterviewScreen)
        assert opened.interview_id == first.interview_id
        assert opened.current == first.question_id

        await pilot.press("escape")  # back to the results, then home
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_search_shows_confidential_answers_only_when_asked(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one("#query", Input).value = "workload"
        await pilot.pause(0.4)
        await settle(pilot)
        assert screen.hits and all(hit.visibility == "shareable" for hit in screen.hits)
        shareable = len(screen.hits)

        screen.query_one("#search-confidential", Checkbox).value = True
        await pilot.pause(0.4)
        await settle(pilot)
        assert len(screen.hits) > shareable
        assert any(hit.visibility == "confidential" for hit in screen.hits)
        prompts = [str(screen.query_one("#results", OptionList).get_option_at_index(i).prompt)
                   for i in range(len(screen.hits))]
        assert any("CONFIDENTIAL" in prompt for prompt in prompts)
