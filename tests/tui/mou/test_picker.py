"""Screen 3's list of arrangements (the picker) is a list screen: sorted by any column, filtered as you type,
cleared with x."""

from __future__ import annotations

from twintui.tui.common.row_table import RowTable
from twintui.tui.mou.picker import MouScreen

from ..driving import settle

ALL = ["TW-BEL-0001", "TW-CAN-0001", "TW-CAN-0002", "TW-CZE-0001", "TW-FIN-0001", "TW-NOR-0001"]
# The order the picker opens in: the demo's two memoranda (Canada's agreed, Norway's draft), then the rest by id.
FIRST = ["TW-CAN-0001", "TW-NOR-0001", "TW-BEL-0001", "TW-CAN-0002", "TW-CZE-0001", "TW-FIN-0001"]


async def open_picker(app, pilot) -> MouScreen:  # noqa: ANN001
    await settle(app, pilot)
    await pilot.press("3")
    await settle(app, pilot)
    assert isinstance(app.screen, MouScreen)
    return app.screen


def ids(screen: MouScreen) -> list[str]:
    return [row.id for row in screen.query_one(RowTable).rows]


def status(screen: MouScreen) -> str:
    return str(screen.query_one("#mou-status").render())


def header(screen: MouScreen) -> str:
    """The table's header line as drawn: the sorted column carries ▲ or ▼."""
    return "".join(segment.text for segment in screen.query_one(RowTable).render_line(0))


async def test_the_picker_sorts_by_any_column_and_reverses(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_picker(app, pilot)
        assert ids(screen) == FIRST  # those with an MoU first, each by id
        await pilot.press("s")  # by id
        assert ids(screen) == ALL
        await pilot.press("r")
        assert ids(screen) == ALL[::-1]
        assert "ID ▼" in header(screen) and "MoU ▲" not in header(screen)
        assert status(screen) == "6 of 6 arrangements · 2 with an MoU · enter opens"  # cut last at 60 columns
        await pilot.press("s", "s")  # by state, then by title
        titles = [row.title.casefold() for row in screen.query_one(RowTable).rows]
        assert titles == sorted(titles) and "Title ▲" in header(screen)
        await pilot.press("s")  # back to the MoU column: the first order
        assert ids(screen) == FIRST and "MoU ▲" in header(screen)


async def test_x_clears_the_typed_filter(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_picker(app, pilot)
        await pilot.press("slash", *"czech", "escape")
        assert ids(screen) == ["TW-CZE-0001"]
        await pilot.press("x")
        assert len(ids(screen)) == 6 and screen.query_one("#mou-filter").value == ""
        assert status(screen).startswith("6 of 6 arrangements")
