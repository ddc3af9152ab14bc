"""The screens ask the access file first (issue 8): read-only users are told why, before any form opens."""

from __future__ import annotations

from pathlib import Path

from twintui.core.store import Store, policy
from twintui.tui.app import TwintuiApp
from twintui.tui.register.record import ArrangementScreen
from twintui.tui.register.form import ArrangementEditor
from twintui.tui.register.screen import RegisterScreen

from .conftest import TODAY
from .driving import settle


def read_only(store: Store) -> Store:
    """The same store with an access file naming another maintainer and the test user as read-only."""
    policy.default_path(store.path).write_text(f'maintainers = ["amina"]\nread_only = ["{store.user}"]\n')
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
    policy.default_path(pinned_store.path).write_text(
        f'maintainers = ["amina"]\n[focal_points]\n"{pinned_store.user}" = ["NOR"]\n')
    app = TwintuiApp(pinned_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        other = screen.table.current
        assert other.state != "NOR"
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen is screen
        messages = [n.message for n in app._notifications]
        assert any(m.startswith(f"focal.point may not change arrangement {other.id}") and
                   f"is the focal point for NOR and does not answer for {other.state}" in m for m in messages), messages
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ArrangementEditor)
        assert app.screen.fields.base.reporting_state == "NOR"


async def test_the_record_view_asks_the_access_file_before_its_form_opens(pinned_store: Store) -> None:
    policy.default_path(pinned_store.path).write_text(
        f'maintainers = ["amina"]\n[focal_points]\n"{pinned_store.user}" = ["NOR"]\n')
    app = TwintuiApp(pinned_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        other = app.screen.table.current
        assert other.state != "NOR"
        await pilot.press("enter")
        await settle(app, pilot)
        record = app.screen
        assert isinstance(record, ArrangementScreen) and record.arrangement_id == other.id
        # e on another state's record: told why, and no form opens (not even for a moment).
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen is record
        messages = [n.message for n in app._notifications]
        assert any(m.startswith(f"focal.point may not change arrangement {other.id}") for m in messages), messages
        # Their own state's record opens for editing from its record view.
        await pilot.press("escape", "slash", *"TW-NOR-0001", "enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ArrangementScreen) and app.screen.arrangement_id == "TW-NOR-0001"
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ArrangementEditor)
