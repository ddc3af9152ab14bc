"""The app shell as a user drives it at 80x24: digits switch screens, help, palette, quit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.command import CommandList, CommandPalette

from twintui.core.store import Store
from twintui.tui.app import TwintuiApp
from twintui.tui.common.help import HelpScreen


async def test_digits_switch_between_the_five_screens(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = []
        for key in "23451":
            await pilot.press(key)
            seen.append(app.screen.TITLE)
        assert seen == ["Compare partners", "MoU", "Risks", "Returns", "Register"]


async def test_help_lists_the_keys_and_escape_closes_it(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.keys)
        assert {"1", "2", "q"} <= set(keys)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)


async def test_the_command_palette_offers_every_screen(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"risks")
        palette = app.screen
        for _ in range(200):  # the palette searches in a worker: wait for its hits, not for a time
            await pilot.pause()
            if palette.query_one(CommandList).option_count:
                break
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.TITLE == "Risks"


async def test_q_quits(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
    assert app.return_code == 0


def test_a_store_that_cannot_be_opened_exits_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    result = subprocess.run([sys.executable, "-m", "twintui", "--db", str(bad)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "is damaged" in result.stderr and "Traceback" not in result.stderr


async def test_the_palette_offers_the_actions_of_the_screen(demo_store: Store) -> None:
    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("Facets (f)", "New (n)", "Edit (e)", "Sort (s)", "Filter (/)"):
            assert wanted in titles
        await pilot.press("ctrl+p", *"facets")
        palette = app.screen
        for _ in range(200):
            await pilot.pause()
            if palette.query_one(CommandList).option_count:
                break
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause()
            if type(app.screen).__name__ == "FacetScreen":
                break
        assert type(app.screen).__name__ == "FacetScreen"


async def test_quit_asks_first_when_a_form_has_unsaved_changes(demo_store: Store) -> None:
    from textual.widgets import Input

    from twintui.tui.common.confirm import ConfirmScreen
    from twintui.tui.register.form import ArrangementEditor

    app = TwintuiApp(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("n")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, ArrangementEditor):
                break
        app.screen.query_one("#field-title", Input).value = "Unfinished"
        await pilot.pause()
        app.screen.query_one("#field-status").focus()  # out of the text field, so q is a key again
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert isinstance(app.screen, ArrangementEditor) and app.is_running
        await pilot.press("q", "y")
    assert app.return_code == 0


async def test_one_store_watcher_tells_the_screens_of_every_mode(make_app, pinned_store: Store) -> None:  # noqa: ANN001
    """Another official's save reaches the Register while the Risks screen is shown, and Risks too,
    from the app's one watcher (no screen keeps a timer of its own)."""
    from twintui.core.model import Arrangement, Risk
    from twintui.tui.common.listing import ListScreen

    from .driving import settle

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        register, risks = app.get_screen_stack("register")[-1], app.screen
        assert isinstance(register, ListScreen) and isinstance(risks, ListScreen) and register is not risks
        assert not [s for s in app.every_screen() if hasattr(s, "poll_store")], "a screen polls the store itself"
        other = Store.open(pinned_store.path, user="someone.else")
        with other.transaction("test") as tx:
            japan = Arrangement(reporting_state="JPN", title="Orientation curriculum", status="planned")
            tx.save(japan)
            tx.save(Risk(description="Interpreters leave", category="staffing", likelihood=4, impact=4,
                         treatment="treat", status="open"), parent=japan)
        app.look_at_store()  # what the watcher's timer does every 3 seconds
        await settle(app, pilot)
        await settle(app, pilot)
        assert any(row.id == "TW-JPN-0001" for row in register.table.rows)
        assert any(row.risk.description == "Interpreters leave" for row in risks.table.rows)
