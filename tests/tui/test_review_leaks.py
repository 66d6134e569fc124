"""The review screen never raises a gap drawn from a confidential answer (issue 9)."""

from __future__ import annotations

from textual.widgets import Static

from retain.services import Services
from retain.tui.screens.review import ReviewScreen
from tests.tui.conftest import SIZE, make_app, settle


async def test_review_screen_shows_no_gap_from_a_confidential_answer(nlp_services: Services) -> None:
    iid = nlp_services.interviews.start("handover", "Priya Raman").id or 0
    nlp_services.interviews.answer(iid, "only-you", text="I run the PayBridge export.")
    nlp_services.interviews.answer(iid, "stakeholders", text="Dana Whitfield blocked the payroll change twice.",
                                   visibility="confidential")
    nlp_services.extraction.extract_interview(iid)
    app = make_app(nlp_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(iid)
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        gaps = str(review.query_one("#gaps", Static).render())
        assert "Required question" in gaps  # the screen does list gaps ...
        assert "Dana" not in gaps  # ... but none that would copy a confidential name into the contacts
