"""The screens ask the access file first (issue 8): read-only users are told why, before any form opens."""

from __future__ import annotations

from pathlib import Path

from twintui.core import access
from twintui.core.store import Store
from twintui.tui.app import TwintuiApp
from twintui.tui.screens.edit import ArrangementEditor
from twintui.tui.screens.register import RegisterScreen

from .conftest import TODAY
from .driving import settle


def read_only(store: Store) -> Store:
    """The same store with an access file naming another maintainer and the test user as read-only."""
    access.default_path(store.path).write_text(f'maintainers = ["amina"]\nread_only = ["{store.user}"]\n')
    return store


async def test_a_read_only_user_pressing_e_is_told_why_and_no_form_opens(pinned_store: Store) -> None:
    app = TwintuiApp(read_only(pinned_store), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen) and screen.access is not None and screen.access.read_only
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen is screen and not isinstance(app.screen, ArrangementEditor)
        messages = [n.message for n in app._notifications]
        assert any("read-only" in m and "focal.point" in m for m in messages), messages
        # Edit, new and delete are gone from the palette (check_action), browsing stays.
        titles = [command.title for command in app.get_system_commands(screen)]
        assert not any(t.startswith(("Edit (", "New (", "Delete (")) for t in titles), titles
        assert "Filter (/)" in titles
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is screen


async def test_the_returns_screen_says_single_user_mode(make_app) -> None:  # noqa: ANN001
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        assert "single-user mode" in str(app.screen.query_one("#returns-access").render())


async def test_a_focal_point_sees_the_refusal_for_another_state(pinned_store: Store, tmp_path: Path) -> None:
    access.default_path(pinned_store.path).write_text(
        f'maintainers = ["amina"]\n[focal_points]\n"{pinned_store.user}" = ["NOR"]\n')
    app = TwintuiApp(pinned_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.table.current.state != "NOR"
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen is screen
        assert any("focal.point" in n.message for n in app._notifications)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ArrangementEditor)
        assert app.screen.fields.base.reporting_state == "NOR"
