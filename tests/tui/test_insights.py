"""The Insights screen: HR-only banner, groups behind the reporting minimum, a terminal chart."""

from __future__ import annotations

from textual.widgets import DataTable, Select, Static
from textual_plotext import PlotextPlot

from retain.services import Services
from retain.tui.screens.insights import InsightsScreen
from tests.tui.conftest import SIZE, make_app, settle


async def test_insights_screen_hides_small_groups_and_says_hr_only(demo_services: Services) -> None:
    app = make_app(demo_services)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_insights()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        banner = str(screen.query_one("#insights-banner", Static).render())
        assert "HR ONLY" in banner and "never part of a handover pack" in banner
        assert screen.report is not None and screen.report.n == 11
        table = screen.query_one("#insights-table", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [r[0] for r in rows] == ["2026-Q3", "2026-Q4"] and [r[1] for r in rows] == ["5", "6"]
        assert screen.query_one("#insights-chart", PlotextPlot) is not None

        screen.query_one("#insights-by", Select).value = "team"
        await settle(pilot)
        rows = {table.get_row_at(i)[0]: table.get_row_at(i) for i in range(table.row_count)}
        assert rows["Finance Operations"][1] == "7"
        assert rows["Customer Success"][1] == "<5" and "hidden" in rows["Customer Success"][2]
        assert rows["Platform Engineering"][1] == "<5"

        screen.query_one("#insights-min", Select).value = 8
        await settle(pilot)
        assert all(table.get_row_at(i)[1] == "<8" for i in range(table.row_count))
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, InsightsScreen)
