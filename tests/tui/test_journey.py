"""The issue's acceptance journey, keyboard only, at 80x24.

Find every Norway arrangement, open one, change its lessons learned, save, and
see the change in its history.
"""

from __future__ import annotations

from textual.widgets import TextArea

from twintui.core.model import Arrangement
from twintui.tui.common.facets import FacetScreen
from twintui.tui.common.row_table import RowTable
from twintui.tui.register.form import ArrangementEditor
from twintui.tui.register.record import ArrangementScreen

from .driving import plain, settle, wait_for


async def test_find_norway_open_edit_lessons_and_see_the_history(make_app, pinned_store) -> None:  # noqa: ANN001
    from twintui.core.store import Store

    # A second Norway arrangement, so "every Norway arrangement" is more than one.
    Store.open(pinned_store.path, user="other.official").save(
        Arrangement(reporting_state="NOR", title="Virtual networking on housing with Iceland", status="planned",
                    activity_types=["virtual networking"], areas=["housing"],
                    objectives="Share housing practice for resettled refugees"), "test")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        # Facets: State → NOR.
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacetScreen), "the facets")
        states = app.screen.query_one("#facet-states")
        states.focus()
        labels = [str(states.get_option_at_index(i).prompt) for i in range(states.option_count)]
        for _ in range(labels.index(next(label for label in labels if label.startswith("NOR")))):
            await pilot.press("down")
        await pilot.press("space", "ctrl+s")
        table = app.screen.query_one(RowTable)
        assert [row.state for row in table.rows] == ["NOR", "NOR"]

        # Open the quota refugees arrangement.
        while "quota" not in table.current.title:
            await pilot.press("down")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ArrangementScreen) and app.screen.view, "the record")
        record = app.screen
        assert record.view.arrangement.id == "TW-NOR-0001"

        # Edit: tab to lessons learned, replace the text, save.
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ArrangementEditor), "the form")
        lessons = app.screen.query_one("#field-lessons_learned", TextArea)
        for _ in range(60):
            if app.focused is lessons:
                break
            await pilot.press("tab")
        assert app.focused is lessons
        await pilot.press("f7", *"Agree a common working language in the first month.")  # f7 selects all
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is record, "back on the record")
        await settle(app, pilot)

        stored = pinned_store.require(Arrangement, "TW-NOR-0001")
        assert stored.lessons_learned == "Agree a common working language in the first month."
        assert stored.rev == 2
        history = " ".join(plain(record.query_one("#history-text")).split())
        assert "Lessons learned" in history and "now Agree a common working language" in history
        assert "screen:register" in history
