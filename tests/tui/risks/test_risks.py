"""The risks screen at 80x24: heat map, overdue reviews, filters, edit with validation, conflicts."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from twintui.core.model import Risk
from twintui.core.store import Store
from twintui.tui.common.confirm import ConfirmScreen
from twintui.tui.common.conflict import ConflictScreen
from twintui.tui.common.facets import FacetScreen
from twintui.tui.common.row_table import RowTable
from twintui.tui.risks.heat_map import HeatMap
from twintui.tui.risks.screen import RiskForm

from ..driving import settle, wait_for


async def open_risks(app, pilot) -> None:  # noqa: ANN001
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)


def rows(app) -> list:  # noqa: ANN001
    return app.screen.query_one(RowTable).rows


async def test_critical_risks_and_overdue_reviews_at_a_glance(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        first = rows(app)[0]
        assert first.band() == "critical" and first.risk.owner == "Marie Tremblay"
        heat = app.screen.query_one(HeatMap)
        assert heat.counts[(3, 5)] == 1
        picture = str(heat.render())
        assert "C 1" in picture and "Likelihood" in picture
        summary = str(app.screen.query_one("#risk-summary").render())
        assert "critical 1" in summary and "overdue" in summary and "Marie Tremblay" in summary
        await pilot.press("o")
        assert rows(app) and all(row.overdue for row in rows(app))


async def test_moving_onto_a_cell_filters_the_list(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        total = len(rows(app))
        await pilot.press("h")  # h marks the busiest, most severe cell at once
        heat = app.screen.query_one(HeatMap)
        assert heat.cursor is not None
        assert rows(app) and all((row.risk.likelihood, row.risk.impact) == heat.cursor for row in rows(app))
        assert "heat.all" in {b.binding.id for b in app.screen.active_bindings.values()}
        await pilot.press("escape")
        assert heat.cursor is None and len(rows(app)) == total
        # "All cells" is offered no more, and escape once more goes back to the list.
        assert "heat.all" not in {b.binding.id for b in app.screen.active_bindings.values()}
        await pilot.press("escape")
        assert app.focused is app.screen.table


async def test_residual_view_and_facets(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        await pilot.press("t")
        assert "residual" in str(app.screen.query_one(HeatMap).render())
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FacetScreen), "facets")
        await pilot.press("right", "right", "right")  # to the Owner tab
        owners = app.screen.query_one("#facet-owners")
        owners.focus()
        await pilot.press("space", "ctrl+s")
        chosen = app.screen.filter.owners
        assert len(chosen) == 1
        assert {row.risk.owner for row in rows(app)} == set(chosen)


async def test_edit_a_risk_with_a_validation_error_then_save(make_app, pinned_store: Store) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        target = rows(app)[0].risk
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, RiskForm), "the risk form")
        form = app.screen
        likelihood = form.query_one("#field-likelihood", Input)
        likelihood.focus()
        await pilot.press("end", "ctrl+u", "9", "ctrl+s")
        assert isinstance(app.screen, RiskForm)
        message = str(form.fields.editors["likelihood"].message.render())
        assert "error:" in message and "above the maximum" in message
        assert pinned_store.require(Risk, target.key).likelihood == target.likelihood
        await pilot.press("ctrl+u", "4", "ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, RiskForm), "the form to close")
        await settle(app, pilot)
        stored = pinned_store.require(Risk, target.key)
        assert stored.likelihood == 4 and stored.rev == target.rev + 1
        assert [e.changes for e in pinned_store.history(target.key)][-1] == {"likelihood": [3, 4]}


async def test_new_risk_for_an_unknown_arrangement_is_refused_in_the_form(make_app, pinned_store) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        before = pinned_store.count(Risk)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, RiskForm), "the risk form")
        form = app.screen
        form.query_one("#field-arrangement", Input).value = "TW-XXX-0001"
        form.query_one("#field-description", Input).value = "Interpreters not available"
        await pilot.press("ctrl+s")
        assert "no arrangement TW-XXX-0001" in str(form.fields.editors["arrangement"].message.render())
        form.query_one("#field-arrangement", Input).value = "TW-NOR-0001"
        form.query_one("#field-owner", Input).value = "Ingrid Hansen"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, RiskForm), "the form to close")
        await settle(app, pilot)
        assert pinned_store.count(Risk) == before + 1
        assert pinned_store.get(Risk, "TW-NOR-0001/R-4").description == "Interpreters not available"


async def test_a_conflicting_save_shows_both_versions(make_app, pinned_store: Store) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        target = rows(app)[0].risk
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, RiskForm), "the risk form")
        Store.open(pinned_store.path, user="alice").save(target.replace(owner="Alice Martin"), "test")
        app.screen.query_one("#field-mitigation").text = "Brief every partner's minister in advance"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen), "the conflict screen")
        await pilot.press("ctrl+s")  # the defaults: their owner, my mitigation
        await wait_for(pilot, lambda: not isinstance(app.screen, ConflictScreen), "the merge")
        await settle(app, pilot)
        stored = pinned_store.require(Risk, target.key)
        assert stored.owner == "Alice Martin"
        assert stored.mitigation == "Brief every partner's minister in advance"


async def test_digits_in_the_risk_filter_stay_there(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        await pilot.press("slash", "2", "0")
        assert app.screen.TITLE == "Risks"
        assert app.screen.query_one("#risks-filter", Input).value == "20"


async def test_today_is_pinned(make_app, pinned_store: Store) -> None:  # noqa: ANN001
    """Overdue follows the app's pinned day, not the clock (which is past it): the screens do not drift."""
    from ..conftest import TODAY

    assert dt.date.today() > TODAY + dt.timedelta(days=1)
    parent = next(r.arrangement for r in pinned_store.all(Risk))
    for description, day in (("Reviewed tomorrow", TODAY + dt.timedelta(days=1)),
                             ("Reviewed yesterday", TODAY - dt.timedelta(days=1))):
        pinned_store.save(Risk(arrangement=parent, description=description, category="budget", likelihood=1,
                               impact=1, owner="Alice Martin", next_review=day), "test")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        overdue = {row.risk.description: row.overdue for row in rows(app)}
        assert overdue["Reviewed tomorrow"] is False and overdue["Reviewed yesterday"] is True


async def test_delete_asks_first_and_keep_keeps_the_risk(make_app, pinned_store: Store) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_risks(app, pilot)
        doomed = rows(app)[0].risk
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert doomed.key in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")
        await settle(app, pilot)
        assert pinned_store.get(Risk, doomed.key) is not None
        await pilot.press("delete", "y")
        await settle(app, pilot)
        assert pinned_store.get(Risk, doomed.key) is None
        assert doomed.key not in [row.risk.key for row in rows(app)]
