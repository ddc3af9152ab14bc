"""The twintui application: five screens, global keys, the command palette."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .screens.compare import CompareScreen
from .screens.confirm import ConfirmScreen
from .screens.help import HelpScreen
from .screens.mou import MouScreen
from .screens.register import RegisterScreen
from .screens.returns import ReturnsScreen
from .screens.risks import RisksScreen

if TYPE_CHECKING:
    from ..core.store import Store

SCREENS = {
    "register": RegisterScreen,
    "compare": CompareScreen,
    "mou": MouScreen,
    "risks": RisksScreen,
    "returns": ReturnsScreen,
}


class TwintuiApp(App[None]):
    TITLE = "twintui"
    CSS_PATH = "app.tcss"
    MODES = SCREENS
    DEFAULT_MODE = "register"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        *(
            # Not in the footer: the screen bar at the top shows the digits.
            Binding(str(number), f"switch_mode('{mode}')", cls.TITLE, id=f"screen.{mode}", show=False,
                    tooltip=f"Show the {cls.TITLE} screen")
            for number, (mode, cls) in enumerate(SCREENS.items(), start=1)
        ),
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="Help for the focused widget"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit twintui"),
    ]

    def __init__(self, store: Store, today: dt.date | None = None):
        super().__init__()
        self.store = store
        self._today = today  # fixed in tests, so stale markers and overdue reviews do not drift

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _unsaved_screens(self) -> list[Screen]:
        """Forms holding changes the store does not have, in every mode's stack."""
        # _screen_stacks is Textual's own record of each mode's stack; screen_stack is only the current one.
        return [screen for stack in self._screen_stacks.values() for screen in stack
                if getattr(screen, "has_unsaved_changes", False)]

    async def action_quit(self) -> None:
        if not self._unsaved_screens() or isinstance(self.screen, ConfirmScreen):
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(ConfirmScreen("You have unsaved changes. Quit and discard them?",
                                       yes="Quit", no="Keep editing"), answered)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for number, (mode, cls) in enumerate(SCREENS.items(), start=1):
            yield SystemCommand(f"Screen {number}: {cls.TITLE}", cls.HELP,
                                lambda mode=mode: self.switch_mode(mode))
        yield SystemCommand("Help", "Help for the focused widget and its keys", self.action_help)
        # Every action that a key reaches where the user is, so none depends on a key alone.
        seen = {"Help", "Quit"}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or binding.action.startswith("switch_mode"):
                continue
            seen.add(binding.description)
            key = self.get_key_display(binding)
            yield SystemCommand(f"{binding.description} ({key})", binding.tooltip or binding.description,
                                partial(active.node.run_action, binding.action))
        yield from super().get_system_commands(screen)

    def action_help(self) -> None:
        screen = self.screen
        focused = screen.focused
        subject = focused or screen
        text = getattr(subject, "HELP", "") or (type(subject).__doc__ or "").strip() or getattr(screen, "HELP", "")
        keys = []
        seen = set()
        for active in screen.active_bindings.values():
            if active.binding.show or active.binding.description:
                label = self.get_key_display(active.binding)
                if (label, active.binding.description) not in seen:
                    seen.add((label, active.binding.description))
                    keys.append((label, active.binding.tooltip or active.binding.description))
        title = getattr(screen, "TITLE", "") or "twintui"
        if focused is not None:
            title += f" — {type(focused).__name__}"
        self.push_screen(HelpScreen(title, text, keys))
