"""Compare and the MoU editor ask the access file first: the refusal comes before any form is filled in."""

from __future__ import annotations

from twintui.core.mou import versions
from twintui.core.store import Store, policy
from twintui.tui.app import TwintuiApp
from twintui.tui.compare import CompareScreen, ComparisonScreen
from twintui.tui.compare.forms import AskScreen
from twintui.tui.mou.editor import MouEditor
from twintui.tui.mou.picker import MouScreen

from .conftest import TODAY
from .driving import settle


def notes(app: TwintuiApp) -> list[str]:
    return [n.message for n in app._notifications]


async def press(app: TwintuiApp, pilot, *keys: str) -> None:  # noqa: ANN001
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


async def test_a_read_only_user_is_told_before_filling_in_a_comparison(pinned_store: Store) -> None:
    policy.default_path(pinned_store.path).write_text(
        f'maintainers = ["amina"]\nread_only = ["{pinned_store.user}"]\n')
    app = TwintuiApp(pinned_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "2", "n")
        assert isinstance(app.screen, CompareScreen)  # no form opened
        assert any("read-only access" in m for m in notes(app)), notes(app)
        await press(app, pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ComparisonScreen) and screen.refusal
        assert "read-only · revision 1" in str(screen.query_one("#cmp-title").render())
        before = screen.comparison.cell("Geopolitical and socioeconomic considerations", "Norway").score
        await press(app, pilot, "5", "w")
        assert app.screen is screen and not isinstance(app.screen, AskScreen)
        assert screen.comparison.cell("Geopolitical and socioeconomic considerations", "Norway").score == before
        assert not screen.dirty


async def test_a_focal_point_is_told_before_editing_another_states_mou(pinned_store: Store) -> None:
    assert versions.latest(pinned_store, "TW-CAN-0001") is not None  # the demo's agreed MoU of Canada
    policy.default_path(pinned_store.path).write_text(
        f'maintainers = ["amina"]\n[focal_points]\n"{pinned_store.user}" = ["NOR"]\n')
    app = TwintuiApp(pinned_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "3")
        screen = app.screen
        assert isinstance(screen, MouScreen)
        table = screen.query_one("#mou-table")
        # An arrangement of another state without an MoU: no draft is offered.
        table.cursor = next(i for i, row in enumerate(table.rows) if row.id == "TW-CZE-0001")
        await press(app, pilot, "enter")
        assert app.screen is screen  # neither a question nor the editor
        assert any("focal point for NOR" in m and "CZE" in m for m in notes(app)), notes(app)
        # Another state's MoU opens read-only, and says why before anything is typed.
        table.cursor = next(i for i, row in enumerate(table.rows) if row.id == "TW-CAN-0001")
        await press(app, pilot, "enter")
        editor = app.screen
        assert isinstance(editor, MouEditor) and editor.refusal and editor.read_only
        assert "read-only:" in str(editor.query_one("#mou-heading").render())
        assert editor.query_one("#mou-title").read_only
        await press(app, pilot, "down", "down", "tab", "a")
        assert app.screen is editor  # no objective form
        assert sum("does not answer for CAN" in m for m in notes(app)) >= 1
        assert editor.check_action("save", ()) is False and editor.check_action("status", ()) is False
        # Their own state's MoU is theirs to edit.
        await press(app, pilot, "escape", "escape")
        table.cursor = next(i for i, row in enumerate(table.rows) if row.id == "TW-NOR-0001")
        assert app.screen is screen
        await press(app, pilot, "enter")
        editor = app.screen
        assert isinstance(editor, MouEditor) and not editor.refusal and not editor.read_only
