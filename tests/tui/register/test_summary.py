"""The register's summary panel (issue 9): counts by status and area of what the list shows."""

from __future__ import annotations

from collections import Counter

from twintui.tui.common.help import HelpScreen
from twintui.tui.common.row_table import RowTable
from twintui.tui.register.summary import SummaryPanel

from ..driving import settle


def panel_text(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one(SummaryPanel).render())


async def test_i_shows_the_counts_of_the_listed_rows_and_they_follow_the_filter(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one(SummaryPanel)
        assert not panel.display
        await pilot.press("i")
        await settle(app, pilot)
        assert panel.display
        text = panel_text(app)
        assert text.startswith("6 listed · by status: active 2 · completed 4")
        assert "5  settlement and integration support" in text
        assert len(app.screen.query_one(RowTable).rows) == 6  # the list is still there

        # Narrow to one state: the counts are those of the rows shown.
        await pilot.press("slash", *"Norwegian")
        await settle(app, pilot)
        rows = app.screen.query_one(RowTable).rows
        assert {row.state for row in rows} == {"NOR"} and len(rows) == 1
        text = panel_text(app)
        statuses = Counter(row.status for row in rows)
        assert text.startswith(f"{len(rows)} listed")
        assert " · ".join(f"{s} {n}" for s, n in statuses.items()) in text
        for area in rows[0].areas:
            assert f"1  {area}"[:30] in text
        assert "completed" not in text.splitlines()[0]

        await pilot.press("escape", "i")
        await settle(app, pilot)
        assert not panel.display


async def test_the_summary_is_in_the_command_palette_and_the_help(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Summary (i)" in titles
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert keys.get("i") == "Show or hide the counts by status and area of the arrangements listed", keys
