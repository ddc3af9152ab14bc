"""The twintui application: five screens, global keys, the command palette."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import Notification
from textual.screen import Screen

from .common.confirm import ConfirmScreen
from .common.help import HelpScreen
from .common.words import widget_words
from .compare import CompareScreen
from .keys_in_order import KeysInOrder
from .mou.picker import MouScreen
from .register.screen import RegisterScreen
from .returns.screen import ReturnsScreen
from .risks.screen import RisksScreen
from .store_watch import StoreWatch

if TYPE_CHECKING:
    from ..core.store import Store
    from ..service.desk import Desk

SCREENS = {
    "register": RegisterScreen,
    "compare": CompareScreen,
    "mou": MouScreen,
    "risks": RisksScreen,
    "returns": ReturnsScreen,
}


class TwintuiApp(StoreWatch, KeysInOrder, App[None]):
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
        # Priority: help works in modal forms and dialogs too, which otherwise cut the app's keys off.
        Binding("f1", "help", "Help", id="app.help", priority=True, tooltip="Help for the focused widget"),
        Binding("question_mark", "help_key", "Help", id="app.help.question", show=False, priority=True,
                tooltip="Help for the focused widget (where ? is not typed into a field)"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit twintui"),
    ]

    def __init__(self, store: Store, today: dt.date | None = None):
        super().__init__()
        self._keys_init()
        self._watch_init()
        self.store = store
        self._desk: Desk | None = None
        self._today = today  # fixed in tests, so stale markers and overdue reviews do not drift

    def on_mount(self) -> None:
        self.watch_store()

    def _unnotify(self, notification: Notification, refresh: bool = True) -> None:
        super()._unnotify(notification, refresh)
        # Textual 8.2 leaves an expired toast painted on the terminal where the view under it was
        # scrolled while it showed (a record scrolled with down, p or h): paint the screen again.
        self.call_after_refresh(self._repaint)

    def _repaint(self) -> None:
        if self.screen_stack:  # (none while the app closes)
            self.screen.refresh()

    @property
    def desk(self) -> Desk:
        """Imports, exports and documents on this store: through the store service for its client."""
        if self._desk is None:
            from ..service.desk import desk_for

            self._desk = desk_for(self.store)
        return self._desk

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
        # And every other screen's own actions, each switching to its screen first ("export" on Risks).
        for mode, cls in SCREENS.items():
            if mode == self.current_mode:
                continue  # its actions are above when it is on top; under a form they would act behind it
            for binding in screen_actions(cls):
                yield SystemCommand(f"{cls.TITLE}: {binding.description} ({self.get_key_display(binding)})",
                                    f"{binding.tooltip or binding.description} (switches to {cls.TITLE})",
                                    partial(self.run_on_screen, mode, binding.action))
        yield from super().get_system_commands(screen)

    async def run_on_screen(self, mode: str, action: str) -> None:
        """Switch to ``mode``'s screen and run one of its actions there, as its key would."""
        await self.switch_mode(mode)
        target = self.screen
        if not await self.run_action(action, target):  # the screen's check_action said no
            refused = getattr(target, "action_refused", None)
            if refused is not None:
                refused(action.partition("(")[0])  # says why, as the key does for a user who may change nothing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help_key":
            # In a text field ? is a character: the key goes on to the field.
            focused = self.focused
            return focused is None or not focused.check_consume_key("question_mark", "?")
        return True

    def action_help_key(self) -> None:
        self.action_help()

    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss()  # f1 or ? again closes it
            return
        focused = screen.focused
        # The focused widget's own help, else the screen's (a button or a scroll area has none of its own).
        text = (getattr(focused, "HELP", "") or getattr(screen, "HELP", "")
                or (type(screen).__doc__ or "").strip())
        keys = []
        seen = set()
        for active in screen.active_bindings.values():
            if active.binding.show or active.binding.description:
                label = self.get_key_display(active.binding)
                if (label, active.binding.description) not in seen:
                    seen.add((label, active.binding.description))
                    keys.append((label, active.binding.tooltip or active.binding.description))
        title = getattr(screen, "HELP_TITLE", "") or getattr(screen, "TITLE", "") or "twintui"
        if focused is not None and (what := widget_words(focused)):
            title += f" — {what}"
        self.push_screen(HelpScreen(title, text, keys))


def screen_actions(cls: type[Screen]) -> list[Binding]:
    """The actions a screen's own keys reach (shown in its footer or palette), without refusals and duplicates."""
    merged = cls._merged_bindings
    if merged is None:
        return []
    found: dict[str, Binding] = {}
    for _, binding in merged:
        if binding.description and not binding.action.startswith(("refused", "switch_mode", "app.")):
            found.setdefault(binding.action, binding)
    return list(found.values())
